"""Shared form pieces: Chinese validator messages, the optimistic-lock version field,
and validators used by several domains."""
import re

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError

CONFLICT_MESSAGE = "该记录已被他人修改（您打开页面后有新的保存）。请刷新页面查看最新内容后重新修改。"


class BaseForm(FlaskForm):
    """Every form: WTForms' built-in messages in Chinese, CSRF on."""

    class Meta:
        locales = ["zh"]


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


PHONE_RE = re.compile(r"^[0-9\-+() ]{5,20}$")


def phone_check(form, field):
    if field.data and not PHONE_RE.match(field.data):
        raise ValidationError("电话号码格式不正确（只能包含数字、空格和 - + ( )）。")
