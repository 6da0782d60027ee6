"""What every part of the case store shares: the backend hooks, transactions and the audit insert.

SQL in this package is written once, with `?` placeholders; a backend (`watchlist.cases.backends`)
supplies the connection and translates only what its dialect must.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

# An audit line is bounded whatever a client sends: each name at most AUDIT_NAME_MAX characters,
# each text in the details at most AUDIT_TEXT_MAX, the details' JSON at most AUDIT_DETAILS_MAX.
AUDIT_NAME_MAX = 200
AUDIT_TEXT_MAX = 2000
AUDIT_DETAILS_MAX = 16_000
_AUDIT_ITEMS_MAX = 100  # entries kept of one list or mapping in the details
ROW_ID_MAX = 2**63 - 1  # the largest id either database stores (BIGINT)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SqlBase:
    """Connection hooks (one connection, a lock around it) and the helpers built on them."""

    backend = "sql"
    _begin_sql = "BEGIN"
    _lock_row = ""  # what a SELECT appends to lock the rows it reads until the transaction ends
    _conn: Any  # a DB-API connection in autocommit mode: transactions are begun explicitly

    def __init__(self) -> None:
        self._lock = threading.RLock()

    # backend hooks -------------------------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        raise NotImplementedError

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _insert_returning(self, sql: str, rows: list[Sequence[Any]]) -> list[int]:
        """Insert rows with `RETURNING id`; the new ids in order."""
        return [int(self._execute(sql, row).fetchone()[0]) for row in rows]

    def explain(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        raise NotImplementedError

    # the same on both databases -----------------------------------------------------------
    def _begin(self) -> None:
        self._conn.execute(self._begin_sql)

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        self._conn.execute("ROLLBACK")

    def analyze(self) -> None:
        with self._lock:
            self._conn.execute("ANALYZE")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def raw(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement outside the API (tests use it to prove the triggers refuse edits)."""
        with self._lock:
            self._execute(sql, params)

    # transactions ----------------------------------------------------------------------
    def _transaction(self) -> Tx:
        return Tx(self)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._execute(sql, params).fetchall())

    # audit ------------------------------------------------------------------------------
    def _audit(self, actor: str, action: str, target: str | None, details: dict[str, Any], at: str) -> int:
        """Append one audit line, every field bounded (see AUDIT_*_MAX)."""
        row = self._one(
            "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (
                at,
                clip(actor, AUDIT_NAME_MAX),
                clip(action, AUDIT_NAME_MAX),
                None if target is None else clip(target, AUDIT_NAME_MAX),
                bounded_details(details),
            ),
        )
        return int(row[0])


class Tx:
    """A transaction on the store's single connection: commit on success, roll back on error."""

    def __init__(self, store: SqlBase) -> None:
        self.store = store

    def __enter__(self) -> None:
        self.store._lock.acquire()
        self.store._begin()

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        try:
            if exc_type is None:
                self.store._commit()
            else:
                self.store._rollback()
        finally:
            self.store._lock.release()


def clip(text: str, limit: int) -> str:
    """`text`, cut to `limit` characters with a note of how many were dropped."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def _bounded(value: Any) -> Any:
    if isinstance(value, str):
        return clip(value, AUDIT_TEXT_MAX)
    if isinstance(value, dict):
        items = list(value.items())
        return {clip(str(k), AUDIT_NAME_MAX): _bounded(v) for k, v in items[:_AUDIT_ITEMS_MAX]}
    if isinstance(value, list | tuple):
        return [_bounded(v) for v in value[:_AUDIT_ITEMS_MAX]]
    return value


def bounded_details(details: dict[str, Any]) -> str:
    """The details as JSON, each text clipped and the whole at most AUDIT_DETAILS_MAX characters."""
    text = json.dumps(_bounded(details), ensure_ascii=False, sort_keys=True)
    if len(text) > AUDIT_DETAILS_MAX:
        text = json.dumps({"clipped": clip(text, AUDIT_DETAILS_MAX)}, ensure_ascii=False)
    return text


def is_row_id(value: int) -> bool:
    """Whether `value` can be a row id in either database (so a query with it cannot overflow)."""
    return 0 <= value <= ROW_ID_MAX
