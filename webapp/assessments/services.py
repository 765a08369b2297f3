"""Writes and read models for the assessment: rounds, scores, rankings, publication.

`published_rankings()` is the contract with the notice board: only published quarters,
computed from closed rounds, never interim scores.

Each street assesses its own companies: rounds, templates, rankings and prize settings
are per street. Every function here takes `street_id` (default: `scope.current_street_id()`,
the user's street or the street a district user views), so the district's pages can put
each street's figures side by side.
"""
from collections import defaultdict

from sqlalchemy import Float, Numeric, and_, case, cast, func, literal, select

from ..audit.services import record
from ..companies.models import PropertyCompany
from ..compounds.models import Compound
from ..extensions import db
from ..models_base import utcnow
from ..pdf import SVG_FONT_FAMILY
from ..scope import current_street_id
from . import scoring
from .models import (AssessmentRound, AssessmentSheet, AssessmentTemplate, QuarterRanking, ScoreLine,
                     SheetScore, TemplateItem, TemplateSection, quarter_label)


class RoundClosed(Exception):
    """Raised when something tries to change a closed round."""


# --- the notice-board contract -------------------------------------------------------------

def _street(street_id):
    return street_id or current_street_id()


def published_rankings(limit=None, street_id=None):
    """A street's published quarterly rankings, newest first. Each has .quarter,
    .published_at, .rows (dicts: rank, company_name, score, prize, prize_amount)."""
    stmt = (select(QuarterRanking).where(QuarterRanking.published_at.is_not(None),
                                         QuarterRanking.street_id == _street(street_id))
            .order_by(QuarterRanking.quarter.desc()))
    if limit:
        stmt = stmt.limit(limit)
    return db.session.scalars(stmt).all()


# --- templates ---------------------------------------------------------------------------

def template_in_use(template):
    """A template some round uses is frozen."""
    return db.session.scalar(
        select(func.count()).select_from(AssessmentRound).where(AssessmentRound.template_id == template.id)
    ) > 0


def new_revision(template):
    """Copy a (frozen) template into its next revision, which may be edited."""
    street_id = template.street_id or current_street_id()
    latest = db.session.scalar(select(func.max(AssessmentTemplate.revision)).where(
        AssessmentTemplate.name == template.name, AssessmentTemplate.street_id == street_id))
    copy = AssessmentTemplate(name=template.name, revision=(latest or 0) + 1, note=template.note,
                              previous=template, street_id=street_id)
    for section in template.sections:
        new_section = TemplateSection(position=section.position, title=section.title)
        for item in section.items:
            new_section.items.append(TemplateItem(
                position=item.position, title=item.title, full_points=item.full_points, guidance=item.guidance,
                rule=item.rule, per_finding=item.per_finding, floor=item.floor))
        copy.sections.append(new_section)
    db.session.add(copy)
    db.session.flush()
    record(db.session, "new_revision", copy, note=f"由第{template.revision}版复制")
    return copy


def update_template(template, data):
    """Save a (not yet used) template from its edit form's data: name, note, each section's
    title (`section_<id>`) and each item's title, points, rule and guidance (`title_<id>` …)."""
    template.name = data["name"]
    template.note = data.get("note") or ""
    for section in template.sections:
        section.title = data[f"section_{section.id}"]
    for item in template.items:
        i = item.id
        item.title = data[f"title_{i}"]
        item.full_points = float(data[f"full_{i}"])
        item.rule = data[f"rule_{i}"]
        item.per_finding = float(data[f"per_{i}"])
        item.floor = float(data[f"floor_{i}"])
        item.guidance = data.get(f"guidance_{i}") or ""
    db.session.flush()
    return template


def add_template_item(template, data):
    """A new item at the end of a section (`section_id`, or "new" with `new_section`)."""
    if data["section_id"] == "new":
        section = TemplateSection(title=data["new_section"], position=len(template.sections))
        template.sections.append(section)
    else:
        section = next(s for s in template.sections if str(s.id) == data["section_id"])
    item = TemplateItem(title=data["title"], full_points=float(data["full_points"]), position=len(section.items),
                        rule="per_finding", per_finding=1, floor=0)
    section.items.append(item)
    db.session.flush()
    return item


