"""/login and /logout."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, login_manager
from .forms import LoginForm
from .models import User
from .services import authenticate, is_throttled

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))


def _safe_next(target):
    """A path on this site, or the dashboard. Browsers read a backslash as a slash (so
    "/\\evil.example" leaves the site) and drop tabs and newlines, so those are refused too."""
    if (target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and not any(ord(ch) < 32 for ch in target)):
        return target
    return url_for("dashboard.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in; five failures in fifteen minutes for one account and address block it."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        address = request.remote_addr or "?"
        username = form.username.data.strip()
        if is_throttled(username, address):
            form.form_errors.append("登录失败次数过多，请 15 分钟后再试。")
            status = 429
        else:
            user = authenticate(username, form.password.data, address)
            if user:
                login_user(user)
                return redirect(_safe_next(request.args.get("next")), code=303)
            form.form_errors.append("用户名或密码不正确。")
            status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"), code=303)
