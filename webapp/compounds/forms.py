"""Forms for compounds, buildings and owners' committees; every message in Chinese.

Choices that depend on the signed-in user's scope are filled in by the views; the
checks that need the database (unique names, a grid of the chosen community) live
in `validate_*` methods so a bad value is reported on its own field.
"""
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import IntegerField, VersionedForm, no_control_chars, strip_filter
from .models import COMMITTEE_KINDS, COMPOUND_KINDS, MANAGEMENT_MODES

STEWARD_ROLES = {"red_steward": "红色管家", "building_head": "楼长"}
NEEDS_PARTNER = ("merged", "entrusted")
MAX_HOUSEHOLDS = 10000


def management_problems(mode, has_company, has_partner):
    """The management mode's rules, as (field, Chinese message): "company" or "partner".
    The compound form and the Excel import both ask this."""
    problems = []
    if mode == "company" and not has_company:
        problems.append(("company", "管理模式为“物业服务企业”时必须选择物业企业。"))
    if mode == "self" and has_company:
        problems.append(("company", "自管会管理的小区不应填写物业企业。"))
    if mode in NEEDS_PARTNER and not has_partner:
        problems.append(("partner", f"管理模式为“{MANAGEMENT_MODES[mode]}”时必须选择相邻小区。"))
    return problems


def _int_or_zero(value):
    """A posted id as an int; 0 (nothing chosen) for junk or ids no table can hold."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= 2147483647 else 0


class CompoundForm(VersionedForm):
    """Create or edit a compound: its place, kind and how it is managed."""

    community_id = SelectField("所属社区", coerce=_int_or_zero, validators=[DataRequired(message="请选择所属社区。")])
    grid_id = SelectField("所属网格", coerce=_int_or_zero)
    name = StringField("小区名称", filters=[strip_filter], validators=[
        DataRequired(message="请填写小区名称。"), Length(max=100, message="小区名称最多 100 字。"), no_control_chars])
    kind = SelectField("小区类型", choices=list(COMPOUND_KINDS.items()))
    management_mode = SelectField("管理模式", choices=list(MANAGEMENT_MODES.items()))
    company_id = SelectField("物业服务企业", coerce=_int_or_zero)
    partner_compound_id = SelectField("并入/托管的相邻小区", coerce=_int_or_zero)
    address = StringField("地址", filters=[strip_filter], validators=[
        Optional(), Length(max=200, message="地址最多 200 字。"), no_control_chars])
    note = TextAreaField("备注", filters=[strip_filter], validators=[
        Optional(), Length(max=2000, message="备注最多 2000 字。"), no_control_chars])

    def __init__(self, *args, grids_of=None, name_taken=None, partner_of=None, editing_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Callables from the view: grid id -> community id; (community, name) -> taken?;
        # partner id -> community id. They keep the database out of the form class.
        self._grids_of = grids_of or (lambda grid_id: None)
        self._name_taken = name_taken or (lambda community_id, name: False)
        self._partner_of = partner_of or (lambda compound_id: None)
        self._editing_id = editing_id

    def validate_grid_id(self, field):
        if field.data and self._grids_of(field.data) != self.community_id.data:
            raise ValidationError("所选网格不属于所选社区。")

    def validate_name(self, field):
        if field.data and not field.errors and self.community_id.data and self._name_taken(self.community_id.data, field.data):
            raise ValidationError("本社区已有同名小区。")

    def _management(self, which):
        for field, message in management_problems(self.management_mode.data, bool(self.company_id.data),
                                                  bool(self.partner_compound_id.data)):
            if field == which:
                raise ValidationError(message)

    def validate_company_id(self, field):
        self._management("company")

    def validate_partner_compound_id(self, field):
        self._management("partner")
        if field.data:
            if self._editing_id and field.data == self._editing_id:
                raise ValidationError("不能选择小区本身。")
            if self._partner_of(field.data) != self.community_id.data:
                raise ValidationError("相邻小区应与本小区属于同一社区。")


class BuildingForm(VersionedForm):
    """One building row: name, households and its steward."""

    name = StringField("楼栋名称", filters=[strip_filter], validators=[
        DataRequired(message="请填写楼栋名称。"), Length(max=100, message="楼栋名称最多 100 字。"), no_control_chars])
    households = IntegerField("户数", validators=[
        InputRequired(message="请填写户数。"),
        NumberRange(min=0, max=MAX_HOUSEHOLDS, message=f"户数应在 0 到 {MAX_HOUSEHOLDS} 之间。")])
    steward_id = SelectField("红色管家/楼长", coerce=_int_or_zero)
    steward_role = SelectField("角色", choices=list(STEWARD_ROLES.items()))
    steward_phone_public = BooleanField("同意公示电话")

    def __init__(self, *args, name_taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_taken = name_taken or (lambda name: False)

    def validate_name(self, field):
        if field.data and not field.errors and self._name_taken(field.data):
            raise ValidationError("本小区已有同名楼栋。")

    def validate_steward_phone_public(self, field):
        if field.data and not self.steward_id.data:
            raise ValidationError("未指定管家时不能公示电话。")


class CommitteeForm(VersionedForm):
    """An owners' committee or self-management committee of one compound."""

    kind = SelectField("类别", choices=list(COMMITTEE_KINDS.items()))
    name = StringField("名称", filters=[strip_filter], validators=[
        DataRequired(message="请填写名称。"), Length(max=100, message="名称最多 100 字。"), no_control_chars])
    members = IntegerField("成员人数", validators=[
        InputRequired(message="请填写成员人数。"), NumberRange(min=1, max=99, message="成员人数应在 1 到 99 之间。")])
    party_members = IntegerField("其中党员", validators=[
        InputRequired(message="请填写党员人数（没有填 0）。"), NumberRange(min=0, max=99, message="党员人数应在 0 到 99 之间。")])
    term_start = DateField("任期开始", validators=[Optional()])
    term_end = DateField("任期结束", validators=[Optional()])

    def __init__(self, *args, name_taken=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._name_taken = name_taken or (lambda name: False)

    def validate_name(self, field):
        if field.data and not field.errors and self._name_taken(field.data):
            raise ValidationError("已有同名的业委会/自管会。")

    def validate_party_members(self, field):
        if field.data is not None and self.members.data is not None and field.data > self.members.data:
            raise ValidationError("党员人数不能多于成员人数。")

    def validate_term_end(self, field):
        if field.data and self.term_start.data and field.data < self.term_start.data:
            raise ValidationError("任期结束日期不能早于开始日期。")
