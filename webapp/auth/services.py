"""Sign-in and passwords: verification, lockout, the password rules with history and
expiry, session versions and TOTP. Every write here is a plain UPDATE of the user's
sign-in state (not a content change: no optimistic-lock bump, nothing secret in the
audit log), and each is audited with `record()`."""
import hmac
import time
from datetime import datetime, timedelta

import pyotp
import segno
from flask import current_app
from limits import RateLimitItemPerMinute
from sqlalchemy import delete, select, update

from .. import models_base
from ..audit.services import record
from ..extensions import db, limiter
from ..security.models import policy
from . import hashing, passwords
from .models import ADMIN_ROLES, PasswordHistory, User

WRONG = "用户名或密码不正确。"
LOCKED = "登录失败次数过多，账号已暂时锁定，请 {minutes} 分钟后再试或联系系统管理员。"
TOTP_ISSUER = "红色物业工作台"


EPOCH = datetime(1970, 1, 1)


def now():
    """The clock every sign-in rule reads (tests move it)."""
    return models_base.utcnow()


# --- lockout: failures per account name, counted in Flask-Limiter's storage ---

def _lockout_item():
    p = policy()
    return RateLimitItemPerMinute(p.lockout_threshold, p.lockout_minutes)


def _locked_item():
    """One mark per lockout: the lock lasts the policy's minutes from the failure that
    caused it (the failure count's window starts at the first failure)."""
    return RateLimitItemPerMinute(1, policy().lockout_minutes)


def _keys(username):
    """The counter's identifiers, under the app's key prefix (a shared Redis may hold
    several deployments' counters)."""
    return current_app.config.get("RATELIMIT_KEY_PREFIX", ""), "login-account", (username or "").strip().lower()[:64]


def is_locked(username):
    """True when the name has had too many failures lately. Known or not: a name that
    does not exist locks the same way, so the answer reveals nothing."""
    keys = _keys(username)
    return not limiter.limiter.test(_lockout_item(), *keys) or not limiter.limiter.test(_locked_item(), *keys)


def locked_message():
    return LOCKED.format(minutes=policy().lockout_minutes)


def note_failure(username, user=None, why="密码错误"):
    """Count a failed attempt; audit it, and the lockout when this one caused it."""
    item = _lockout_item()
    keys = _keys(username)
    limiter.limiter.hit(item, *keys)
    record(db.session, "login_failed", user, entity="user", note=why, username=username[:64])
    if not limiter.limiter.test(item, *keys) and limiter.limiter.test(_locked_item(), *keys):
        limiter.limiter.hit(_locked_item(), *keys)
        record(db.session, "lockout", user, entity="user", username=username[:64],
               note=f"连续失败 {item.amount} 次，锁定 {policy().lockout_minutes} 分钟")


def unlock(user):
    keys = _keys(user.username)
    limiter.limiter.clear(_lockout_item(), *keys)
    limiter.limiter.clear(_locked_item(), *keys)
    record(db.session, "unlock", user)


def authenticate(username, password):
    """(user, None) when the password is right, else (None, a Chinese message that is the
    same for an unknown, a disabled and a known account)."""
    if is_locked(username):
        return None, locked_message()
    user = db.session.scalar(select(User).where(User.username == username[:64]))
    if user is None or not user.active:
        hashing.burn(password)
        ok, rehash = False, False
    else:
        ok, rehash = hashing.verify(user.password_hash, password)
    if not ok:
        note_failure(username, user, "账号不存在或已停用" if user is None or not user.active else "密码错误")
        db.session.commit()
        return None, WRONG  # the next attempt learns of a lockout, whether the name exists or not
    if rehash:
        _set_state(user, password_hash=hashing.hash_password(password))
    return user, None


# --- sessions ---

def _set_state(user, **values):
    """A plain UPDATE of sign-in columns (the session objects follow)."""
    db.session.execute(update(User).where(User.id == user.id).values(**values),
                       execution_options={"synchronize_session": False})
    db.session.expire(user, list(values))


def end_sessions(user):
    """Every session of the account ends at once (each carries the old version)."""
    _set_state(user, session_version=User.session_version + 1)


def signed_in(user):
    _set_state(user, last_login_at=now())
    record(db.session, "login", user)


