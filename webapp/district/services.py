"""Writes of the district: the 金牌红色物业 selection (create with candidates from the
cross-street ranking, decide, publish). ORM writes are audited by the session hook;
deciding and publishing also leave a named entry (`record`)."""
from sqlalchemy import select

from ..audit.services import record
from ..extensions import db
from ..models_base import utcnow
from . import access, ranking
from .models import DECIDED, DRAFT, PUBLISHED, GoldCandidate, GoldSelection

CANDIDATES = 10  # how many of the ranking's top companies are put forward


class SelectionError(ValueError):
    """A selection step refused, with a Chinese message for the page."""


def period_taken(region, period):
    return db.session.scalar(select(GoldSelection.id).where(GoldSelection.region_id == region.id,
                                                            GoldSelection.period == period)) is not None


def create_selection(region, data):
    """A draft selection for `region` and the quarter `data["period"]`, with the top
    companies of the district's cross-street ranking for that quarter as candidates."""
    if period_taken(region, data["period"]):
        raise SelectionError("本区该季度已有评选，请打开已有的评选。")
    selection = GoldSelection(region_id=region.id, period=data["period"], title=data["title"],
                              criteria=data.get("criteria") or "", status=DRAFT)
    db.session.add(selection)
    streets = access.streets_of([region.id])
    names = {s.id: s.name for s in streets}
    result = ranking.cross_street(streets, data["period"])
    for line in result["lines"][:CANDIDATES]:
        selection.candidates.append(GoldCandidate(
            company_id=line.company_id, rank=line.rank, score=line.score,
            street_scores=[{"street": names[sid], "score": p.score, "rank": p.rank}
                           for sid, p in sorted(line.cells.items(), key=lambda kv: names[kv[0]])],
        ))
    db.session.flush()
    return selection


def update_criteria(selection, data):
    if not selection.is_draft:
        raise SelectionError("评选已决定，标准不能再修改。")
    selection.title = data["title"]
    selection.criteria = data.get("criteria") or ""
    db.session.flush()
    return selection


def decide(selection, chosen_ids, note, user):
    """Fix the chosen candidates and the decision note (only a draft can be decided)."""
    if not selection.is_draft:
        raise SelectionError("评选已经决定，不能再次决定。")
    chosen_ids = set(chosen_ids)
    known = {c.id for c in selection.candidates}
    if not chosen_ids or not chosen_ids <= known:
        raise SelectionError("请至少选择一家候选企业。")
    for c in selection.candidates:
        c.chosen = c.id in chosen_ids
    selection.decision_note = note or ""
    selection.status = DECIDED
    selection.decided_at = utcnow()
    selection.decided_by_id = user.id
    db.session.flush()
    record(db.session, "decide", selection, note="、".join(c.title for c in selection.chosen))
    return selection


def publish(selection, user):
    """Show the decided selection on every street's public board in the district."""
    if selection.status != DECIDED:
        raise SelectionError("只有已决定的评选才能公示。")
    selection.status = PUBLISHED
    selection.published_at = utcnow()
    selection.published_by_id = user.id
    db.session.flush()
    record(db.session, "publish", selection, note=selection.title)
    return selection


def published_for_street(street, limit=3):
    """The district's published selections a street's public board shows, newest first."""
    if street is None or street.region_id is None:
        return []
    return db.session.scalars(
        select(GoldSelection).where(GoldSelection.region_id == street.region_id, GoldSelection.status == PUBLISHED)
        .order_by(GoldSelection.published_at.desc()).limit(limit)
    ).all()


# --- assessment templates the district publishes and the streets adopt ----------------------

def _copy_template(source, **owner):
    """A new template with `source`'s sections and items, owned as `owner` says
    (street_id=… or region_id=…), at the next revision of that name for that owner."""
    from sqlalchemy import func

    from ..assessments.models import AssessmentTemplate, TemplateItem, TemplateSection

    (key, value), = owner.items()
    latest = db.session.scalar(select(func.max(AssessmentTemplate.revision)).where(
        AssessmentTemplate.name == source.name, getattr(AssessmentTemplate, key) == value))
    copy = AssessmentTemplate(name=source.name, revision=(latest or 0) + 1, note=source.note, previous_id=source.id,
                              **owner)
    for section in source.sections:
        new_section = TemplateSection(position=section.position, title=section.title)
        for item in section.items:
            new_section.items.append(TemplateItem(
                position=item.position, title=item.title, full_points=item.full_points, guidance=item.guidance,
                rule=item.rule, per_finding=item.per_finding, floor=item.floor))
        copy.sections.append(new_section)
    db.session.add(copy)
    db.session.flush()
    return copy


def publish_template(region, source):
    """Publish a copy of one of the district's streets' templates as the district's own
    (it belongs to no street); every street of the district may adopt it."""
    if source.street is None or source.street.region_id != region.id:
        raise SelectionError("只能发布本区街道的考核模板。")
    copy = _copy_template(source, region_id=region.id)
    record(db.session, "publish", copy, note=f"{region.name}发布（来自{source.street.name}）")
    return copy


def adopt_template(template, street):
    """The street takes the district's template into its own templates (a copy it may
    then revise; its `previous` is the district's template)."""
    if template.region_id is None or template.region_id != street.region_id:
        raise SelectionError("只能采用本区发布的考核模板。")
    copy = _copy_template(template, street_id=street.id)
    record(db.session, "adopt", copy, note=f"{street.name}采用{street.region.name}发布的模板")
    return copy


def adopted_ids(street, template_ids):
    """Which of the district's templates the street has adopted already."""
    from ..assessments.models import AssessmentTemplate

    if not template_ids:
        return set()
    return set(db.session.scalars(select(AssessmentTemplate.previous_id).where(
        AssessmentTemplate.street_id == street.id, AssessmentTemplate.previous_id.in_(template_ids))))
