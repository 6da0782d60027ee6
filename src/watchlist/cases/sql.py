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


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SqlBase:
    """Connection hooks (one connection, a lock around it) and the helpers built on them."""

    backend = "sql"

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

    def _begin(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def explain(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # transactions ----------------------------------------------------------------------
    def _transaction(self) -> Tx:
        return Tx(self)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._execute(sql, params).fetchall())

    # audit ------------------------------------------------------------------------------
    def _audit(self, actor: str, action: str, target: str | None, details: dict[str, Any], at: str) -> int:
        row = self._one(
            "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (at, actor, action, target, json.dumps(details, ensure_ascii=False, sort_keys=True)),
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
