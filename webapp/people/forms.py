"""Forms for people and the positions they hold."""
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import BaseForm, VersionedForm, name_field, no_control_chars, no_markup, phone_check, sane_date, strip_filter
from .models import MEMBERSHIP_KINDS


class PersonForm(VersionedForm):
    name = name_field("姓名", 64)
    phone = StringField("电话", filters=[strip_filter],
                        validators=[Optional(), Length(max=32, message="电话最多 32 个字符。"), phone_check])
    community_id = SelectField("所属社区", choices=[], validate_choice=False)
    company_id = SelectField("所在物业企业", choices=[], validate_choice=False)
    is_party_member = BooleanField("中共党员")
    membership_kind = SelectField("党员管理方式", choices=[("", "（非党员不填）")] + list(MEMBERSHIP_KINDS.items()))
    note = TextAreaField("备注", filters=[strip_filter],
                         validators=[Length(max=500, message="备注最多 500 个字。"), no_control_chars, no_markup])

    def validate_membership_kind(self, field):
        from .imports import person_problems  # the one rule, shared with the Excel import

        for key, message in person_problems({"is_party_member": self.is_party_member.data, "membership_kind": field.data}):
            raise ValidationError(message)


class PositionForm(BaseForm):
    role = name_field("职务", 64)
    organisation = SelectField("任职组织", choices=[], validate_choice=False,
                               validators=[DataRequired(message="请选择任职组织。")])
    start_date = DateField("任职开始", validators=[InputRequired(message="请填写任职开始日期（如 2026-01-31）。"), sane_date])
    end_date = DateField("任职结束（可空）", validators=[Optional(), sane_date])
    is_leader = BooleanField("负责人（书记、主任等）")

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("结束日期不能早于开始日期。")


class EndPositionForm(BaseForm):
    end_date = DateField("结束日期", validators=[InputRequired(message="请填写结束日期（如 2026-01-31）。"), sane_date])
