"""/meetings/: the meetings in scope, filtered and paginated."""
from datetime import date

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...forms import id_arg, page_arg
from ...paging import bounded_count
from ... import picker
from ...compounds import access as compound_access
from ...compounds.models import Compound
from ...scope import STAFF_ROLES, roles_required, visible_communities
from .. import access, services
from ..models import STATUSES, Meeting
from . import bp
from .common import PAGE_SIZE, READERS


def _parse_date(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/")
@roles_required(*READERS)
def index():
    """Meetings in scope, filtered and paginated; only the newest version of each."""
    args = dict(
        kind=id_arg(request.args, "kind"), community=id_arg(request.args, "community"), compound=id_arg(request.args, "compound"),
        start=_parse_date(request.args.get("start")), end=_parse_date(request.args.get("end")),
        q=(request.args.get("q") or "").strip()[:100], status=request.args.get("status") or "",
    )
    bad_range = args["start"] and args["end"] and args["end"] < args["start"]
    conds = [access.meeting_filter(), Meeting.is_current == True]  # noqa: E712  ("= 1" uses the index)
    if args["kind"]:
        conds.append(Meeting.kind_id == args["kind"])
    if args["community"]:
        conds.append(Meeting.community_id == args["community"])
    if args["compound"]:
        conds.append(Meeting.compound_id == args["compound"])
    lo, hi = services.day_range(args["start"], args["end"])
    if lo:
        conds.append(Meeting.starts_at >= lo)
    if hi:
        conds.append(Meeting.starts_at < hi)
    if args["q"]:
        conds.append(services.search_condition(args["q"]))
    if args["status"] in STATUSES:
        conds.append(Meeting.status == args["status"])
    page = page_arg(request.args)
    # One statement for the page's rows (read along the (is_current, starts_at) index, with
    # their compound joined); their kinds and communities come from the filter lists loaded
    # just before (the identity map), so statements and rows do not grow with the table.
    # The pager's count stops COUNT_CAP rows past the page (webapp/paging.py). A text
    # search scans the text once: its total comes from a window count.
    kinds = db.session.scalars(services.street_kinds()).all()
    communities = visible_communities()
    ordered = (select(Meeting).where(*conds).options(joinedload(Meeting.compound))
               .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    if args["q"]:
        found = db.session.execute(ordered.add_columns(func.count().over().label("total"))).unique().all()
        meetings = [row[0] for row in found]
        total, capped = (found[0].total, False) if found else bounded_count(
            select(Meeting.id).where(*conds), Meeting.id, page, PAGE_SIZE)
    else:
        total, capped = bounded_count(select(Meeting.id).where(*conds), Meeting.id, page, PAGE_SIZE)
        meetings = db.session.scalars(ordered).unique().all()
    counts = services.task_counts([m.id for m in meetings], {m.id: m.previous_id for m in meetings})
    return render_template(
        "meetings/index.html", meetings=meetings, counts=counts, total=total, capped=capped, page=page,
        page_size=PAGE_SIZE,
        args=args, bad_range=bad_range, kinds=kinds, communities=communities, statuses=STATUSES,
        compound_picker=picker.pick("compounds.pick", compound_access.pick_stmt(), Compound.id, Compound.name,
                                    "compound", selected=args["compound"], label=compound_access.pick_label),
        can_plan=access.can_create(),
    )
