"""Rules every signed-in request passes, in one place:

- the session version in the cookie must be the account's current one (the user loader);
- the idle timeout and the absolute lifetime from the security policy;
- a password that must be changed (first sign-in, an administrator's reset, expiry)
  allows only the change page and sign-out;
- 三员分立: the system, security and audit administrators reach only their own pages
  (403 elsewhere)."""
from flask import abort, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from ..audit.services import record
from ..extensions import db, login_manager
from ..htmx import is_htmx
from ..security.models import policy
from . import services
from .models import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN, User

# Blueprints each 三员 role may use besides sign-in ("auth") and its own jobs.
SEPARATED_BLUEPRINTS = {
    SYSTEM_ADMIN: {"accounts", "jobs"},
    SECURITY_ADMIN: {"security", "audit", "jobs"},
    AUDIT_ADMIN: {"audit", "jobs"},
}
HOME = {SYSTEM_ADMIN: "accounts.index", SECURITY_ADMIN: "security.index", AUDIT_ADMIN: "audit.index"}
OPEN_ENDPOINTS = {"static", "dashboard.healthz"}
WHILE_PASSWORD_MUST_CHANGE = {"auth.change_password", "auth.logout"}
SEEN_STEP = 60  # seconds; the idle timeout is counted in minutes


def home_endpoint(user):
    """Where the user lands after signing in and where the brand link leads."""
    return HOME.get(getattr(user, "role", None), "dashboard.index")


@login_manager.user_loader
def load_user(token):
    """The account the cookie names, if the cookie's session version is still current
    and the account is enabled (Flask-Login's "alternative token")."""
    user_id, _, version = token.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def _epoch():
    return int((services.now() - services.EPOCH).total_seconds())


def start(user):
    """A new signed-in session for `user`: nothing of the previous session survives."""
    session.clear()
    login_user(user)
    session["auth_at"] = session["seen"] = _epoch()


def renew(user):
    """Keep this session after the account's version moved (its own password change)."""
    auth_at = session.get("auth_at", _epoch())
    login_user(user)
    session["auth_at"], session["seen"] = auth_at, _epoch()


def end():
    logout_user()
    session.clear()


def _expired():
    """Why this session is over (idle, or past its lifetime), or None."""
    p = policy()
    t = _epoch()
    seen, auth_at = session.get("seen"), session.get("auth_at")
    if not isinstance(seen, int) or not isinstance(auth_at, int):
        return "会话无效"
    if t - auth_at > p.absolute_hours * 3600:
        return f"超过最长登录时长 {p.absolute_hours} 小时"
    if t - seen > p.idle_minutes * 60:
        return f"{p.idle_minutes} 分钟未操作"
    return None


def init_app(app):
    @app.before_request
    def session_rules():
        g.pop("_security_policy", None)
        if request.endpoint in OPEN_ENDPOINTS or request.blueprint == "public" or request.endpoint is None:
            return None
        if not current_user.is_authenticated:
            return None
        reason = _expired()
        if reason:
            record(db.session, "session_end", current_user._get_current_object(), note=reason)
            db.session.commit()
            end()
            flash("登录已超时（长时间未操作或超过最长登录时长），请重新登录。", "warning")
            if request.endpoint == "auth.login":
                return None
            target = url_for("auth.login", next=request.full_path.rstrip("?") if request.method == "GET" else None)
            if is_htmx():  # the whole page goes to sign-in, not a fragment
                return "", 401, {"HX-Redirect": url_for("auth.login")}
            return redirect(target)
        # "Last seen" moves in steps of SEEN_STEP seconds: a request within a minute of the
        # last stored one leaves the cookie as it is (no re-signed Set-Cookie on every page).
        now = _epoch()
        if now - session.get("seen", 0) >= SEEN_STEP:
            session["seen"] = now
        if request.endpoint not in WHILE_PASSWORD_MUST_CHANGE and (
                current_user.must_change_password or services.password_expired(current_user)):
            return redirect(url_for("auth.change_password"))
        allowed = SEPARATED_BLUEPRINTS.get(current_user.role)
        if allowed is not None and request.blueprint != "auth" and request.blueprint not in allowed:
            abort(403)
        return None

    @app.context_processor
    def home():
        return {"home_endpoint": home_endpoint}
