"""/login (password, then the TOTP code or its enrolment), /logout and /password."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..security.models import policy
from ..audit.services import record
from . import hashing, services, sessions
from .forms import LoginForm, PasswordChangeForm, TotpForm
from .models import User

bp = Blueprint("auth", __name__)

PENDING_SECONDS = 300  # between the password and the code
THROTTLED = "此网络地址的登录尝试过于频繁，请 {minutes} 分钟后再试。"


def _safe_next(target, user=None):
    """A path on this site, or the user's home. Browsers read a backslash as a slash (so
    "/\\evil.example" leaves the site) and drop tabs and newlines, so those are refused too."""
    if (target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and not any(ord(ch) < 32 for ch in target)):
        return target
    return url_for(sessions.home_endpoint(user))


def _address_limit():
    p = policy()
    return f"{p.address_attempts} per {p.lockout_minutes} minutes"


# Failed attempts (401) from one address, by Flask-Limiter; the account lockout is in services.
address_throttle = limiter.limit(_address_limit, methods=["POST"], deduct_when=lambda r: r.status_code == 401,
                                 scope="login-address")


def throttled_page():
    """The 429 answer of the sign-in pages when one address tried too often."""
    form = LoginForm(formdata=None)
    form.form_errors.append(THROTTLED.format(minutes=policy().lockout_minutes))
    return render_template("auth/login.html", form=form), 429


def _finish(user):
    """Both factors passed: start the session and go where the user was going."""
    target = session.get("pending", {}).get("next") or request.args.get("next")
    sessions.start(user)
    services.signed_in(user)
    db.session.commit()
    return redirect(_safe_next(target, user), code=303)


def _pending_user():
    """The account whose password was right a moment ago, waiting for its code."""
    pending = session.get("pending")
    if not isinstance(pending, dict) or services.now().timestamp() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("uid") or 0)
    if user is None or not user.active or user.session_version != pending.get("sv"):
        return None
    return user


@bp.route("/login", methods=["GET", "POST"])
@address_throttle
def login():
    """Sign in. Five failures lock the account name for fifteen minutes (the policy's
    figures), known or not; the same message either way."""
    if current_user.is_authenticated:
        return redirect(url_for(sessions.home_endpoint(current_user)))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user, error = services.authenticate(form.username.data.strip(), form.password.data)
        if user is None:
            form.form_errors.append(error)
            status = 429 if error != services.WRONG else 401
        elif services.totp_required(user):
            session.clear()
            session["pending"] = {"uid": user.id, "sv": user.session_version, "at": services.now().timestamp(),
                                  "next": request.args.get("next")}
            db.session.commit()
            return redirect(url_for(".totp" if user.totp_enabled else ".totp_enrol"), code=303)
        else:
            return _finish(user)
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


def _code_failed(user, form):
    services.note_failure(user.username, user, "动态验证码错误")
    db.session.commit()
    locked = services.is_locked(user.username)
    if locked:
        session.pop("pending", None)
    form.code.errors.append(services.locked_message() if locked else "验证码不正确或已使用，请输入验证器上最新的 6 位数字。")
    return 429 if locked else 401


@bp.route("/login/totp", methods=["GET", "POST"])
@address_throttle
def totp():
    """The second factor: the 6-digit code of the authenticator app."""
    user = _pending_user()
    if user is None or not user.totp_enabled:
        flash("请先输入用户名和密码。", "warning")
        return redirect(url_for(".login"))
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        if services.is_locked(user.username):
            session.pop("pending", None)
            flash(services.locked_message(), "error")
            return redirect(url_for(".login"))
        if services.check_totp(user, form.code.data):
            return _finish(user)
        status = _code_failed(user, form)
        if status == 429:
            flash(services.locked_message(), "error")
            return redirect(url_for(".login"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/totp.html", form=form, user=user), status


@bp.route("/login/totp/enrol", methods=["GET", "POST"])
@address_throttle
def totp_enrol():
    """First sign-in of a role that needs two factors: scan the QR code, confirm a code."""
    user = _pending_user()
    if user is None or user.totp_enabled:
        flash("请先输入用户名和密码。", "warning")
        return redirect(url_for(".login"))
    secret = services.begin_enrolment(user)
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        if services.check_totp(user, form.code.data):
            services.confirm_enrolment(user)
            return _finish(user)
        status = _code_failed(user, form)
        if status == 429:
            flash(services.locked_message(), "error")
            return redirect(url_for(".login"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/totp_enrol.html", form=form, user=user, qr_svg=services.enrolment_qr_svg(user),
                           secret=services.secret_groups(secret)), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out: every session of the account ends, copied cookies included."""
    services.end_sessions(current_user)
    record(db.session, "logout", current_user._get_current_object())
    db.session.commit()
    sessions.end()
    flash("您已退出登录。", "info")
    return redirect(url_for("auth.login"), code=303)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """修改密码: any signed-in user; required at first sign-in, after a reset and when an
    administrator's password has expired. Other sessions of the account end."""
    user = current_user._get_current_object()
    form = PasswordChangeForm()
    status = 200
    if form.validate_on_submit():
        if not hashing.verify(user.password_hash, form.current.data)[0]:
            form.current.errors.append("当前密码不正确。")
        elif form.new.data == form.current.data:
            form.new.errors.append("新密码不能与当前密码相同。")
        else:
            form.new.errors.extend(services.password_problems(user, form.new.data))
        if not form.current.errors and not form.new.errors:
            services.change_password(user, form.new.data)
            db.session.commit()
            sessions.renew(db.session.get(User, user.id))
            flash("密码已修改。此账号在其他设备上的登录已全部退出。", "success")
            return redirect(url_for(sessions.home_endpoint(user)), code=303)
    if request.method == "POST" and status == 200:
        status = 422
    reason = None
    if user.must_change_password:
        reason = "首次登录或管理员重置了您的密码，请先设置新密码。"
    elif services.password_expired(user):
        reason = f"管理员账号的密码每 {policy().admin_password_max_age_days} 天须更换一次，请设置新密码。"
    p = policy()
    return render_template("auth/password.html", form=form, reason=reason, policy=p), status
