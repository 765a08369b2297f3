"""Columns every table shares: a primary key, timestamps and an optimistic-lock version."""
from datetime import datetime

from sqlalchemy import and_, or_
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .clock import local_today, utcnow  # noqa: F401  (the one clock; models import it from here)
from .extensions import db


class Entity(db.Model):
    """Abstract base: id, created/updated stamps and a version counter.

    The version column is SQLAlchemy's version_id_col, so an UPDATE of a row that
    someone else changed meanwhile fails instead of overwriting; forms also carry the
    version they were opened with so the clerk gets a clear conflict message.
    """

    __abstract__ = True
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}

    def __repr__(self):
        label = getattr(self, "name", None) or getattr(self, "title", None) or ""
        return f"<{type(self).__name__} {self.id} {label}>"


class Tenure:
    """A term held from `start_date` to `end_date` (open-ended when None), both days
    included: positions and cross-appointments. "Active on a day" is this one rule, in
    SQL (`active()`) and in Python (`active_on()`), side by side as `Notice.live()` and
    `is_live()` are. The model declares the two date columns."""

    @classmethod
    def active(cls, day=None):
        """SQL condition: the term has begun by `day` (default: the street's today) and not ended before it."""
        day = day or local_today()
        return and_(cls.start_date <= day, or_(cls.end_date.is_(None), cls.end_date >= day))

    def active_on(self, day=None):
        """The same rule for one loaded row."""
        day = day or local_today()
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)
