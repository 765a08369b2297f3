"""Forms for meetings, minutes content, tasks and the settings; Chinese messages."""
from wtforms import BooleanField, DateField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import IntegerField, BaseForm, VersionedForm, bounded_id, no_control_chars, strip_filter
from .models import ATTENDANCE, PERIODS

LONG_TEXT = 10000  # one discussion or resolution: ample for minutes, bounded for print


def _required(label):
    return DataRequired(message=f"请填写{label}。")


def _max(n):
    return Length(max=n, message=f"内容过长：最多 {n} 个字。")


class ChoiceField(SelectField):
    """A select whose "not a valid choice" message names the field, in Chinese."""

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValueError:
            raise ValidationError(f"请从列表中选择{self.label.text}（所选项无效或不在您的管辖范围内）。")


def _opt_int(value):
    try:
        return bounded_id(value) if value not in (None, "", "0") else None
    except (TypeError, ValueError):
        return None


class MeetingForm(VersionedForm):
    """Plan a meeting, or edit its header while the minutes are a draft."""

    kind_id = ChoiceField("会议类型", coerce=bounded_id, validators=[DataRequired(message="请选择会议类型。")])
    title = StringField("会议名称", filters=[strip_filter], validators=[_required("会议名称"), _max(200), no_control_chars])
    starts_at = DateTimeLocalField("开始时间", format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired(message="请填写开始时间（年-月-日 时:分）。")])
    ends_at = DateTimeLocalField("结束时间", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    place = StringField("地点", filters=[strip_filter], validators=[_max(200), no_control_chars],
                        render_kw={"placeholder": "如：红色议事厅"})
    community_id = ChoiceField("所属社区", coerce=bounded_id, validators=[DataRequired(message="请选择社区。")])
    compound_id = ChoiceField("涉及小区", coerce=_opt_int, validators=[Optional()])
    convener = StringField("召集方", filters=[strip_filter], validators=[_max(100), no_control_chars],
                           render_kw={"placeholder": "如：社区议事小组"})
    host = StringField("主持人", filters=[strip_filter], validators=[_max(64), no_control_chars])
    recorder = StringField("记录人", filters=[strip_filter], validators=[_max(64), no_control_chars])
    invited = TextAreaField("邀请人员及单位", filters=[strip_filter], validators=[_max(2000), no_control_chars],
                            render_kw={"placeholder": "如：物业公司、业委会、公安片警、市场监管所……", "rows": 2})
    summary = TextAreaField("会议概况", filters=[strip_filter], validators=[_max(LONG_TEXT), no_control_chars],
                            render_kw={"rows": 3})

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError("结束时间必须晚于开始时间。")


class AttendeeForm(BaseForm):
    name = StringField("姓名", filters=[strip_filter], validators=[_required("姓名"), _max(64), no_control_chars])
    organisation = StringField("单位", filters=[strip_filter], validators=[_max(120), no_control_chars])
    role = StringField("职务", filters=[strip_filter], validators=[_max(64), no_control_chars])
    company_id = ChoiceField("所属物业企业", coerce=_opt_int, validators=[Optional()])
    status = ChoiceField("签到", choices=list(ATTENDANCE.items()), default="present")


class AttendanceForm(VersionedForm):
    status = ChoiceField("签到", choices=list(ATTENDANCE.items()))


class AgendaForm(VersionedForm):
    title = StringField("议题", filters=[strip_filter], validators=[_required("议题"), _max(200), no_control_chars])
    discussion = TextAreaField("讨论情况", filters=[strip_filter], validators=[_max(LONG_TEXT), no_control_chars],
                               render_kw={"rows": 4})


class ResolutionForm(VersionedForm):
    text = TextAreaField("决议内容", filters=[strip_filter], validators=[_required("决议内容"), _max(LONG_TEXT), no_control_chars],
                         render_kw={"rows": 2})
    publish = BooleanField("向居民公开（纪要审定后在公示栏发布）")


class TaskForm(BaseForm):
    what = TextAreaField("任务内容", filters=[strip_filter], validators=[_required("任务内容"), _max(2000), no_control_chars],
                         render_kw={"rows": 2})
    owner = StringField("责任人/责任单位", filters=[strip_filter],
                        validators=[DataRequired(message="请填写责任人或责任单位。"), _max(100), no_control_chars])
    owner_company_id = ChoiceField("责任物业企业", coerce=_opt_int, validators=[Optional()])
    due_date = DateField("完成期限", validators=[DataRequired(message="请填写完成期限（年-月-日）。")])


class CloseTaskForm(VersionedForm):
    done_note = TextAreaField("办理情况", filters=[strip_filter],
                              validators=[DataRequired(message="请填写办理情况（如何解决的）。"), _max(2000), no_control_chars],
                              render_kw={"rows": 2})


class ReasonForm(BaseForm):
    reason = TextAreaField("更正原因", filters=[strip_filter],
                           validators=[DataRequired(message="请填写更正原因。"), _max(500), no_control_chars],
                           render_kw={"rows": 2})


class ReturnForm(BaseForm):
    note = StringField("退回意见", filters=[strip_filter], validators=[_max(500), no_control_chars])


class KindForm(BaseForm):
    name = StringField("会议类型名称", filters=[strip_filter], validators=[_required("会议类型名称"), _max(50), no_control_chars])


class RequirementForm(BaseForm):
    label = StringField("要求名称", filters=[strip_filter], validators=[_required("要求名称"), _max(100), no_control_chars],
                        render_kw={"placeholder": "如：每月召开物业联席会议"})
    kind_id = ChoiceField("会议类型", coerce=_opt_int, validators=[Optional()])
    period = ChoiceField("周期", choices=list(PERIODS.items()))
    min_count = IntegerField("至少次数", default=1, validators=[
        InputRequired(message="请填写次数。"), NumberRange(min=1, max=31, message="次数应在 1 到 31 之间。")])
    needs_publication = BooleanField("须审定并公开决议（三公开）")
