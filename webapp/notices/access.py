"""Who may see and change notices, and which targets a notice form offers.

A notice targets the whole street (no community), a community, or a compound.
- Read: street admin all of its street (district and city staff: the viewed street's,
  read only). Community staff: street-wide notices and their community's
  (its compounds' included). Grid worker: street-wide and community-wide notices of its
  community, read only, and those of its grid's compounds.
- Change (edit, publish, withdraw, attachments): street-wide ones by the street admin of
  their street;
  others by `scope.can_change_place` — community staff their community's, a grid worker
  only its grid's compounds' notices.
"""
from flask_login import current_user

from sqlalchemy import false

from ..auth.models import STREET_ADMIN
from ..scope import STAFF_ROLES, can_change_place, current_street_id, place_filter, visible_communities
from .models import Notice


def notice_filter(user=None):
    """SQL condition on Notice: what the user may read."""
    return place_filter(Notice.community_id, Notice.compound_id, user, street_wide=True, street_col=Notice.street_id)


def can_edit(notice, user=None):
    user = user or current_user
    if notice.community_id is None:
        return user.role == STREET_ADMIN and notice.street_id == current_street_id(user)
    return can_change_place(notice.community_id, notice.compound_id, user)


def can_target(community_id, compound_id, user=None):
    """Whether the user may post a notice to this target."""
    user = user or current_user
    if community_id is None:
        return user.role == STREET_ADMIN
    return can_change_place(community_id, compound_id, user)


def target_choices(user=None, q="", selected=None, with_more=False):
    """'street' | 'c:<id>' | 'p:<id>' choices for the targets the user may post to.

    The street and its communities are few and all listed; compounds are many, so the
    list holds the chosen one and up to picker.LIMIT matching `q` (the target field is a
    picker, webapp/picker.py). `with_more=True`: (choices, whether more compounds match)."""
    from .. import picker
    from ..compounds import access as compound_access
    from ..compounds.models import Compound

    user = user or current_user
    choices = []
    if can_target(None, None, user):
        choices.append(("street", "全街道"))
    for community in visible_communities(user):
        if can_target(community.id, None, user):
            choices.append((f"c:{community.id}", f"{community.name}（全社区）"))
    # A compound may be targeted by whoever may change records placed there: for every
    # role that is exactly `compound_filter` (street admin, community staff, grid worker).
    stmt = compound_access.pick_stmt(user)
    if user.role not in STAFF_ROLES:
        stmt = stmt.where(false())
    chosen = selected[2:] if isinstance(selected, str) and selected.startswith("p:") else None
    options, more = picker.options(stmt, Compound.id, Compound.name, q=q, selected=chosen,
                                   label=compound_access.pick_label)
    choices += [(f"p:{value}", label) for value, label in options]
    return (choices, more) if with_more else choices
