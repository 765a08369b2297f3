"""The report's "逾期诉求按承办单位" table: open requests past their deadline, counted by
who handles them, equals the count made here from the demo's rows (every assignee kind:
company, department, grid, community, none), only the street's own."""
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.dashboard import figures
from webapp.extensions import db
from webapp.requests.models import ResidentRequest
from webapp.requests.rules import OPEN


def _sql_name(r):
    """The table's name for an assignee (a grid by its own name, as the report prints it)."""
    if r.assignee_kind == "company" and r.assignee_company is not None:
        return r.assignee_company.name
    if r.assignee_kind == "department" and r.assignee_department is not None:
        return r.assignee_department.name
    if r.assignee_kind == "grid" and r.assignee_grid is not None:
        return r.assignee_grid.name
    if r.assignee_kind == "community":
        return r.community.name
    return "未派单"


def test_overdue_by_assignee_equals_a_count_of_the_rows(fresh_demo):
    street_id = db.session.scalar(select(User.street_id).where(User.username == "street_admin"))
    now = utcnow() + timedelta(days=60)  # two months on: most open requests are late by then
    rows = db.session.scalars(select(ResidentRequest)).all()
    expected = Counter(_sql_name(r) for r in rows if r.street_id == street_id and r.status in OPEN
                       and r.due_at is not None and r.due_at < now)
    kinds = {r.assignee_kind for r in rows if r.street_id == street_id and r.status in OPEN and r.due_at is not None
             and r.due_at < now}
    assert sum(expected.values()) > 5 and len(kinds) >= 2, "the demo has late requests of several kinds"
    got = figures.overdue_by_assignee(ResidentRequest.street_id == street_id, now)
    assert dict(got) == dict(expected)
    assert [n for _, n in got] == sorted((n for _, n in got), reverse=True)  # the most first
