"""The property-company form; the credit code is checked by its check character."""
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import IntegerField, BaseForm, VersionedForm, no_control_chars, phone_check, strip_filter
from .credit_code import credit_code_error
from .models import PARTY_ORG_FORMS

OWN_ORG_FORMS = ("own", "joint", "affiliated")


def normalise_code(value):
    """Clerks paste codes with spaces or in lower case: strip and upper-case them."""
    if not isinstance(value, str):
        return value
    return "".join(value.split()).upper()


class CreditCodeMixin:
    """The credit-code field and its checks, shared by the page form and the inline check."""

    credit_code = StringField("统一社会信用代码", filters=[normalise_code], validators=[
        InputRequired(message="请输入统一社会信用代码。"), Length(max=64, message="统一社会信用代码应为 18 位。")])

    def __init__(self, *args, code_taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._code_taken = code_taken or (lambda code: False)

    def validate_credit_code(self, field):
        problem = credit_code_error(field.data)
        if problem:
            raise ValidationError(problem)
        if self._code_taken(field.data):
            raise ValidationError("该统一社会信用代码已登记在另一家企业名下。")


class CreditCodeForm(CreditCodeMixin, BaseForm):
    """Only the credit code: the inline (HTMX) check as the clerk types."""


class CompanyForm(CreditCodeMixin, VersionedForm):
    """Create or edit a property company."""

    name = StringField("企业名称", filters=[strip_filter], validators=[
        InputRequired(message="请填写企业名称。"), Length(min=2, max=120, message="企业名称应为 2 到 120 字。"),
        no_control_chars])
    contact_person = StringField("联系人", filters=[strip_filter], validators=[
        Optional(), Length(max=64, message="联系人最多 64 字。"), no_control_chars])
    contact_phone = StringField("联系电话", filters=[strip_filter], validators=[
        Optional(), Length(max=32, message="联系电话最多 32 字。"), phone_check])
    staff_count = IntegerField("职工人数", validators=[
        InputRequired(message="请填写职工人数。"), NumberRange(min=0, max=100000, message="职工人数应在 0 到 100000 之间。")])
    party_members = IntegerField("其中党员", validators=[
        InputRequired(message="请填写党员人数（没有填 0）。"),
        NumberRange(min=0, max=100000, message="党员人数应在 0 到 100000 之间。")])
    party_org_form = SelectField("党组织组建方式", choices=list(PARTY_ORG_FORMS.items()), default="none")
    party_org_name = StringField("党组织名称", filters=[strip_filter], validators=[
        Length(max=120, message="党组织名称最多 120 字。"), no_control_chars])
    instructor_name = StringField("党建指导员", filters=[strip_filter], validators=[
        Length(max=64, message="党建指导员姓名最多 64 字。"), no_control_chars])

    def __init__(self, *args, name_taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_taken = name_taken or (lambda name: False)

    def validate_name(self, field):
        if field.data and not field.errors and self._name_taken(field.data):
            raise ValidationError("已有同名企业。")

    def validate_party_members(self, field):
        if field.data is not None and self.staff_count.data is not None and field.data > self.staff_count.data:
            raise ValidationError("党员人数不能多于职工人数。")

    def validate_party_org_name(self, field):
        if self.party_org_form.data in OWN_ORG_FORMS and not field.data:
            raise ValidationError("已组建党组织的，请填写党组织名称。")

    def validate_instructor_name(self, field):
        if self.party_org_form.data == "instructor" and not field.data:
            raise ValidationError("组建方式为“选派党建指导员”时，请填写指导员姓名。")
