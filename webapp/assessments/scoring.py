"""The pure computation of the assessment: no database, no Flask.

Every rule the street states on its pages lives here, so tests can check it directly:
item points from findings and floors, a sheet's result from several scorers, a
company's monthly and quarterly score, the ranking with its tie-break, prizes and the
exit mechanism (bottom three in three consecutive assessments).
"""
import heapq
from dataclasses import dataclass, field
from datetime import date

TIE_BREAK_TEXT = ("季度得分相同时，季度内最低月度得分较高者排名在前；仍相同的，名次并列"
                  "（并列者同享该名次的奖项），按企业名称排序显示。")
EXIT_RULE_TEXT = "连续三次月度考核排名倒数三名（含并列）的企业，列入退出机制名单；连续两次不列入。"
PRIZES = ((1, "一等奖"), (2, "二等奖"), (3, "三等奖"))
EXIT_STREAK = 3
BOTTOM = 3


def r2(value):
    """Scores are shown and compared with two decimals."""
    return round(value + 0.0, 2)


def item_points(full, rule, per_finding=1.0, floor=0.0, findings=0, judged=None):
    """Points for one item.

    per_finding: full − per_finding × findings, never below `floor` (nor below 0).
    judged: the scorer's score, which must lie in [0, full].
    Raises ValueError with a Chinese message on impossible input.
    """
    if rule == "judged":
        if judged is None:
            raise ValueError("请填写得分。")
        if judged < 0:
            raise ValueError("得分不能为负数。")
        if judged > full:
            raise ValueError(f"得分不能超过满分 {full:g} 分。")
        return r2(judged)
    if findings is None or findings < 0:
        raise ValueError("问题数不能为负数。")
    if findings != int(findings):
        raise ValueError("问题数必须是整数。")
    return r2(max(floor, 0.0, full - per_finding * findings))


def combine_scorers(totals, cadre_weight, rep_weight):
    """A sheet's result from its scorers' totals.

    `totals` is a list of (kind, total) with kind 'cadre' or 'rep'. Each group is
    averaged; the groups are combined by their weights, normalised to sum 1. With only
    one group present, its mean. With no scorer, None.
    """
    groups = {"cadre": [], "rep": []}
    for kind, total in totals:
        if total is not None:
            groups[kind].append(total)
    parts = []
    for kind, weight in (("cadre", cadre_weight), ("rep", rep_weight)):
        if groups[kind] and weight > 0:
            parts.append((sum(groups[kind]) / len(groups[kind]), weight))
    if not parts:
        # Weights of 0 on the only group present: fall back to the plain mean.
        values = groups["cadre"] + groups["rep"]
        return r2(sum(values) / len(values)) if values else None
    weight_sum = sum(w for _, w in parts)
    return r2(sum(mean * w for mean, w in parts) / weight_sum)


def mean(values):
    values = [v for v in values if v is not None]
    return r2(sum(values) / len(values)) if values else None


@dataclass
class Placed:
    """One company's line in a ranking."""

    key: object
    name: str
    score: float
    tie_key: float = 0.0
    rank: int = 0
    prize: str = ""
    prize_amount: float = 0.0
    extra: dict = field(default_factory=dict)


def rank(entries):
    """Rank Placed entries: score desc, then tie_key desc; exact ties share a rank.

    Competition ranking: two companies tied for first are both 1st, the next is 3rd.
    """
    ordered = sorted(entries, key=lambda e: (-r2(e.score), -r2(e.tie_key), e.name))
    previous = None
    for position, entry in enumerate(ordered, start=1):
        signature = (r2(entry.score), r2(entry.tie_key))
        entry.rank = previous[1] if previous and previous[0] == signature else position
        previous = (signature, entry.rank)
    return ordered


def award_prizes(ranked, amounts):
    """First, second, third prize by rank (ties share); `amounts` is (first, second, third)."""
    for entry in ranked:
        for place, label in PRIZES:
            if entry.rank == place:
                entry.prize = label
                entry.prize_amount = amounts[place - 1]
    return ranked


def bottom_keys(month_scores):
    """Companies in the bottom three of one month: {key: score} → set of keys.

    Ties at the boundary are all included (a company tied with the third-from-last is
    in the bottom three too). With three or fewer companies nobody is 'bottom'.
    """
    if len(month_scores) <= BOTTOM:
        return set()
    rounded = {key: r2(s) for key, s in month_scores.items()}
    cutoff = heapq.nsmallest(BOTTOM, rounded.values())[-1]
    return {key for key, s in rounded.items() if s <= cutoff}


def exit_history(months):
    """For each company, its bottom-three placements over consecutive closed months.

    `months` is a list of (month, {key: score}) in month order. Returns
    {key: {"bottom": [month, ...], "streak": n, "flagged": bool}} where `streak` counts the
    consecutive bottom placements ending at the last month a company was scored, and
    `flagged` is True once that streak reaches exactly three or more.
    """
    history = {}
    for month, scores in months:
        bottom = bottom_keys(scores)
        for key in scores:
            h = history.setdefault(key, {"bottom": [], "streak": 0, "flagged": False, "max_streak": 0})
            if key in bottom:
                h["bottom"].append(month)
                h["streak"] += 1
            else:
                h["streak"] = 0
            h["max_streak"] = max(h["max_streak"], h["streak"])
            h["flagged"] = h["streak"] >= EXIT_STREAK
    return history


def quarter_months(quarter):
    """'2026Q3' → [date(2026,7,1), date(2026,8,1), date(2026,9,1)]; ValueError if malformed."""
    try:
        year_s, q_s = quarter.upper().split("Q")
        year, q = int(year_s), int(q_s)
    except (ValueError, AttributeError):
        raise ValueError("季度格式应为 2026Q3。")
    if not (1 <= q <= 4) or not (2000 <= year <= 2100):
        raise ValueError("季度格式应为 2026Q3。")
    return [date(year, 3 * (q - 1) + m, 1) for m in (1, 2, 3)]


def quarter_of(month):
    return f"{month.year}Q{(month.month - 1) // 3 + 1}"


def quarter_ranking(monthly, names, amounts):
    """Rank companies for a quarter.

    `monthly` is {key: [score of each closed month in the quarter]}; the quarter score is
    their mean, the tie key the lowest month. Returns ranked Placed entries with prizes.
    """
    entries = []
    for key, scores in monthly.items():
        scores = [s for s in scores if s is not None]
        if not scores:
            continue
        entries.append(Placed(key=key, name=names[key], score=mean(scores), tie_key=min(scores)))
    return award_prizes(rank(entries), amounts)
