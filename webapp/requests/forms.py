"""Forms of the requests domain: recording a request for a resident, the steps of its
life, the resident's 回访 on the receipt page, and the street's settings."""
from flask import current_app
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from .. import uploads
from ..forms import (
    BaseForm, DecimalField, IntegerField, VersionedForm, bounded_id, name_field, no_control_chars, phone_check, sane_date,
    strip_filter,
)
from .models import LIMIT_UNITS, STAFF_SOURCES
from .rules import HANDLERS, SATISFACTION, URGENCIES

DEFAULT_PHOTO_MAX_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 4


def _optional_id(value):
    if value in (None, "", "None"):
        return None
    return bounded_id(value)


def photo_max_bytes():
    return current_app.config.get("REQUEST_PHOTO_MAX_BYTES", DEFAULT_PHOTO_MAX_BYTES)


def check_photos(field):
    """The field's uploads checked by content (JPEG or PNG), within the size limit,
    re-encoded upright without any metadata; a list of `uploads.Checked`. Adds the Chinese
    reason to the field's errors and returns None when one is refused."""
    files = [f for f in (field.data or []) if getattr(f, "filename", "")]
    if len(files) > MAX_PHOTOS:
        field.errors.append(f"最多上传 {MAX_PHOTOS} 张照片。")
        return None
    checked = []
    for n, storage in enumerate(files, start=1):
        try:
            checked.append(uploads.check(storage, photo_max_bytes(), kinds=("jpg", "png"), label=f"第 {n} 张照片"))
        except uploads.Refused as exc:
            field.errors.append(str(exc))
            return None
    return checked


class RecordForm(BaseForm):
    """Assisted reporting: one short form a grid worker fills in on a phone."""

    # A picker (webapp/picker.py): the view checks the chosen compound with the access module.
    compound_id = SelectField("小区", coerce=_optional_id, validate_choice=False,
                              validators=[InputRequired(message="请选择小区。")])
    building_id = SelectField("楼栋", coerce=_optional_id, validate_choice=False)
    category_id = SelectField("类别", coerce=_optional_id, validators=[InputRequired(message="请选择类别。")])
    source = SelectField("来源", choices=list(STAFF_SOURCES.items()), default="grid_patrol")
    urgency = RadioField("紧急程度", choices=list(URGENCIES.items()), default="normal")
    text = TextAreaField("诉求内容", filters=[strip_filter], render_kw={"rows": 4, "maxlength": 1000},
                         validators=[DataRequired(message="请填写诉求内容。"),
                                     Length(min=4, max=1000, message="诉求内容应为 4 至 1000 字。"), no_control_chars])
    photos = MultipleFileField("现场照片（JPEG/PNG，可多张）", render_kw={"accept": "image/jpeg,image/png", "capture": "environment"})
    name = StringField("居民称呼（可不填，默认匿名）", filters=[strip_filter], render_kw={"maxlength": 40, "autocomplete": "off"},
                       validators=[Optional(), Length(max=40, message="称呼最多 40 个字。"), no_control_chars])
    phone = StringField("居民电话（可不填）", filters=[strip_filter], render_kw={"maxlength": 20, "type": "tel", "autocomplete": "off"},
                        validators=[Optional(), Length(max=20, message="电话不能超过 20 位。"), phone_check])
    duplicate_of = StringField("重复诉求", filters=[strip_filter], validators=[Optional(), Length(max=24)])

    def validate_building_id(self, field):
        if field.data is not None and field.data not in {c[0] for c in field.choices}:
            raise ValidationError("请选择该小区的楼栋。")


class ActForm(VersionedForm):
    """One step of a request's life; which fields matter depends on the step."""

    note = TextAreaField("说明", filters=[strip_filter], render_kw={"rows": 3, "maxlength": 1000},
                         validators=[Optional(), Length(max=1000, message="说明不能超过 1000 字。"), no_control_chars])
    public_reply = TextAreaField("给居民的答复（凭回执号可见，请勿写个人信息）", filters=[strip_filter], render_kw={"rows": 2},
                                 validators=[Optional(), Length(max=1000, message="答复不能超过 1000 字。"), no_control_chars])
    satisfaction = RadioField("回访结果", choices=list(SATISFACTION.items()), validators=[Optional()])
    category_id = SelectField("类别", coerce=_optional_id, validate_choice=False)
    assignee_kind = SelectField("改派给", choices=[("", "请选择")] + list(HANDLERS.items()), validate_choice=False)
    department_id = SelectField("外部门", coerce=_optional_id, validate_choice=False)
    duplicate_receipt = StringField("原诉求回执号", filters=[strip_filter], validators=[Optional(), Length(max=24)])
    photos = MultipleFileField("办结照片（JPEG/PNG）", render_kw={"accept": "image/jpeg,image/png"})


