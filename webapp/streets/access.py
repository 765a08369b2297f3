"""Who may choose which street to view: district staff the streets of their district,
city staff those of every district of their city (`scope.can_view_street`). Anyone else
has a street of their own and chooses nothing (404)."""
from ..compounds.models import Street
from ..extensions import db
from ..scope import can_view_street, is_above_street, visible_streets  # noqa: F401  (the rules live in scope)


def viewable_street_or_404(street_id, user=None):
    """The street, if the user may view it; else None (the view answers 404)."""
    if not is_above_street(user) or not can_view_street(street_id, user):
        return None
    return db.session.get(Street, street_id)
