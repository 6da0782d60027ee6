"""Dates as ISO 8601 prefixes: '1970', '1970-05', '1970-05-03'."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Final

_MONTHS: Final = {
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

_ISO: Final = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T.*)?$")
_DMY: Final = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$")
_DD_MM_YYYY_PREFIX: Final = re.compile(r"^dd/mm/", re.IGNORECASE)
_D_MON_Y: Final = re.compile(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?\s+(\d{4})$")


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


@lru_cache(maxsize=65_536)  # batch files repeat birth dates: a century holds 36,525 days
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
        # '00' marks an unknown day or month (UK OFSI: '00/00/1961', '00/05/1961').
        num_month, num_day = int(m[2]), int(m[1])
        if num_month == 0:
            return _valid(int(m[3]), None, None) if num_day == 0 else None
        return _valid(int(m[3]), num_month, num_day if num_day else None)
    if m := _D_MON_Y.match(text):
        month = _MONTHS.get(m[2].lower())
        if month is None:
            return None
        return _valid(int(m[3]), month, int(m[1]) if m[1] else None)
    return None


_APPROX: Final = re.compile(r"^(?:circa|ca\.?|c\.|approx\.?|approximately|about|around)\s+", re.IGNORECASE)
_RANGE: Final = re.compile(r"^(?:between\s+)?(.+?)\s+(?:to|and|until|-|–)\s+(.+)$", re.IGNORECASE)


def parse_date(value: str) -> str | None:
    """Like `parse_date_prefix`, and also the forms lists use for uncertain dates.

    'circa 1965' -> '1965'; '1968 to 1970' / 'between 1968 and 1970' -> '1968/1970';
    '01 Jan 1960 to 31 Dec 1962' -> '1960/1962' (whole years collapse);
    'dd/mm/1970' -> '1970'; a trailing full stop is ignored. None when no date is found.
    """
    text = value.strip().rstrip(".").strip()
    text = _DD_MM_YYYY_PREFIX.sub("00/00/", text)
    text = _APPROX.sub("", text)
    if not text:
        return None
    single = parse_date_prefix(text)
    if single is not None:
        return single
    if m := _RANGE.match(text):
        start, end = parse_date_prefix(m[1]), parse_date_prefix(m[2])
        if start and end:
            return date_interval(start, end)
    return None


def date_interval(start: str, end: str) -> str:
    """'1968', '1970' -> '1968/1970'; equal ends -> one date; 'YYYY-01-01'..'YYYY-12-31' -> years."""
    if start.endswith("-01-01") and end.endswith("-12-31"):
        start, end = start[:4], end[:4]
    if start == end:
        return start
    if end < start:
        start, end = end, start
    return f"{start}/{end}"


DateParts = tuple[int, int | None, int | None]


def date_parts(value: str) -> list[DateParts]:
    """'1970-05-03' -> [(1970, 5, 3)]; a range '1968/1970' -> every year in it (twenty at most)."""
    if "/" in value:
        start, _, end = value.partition("/")
        try:
            first, last = int(start[:4]), int(end[:4])
        except ValueError:
            return []
        return [(y, None, None) for y in range(first, min(last, first + 20) + 1)]
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else None
        day = int(parts[2][:2]) if len(parts) > 2 else None
    except ValueError:
        return []
    return [(year, month, day)]


def telling_days(values: Iterable[str]) -> frozenset[DateParts]:
    """The whole dates among these that are not 1 January: lists write a year they know alone as
    1 January, so only another day tells one person from the others born that year."""
    return frozenset(d for v in values for d in date_parts(v) if d[2] is not None and (d[1], d[2]) != (1, 1))


def day_key(day: DateParts) -> str:
    """(1970, 5, 3) -> '1970-05-03'."""
    return f"{day[0]:04d}-{day[1] or 0:02d}-{day[2] or 0:02d}"

