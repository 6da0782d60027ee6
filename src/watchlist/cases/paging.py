"""Alert queues: the filters as SQL, and keyset paging over ``(created_at, id)`` or ``(score, id)``.

The page cursor is the sort key and id of a page's last alert; with matching indexes
page 2,000 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import json
import math
from typing import Any

from watchlist.cases.model import ALERT_STATUSES, PAGE_MAX, AlertFilter, PageRequest
from watchlist.cases.schema import ALERT_COLUMNS
from watchlist.cases.sql import clip, is_row_id
from watchlist.errors import QueryError

_CURSOR_MAX = 1000  # characters; a real cursor is under 100


def _day_end(value: str) -> str:
    """An inclusive upper bound: a bare date covers the whole day."""
    return value + "T99" if len(value) == 10 else value


def encode_cursor(key: Any, alert_id: int) -> str:
    raw = json.dumps([key, alert_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, order: str = "newest") -> tuple[Any, int]:
    """The sort key and alert id a cursor holds, checked: a forged cursor is a QueryError, never a 500.

    The key is a creation time (text) for the 'newest' order and a finite score for 'score';
    the id a whole number a database id can be.
    """
    try:
        if len(cursor) > _CURSOR_MAX:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, alert_id = json.loads(raw)
        if order == "score":
            if isinstance(key, bool) or not isinstance(key, int | float) or not math.isfinite(key):
                raise ValueError("not a score")
        elif not isinstance(key, str):
            raise ValueError("not a time")
        if isinstance(alert_id, bool) or not isinstance(alert_id, int) or not is_row_id(alert_id):
            raise ValueError("not an alert id")
        return key, alert_id
    except (ValueError, TypeError, RecursionError) as exc:
        shown = clip(cursor, 40)
        raise QueryError(f"page cursor {shown!r} is not valid: start again from the first page") from exc


def page_limit(page: PageRequest) -> int:
    """How many alerts one page holds (1 to PAGE_MAX)."""
    return max(1, min(page.limit, PAGE_MAX))


def alert_query(filters: AlertFilter, page: PageRequest) -> tuple[str, list[Any]]:
    """The SELECT of one page (one row more than the page, to tell whether another follows)."""
    where: list[str] = []
    params: list[Any] = []
    if filters.status:
        for status in filters.status:
            if status not in ALERT_STATUSES:
                raise QueryError(f"alert status {status!r} is not one of {', '.join(ALERT_STATUSES)}")
        where.append(f"a.status IN ({', '.join('?' for _ in filters.status)})")
        params.extend(filters.status)
    for clause, value in (
        ("a.score >= ?", filters.min_score),
        ("a.score <= ?", filters.max_score),
        ("a.source = ?", filters.source),
        ("a.created_at >= ?", filters.created_from),
        ("a.created_at <= ?", _day_end(filters.created_to) if filters.created_to else None),
        ("a.party_key = ?", filters.party_key),
        ("a.entity_id = ?", filters.entity_id),
    ):
        if value is not None and value != "":  # a score of 0 filters; an empty text does not
            where.append(clause)
            params.append(value)
    for kind, value in (("dataset", filters.dataset), ("program", filters.program)):
        if value:
            where.append(
                "EXISTS (SELECT 1 FROM alert_tags t WHERE t.alert_id = a.id AND t.kind = ? AND t.value = ?)"
            )
            params.extend((kind, value))
    key = "a.score" if page.order == "score" else "a.created_at"
    if page.after:
        value, after_id = decode_cursor(page.after, page.order)
        where.append(f"({key}, a.id) < (?, ?)")  # a row value: an index range, not a filter
        params.extend((value, after_id))
    limit = page_limit(page)
    sql = f"SELECT {', '.join('a.' + c.strip() for c in ALERT_COLUMNS.split(','))} FROM alerts a"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {key} DESC, a.id DESC LIMIT {limit + 1}"
    return sql, params
