from wtforms import BooleanField, SelectMultipleField, widgets
from wtforms.validators import InputRequired, NumberRange

from ..auth.models import ROLES
from ..forms import IntegerField, VersionedForm


def _int(label, low, high, hint=""):
    return IntegerField(label, validators=[InputRequired(message="请填写此项。"),
                                           NumberRange(min=low, max=high, message=f"请填写 {low}–{high} 之间的整数。")],
                        description=hint)


class PolicyForm(VersionedForm):
    """The security policy; ranges keep it within what 等保2.0 level 2/3 accepts."""

    password_min_length = _int("密码最短长度（位）", 8, 64)
    password_min_classes = _int("至少包含几类字符（大写、小写、数字、符号）", 3, 4)
    password_history = _int("不得重复使用最近几次的密码", 3, 10)
    admin_password_max_age_days = _int("管理员密码有效期（天）", 1, 365)
    lockout_threshold = _int("连续登录失败几次锁定账号", 3, 10)
    lockout_minutes = _int("锁定时长（分钟）", 5, 1440)
    address_attempts = _int("同一网络地址在锁定时长内最多失败几次", 10, 1000)
    idle_minutes = _int("无操作自动退出（分钟）", 5, 120)
    absolute_hours = _int("一次登录最长有效（小时）", 1, 24)
    totp_roles = SelectMultipleField("须使用双因素认证（手机验证器）的角色", choices=list(ROLES.items()),
                                     option_widget=widgets.CheckboxInput(), widget=widgets.ListWidget(prefix_label=False),
                                     validate_choice=True)
    allow_self_approval = BooleanField("允许记录或提交纪要的人审定同一份纪要（不建议：默认记录、提交与审定分离）")
