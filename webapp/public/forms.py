"""The online red opinion box (红色意见箱) form."""
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, no_control_chars, phone_check, strip_filter

TEXT_MAX = 1000


class OpinionForm(BaseForm):
    text = TextAreaField("您的意见或诉求", filters=[strip_filter], render_kw={"rows": 6, "maxlength": TEXT_MAX},
                         validators=[DataRequired("请写下您的意见或诉求。"),
                                     Length(min=5, max=TEXT_MAX, message=f"请用 5 到 {TEXT_MAX} 字说明。"), no_control_chars])
    compound = SelectField("所在小区", coerce=str, validate_choice=True)
    name = StringField("称呼（可不填）", filters=[strip_filter], render_kw={"maxlength": 20, "autocomplete": "name"},
                       validators=[Optional(), Length(max=20, message="称呼不能超过 20 字。"), no_control_chars])
    phone = StringField("联系电话（可不填，便于回访）", filters=[strip_filter], render_kw={"maxlength": 20, "autocomplete": "tel", "type": "tel"},
                        validators=[Optional(), Length(max=20, message="电话不能超过 20 位。"), phone_check])
    # Honeypot: hidden from people by CSS; bots that fill every field give themselves away.
    website = StringField("网址（请勿填写）", render_kw={"tabindex": "-1", "autocomplete": "off"})


class LookupForm(BaseForm):
    class Meta:
        csrf = False

    receipt = StringField("回执号", filters=[strip_filter], validators=[DataRequired("请输入回执号。"), Length(max=24)])
