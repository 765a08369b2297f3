"""The cross-appointment form and the small form that ends one."""
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import BaseForm, VersionedForm, name_field, no_control_chars, no_markup, sane_date, strip_filter
from .models import DIRECTIONS


class AppointmentForm(VersionedForm):
    person_id = SelectField("任职人员", choices=[], validate_choice=False,
                            validators=[DataRequired(message="请选择任职人员。")])
    direction = SelectField("方向", choices=list(DIRECTIONS.items()))
    company_id = SelectField("物业企业", choices=[], validate_choice=False,
                             validators=[DataRequired(message="请选择物业企业。")])
    community_id = SelectField("社区", choices=[], validate_choice=False,
                               validators=[DataRequired(message="请选择社区。")])
    community_side = SelectField("社区侧组织（组织架构单位或业委会）", choices=[], validate_choice=False,
                                 validators=[DataRequired(message="请选择社区侧组织。")])
    compound_id = SelectField("小区（可空）", choices=[], validate_choice=False)
    home_role = name_field("本方职务", 64)
    host_role = name_field("对方兼任职务", 64)
    start_date = DateField("开始日期", validators=[InputRequired(message="请填写开始日期（如 2026-01-31）。"), sane_date])
    end_date = DateField("结束日期（可空）", validators=[Optional(), sane_date])
    approval_document = StringField(
        "批准文件（文号）", filters=[strip_filter],
        validators=[DataRequired(message="请填写批准文件文号，如“双珠党字〔2025〕7号”。"),
                    Length(max=200, message="批准文件最多 200 个字。"), no_control_chars, no_markup])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError("结束日期不能早于开始日期。")


class EndAppointmentForm(BaseForm):
    end_date = DateField("结束日期", validators=[InputRequired(message="请填写结束日期（如 2026-01-31）。"), sane_date])