def delete_template_item(template, item):
    """Remove an item; a section left empty goes with it."""
    section = item.section
    section.items.remove(item)  # delete-orphan removes the row
    if not section.items:
        template.sections.remove(section)
    db.session.flush()


# --- rounds ------------------------------------------------------------------------------

def served_pairs(street_id=None):
    """Every (company, compound) the street scores: its compounds a company serves."""
    return db.session.execute(
        select(PropertyCompany, Compound).join(Compound, Compound.company_id == PropertyCompany.id)
        .where(Compound.street_id == _street(street_id))
        .order_by(PropertyCompany.name, Compound.name)
    ).all()


def create_round(month, template, cadre_weight=0.7, rep_weight=0.3, street_id=None):
    """Open the street's round for the month with one sheet per company × compound it serves."""
    street_id = street_id or template.street_id or current_street_id()
    rnd = AssessmentRound(month=month, template=template, cadre_weight=cadre_weight, rep_weight=rep_weight,
                          street_id=street_id)
    db.session.add(rnd)
    for company, compound in served_pairs(street_id):
        rnd.sheets.append(AssessmentSheet(company=company, compound=compound))
    db.session.flush()
    return rnd


def ensure_open(rnd):
    if rnd.is_closed:
        raise RoundClosed("本月考核已关闭，评分不能再修改。如需更正，请街道管理员先重新开启并说明原因。")


def sheet_result(sheet, rnd=None):
    """The sheet's combined result: frozen when closed, computed from submitted scores otherwise."""
    rnd = rnd or sheet.round
    if rnd.is_closed and sheet.final_score is not None:
        return sheet.final_score
    return scoring.combine_scorers(
        [(s.scorer_kind, s.total) for s in sheet.scores if s.is_submitted], rnd.cadre_weight, rnd.rep_weight)


SHEET_STATES = {"scored": "已评分", "waiting": "有评分人未提交", "unscored": "尚未评分"}


def _per_sheet_scores(rnd, condition):
    """Per sheet of the round in `condition` that has scorers: its company, its fillings
    counted (submitted, waiting) and the submitted totals summed by kind of scorer (a
    subquery: the work is bounded by the scorers asked, not by the round's sheets)."""
    submitted = SheetScore.status == "submitted"
    counted = and_(submitted, SheetScore.total.is_not(None))

    def of_kind(kind, value):
        return func.sum(case((and_(counted, SheetScore.scorer_kind == kind), value), else_=0))

    return (select(SheetScore.sheet_id, AssessmentSheet.company_id,
                   func.sum(case((submitted, 1), else_=0)).label("submitted"),
                   func.sum(case((submitted, 0), else_=1)).label("waiting"),
                   of_kind("cadre", SheetScore.total).label("cadre_sum"), of_kind("cadre", 1).label("cadre_n"),
                   of_kind("rep", SheetScore.total).label("rep_sum"), of_kind("rep", 1).label("rep_n"))
            .join(AssessmentSheet, AssessmentSheet.id == SheetScore.sheet_id)
            .where(AssessmentSheet.round_id == rnd.id, condition)
            .group_by(SheetScore.sheet_id, AssessmentSheet.company_id)).subquery("per_sheet")


def combined_result_sql(rnd, per):
    """`scoring.combine_scorers` in SQL over `_per_sheet_scores` columns `per`: each kind of
    scorer averaged, the kinds weighed by the round's weights (a kind of weight 0 counts
    only when it is the only one), NULL without a submitted total; two decimals. What
    `sheet_result` gives an open round's sheet (a closed one's is its frozen final_score:
    `close_round` sets it on every sheet, and no score changes while closed)."""
    cadre = per.c.cadre_sum / func.nullif(per.c.cadre_n, 0)
    rep = per.c.rep_sum / func.nullif(per.c.rep_n, 0)
    has_cadre, has_rep = per.c.cadre_n > 0, per.c.rep_n > 0
    cw, rw = float(rnd.cadre_weight or 0), float(rnd.rep_weight or 0)
    if cw > 0 and rw > 0:
        combined = case((and_(has_cadre, has_rep), (cadre * literal(cw) + rep * literal(rw)) / literal(cw + rw)),
                        (has_cadre, cadre), (has_rep, rep))
    elif cw > 0 or rw > 0:
        first, second = ((has_cadre, cadre), (has_rep, rep)) if cw > 0 else ((has_rep, rep), (has_cadre, cadre))
        combined = case(first, second)
    else:
        combined = (per.c.cadre_sum + per.c.rep_sum) / func.nullif(per.c.cadre_n + per.c.rep_n, 0)
    return _r2_sql(combined)


