"""The security policy the security administrator (安全管理员) sets: password rules,
lockout, session timeouts and which roles sign in with a second factor. One row; until
it is first saved the defaults below apply."""
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


def policy():
    """The policy in force: the stored row, or an unsaved one holding the defaults.
    Read once per request."""
    cached = g.get("_security_policy") if has_app_context() else None
    if cached is not None:
        return cached
    row = db.session.scalar(select(SecurityPolicy).limit(1))
    if row is None:
        row = SecurityPolicy(**DEFAULTS)
    if has_app_context():
        g._security_policy = row
    return row