class ResidentVisitForm(BaseForm):
    """The resident's own 回访 on the receipt page."""

    satisfaction = RadioField("您对办理结果满意吗？", choices=list(SATISFACTION.items()),
                              validators=[InputRequired(message="请选择满意、基本满意或不满意。")])
    note = TextAreaField("还想说的（可不填）", filters=[strip_filter], render_kw={"rows": 3, "maxlength": 500},
                         validators=[Optional(), Length(max=500, message="最多 500 字。"), no_control_chars])


class EscalateForm(VersionedForm):
    meeting_id = SelectField("议事会议", coerce=_optional_id, validate_choice=False)
    kind_id = SelectField("新会议的类型", coerce=_optional_id, validate_choice=False)
    starts_at = StringField("新会议时间（如 2026-12-10 19:00）", filters=[strip_filter], validators=[Optional(), Length(max=20)])


class DecisionForm(VersionedForm):
    outcome = RadioField("按决议", choices=[("resolve", "办结"), ("reassign", "改派")],
                         validators=[InputRequired(message="请选择按决议办结或改派。")])
    assignee_kind = SelectField("改派给", choices=[("", "请选择")] + list(HANDLERS.items()), validate_choice=False)
    department_id = SelectField("外部门", coerce=_optional_id, validate_choice=False)
    note = TextAreaField("决议内容", filters=[strip_filter], render_kw={"rows": 2},
                         validators=[DataRequired(message="请填写决议内容。"), Length(max=1000), no_control_chars])


class CategoryForm(VersionedForm):
    name = name_field("类别名称", 50)
    handler = SelectField("默认承办", choices=list(HANDLERS.items()))
    department_id = SelectField("外部门（承办为外部门时）", coerce=_optional_id, validate_choice=False)
    limit_value = IntegerField("办理时限", validators=[InputRequired(message="请填写办理时限。"),
                                                    NumberRange(min=1, max=365, message="时限应在 1 至 365 之间。")])
    limit_unit = SelectField("时限单位", choices=list(LIMIT_UNITS.items()))
    warn_value = IntegerField("提前预警", validators=[InputRequired(message="请填写提前预警量。"),
                                                   NumberRange(min=0, max=365, message="预警应在 0 至 365 之间。")])
    sort_order = IntegerField("排序", default=0, validators=[Optional(), NumberRange(min=0, max=999, message="排序应在 0 至 999 之间。")])
    active = BooleanField("启用", default=True)

    def validate_warn_value(self, field):
        if field.data is not None and self.limit_value.data and field.data >= self.limit_value.data:
            raise ValidationError("预警量应小于办理时限。")

    def validate_department_id(self, field):
        if self.handler.data == "department" and not field.data:
            raise ValidationError("承办为外部门时，请选择外部门。")
        if field.data is not None and field.data not in {c[0] for c in field.choices}:
            raise ValidationError("请选择列表中的外部门。")


class ScoreRuleForm(VersionedForm):
    on_time_weight = IntegerField("按时办结率权重（%）", validators=[InputRequired(message="请填写权重。"),
                                  NumberRange(min=0, max=100, message="权重应在 0 至 100 之间。")])
    satisfaction_weight = IntegerField("满意率权重（%）", validators=[InputRequired(message="请填写权重。"),
                                       NumberRange(min=0, max=100, message="权重应在 0 至 100 之间。")])
    per_reopen = DecimalField("每次重新办理扣分", places=1, validators=[InputRequired(message="请填写扣分。"),
                              NumberRange(min=0, max=100, message="扣分应在 0 至 100 之间。")])

    def validate_satisfaction_weight(self, field):
        if field.data is not None and self.on_time_weight.data is not None and field.data + self.on_time_weight.data != 100:
            raise ValidationError("两项权重之和应为 100%。")


class DepartmentForm(VersionedForm):
    name = name_field("部门名称", 100)
    phone = StringField("联系电话", filters=[strip_filter], validators=[Optional(), Length(max=20), phone_check])
    active = BooleanField("启用", default=True)


class DayOffForm(BaseForm):
    day = DateField("日期", validators=[InputRequired(message="请填写日期。"), sane_date])
    working = BooleanField("这一天上班（调休补班），而不是放假")
    note = StringField("说明", filters=[strip_filter], validators=[Optional(), Length(max=100), no_control_chars])