def _r2_sql(value):
    """`scoring.r2` in SQL (PostgreSQL rounds numerics only)."""
    return cast(func.round(cast(value, Numeric), 2), Float)


def round_summary(rnd, condition):
    """The round's sheets in `condition` (the user's scope), counted in two statements
    whatever their number: sheets, each state's count (SHEET_STATES: every scorer
    submitted / some still to submit / none submitted), the results' count and mean, and
    how many companies have a result (`companies`)."""
    per = _per_sheet_scores(rnd, condition)
    row = db.session.execute(
        select(func.count(), func.count(AssessmentSheet.final_score), func.sum(AssessmentSheet.final_score),
               func.count(func.distinct(case((AssessmentSheet.final_score.is_not(None), AssessmentSheet.company_id)))))
        .where(AssessmentSheet.round_id == rnd.id, condition)).one()
    sheets, results, result_sum, companies = row[0], row[1], row[2] or 0, row[3]
    columns = [func.coalesce(func.sum(case((per.c.waiting == 0, 1), else_=0)), 0),
               func.coalesce(func.sum(case((per.c.waiting > 0, 1), else_=0)), 0)]
    if not rnd.is_closed:
        result = combined_result_sql(rnd, per)
        columns += [func.count(result), func.sum(result),
                    func.count(func.distinct(case((result.is_not(None), per.c.company_id))))]
    row = db.session.execute(select(*columns).where(per.c.submitted > 0)).one()
    scored, waiting = int(row[0]), int(row[1])
    if not rnd.is_closed:
        results, result_sum, companies = row[2], row[3] or 0, row[4]
    return {"sheets": sheets, "scored": scored, "waiting": waiting, "unscored": sheets - scored - waiting,
            "results": results, "mean": scoring.r2(result_sum / results) if results else None,
            "companies": companies}


def round_ranking(rnd, limit=None):
    """The month's company ranking, best first, at most `limit` companies: each company's
    score is the mean of its sheets' results, its lowest breaking ties, exact ties sharing
    a place (`scoring.rank`; the places of the first `limit` depend on them alone)."""
    if rnd.is_closed:
        result, company = AssessmentSheet.final_score, AssessmentSheet.company_id
        source = select(company.label("company_id"), result.label("result")).where(
            AssessmentSheet.round_id == rnd.id, result.is_not(None)).subquery("sheet")
    else:
        per = _per_sheet_scores(rnd, AssessmentSheet.round_id == rnd.id)
        source = select(per.c.company_id, combined_result_sql(rnd, per).label("result")).subquery("sheet")
    per_company = (select(source.c.company_id, func.avg(source.c.result).label("score"),
                          func.min(source.c.result).label("lowest"))
                   .where(source.c.result.is_not(None)).group_by(source.c.company_id)).subquery("per_company")
    stmt = (select(per_company.c.company_id, PropertyCompany.name, per_company.c.score, per_company.c.lowest)
            .join(PropertyCompany, PropertyCompany.id == per_company.c.company_id)
            .order_by(_r2_sql(per_company.c.score).desc(), _r2_sql(per_company.c.lowest).desc(), PropertyCompany.name))
    if limit:
        stmt = stmt.limit(limit)
    return scoring.rank([scoring.Placed(key=k, name=name, score=scoring.r2(score), tie_key=scoring.r2(lowest))
                         for k, name, score, lowest in db.session.execute(stmt)])


