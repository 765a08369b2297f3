"""Sign-in: password check with throttling per account and address."""
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models_base import utcnow
from .models import LoginAttempt, User


def recent_failures(username, address):
    window = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    return db.session.scalar(
        select(func.count()).select_from(LoginAttempt).where(
            LoginAttempt.username == username,
            LoginAttempt.address == address,
            LoginAttempt.success.is_(False),
            LoginAttempt.at >= window,
        )
    )


def is_throttled(username, address):
    return recent_failures(username, address) >= current_app.config["LOGIN_MAX_FAILURES"]


def authenticate(username, password, address):
    """Return the user when the password is right; record the attempt either way."""
    user = db.session.scalar(select(User).where(User.username == username))
    ok = bool(user and user.active and user.check_password(password))
    db.session.add(LoginAttempt(username=username[:64], address=address[:64], success=ok))
    db.session.commit()
    return user if ok else None


def create_user(username, password, role, display_name=None, **places):
    """Create a user (CLI and demo data)."""
    user = User(username=username, display_name=display_name or username, role=role, **places)
    user.set_password(password)
    db.session.add(user)
    return user
