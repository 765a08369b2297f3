"""What the public board shows: live notices, approved resolutions, published rankings,
compounds with their company and committee, red stewards. Read-only and unscoped by
user (these are public), but never anything unpublished, expired, withdrawn or internal."""
from datetime import datetime

from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import selectinload

from ..assessments.services import published_rankings
from ..compounds.models import Building, Community, Compound, Street
from ..extensions import db
from ..clock import local_now, utc_from_local
from ..meetings.services import published_resolutions
from ..notices.models import Notice
from ..search import matches

BOARD_ORDER = ("notice", "service", "fees", "income", "resolution", "ranking", "stewards")


def streets():
    """Every street of the deployment, by name, with its district (the board's front)."""
    return db.session.scalars(select(Street).options(selectinload(Street.region)).order_by(Street.name)).all()


def street_counts():
    """{street_id: (communities, compounds)} in one statement (the front lists streets, not every compound)."""
    rows = db.session.execute(
        select(Community.street_id, func.count(func.distinct(Community.id)), func.count(Compound.id))
        .select_from(Community).outerjoin(Compound, Compound.community_id == Community.id)
        .group_by(Community.street_id)
    ).all()
    return {sid: (int(n_communities), int(n_compounds)) for sid, n_communities, n_compounds in rows}


def compound_counts(community_ids):
    """{community_id: compounds} in one statement."""
    if not community_ids:
        return {}
    return dict(db.session.execute(
        select(Compound.community_id, func.count(Compound.id)).where(Compound.community_id.in_(community_ids))
        .group_by(Compound.community_id)
    ).all())


def street_by_slug(slug):
    return db.session.scalar(select(Street).where(Street.slug == slug))


def community_by_slug(street_slug, slug):
    """The community `slug` of the street `street_slug` (community slugs are unique within a street)."""
    return db.session.scalar(
        select(Community).join(Street, Street.id == Community.street_id)
        .where(Street.slug == street_slug, Community.slug == slug)
        .options(selectinload(Community.street))
    )


def community_by_old_slug(slug):
    """The community an old single-street URL (`/public/<community_slug>/…`) meant. Community
    slugs were unique in the single-street release; once several streets hold the same
    slug, the oldest street (lowest id: the one migrated from that release, whose QR codes
    were printed) wins."""
    return db.session.scalar(
        select(Community).where(Community.slug == slug).order_by(Community.street_id, Community.id).limit(1)
        .options(selectinload(Community.street))
    )


def selections(street):
    """The district's published 金牌红色物业 selections this street's board shows."""
    from ..district.services import published_for_street

    return published_for_street(street)


def scope_condition(community, compound=None):
    """Notices that belong on this community's (or compound's) board: street-wide ones,
    the community's own, and — on the community board — its compounds' too. Street-wide
    means the community's own street's (each street posts to its own boards)."""
    street_wide = Notice.community_id.is_(None) & (Notice.street_id == community.street_id)
    if compound is not None:
        return or_(
            street_wide,
            (Notice.community_id == community.id) & (Notice.compound_id.is_(None) | (Notice.compound_id == compound.id)),
        )
    return or_(street_wide, Notice.community_id == community.id)


def live_notices(community, compound=None, category=None, q=None, limit=None, offset=0, now=None,
                 expired=False):
    """The board's live notices; `expired=True` (the archive) adds those whose notice
    period has ended (shown marked 已过期). Withdrawn ones never show."""
    stmt = (
        select(Notice)
        .where(Notice.on_record(now) if expired else Notice.live(now), scope_condition(community, compound))
        .options(selectinload(Notice.attachments), selectinload(Notice.compound))
        .order_by(Notice.pinned.desc(), Notice.publish_at.desc(), Notice.id.desc())
    )
    if category:
        stmt = stmt.where(Notice.category == category)
    if q:
        stmt = stmt.where(matches(q, Notice.title, Notice.body))
    if limit:
        stmt = stmt.limit(limit).offset(offset)
    return db.session.scalars(stmt).all()


def count_live(community, compound=None, category=None, q=None, expired=False, upto=None):
    """How many notices `live_notices` would list; `upto`: counted only that far (a pager
    needs no more, webapp/paging.py), so the count never reads the whole table."""
    stmt = select(Notice.id).where(Notice.on_record() if expired else Notice.live(),
                                   scope_condition(community, compound))
    if category:
        stmt = stmt.where(Notice.category == category)
    if q:
        stmt = stmt.where(matches(q, Notice.title, Notice.body))
    if upto:
        stmt = stmt.limit(upto)
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def live_notice(community, notice_id, expired=False):
    """One notice of the board; `expired=True` also finds one whose period has ended."""
    return db.session.scalar(
        select(Notice).where(Notice.id == notice_id, Notice.on_record() if expired else Notice.live(),
                             scope_condition(community))
        .options(selectinload(Notice.attachments))
    )