def close_round_gaps(rnd):
    """What closing the round now leaves out, one Chinese sentence per sheet: sheets no
    one has scored (they get no result) and scorers asked who have not submitted."""
    gaps = []
    for sheet in rnd.sheets:
        submitted = [s for s in sheet.scores if s.is_submitted]
        waiting = [s for s in sheet.scores if not s.is_submitted]
        if not submitted:
            gaps.append(f"{sheet.title}：尚未评分，关闭后本表没有得分")
        elif waiting:
            names = "、".join(s.scorer.display_name for s in waiting)
            gaps.append(f"{sheet.title}：{names}尚未提交评分，关闭后不再计入")
    return gaps


def close_round(rnd, user):
    """Freeze every sheet's result and close the round."""
    ensure_open(rnd)
    for sheet in rnd.sheets:
        sheet.final_score = sheet_result(sheet, rnd)
    rnd.status = "closed"
    rnd.closed_at = utcnow()
    rnd.closed_by_id = user.id
    db.session.flush()
    record(db.session, "close", rnd, note=rnd.title)


def reopen_round(rnd, user, reason):
    """Reopen a closed round, recording who and why."""
    if not rnd.is_closed:
        raise ValueError("本月考核尚未关闭。")
    rnd.status = "open"
    rnd.reopened_at = utcnow()
    rnd.reopened_by_id = user.id
    rnd.reopen_reason = reason
    for sheet in rnd.sheets:
        sheet.final_score = None
    db.session.flush()
    record(db.session, "reopen", rnd, note=reason)


def assign_representative(sheet, rep):
    """Ask a resident representative to fill this sheet (the round must be open)."""
    ensure_open(sheet.round)
    score = SheetScore(sheet=sheet, scorer=rep, scorer_kind="rep")
    db.session.add(score)
    db.session.flush()
    return score


def save_score(score, values, scorer_visited_on=None):
    """Store a scorer's lines. `values` maps item id → dict(findings, points, finding_text, photo).

    The caller has validated the values (forms.py). Totals are recomputed here.
    """
    ensure_open(score.sheet.round)
    existing = {line.item_id: line for line in score.lines}
    total = 0.0
    for item_id, v in values.items():
        line = existing.get(item_id)
        if line is None:
            line = ScoreLine(item_id=item_id, points=v["points"])
            score.lines.append(line)
        line.findings = v["findings"]
        line.points = v["points"]
        line.finding_text = v["finding_text"]
        if v.get("photo"):
            line.photo = v["photo"]
        total += v["points"]
    score.total = scoring.r2(total)
    score.status = "submitted"
    score.submitted_at = utcnow()
    if scorer_visited_on:
        score.visited_on = scorer_visited_on
    db.session.flush()
    return score


# --- rankings ----------------------------------------------------------------------------

def company_month_scores(until=None, closed_only=True, company_ids=None, street_id=None):
    """{month: {company_id: score}}: each company's monthly score in the street = mean of
    its sheets there.

    Closed rounds use the frozen sheet results (one SQL aggregate); open rounds, for the
    street admin's interim view, combine the submitted scores in SQL (one per open round).
    """
    out = defaultdict(dict)
    rounds = select(AssessmentRound.id, AssessmentRound.month).where(
        AssessmentRound.status == "closed", AssessmentRound.street_id == _street(street_id))
    if until:
        rounds = rounds.where(AssessmentRound.month <= until)
    months = dict(db.session.execute(rounds).all())
    if months:
        # Per round and company, in the order of ix_assessment_sheet_round_company_score:
        # read from the index alone, no sort (a month's 10,000 sheets).
        stmt = (select(AssessmentSheet.round_id, AssessmentSheet.company_id, func.avg(AssessmentSheet.final_score))
                .where(AssessmentSheet.round_id.in_(list(months)), AssessmentSheet.final_score.is_not(None))
                .group_by(AssessmentSheet.round_id, AssessmentSheet.company_id))
        if company_ids is not None:
            stmt = stmt.where(AssessmentSheet.company_id.in_(company_ids))
        for round_id, company_id, avg in db.session.execute(stmt):
            out[months[round_id]][company_id] = scoring.r2(avg)
    if not closed_only:
        open_rounds = db.session.scalars(select(AssessmentRound).where(
            AssessmentRound.status == "open", AssessmentRound.street_id == _street(street_id))).all()
        for rnd in open_rounds:  # the month being scored, in SQL (`combined_result_sql`)
            if until and rnd.month > until:
                continue
            per = _per_sheet_scores(rnd, AssessmentSheet.round_id == rnd.id)
            result = combined_result_sql(rnd, per)
            stmt = select(per.c.company_id, func.avg(result)).where(result.is_not(None)).group_by(per.c.company_id)
            if company_ids is not None:
                stmt = stmt.where(per.c.company_id.in_(company_ids))
            for company_id, avg in db.session.execute(stmt):
                out[rnd.month][company_id] = scoring.r2(avg)
    return dict(sorted(out.items()))


