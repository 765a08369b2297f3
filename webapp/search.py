"""Text search in SQL, written once for every search box."""
from sqlalchemy import or_


def matches(text, *columns, ignore_case=False):
    """SQL: one of `columns` contains `text` as typed. LIKE's own characters in `text`
    (`%`, `_` and the escape character) match themselves: "50%" finds "50%", not every
    row, and "A_1" does not find "AB1"."""
    method = "icontains" if ignore_case else "contains"
    return or_(*(getattr(column, method)(text, autoescape=True) for column in columns))
