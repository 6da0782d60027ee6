"""Dates as ISO 8601 prefixes: '1970', '1970-05', '1970-05-03'."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ]
    )
    for m in names
}

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_D_MON_Y = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})$")


def _valid(year: int, month: int | None, day: int | None) -> str | None:
    if not 1000 <= year <= 2100:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_date_prefix(value: str) -> str | None:
    """'1970-5-3', '03.05.1970', '3 May 1970', 'May 1970', '1970' -> ISO prefix; None if not a date.

    Day-first for numeric forms (the convention of every list we read).
    """
    text = value.strip()
    if not text:
        return None
    if m := _ISO.match(text):
        return _valid(int(m[1]), int(m[2]) if m[2] else None, int(m[3]) if m[3] else None)
    if m := _DMY.match(text):
        return _valid(int(m[3]), int(m[2]), int(m[1]))
    if m := _D_MON_Y.match(text):
        month = _MONTHS.get(m[2].lower())
        if month is None:
            return None
        return _valid(int(m[3]), month, int(m[1]) if m[1] else None)
    return None
