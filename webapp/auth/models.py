"""Users, their roles and place in the tree, and sign-in attempts for throttling."""
from datetime import datetime
from typing import Optional

from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

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

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("community.id"))
    grid_id: Mapped[Optional[int]] = mapped_column(ForeignKey("grid.id"))
    company_id: Mapped[Optional[int]] = mapped_column(ForeignKey("property_company.id"))
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person.id"))

    community = relationship("Community")
    grid = relationship("Grid")
    company = relationship("PropertyCompany")
    person = relationship("Person")

    def set_password(self, password):
        """Store a salted hash, never the password."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self):
        return self.active

    @property
    def role_label(self):
        return ROLES.get(self.role, self.role)

    @property
    def is_street_admin(self):
        return self.role == STREET_ADMIN


class LoginAttempt(db.Model):
    """One sign-in attempt; failures within a window block further tries."""

    __tablename__ = "login_attempt"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(default=False)
