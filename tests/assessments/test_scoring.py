"""The street's scoring rules, checked on the pure functions (no database)."""
from datetime import date

import pytest

from webapp.assessments import scoring


def test_per_finding_deducts_each_finding():
    assert scoring.item_points(15, "per_finding", per_finding=1, findings=0) == 15
    assert scoring.item_points(15, "per_finding", per_finding=1, findings=3) == 12
    assert scoring.item_points(10, "per_finding", per_finding=2, findings=2) == 6


def test_deductions_stop_at_the_floor():
    assert scoring.item_points(10, "per_finding", per_finding=2, findings=9) == 0
    assert scoring.item_points(10, "per_finding", per_finding=2, floor=4, findings=5) == 4
    assert scoring.item_points(3, "per_finding", per_finding=1.5, findings=1) == 1.5


def test_judged_score_must_lie_between_zero_and_full():
    assert scoring.item_points(15, "judged", judged=12.5) == 12.5
    with pytest.raises(ValueError, match="超过满分"):
        scoring.item_points(15, "judged", judged=16)
    with pytest.raises(ValueError, match="负数"):
        scoring.item_points(15, "judged", judged=-1)
    with pytest.raises(ValueError, match="负数"):
        scoring.item_points(15, "per_finding", findings=-1)


def test_several_scorers_combined_by_the_rounds_weights():
    # cadres average 90, representatives average 80; 0.7 / 0.3 → 87
    totals = [("cadre", 92), ("cadre", 88), ("rep", 80)]
    assert scoring.combine_scorers(totals, 0.7, 0.3) == 87.0
    # weights are normalised: 2 and 1 behave like 2/3 and 1/3
    assert scoring.combine_scorers([("cadre", 90), ("rep", 60)], 2, 1) == 80.0


def test_only_one_kind_of_scorer_gives_its_mean():
    assert scoring.combine_scorers([("rep", 70), ("rep", 80)], 0.7, 0.3) == 75.0
    assert scoring.combine_scorers([("cadre", 91)], 0.7, 0.3) == 91.0
    assert scoring.combine_scorers([], 0.7, 0.3) is None


def test_ties_broken_by_the_lowest_month_then_shared():
    monthly = {
        "a": [90, 90, 90],  # 90, lowest 90
        "b": [95, 85, 90],  # 90, lowest 85 → behind a
        "c": [90, 90, 90],  # exactly equal to a → shares rank 1
        "d": [80, 80, 80],
    }
    names = {"a": "甲物业", "b": "乙物业", "c": "丙物业", "d": "丁物业"}
    ranked = scoring.quarter_ranking(monthly, names, (5000, 3000, 2000))
    by_key = {e.key: e for e in ranked}
    assert by_key["a"].rank == by_key["c"].rank == 1
    assert by_key["b"].rank == 3  # competition ranking: two firsts, then third
    assert by_key["d"].rank == 4
    assert by_key["a"].prize == by_key["c"].prize == "一等奖"
    assert by_key["b"].prize == "三等奖" and by_key["b"].prize_amount == 2000
    assert by_key["d"].prize == ""
    assert "最低月度得分" in scoring.TIE_BREAK_TEXT


def _months(*bottom_sets, companies="ABCDEF"):
    """Months where the named companies score lowest (60) and the others 90."""
    out = []
    for i, bottom in enumerate(bottom_sets):
        out.append((date(2026, 7 + i, 1), {c: (60 if c in bottom else 90) for c in companies}))
    return out


def test_exit_flag_after_exactly_three_consecutive_bottom_placements():
    history = scoring.exit_history(_months("ABC", "ADE", "AEF"))
    assert history["A"]["flagged"] is True and history["A"]["streak"] == 3
    assert history["E"]["streak"] == 2 and history["E"]["flagged"] is False


def test_no_exit_flag_after_two():
    history = scoring.exit_history(_months("ABC", "ABD"))
    assert history["A"]["streak"] == 2
    assert not any(h["flagged"] for h in history.values())


def test_streak_restarts_when_a_month_is_good():
    history = scoring.exit_history(_months("ABC", "ABD", "DEF", "ABC"))
    assert history["A"]["streak"] == 1 and not history["A"]["flagged"]
    assert history["A"]["bottom"] == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 10, 1)]


def test_bottom_three_includes_ties_at_the_boundary():
    assert scoring.bottom_keys({"a": 90, "b": 80, "c": 70, "d": 70, "e": 70}) == {"c", "d", "e"}
    assert scoring.bottom_keys({"a": 95, "b": 90, "c": 80, "d": 80, "e": 60}) == {"c", "d", "e"}
    assert scoring.bottom_keys({"a": 90, "b": 80, "c": 70}) == set()  # three companies: nobody is "bottom"


def test_quarter_months():
    assert scoring.quarter_months("2026Q3") == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert scoring.quarter_of(date(2026, 11, 1)) == "2026Q4"
    for bad in ("2026Q5", "2026", "abcQ1", ""):
        with pytest.raises(ValueError):
            scoring.quarter_months(bad)
