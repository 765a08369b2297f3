import re

from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..auth.models import ROLES
from ..forms import BaseForm, VersionedForm, no_control_chars, strip_filter

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")


def _username(form, field):
    if field.data and not USERNAME_RE.match(field.data):
        raise ValidationError("账号名为 3–64 位英文字母、数字或 _ . -。")


class AccountForm(VersionedForm):
    """An account's name, role and place in the tree (the place the role needs).

    Community, grid, company and street are pickers (a city has thousands of each): the
    view checks the chosen id exists (`views._place_missing`), not the options shown."""

    display_name = StringField("姓名 / 单位", filters=[strip_filter],
                               validators=[DataRequired(message="请填写姓名或单位。"), Length(max=64), no_control_chars])
    role = SelectField("角色", choices=list(ROLES.items()), validate_choice=True)
    community_id = SelectField("所属社区（社区工作人员）", choices=[], coerce=str, validate_choice=False)
    grid_id = SelectField("所属网格（网格员）", choices=[], coerce=str, validate_choice=False)
    company_id = SelectField("所属物业企业（物业企业用户）", choices=[], coerce=str, validate_choice=False)
    street_id = SelectField("所属街道（街道管理员、居民代表）", choices=[], coerce=str, validate_choice=False, default="")
    region_id = SelectField("所属区县/市（区级、市级工作人员）", choices=[], coerce=str, validate_choice=True,
                            default="")


class NewAccountForm(AccountForm):
    username = StringField("账号名", filters=[strip_filter],
                           validators=[DataRequired(message="请填写账号名。"), Length(max=64), _username])
    password = PasswordField("初始密码", validators=[DataRequired(message="请填写初始密码。"), Length(max=200)],
                             description="用户首次登录时须修改。")


class ResetPasswordForm(BaseForm):
    password = PasswordField("临时密码", validators=[DataRequired(message="请填写临时密码。"), Length(max=200)],
                             description="用户下次登录时须修改。")
