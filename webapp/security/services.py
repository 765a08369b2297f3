"""Saving the security policy (the audit hook logs each changed figure)."""
from flask import g

from ..extensions import db
from .models import forget_cached, policy

FIELDS = ("password_min_length", "password_min_classes", "password_history", "admin_password_max_age_days",
          "lockout_threshold", "lockout_minutes", "address_attempts", "idle_minutes", "absolute_hours",
          "allow_self_approval")


def save_policy(form):
    row = policy(for_update=True)
    if row.id is None:
        db.session.add(row)
    for name in FIELDS:
        setattr(row, name, getattr(form, name).data)
    row.totp_roles = ",".join(r for r in form.totp_roles.data or [])
    db.session.flush()
    g.pop("_security_policy", None)
    forget_cached()
    return row