def _quarter_row(quarter, street_id):
    return db.session.scalar(select(QuarterRanking).where(QuarterRanking.quarter == quarter,
                                                          QuarterRanking.street_id == street_id))


def quarter_setting(quarter, street_id=None):
    """The street's QuarterRanking row for `quarter` (prizes, publication), or None."""
    return _quarter_row(quarter, _street(street_id))


def published_quarter(quarter, street_id=None):
    """The street's published QuarterRanking for `quarter`, or None."""
    row = _quarter_row(quarter, _street(street_id))
    return row if row is not None and row.is_published else None


def ranking_for_quarter(quarter, interim=False, street_id=None):
    """Everything the ranking page and report show for a quarter.

    interim=False: closed rounds only (everyone's view); True: open rounds included
    (street admin only, marked 暂定).
    """
    street_id = _street(street_id)
    months = scoring.quarter_months(quarter)
    by_month = company_month_scores(until=months[-1], closed_only=not interim, street_id=street_id)
    scored = {company_id for scores in by_month.values() for company_id in scores}
    names = dict(db.session.execute(select(PropertyCompany.id, PropertyCompany.name)
                                    .where(PropertyCompany.id.in_(scored))).all()) if scored else {}
    qr = _quarter_row(quarter, street_id)
    amounts = (qr.first_prize, qr.second_prize, qr.third_prize) if qr else (0.0, 0.0, 0.0)
    monthly = defaultdict(list)
    for m in months:
        for company_id, s in by_month.get(m, {}).items():
            monthly[company_id].append(s)
    ranked = scoring.quarter_ranking(monthly, names, amounts)
    history = scoring.exit_history(list(by_month.items()))
    all_months = list(by_month)
    trend_months = all_months[-12:]
    for entry in ranked:
        h = history.get(entry.key, {"bottom": [], "streak": 0, "flagged": False})
        entry.extra = {
            "months": {m: by_month.get(m, {}).get(entry.key) for m in months},
            "flagged": h["flagged"],
            "streak": h["streak"],
            "bottom": h["bottom"],
            "bottom_set": set(h["bottom"]),
            "trend": [(m, by_month[m].get(entry.key)) for m in trend_months],
        }
    return {
        "quarter": quarter,
        "label": quarter_label(quarter),
        "months": months,
        "months_scored": [m for m in months if m in by_month],
        "rows": ranked,
        "flagged": [e for e in ranked if e.extra["flagged"]],
        "history_months": all_months,
        "by_month": by_month,
        "setting": qr,
        "interim": interim,
    }


def quarter_complete(quarter, street_id=None):
    """All three months of the quarter have closed rounds (in the street)."""
    months = scoring.quarter_months(quarter)
    closed = db.session.scalars(select(AssessmentRound.month).where(
        AssessmentRound.month.in_(months), AssessmentRound.status == "closed",
        AssessmentRound.street_id == _street(street_id))).all()
    return len(set(closed)) == 3


def publish_gaps(quarter, street_id=None):
    """What publishing the quarter's ranking now would show incomplete: prize amounts
    not set, companies with a month without a score."""
    gaps = []
    street_id = _street(street_id)
    qr = _quarter_row(quarter, street_id)
    if qr is None or not any((qr.first_prize, qr.second_prize, qr.third_prize)):
        gaps.append("奖金金额尚未填写，公示栏将不显示奖金")
    for entry in ranking_for_quarter(quarter, street_id=street_id)["rows"]:
        empty = [m for m, v in entry.extra["months"].items() if v is None]
        if empty:
            gaps.append(f"{entry.name}：{'、'.join(f'{m.month}月' for m in empty)}没有得分，按其余月份计算")
    return gaps


