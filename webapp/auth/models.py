"""Users, their roles and place in the tree, and the hashes of their earlier passwords."""
from datetime import datetime
from typing import Optional

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models_base import Entity, utcnow

STREET_ADMIN = "street_admin"
COMMUNITY_STAFF = "community_staff"
GRID_WORKER = "grid_worker"
COMPANY_USER = "company_user"
RESIDENT_REP = "resident_rep"
# 三员分立 (等保2.0): accounts, security policies, and the audit log, each its own role.
SYSTEM_ADMIN = "system_admin"
SECURITY_ADMIN = "security_admin"
AUDIT_ADMIN = "audit_admin"
# Above the street (many streets in one deployment).
DISTRICT_STAFF = "district_staff"
CITY_STAFF = "city_staff"

SEPARATED_ROLES = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN)
# Accounts whose passwords expire (the security policy says after how many days).
ADMIN_ROLES = (STREET_ADMIN,) + SEPARATED_ROLES

ROLES = {
    STREET_ADMIN: "街道管理员",
    COMMUNITY_STAFF: "社区工作人员",
    GRID_WORKER: "网格员",
    COMPANY_USER: "物业企业用户",
    RESIDENT_REP: "居民代表",
    SYSTEM_ADMIN: "系统管理员",
    SECURITY_ADMIN: "安全管理员",
    AUDIT_ADMIN: "审计管理员",
    DISTRICT_STAFF: "区级工作人员",
    CITY_STAFF: "市级工作人员",
}


class User(UserMixin, Entity):
    """A person who signs in. Role plus community/grid/company fix what they may see."""

    __tablename__ = "user"
    __table_args__ = (
        # The accounts list's order (by role, then account name), read in order and cut at
        # the page instead of every account sorted; a role filter takes it too.
        Index("ix_user_role_username", "role", "username", "id"),
    )

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("grid.id"))
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"))
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))
    # Street-level users (street admin, resident rep) belong to a street; community and
    # grid users carry their community's street too (filled on flush). District and city
    # staff belong to a region instead.
    street_id: Mapped[Optional[int]] = mapped_column(ForeignKey("street.id"), index=True)
    region_id: Mapped[Optional[int]] = mapped_column(ForeignKey("region.id"), index=True)
    # Sign-in state. Written with plain UPDATEs by auth.services (never through the audit
    # hook: the TOTP secret must not reach the log), each change audited with record().
    session_version: Mapped[int] = mapped_column(default=1)  # bumped: every session ends
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[Optional[datetime]] = mapped_column(default=utcnow)
    totp_secret: Mapped[Optional[str]] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    totp_last_step: Mapped[Optional[int]] = mapped_column()  # a code is accepted once
    last_login_at: Mapped[Optional[datetime]] = mapped_column()

    community = relationship("Community")
    grid = relationship("Grid")
    company = relationship("PropertyCompany")
    person = relationship("Person")
    street = relationship("Street")
    region = relationship("Region")

    def get_id(self):
        """Flask-Login's session token: the id and the session version, so bumping the
        version (sign-out, password change, disabling) invalidates every copied cookie."""
        return f"{self.id}.{self.session_version}"

    @property
    def is_active(self):
        return self.active

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    @property
    def is_street_admin(self):
        return self.role == STREET_ADMIN


class PasswordHistory(db.Model):
    """The hash of a password an account has had, newest last: the last few may not
    be used again."""

    __tablename__ = "password_history"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
