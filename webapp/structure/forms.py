"""Forms of the organisation tree: add, rename, move a unit; edit the tier names."""
import re

from wtforms import FieldList, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import BaseForm, VersionedForm, no_control_chars, strip_filter

MARKUP = re.compile(r"[<>]")


def no_markup(form, field):
    """Names are printed and shown on notice boards: no HTML-like markup in them."""
    if field.data and isinstance(field.data, str) and MARKUP.search(field.data):
        raise ValidationError("不能包含 < 或 > 等标记字符。")


def name_field(label="名称", max_length=100):
    return StringField(
        label,
        filters=[strip_filter],
        validators=[
            DataRequired(message=f"请填写{label}。"),
            Length(max=max_length, message=f"{label}最多 {max_length} 个字。"),
            no_control_chars,
            no_markup,
        ],
    )


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
