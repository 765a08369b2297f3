"""Who may see, change and approve meetings and their follow-up tasks.

A meeting sits at a community and, optionally, one of its compounds.
- Read: street admin all of its street (district and city staff: the viewed street's); community staff their community's; a grid worker the meetings
  of its grid's compounds, plus its community's community-wide meetings (no compound),
  read only; a company user the meetings its company attended or that gave it a task.
- Change (edit the minutes, submit, return, correct, tasks): `scope.can_change_place` —
  a grid worker only its grid's compounds' meetings, so a meeting it plans names one.
- Approve: the street admin and community staff who may change the meeting, and not
  whoever recorded or submitted the minutes — unless the street's settings allow it
  (`self_approval_allowed`).
- Tasks: a company user reads and closes its own company's; staff follow the meeting.
"""
from flask_login import current_user
from sqlalchemy import exists, false, or_, select

from ..audit.models import AuditLog
from ..auth.models import COMMUNITY_STAFF, COMPANY_USER, GRID_WORKER, STREET_ADMIN
from ..extensions import db
from ..scope import can_change_place, place_filter, visible_communities, visible_compounds
from .models import AgendaItem, Attendee, FollowUpTask, Meeting, Resolution

WRITERS = (STREET_ADMIN, COMMUNITY_STAFF, GRID_WORKER)
APPROVERS = (STREET_ADMIN, COMMUNITY_STAFF)


def meeting_filter(user=None):
    """SQL condition on Meeting: what the user may read."""
    user = user or current_user
    if user.role == COMPANY_USER:
        if not user.company_id:
            return false()
        return or_(
            exists(select(Attendee.id).where(Attendee.meeting_id == Meeting.id,
                                             Attendee.company_id == user.company_id)),
            exists(select(FollowUpTask.id).where(FollowUpTask.meeting_id == Meeting.id,
                                                 FollowUpTask.owner_company_id == user.company_id)),
        )
    return place_filter(Meeting.community_id, Meeting.compound_id, user, street_col=Meeting.street_id)


def task_filter(user=None):
    """SQL condition on FollowUpTask (joined with Meeting)."""
    user = user or current_user
    if user.role == COMPANY_USER:
        return FollowUpTask.owner_company_id == user.company_id if user.company_id else false()
    return meeting_filter(user)


def can_create(user=None):
    return (user or current_user).role in WRITERS


def needs_compound(user=None):
    """A grid worker's meetings name one of its grid's compounds."""
    return (user or current_user).role == GRID_WORKER


def can_edit(meeting, user=None):
    user = user or current_user
    return user.role in WRITERS and can_change_place(meeting.community_id, meeting.compound_id, user)


def can_target(community_id, compound_id, user=None):
    """Whether the user may plan a meeting at (community, compound)."""
    user = user or current_user
    if needs_compound(user) and compound_id is None:
        return False
    return can_change_place(community_id, compound_id, user)


def community_choices(user=None):
    """Communities a meeting may be planned in (a grid worker: its own, with a compound)."""
    user = user or current_user
    return [c for c in visible_communities(user) if can_target(c.id, None, user) or needs_compound(user)]


def compound_choices(user=None):
    return [c for c in visible_compounds(user) if can_target(c.community_id, c.id, user)]


def linkable_companies(user=None):
    """Companies an attendee or a follow-up task may name: those the user may see."""
    from ..companies.access import linkable_companies as companies

    return companies(user)


def self_approval_allowed(meeting=None):
    """The street's setting that lets whoever recorded or submitted minutes approve them
    (off unless the street turns it on; the setting itself belongs to the security
    policy page)."""
    from ..security.models import policy

    return bool(getattr(policy(), "allow_self_approval", False))


# Columns the review itself changes: writing them is reviewing, not recording.
REVIEW_FIELDS = {"status", "submitted_at", "submitted_by", "approved_at", "approved_by", "approved_by_id",
                 "is_current", "updated_at", "version"}


def minutes_authors(meeting):
    """Ids of the users who recorded (wrote the meeting or its attendees, agenda or
    resolutions) or submitted these minutes, read from the audit log."""
    children = {
        "meeting_attendee": [a.id for a in meeting.attendees],
        "meeting_agenda_item": [a.id for a in meeting.agenda],
        "meeting_resolution": [r.id for r in meeting.resolutions],
    }
    conds = [(AuditLog.entity == "meeting") & (AuditLog.entity_id == meeting.id)]
    conds += [(AuditLog.entity == entity) & AuditLog.entity_id.in_(ids) for entity, ids in children.items() if ids]
    rows = db.session.execute(
        select(AuditLog.user_id, AuditLog.action, AuditLog.changes)
        .where(or_(*conds), AuditLog.user_id.is_not(None))).all()
    authors = set()
    for user_id, action, changes in rows:
        if action == "submit" or (action in ("create", "update", "delete")
                                  and set(changes or {}) - REVIEW_FIELDS):
            authors.add(user_id)
    return authors


def approval_problem(meeting, user=None):
    """Why the user may not approve these minutes (a Chinese sentence), or None."""
    user = user or current_user
    if user.role not in APPROVERS or not can_edit(meeting, user):
        return "您没有审定这份纪要的权限。"
    if self_approval_allowed(meeting):
        return None
    if user.id in minutes_authors(meeting) or (meeting.submitted_by and meeting.submitted_by == user.display_name):
        return "您记录或提交了这份纪要，按规定须由其他人审定（记录、提交与审定分离）。"
    return None


def can_return(meeting, user=None):
    """Sending submitted minutes back for changes: any approver who may change them."""
    user = user or current_user
    return user.role in APPROVERS and can_edit(meeting, user)


def can_approve(meeting, user=None):
    return approval_problem(meeting, user) is None


def can_close_task(task, user=None):
    user = user or current_user
    if task.is_done:
        return False
    if user.role == COMPANY_USER:
        return task.owner_company_id is not None and task.owner_company_id == user.company_id
    return can_edit(task.meeting, user)