def board_groups(community, compound=None, per_category=8, now=None):
    """What a board shows of its live notices: ({category: the newest `per_category`,
    pinned first}, {category: whether more are live}). One statement picks the ids (one
    index-ordered LIMIT per category), one loads those rows (and two their attachments
    and compounds): the work does not grow with the number of notices."""
    where = (Notice.live(now), scope_condition(community, compound))
    order = (Notice.pinned.desc(), Notice.publish_at.desc(), Notice.id.desc())
    branches = []
    for key in BOARD_ORDER:
        sub = (select(Notice.id.label("id"), Notice.category.label("category"))
               .where(Notice.category == key, *where).order_by(*order).limit(per_category + 1).subquery())
        branches.append(select(sub.c.id, sub.c.category))
    found = db.session.execute(union_all(*branches)).all()
    counts = {}
    keep = []
    for ident, category in found:
        counts[category] = counts.get(category, 0) + 1
        if counts[category] <= per_category:
            keep.append(ident)
    rows = db.session.scalars(
        select(Notice).where(Notice.id.in_(keep or [0]))
        .options(selectinload(Notice.attachments), selectinload(Notice.compound)).order_by(*order)
    ).all() if keep else []
    groups = by_category(rows)
    more = {key: counts.get(key, 0) > per_category for key in groups}
    return groups, more


def by_category(notices, per_category=None):
    """{category: [notices]} in board order, pinned first within each."""
    groups = {key: [] for key in BOARD_ORDER}
    for n in notices:
        groups.setdefault(n.category, []).append(n)
    if per_category:
        groups = {k: v[:per_category] for k, v in groups.items()}
    return groups


def resolutions(community, compound=None, limit=20):
    """Approved resolutions marked for residents (meetings domain), newest first: the
    newest `limit`, chosen in SQL."""
    return list(published_resolutions(community_id=community.id, board_of=compound.id if compound else None,
                                      limit=limit))


def latest_ranking(street):
    """The street's newest published quarterly ranking (assessments domain), or None."""
    rankings = published_rankings(limit=1, street_id=street.id)
    return rankings[0] if rankings else None


def compounds_of(community, q=None, limit=None):
    """The community's compounds by name, with company and committees; `q`: those whose
    name contains it; `limit`: the first so many (the board lists a page of them)."""
    stmt = (select(Compound).where(Compound.community_id == community.id)
            .options(selectinload(Compound.company), selectinload(Compound.committees))
            .order_by(Compound.name, Compound.id))
    if q:
        stmt = stmt.where(matches(q, Compound.name))
    if limit:
        stmt = stmt.limit(limit)
    return db.session.scalars(stmt).all()


COMPOUNDS_SHOWN = 40


def compound_list(community, q=None):
    """The community board's list of compounds: at most COMPOUNDS_SHOWN (a search box
    finds the others), and whether there are more."""
    found = compounds_of(community, q=q, limit=COMPOUNDS_SHOWN + 1)
    return found[:COMPOUNDS_SHOWN], len(found) > COMPOUNDS_SHOWN


def stewards(compound):
    """Buildings with a steward, as `public/access.py` lets the board show them."""
    buildings = db.session.scalars(
        select(Building).where(Building.compound_id == compound.id, Building.steward_id.is_not(None))
        .options(selectinload(Building.steward))
    ).all()
    buildings.sort(key=lambda b: _natural(b.name))
    from .access import steward_entry

    return [steward_entry(b) for b in buildings]


def _natural(name):
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 10**6, name)


def last_change(community, compound=None):
    """The latest moment the board's notices may have changed (UTC, naive): an edit, a
    scheduled publication that has arrived, or an expiry that has passed.

    Taken over every notice, not only this board's: each MAX then reads one end of an
    index (constant work however many notices there are), and a later stamp than the
    board's own is safe — Last-Modified only says "not before"."""
    now = local_now()
    updated, published, expired = db.session.execute(select(
        select(func.max(Notice.updated_at)).scalar_subquery(),
        select(func.max(Notice.publish_at)).where(Notice.publish_at <= now).scalar_subquery(),
        select(func.max(Notice.expires_at)).where(Notice.expires_at <= now).scalar_subquery(),
    )).one()
    stamps = [updated] + [utc_from_local(t) for t in (published, expired) if t is not None]
    if compound is not None:
        stamps.append(compound.updated_at)
        stamps.append(db.session.scalar(select(func.max(Building.updated_at)).where(Building.compound_id == compound.id)))
    stamps.append(community.updated_at)
    return max((s for s in stamps if isinstance(s, datetime)), default=None)


def next_boundary():
    """The next moment (local time) a scheduled notice goes up or a live one expires:
    cached pages must not outlive it."""
    now = local_now()
    upcoming = db.session.execute(
        select(
            func.min(Notice.publish_at).filter(Notice.status == "published", Notice.publish_at > now),
            func.min(Notice.expires_at).filter(Notice.status == "published", Notice.expires_at > now),
        )
    ).one()
    times = [t for t in upcoming if t is not None]
    return min(times) if times else None

