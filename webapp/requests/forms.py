"""Handling a request: its state and the reply the resident sees with the receipt."""
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from ..forms import VersionedForm, no_control_chars, strip_filter
from .models import STATUSES


class HandleForm(VersionedForm):
    status = SelectField("状态", choices=list(STATUSES.items()))
    public_reply = TextAreaField("答复（居民凭回执号可见，请勿写个人信息）", filters=[strip_filter], render_kw={"rows": 4},
                                 validators=[Length(max=1000, message="答复不能超过 1000 字。"), no_control_chars])
