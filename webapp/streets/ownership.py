"""The one place that fills `street_id` on street-owned rows as they are flushed.

Services may set `street_id` (or `street`) themselves; whatever they leave empty is
filled here, in this order:

1. from the row's community (`community` or `community_id`), then its compound's
   community, then an organisation unit's parent or tier;
2. else from `scope.current_street_id()`: the signed-in user's street (or, for district
   and city staff, the street they are viewing — they write nothing, but a job they run
   may), and outside a request the only street of a single-street deployment;
3. else, when the same flush creates exactly one street, that street;
4. else, when the database holds no street at all, a new street named 未命名街道 (as the
   migration does for such rows): a fresh install's first settings have a street.

A row that none of these places keeps an empty street_id and the NOT NULL column refuses
it: better an error than a record in the wrong street. Rows whose community changes
follow their new community's street. Users: community staff and grid workers get their
community's street; street administrators and resident representatives created without
one get the current street (rule 2).
"""
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..appointments.models import CrossAppointment
from ..assessments.models import AssessmentRound, AssessmentTemplate, QuarterRanking
from ..auth.models import COMMUNITY_STAFF, GRID_WORKER, RESIDENT_REP, STREET_ADMIN, User
from ..compounds.models import Community, Compound, Grid, Street
from ..meetings.models import Meeting, MeetingKind, Requirement
from ..notices.models import Notice
from ..people.models import Person
from ..requests.models import ResidentRequest
from ..structure.models import OrgTier, OrgUnit

# Rows placed at a community (always, or when they name one).
COMMUNITY_PLACED = (Compound, Meeting, CrossAppointment, ResidentRequest, Person, Notice, OrgUnit)
# Street settings and street-wide records without a community.
STREET_WIDE = (MeetingKind, Requirement, OrgTier, AssessmentRound, QuarterRanking, AssessmentTemplate)
OWNED = COMMUNITY_PLACED + STREET_WIDE
DEFAULT_STREET_NAME = "未命名街道"


def _street_of_community(session, community=None, community_id=None):
    """(street, street_id) of a community given as an object or an id."""
    if community is None and community_id is not None:
        community = session.get(Community, community_id)
    if community is None:
        return None, None
    return community.street, community.street_id


def _assign(obj, street, street_id):
    if street is not None and street.id is None:
        obj.street = street
    elif street_id is not None or street is not None:
        obj.street_id = street_id if street_id is not None else street.id
    else:
        return False
    return True


def _from_place(session, obj):
    """Try the row's own place: community, compound, parent unit, tier, template."""
    community = getattr(obj, "community", None)
    if _assign(obj, *_street_of_community(session, community, getattr(obj, "community_id", None))):
        return True
    compound = getattr(obj, "compound", None)
    if compound is None and getattr(obj, "compound_id", None) is not None:
        compound = session.get(Compound, obj.compound_id)
    if compound is not None and _assign(obj, *_street_of_community(session, compound.community, compound.community_id)):
        return True
    for attr in ("parent", "tier", "kind", "template"):
        source = getattr(obj, attr, None) if hasattr(type(obj), attr) else None
        if source is not None and hasattr(source, "street_id"):
            if _assign(obj, getattr(source, "street", None), source.street_id):
                return True
    return False


def _fallback(session, obj):
    from ..scope import current_street_id

    street_id = current_street_id()
    if street_id is not None:
        obj.street_id = street_id
        return True
    new_streets = [o for o in session.new if isinstance(o, Street)]
    if len(new_streets) == 1:
        obj.street = new_streets[0]
        return True
    if not new_streets and session.scalar(select(Street.id).limit(1)) is None:
        # A database without any street yet (a fresh install's first settings): the
        # default street, as the migration makes for such rows; there is no wrong one.
        street = Street(name=DEFAULT_STREET_NAME)
        session.add(street)
        obj.street = street
        return True
    return False


def _community_changed(obj):
    state = inspect(obj)
    for key in ("community_id", "community"):
        if key in state.attrs and state.attrs[key].history.has_changes():
            return True
    return False


def _fill_user(session, user):
    if user.role == COMMUNITY_STAFF and (user.community is not None or user.community_id is not None):
        _assign(user, *_street_of_community(session, user.community, user.community_id))
    elif user.role == GRID_WORKER and (user.grid is not None or user.grid_id is not None):
        grid = user.grid or session.get(Grid, user.grid_id)
        _assign(user, *_street_of_community(session, grid.community, grid.community_id))
    elif user.role in (STREET_ADMIN, RESIDENT_REP) and user.street_id is None and user.street is None:
        _fallback(session, user)


def _before_flush(session, flush_context, instances):
    with session.no_autoflush:
        for obj in list(session.new):
            if isinstance(obj, User):
                _fill_user(session, obj)
            elif isinstance(obj, OWNED) and obj.street_id is None and obj.street is None:
                if isinstance(obj, AssessmentTemplate) and obj.region_id is not None:
                    continue  # a district's template belongs to no street
                if not _from_place(session, obj):
                    _fallback(session, obj)
        for obj in list(session.dirty):
            if isinstance(obj, COMMUNITY_PLACED) and _community_changed(obj):
                _from_place(session, obj)
            elif isinstance(obj, User):
                _fill_user(session, obj)


def install():
    """Attach the listener to every session (idempotent; create_app calls it)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
