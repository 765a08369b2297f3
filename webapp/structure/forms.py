"""Forms of the organisation tree: add, rename, move a unit; edit the tier names."""
from wtforms import FieldList, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, VersionedForm, name_field, no_control_chars, no_markup, strip_filter


class UnitAddForm(BaseForm):
    """A new child unit (or a new top-level unit for the street admin)."""

    name = name_field("单位名称")
    community_id = SelectField("所属社区", coerce=str, validators=[Optional()], choices=[], validate_choice=False)


class UnitRenameForm(VersionedForm):
    name = name_field("单位名称")


class UnitMoveForm(VersionedForm):
    parent_id = SelectField("新的上级单位", coerce=str, choices=[], validate_choice=False,
                            validators=[DataRequired(message="请选择新的上级单位。")])


class TierForm(BaseForm):
    """The tier names of one tree, level by level, and an optional extra lower level."""

    names = FieldList(name_field("层级名称", 64), min_entries=0)
    new_name = StringField(
        "新增最末一级（可选）",
        filters=[strip_filter],
        validators=[Optional(), Length(max=64, message="层级名称最多 64 个字。"), no_control_chars, no_markup],
    )