# --- passwords ---

def password_problems(user_or_name, password):
    """The policy's objections to a new password (history included for an account)."""
    p = policy()
    username = user_or_name if isinstance(user_or_name, str) else user_or_name.username
    out = passwords.problems(password, username, p.password_min_length, p.password_min_classes)
    if not isinstance(user_or_name, str) and p.password_history > 0:
        recent = db.session.scalars(select(PasswordHistory.password_hash).where(PasswordHistory.user_id == user_or_name.id)
                                    .order_by(PasswordHistory.id.desc()).limit(p.password_history)).all()
        if any(hashing.verify(h, password)[0] for h in recent):
            out.append(f"不能使用最近 {p.password_history} 次用过的密码。")
    return out


def _store_password(user, password, must_change):
    hashed = hashing.hash_password(password)
    _set_state(user, password_hash=hashed, password_changed_at=now(), must_change_password=must_change,
               session_version=User.session_version + 1)
    db.session.add(PasswordHistory(user_id=user.id, password_hash=hashed, created_at=now()))
    db.session.flush()
    keep = select(PasswordHistory.id).where(PasswordHistory.user_id == user.id).order_by(PasswordHistory.id.desc()).limit(10)
    db.session.execute(delete(PasswordHistory).where(PasswordHistory.user_id == user.id, PasswordHistory.id.not_in(keep)))


def change_password(user, password):
    """The user's own change: every other session of the account ends."""
    _store_password(user, password, must_change=False)
    record(db.session, "password_change", user)


def reset_password(user, password):
    """An administrator's reset: the user must choose a new password at next sign-in."""
    _store_password(user, password, must_change=True)
    record(db.session, "password_reset", user, note="下次登录须修改密码")


def password_expired(user):
    """Administrator accounts must change their password after the policy's days."""
    days = policy().admin_password_max_age_days
    if user.role not in ADMIN_ROLES or not days:
        return False
    changed = user.password_changed_at or user.created_at
    return changed is not None and now() - changed > timedelta(days=days)


def create_user(username, password, role, display_name=None, must_change=False, **places):
    """Create an account (CLI, the accounts page, demo and test data). The demo and the
    tests pass must_change=False; a real new account changes its password first."""
    hashed = hashing.hash_password(password)
    user = User(username=username, display_name=display_name or username, role=role, password_hash=hashed,
                must_change_password=must_change, password_changed_at=now(), **places)
    db.session.add(user)
    db.session.flush()
    db.session.add(PasswordHistory(user_id=user.id, password_hash=hashed, created_at=now()))
    return user


# --- TOTP (RFC 6238, 30-second steps, one step either side for clock drift) ---

def totp_required(user):
    return user.role in policy().totp_role_set


def begin_enrolment(user):
    """A fresh secret for an account that has not confirmed one yet."""
    if user.totp_enabled:
        raise ValueError("already enrolled")
    if not user.totp_secret:
        _set_state(user, totp_secret=pyotp.random_base32())
        db.session.commit()
    return user.totp_secret


def enrolment_uri(user):
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=TOTP_ISSUER)


def enrolment_qr_svg(user):
    """The otpauth URI as an inline SVG (drawn here: nothing fetched)."""
    qr = segno.make(enrolment_uri(user), error="m")
    return qr.svg_inline(scale=5, border=2, dark="#000", light="#fff")


def check_totp(user, code):
    """True for a right code not used before; remembers its step so it is used once."""
    code = (code or "").strip().replace(" ", "")
    if not user.totp_secret or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    t = int(time.time())
    for offset in (-30, 0, 30):
        if hmac.compare_digest(totp.at(t + offset), code):
            step = (t + offset) // totp.interval
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False
            _set_state(user, totp_last_step=step)
            return True
    return False


def confirm_enrolment(user):
    _set_state(user, totp_enabled=True)
    record(db.session, "totp_enrol", user)


def reset_totp(user):
    """An administrator clears the second factor (a lost phone): enrol again at sign-in."""
    _set_state(user, totp_secret=None, totp_enabled=False, totp_last_step=None)
    end_sessions(user)
    record(db.session, "totp_reset", user)


def secret_groups(secret):
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))

