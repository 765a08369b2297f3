from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm


class LoginForm(BaseForm):
    username = StringField("用户名", validators=[DataRequired(message="请输入用户名。"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码。"), Length(max=200)])
