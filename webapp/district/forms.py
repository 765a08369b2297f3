"""Forms of the district: the selection (title, quarter, criteria) and its decision."""
import re

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..assessments import scoring
from ..forms import BaseForm, VersionedForm, no_control_chars, strip_filter

QUARTER_RE = re.compile(r"^\d{4}Q[1-4]$")


def quarter_check(form, field):
    value = (field.data or "").strip().upper()
    try:
        if not QUARTER_RE.match(value):
            raise ValueError
        scoring.quarter_months(value)
    except ValueError:
        raise ValidationError("季度格式应为 2026Q4（年份加季度）。") from None
    field.data = value


class SelectionForm(BaseForm):
    """A new 金牌红色物业 selection: which quarter's ranking it draws on, and its criteria."""

    title = StringField("评选名称", filters=[strip_filter], validators=[
        DataRequired("请填写评选名称。"), Length(max=120, message="评选名称不超过120个字。"), no_control_chars])
    period = StringField("依据季度", filters=[strip_filter], validators=[DataRequired("请填写季度，例如 2026Q4。"),
                                                                       quarter_check])
    criteria = TextAreaField("评选标准", filters=[strip_filter], validators=[
        Optional(), Length(max=4000, message="评选标准不超过4000个字。"), no_control_chars])


class CriteriaForm(VersionedForm):
    """Editing a draft selection's name and criteria."""

    title = SelectionForm.title
    criteria = SelectionForm.criteria


class DecisionForm(VersionedForm):
    """The decision: the chosen candidates (checkboxes `chosen`, read by the view) and a note."""

    note = TextAreaField("决定说明", filters=[strip_filter], validators=[
        Optional(), Length(max=2000, message="决定说明不超过2000个字。"), no_control_chars])
