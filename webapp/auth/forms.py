from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..forms import BaseForm, no_control_chars


class LoginForm(BaseForm):
    username = StringField("用户名", validators=[DataRequired(message="请输入用户名。"), Length(max=64), no_control_chars])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码。"), Length(max=200)])


class TotpForm(BaseForm):
    code = StringField("动态验证码（6 位数字）", validators=[DataRequired(message="请输入手机验证器上的 6 位验证码。"),
                                                  Length(max=10, message="验证码为 6 位数字。")])


class PasswordChangeForm(BaseForm):
    current = PasswordField("当前密码", validators=[DataRequired(message="请输入当前密码。"), Length(max=200)])
    new = PasswordField("新密码", validators=[DataRequired(message="请输入新密码。"), Length(max=200, message="密码最长 200 位。")])
    confirm = PasswordField("再次输入新密码", validators=[DataRequired(message="请再次输入新密码。"),
                                                   EqualTo("new", message="两次输入的新密码不一致。")])
