"""/streets/view/<street_id>: district and city staff choose the street they view.

Every street page (lists, details, exports, the tree, settings) then shows that street,
read only, as it shows a street admin their own (`scope.viewing_street_id`). The district
pages link down into a street through this route:

    url_for("streets.view", street_id=street.id, next=url_for("compounds.index"))

GET, so a plain link works: it only records a choice in the session (no record is
written), checks the street lies in the user's region (404 otherwise, also for every
role that has a street of its own) and goes on to `next` — a path on this site, else
the dashboard.
"""
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, session, url_for
from flask_login import login_required

from ..scope import VIEWING_KEY
from .access import viewable_street_or_404

bp = Blueprint("streets", __name__, url_prefix="/streets")


def _safe_next(target):
    """A path on this site, or the dashboard (as sign-in's `next`: no host, no backslash,
    no control characters)."""
    if (target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and not any(ord(ch) < 32 for ch in target)):
        return target
    return url_for("dashboard.index")


@bp.route("/view/<int:street_id>")
@login_required
def view(street_id):
    street = viewable_street_or_404(street_id)
    if street is None:
        abort(404)
    session[VIEWING_KEY] = street.id
    return redirect(_safe_next(request.args.get("next")), 303)
