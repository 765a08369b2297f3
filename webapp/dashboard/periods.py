"""Report periods: a month ("2026-11") or a quarter ("2026-Q4"), with their bounds.

Pure date arithmetic, no database: the dashboard, the report and their tests share it.
Bounds are half-open, `start <= day < end`, in the street's calendar. `utc_bounds()` turns
them into naive UTC for columns stamped with `clock.utcnow()`; `local_bounds()` gives
naive local datetimes for times typed as wall-clock times (a meeting's start).
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ..clock import utc_from_local

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
CN_QUARTERS = "一二三四"


def month_start(day):
    return day.replace(day=1)


def add_months(first, n):
    """The first day of the month `n` months after (or before) `first`."""
    index = first.year * 12 + first.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """A month (`quarter` 0) or a quarter (`month` 0) of `year`."""

    year: int
    month: int = 0
    quarter: int = 0

    @classmethod
    def parse(cls, slug):
        """'2026-11' or '2026-Q4' → Period; ValueError (Chinese) for anything else."""
        slug = (slug or "").upper()
        m = _MONTH.match(slug)
        if m and 1 <= int(m.group(2)) <= 12 and 2000 <= int(m.group(1)) <= 2100:
            return cls(int(m.group(1)), month=int(m.group(2)))
        q = _QUARTER.match(slug)
        if q and 2000 <= int(q.group(1)) <= 2100:
            return cls(int(q.group(1)), quarter=int(q.group(2)))
        raise ValueError("报告期应写作 2026-11（月）或 2026-Q4（季度）。")

    @classmethod
    def month_of(cls, day):
        return cls(day.year, month=day.month)

    @classmethod
    def quarter_of(cls, day):
        return cls(day.year, quarter=(day.month - 1) // 3 + 1)

    @property
    def is_quarter(self):
        return self.quarter > 0

    @property
    def slug(self):
        return f"{self.year}-Q{self.quarter}" if self.is_quarter else f"{self.year}-{self.month:02d}"

    @property
    def label(self):
        if self.is_quarter:
            return f"{self.year}年第{CN_QUARTERS[self.quarter - 1]}季度"
        return f"{self.year}年{self.month}月"

    @property
    def start(self):
        return date(self.year, self.month or (self.quarter - 1) * 3 + 1, 1)

    @property
    def end(self):
        """The first day after the period."""
        return add_months(self.start, 3 if self.is_quarter else 1)

    @property
    def last_day(self):
        return self.end - timedelta(days=1)

    @property
    def months(self):
        """The first day of each month in the period."""
        return [add_months(self.start, i) for i in range(3 if self.is_quarter else 1)]

    @property
    def assessment_quarter(self):
        """The assessments' quarter key ('2026Q4') the period falls in."""
        return f"{self.year}Q{(self.start.month - 1) // 3 + 1}"

    def previous(self):
        first = add_months(self.start, -3 if self.is_quarter else -1)
        return Period.quarter_of(first) if self.is_quarter else Period.month_of(first)

    def is_closed(self, today):
        """The period has ended: its figures no longer change (its report can be issued)."""
        return self.end <= today

    def as_of(self, today):
        """The day the period's figures stand at: its last day, or today while it runs."""
        return min(self.last_day, today)

    def local_bounds(self):
        return datetime.combine(self.start, time()), datetime.combine(self.end, time())

    def utc_bounds(self):
        lo, hi = self.local_bounds()
        return utc_from_local(lo), utc_from_local(hi)


def trailing_months(last_first_day, n=12):
    """The first days of the `n` months ending with the month of `last_first_day`."""
    return [add_months(month_start(last_first_day), i - n + 1) for i in range(n)]


def month_bounds_local(first):
    return datetime.combine(first, time()), datetime.combine(add_months(first, 1), time())


def month_bounds_utc(first):
    lo, hi = month_bounds_local(first)
    return utc_from_local(lo), utc_from_local(hi)


def month_labels(months):
    """Chart labels for a run of months: '12月', with the year where it starts or turns
    ('2025年12月', '2026年1月')."""
    return [f"{m.year}年{m.month}月" if i == 0 or m.month == 1 else f"{m.month}月" for i, m in enumerate(months)]
