"""Shared form pieces: Chinese validator messages, the optimistic-lock version field,
and validators used by several domains."""
import re
from datetime import date
from decimal import Decimal

import wtforms
from flask import has_request_context, request
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from .extensions import db

CONFLICT_MESSAGE = "该记录已被他人修改（您打开页面后有新的保存）。请刷新页面查看最新内容后重新修改。"
DUPLICATE_MESSAGE = "未保存：刚有他人保存了同名记录。请刷新页面后重试。"


def save_or_conflict(write=None, errors=None, duplicate=DUPLICATE_MESSAGE):
    """Run `write()` (a service call) and commit; return its result (True when it returns
    nothing). A concurrent save that got there first rolls back and returns None: a newer
    version (StaleDataError, the optimistic lock) says CONFLICT_MESSAGE, the same unique
    value saved meanwhile (IntegrityError) says `duplicate`; the message is appended to
    `errors` (a form's `form_errors`, or any list) for the page or the conflict partial."""
    try:
        result = write() if write is not None else None
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        message = CONFLICT_MESSAGE
    except IntegrityError:
        db.session.rollback()
        message = duplicate
    else:
        return True if result is None else result
    if errors is not None:
        errors.append(message)
    return None


class BaseForm(FlaskForm):
    """Every form: WTForms' built-in messages in Chinese, CSRF on."""

    class Meta:
        locales = ["zh"]

        def wrap_formdata(self, form, formdata):
            """Read only form-encoded bodies. Flask-WTF would also take a JSON body as the
            form, handing fields numbers, lists and null where every validator expects text
            (a TypeError, so a 500); no page posts JSON, so such a body counts as empty."""
            wrapped = super().wrap_formdata(form, formdata)
            if (wrapped is not formdata and has_request_context() and request.is_json
                    and not request.form and not request.files):
                return None
            return wrapped

    def validate_on_submit(self, extra_validators=None):
        """As Flask-WTF's, except that a picker's "查找" button (no JavaScript, see
        webapp/picker.py) is no submission: the form comes back with what was typed and
        the matching options, and nothing is saved."""
        from .picker import finding

        if has_request_context() and finding():
            return False
        return super().validate_on_submit(extra_validators)


class VersionedForm(BaseForm):
    """A form that edits an existing row carries the version it was opened with."""

    version = HiddenField()

    def is_stale(self, obj):
        """True when someone saved `obj` after this form was opened; adds the message."""
        try:
            opened = int(self.version.data or 0)
        except ValueError:
            opened = 0
        if obj is not None and obj.version != opened:
            self.form_errors.append(CONFLICT_MESSAGE)
            return True
        return False


CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_chars(form, field):
    """Reject invisible control characters (they break printing and Excel)."""
    if field.data and isinstance(field.data, str) and CONTROL_CHARS.search(field.data):
        raise ValidationError("包含不可见的控制字符，请删除后重试。")


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


MARKUP = re.compile(r"[<>]")


def no_markup(form, field):
    """Names are printed and shown on notice boards: no HTML-like markup in them."""
    if field.data and isinstance(field.data, str) and MARKUP.search(field.data):
        raise ValidationError("不能包含 < 或 > 等标记字符。")


def name_field(label="名称", max_length=100):
    """A required, stripped name of at most `max_length` characters, without control
    characters or markup; the messages name the field (请填写{label}。)."""
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


EARLIEST, LATEST = date(1949, 10, 1), date(2099, 12, 31)


def sane_date(form, field):
    """Dates outside 1949–2099 are typing mistakes (e.g. 0202 for 2020)."""
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError("日期应在 1949-10-01 到 2099-12-31 之间。")


PHONE_RE = re.compile(r"^[0-9\-+() ]{5,20}$")


def phone_check(form, field):
    if field.data and not PHONE_RE.match(field.data):
        raise ValidationError("电话号码格式不正确（只能包含数字、空格和 - + ( )）。")


# Ids are 32-bit signed integers in every table; a page number beyond this is empty anyway.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


def bounded_id(value):
    """An id typed into a URL or form: an int 1 … MAX_ID, else ValueError (WTForms turns it
    into a field error; SQLite and PostgreSQL would overflow on a larger one)."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError("id out of range")
    return number


def id_arg(args, name):
    """An optional id from the query string: None when missing, junk or out of range."""
    try:
        return bounded_id(args.get(name))
    except (TypeError, ValueError):
        return None


def page_arg(args, name="page"):
    """The page number from the query string, 1 … MAX_PAGE (junk reads as 1)."""
    try:
        return min(max(int(args.get(name) or 1), 1), MAX_PAGE)
    except (TypeError, ValueError):
        return 1


class IntegerField(wtforms.IntegerField):
    """WTForms' IntegerField, refusing numbers beyond an id's range with a Chinese message.

    (WTForms' NumberRange checks `math.isnan(data)`, which raises OverflowError for an int
    of more than ~309 digits; the database would overflow on more than 10 or 19.)"""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if valuelist and self.data is not None and abs(self.data) > MAX_ID:
            self.data = None
            raise ValueError("数字过大，请填写合理的数值。")


class DecimalField(wtforms.DecimalField):
    """WTForms' DecimalField, refusing NaN, infinities and absurd magnitudes with a Chinese
    message (NumberRange's `math.isnan` raises ValueError on a signalling NaN)."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if valuelist and isinstance(self.data, Decimal) and (not self.data.is_finite() or self.data.copy_abs() > MAX_ID):
            self.data = None
            raise ValueError("请填写有效的数字。")
