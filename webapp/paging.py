"""Counting for pagers without counting a whole table.

A list shows one page; its pager says how many pages there are. Counting every matching
row costs as much as the table is large (a 100,000-row count is most of a page's time),
so lists count at most COUNT_CAP rows past the page shown: up to there the pager is
exact, beyond it it says "超过 N 条" and keeps a "下一页" link. The audit log does the same
with its own cap."""
from sqlalchemy import func, select

from .extensions import db

COUNT_CAP = 1000


def bounded_count(stmt, id_col, page=1, page_size=50, cap=COUNT_CAP):
    """(count, capped): how many rows `stmt` matches, counted up to `cap` past the page's
    start (plus one, to know there are more); `capped` when the count stopped there."""
    limit = (page - 1) * page_size + cap + 1
    limited = stmt.with_only_columns(id_col).order_by(None).limit(limit).subquery()
    total = db.session.scalar(select(func.count()).select_from(limited)) or 0
    return total, total >= limit
