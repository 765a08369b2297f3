"""Who sees which dashboard, over which place, and who records the street's counts.

- Street admin: the whole street (`scope.current_street_id()`); district and city staff
  the street they are viewing, read only (they record nothing and start no report job,
  but read a closed period's stored report).
- Community staff: their community; a grid worker: its grid's compounds (and its
  community's community-wide records, as `scope.place_filter` reads them).
- Company users and resident representatives land on their own pages (no place).
- The report (/reports/…): the street admin, for their street.
- Recorded counts: staff read their place's; the street admin records any community of
  the street, community staff their own community; grid workers only read.
"""
from flask_login import current_user

from ..auth.models import COMMUNITY_STAFF, COMPANY_USER, GRID_WORKER, RESIDENT_REP, STREET_ADMIN
from ..scope import STREET_READERS, current_street_id, user_community_id
from .figures import Place

REPORT_ROLES = (STREET_ADMIN,)
COUNT_WRITERS = (STREET_ADMIN, COMMUNITY_STAFF)


def landing(user=None):
    """Which landing page the user gets: 'staff', 'company' or 'rep'."""
    user = user or current_user
    if user.role == COMPANY_USER:
        return "company"
    if user.role == RESIDENT_REP:
        return "rep"
    return "staff"


def place_for(user=None):
    """The Place a staff member's figures cover."""
    user = user or current_user
    street_id = current_street_id(user)
    if user.role in STREET_READERS:
        return Place(street_id)
    if user.role == COMMUNITY_STAFF:
        return Place(street_id, user.community_id)
    if user.role == GRID_WORKER:
        return Place(street_id, user_community_id(user), user.grid_id or -1)
    return Place(None)


def can_record(community_id, user=None):
    """Whether the user may record counts for the community (of their street)."""
    user = user or current_user
    if user.role == STREET_ADMIN:
        return True
    return user.role == COMMUNITY_STAFF and community_id == user.community_id