def set_prizes(quarter, data, street_id=None):
    """The quarter's prize amounts (first, second, third), before it is published."""
    street_id = _street(street_id)
    qr = _quarter_row(quarter, street_id)
    if qr is None:
        qr = QuarterRanking(quarter=quarter, street_id=street_id)
        db.session.add(qr)
    qr.first_prize = float(data["first_prize"])
    qr.second_prize = float(data["second_prize"])
    qr.third_prize = float(data["third_prize"])
    db.session.flush()
    return qr


def publish_quarter(quarter, user, street_id=None):
    """Freeze the street's quarter ranking for its notice board."""
    street_id = _street(street_id)
    if not quarter_complete(quarter, street_id):
        raise ValueError("本季度三个月的考核尚未全部关闭，不能发布排名。")
    qr = _quarter_row(quarter, street_id)
    if qr is None:
        qr = QuarterRanking(quarter=quarter, street_id=street_id)
        db.session.add(qr)
        db.session.flush()
    data = ranking_for_quarter(quarter, street_id=street_id)
    qr.snapshot = [
        {"rank": e.rank, "company_name": e.name, "score": e.score, "prize": e.prize,
         "prize_amount": e.prize_amount, "exit_flag": e.extra["flagged"]}
        for e in data["rows"]
    ]
    qr.published_at = utcnow()
    qr.published_by_id = user.id if user else None
    db.session.flush()
    record(db.session, "publish", qr, note=quarter_label(quarter))
    return qr


def trend_svg_points(trend, width=240, height=60, pad=6, low=None, high=100.0):
    """Polyline points for a company's monthly trend (server-side SVG that prints)."""
    values = [s for _, s in trend if s is not None]
    if not values:
        return "", []
    low = low if low is not None else max(0.0, min(values) - 5)
    if high <= low:
        high = low + 1
    n = max(len(trend) - 1, 1)
    dots = []
    for i, (m, s) in enumerate(trend):
        if s is None:
            continue
        x = pad + (width - 2 * pad) * i / n
        y = pad + (height - 2 * pad) * (1 - (s - low) / (high - low))
        dots.append((round(x, 1), round(y, 1), m, s))
    return " ".join(f"{x},{y}" for x, y, _, _ in dots), dots


SVG_FONT = f'font-family="{SVG_FONT_FAMILY}"'


def trend_svg(name, trend, width=240, height=60):
    """A company's monthly trend as inline SVG markup, built in Python (200 of them on one
    ranking page must stay fast). Server-rendered, so it prints and goes into PDFs."""
    from markupsafe import Markup, escape

    points, dots = trend_svg_points(trend, width, height)
    label = "，".join(f"{m.month}月{'无' if s is None else f'{s:g}分'}" for m, s in trend)
    parts = [f'<svg class="trend" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(name)}月度得分走势：{label}">',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff" stroke="#ccc" stroke-width="0.5"/>']
    if points:
        parts.append(f'<polyline points="{points}" fill="none" stroke="#b71c1c" stroke-width="1.5"/>')
        parts.extend(f'<circle cx="{x}" cy="{y}" r="2" fill="#b71c1c"/>' for x, y, _, _ in dots)
        # Month labels under the first and last points, and the latest score beside the last.
        # Each <text> names the documents' face (pdf.SVG_FONT_FAMILY): left to the renderer,
        # "月" and the digits came from DejaVu Sans and Noto Sans CJK JP, two more fonts.
        (x0, _, m0, _), (x1, y1, m1, s1) = dots[0], dots[-1]
        face = SVG_FONT
        parts.append(f'<text x="{x0}" y="{height - 1}" font-size="7" {face} fill="#555">{m0.month}月</text>'
                     f'<text x="{x1}" y="{height - 1}" font-size="7" {face} text-anchor="end" fill="#555">{m1.month}月</text>'
                     f'<text x="{x1}" y="{max(y1 - 4, 8)}" font-size="8" {face} text-anchor="end" fill="#000">{s1:g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))

