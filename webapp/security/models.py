"""The security policy the security administrator (安全管理员) sets: password rules,
lockout, session timeouts and which roles sign in with a second factor. One row; until
it is first saved the defaults below apply."""
import time

from flask import g, has_app_context
from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import AUDIT_ADMIN, SECURITY_ADMIN, SYSTEM_ADMIN
from ..extensions import db
from ..models_base import Entity

DEFAULTS = dict(
    password_min_length=8,
    password_min_classes=3,
    password_history=3,
    admin_password_max_age_days=90,
    lockout_threshold=5,
    lockout_minutes=15,
    address_attempts=30,  # failed sign-ins from one address per lockout period
    idle_minutes=30,
    absolute_hours=12,
    totp_roles=",".join((SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)),
    allow_self_approval=False,  # whoever recorded or submitted minutes may not approve them
)


class SecurityPolicy(Entity):
    """等保2.0 sign-in rules, edited on /security/ (each change audited by the hook)."""

    __tablename__ = "security_policy"

    password_min_length: Mapped[int] = mapped_column(default=DEFAULTS["password_min_length"])
    password_min_classes: Mapped[int] = mapped_column(default=DEFAULTS["password_min_classes"])
    password_history: Mapped[int] = mapped_column(default=DEFAULTS["password_history"])
    admin_password_max_age_days: Mapped[int] = mapped_column(default=DEFAULTS["admin_password_max_age_days"])
    lockout_threshold: Mapped[int] = mapped_column(default=DEFAULTS["lockout_threshold"])
    lockout_minutes: Mapped[int] = mapped_column(default=DEFAULTS["lockout_minutes"])
    address_attempts: Mapped[int] = mapped_column(default=DEFAULTS["address_attempts"])
    idle_minutes: Mapped[int] = mapped_column(default=DEFAULTS["idle_minutes"])
    absolute_hours: Mapped[int] = mapped_column(default=DEFAULTS["absolute_hours"])
    totp_roles: Mapped[str] = mapped_column(String(300), default=DEFAULTS["totp_roles"])
    allow_self_approval: Mapped[bool] = mapped_column(default=DEFAULTS["allow_self_approval"])

    @property
    def name(self):
        return "安全策略"

    @property
    def totp_role_set(self):
        return {r for r in (self.totp_roles or "").split(",") if r}


_process_cache = {}  # database URI -> (read at, snapshot)
POLICY_FIELDS = tuple(DEFAULTS)


def forget_cached():
    """Drop this process's copy (after a change is saved here)."""
    _process_cache.clear()


def policy(for_update=False):
    """The policy in force: the stored row, or an unsaved one holding the defaults.

    Every signed-in request reads it (session timeouts). Reads get a snapshot kept by the
    process for SECURITY_POLICY_CACHE_SECONDS (a few seconds: a change reaches the other
    workers that late at most; the worker that saves it drops its copy at once), so most
    requests run no query for it. `for_update=True`: the database row itself, to change."""
    from flask import current_app

    if not for_update and has_app_context():
        cached = g.get("_security_policy")
        if cached is not None:
            return cached
        ttl = current_app.config.get("SECURITY_POLICY_CACHE_SECONDS", 0)
        key = current_app.config.get("SQLALCHEMY_DATABASE_URI")
        hit = _process_cache.get(key) if ttl else None
        if hit is not None and time.monotonic() - hit[0] < ttl:
            g._security_policy = hit[1]
            return hit[1]
    row = db.session.scalar(select(SecurityPolicy).limit(1))
    if for_update:
        return row if row is not None else SecurityPolicy(**DEFAULTS)
    snapshot = SecurityPolicy(**{name: getattr(row, name) for name in POLICY_FIELDS}) if row is not None \
        else SecurityPolicy(**DEFAULTS)
    if has_app_context():
        g._security_policy = snapshot
        if current_app.config.get("SECURITY_POLICY_CACHE_SECONDS", 0):
            _process_cache[current_app.config.get("SQLALCHEMY_DATABASE_URI")] = (time.monotonic(), snapshot)
    return snapshot
