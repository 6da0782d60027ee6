"""The two databases a case store runs on: SQLite (default) and PostgreSQL.

- SQLite: ``<WATCHLIST_HOME>/cases.db``, a file of its own so a long list load never
  blocks an analyst's decision.
- PostgreSQL: when ``Settings.database_url`` (``WATCHLIST_DATABASE_URL``) is a
  ``postgresql://`` URL, for teams of analysts. Needs ``pip install 'watchlist[postgres]'``.

Each backend only connects, creates the schema and translates what its dialect must
(placeholders, column types, triggers, batch inserts); the SQL is `SqlCaseStore`'s.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from watchlist.cases.logins import LoginLimits
from watchlist.cases.schema import PG_TRIGGERS, SQLITE_TRIGGERS, TABLES
from watchlist.cases.store import CaseStore, SqlCaseStore
from watchlist.errors import ConfigError


def open_case_store(settings: Any) -> CaseStore:
    """The case store the settings ask for: PostgreSQL at `database_url`, else SQLite in `home`."""
    limits = LoginLimits.from_settings(settings)
    url = getattr(settings, "database_url", None)
    store: SqlCaseStore = PostgresCaseStore.open(url) if url else SqliteCaseStore.open(Path(settings.home) / "cases.db")
    store.login_limits = limits
    return store


# -- SQLite ------------------------------------------------------------------------------------


class SqliteCaseStore(SqlCaseStore):
    backend = "sqlite"
    _begin_sql = "BEGIN IMMEDIATE"  # take the write lock at once: reads in a transaction are then current

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        super().__init__()
        self._conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> SqliteCaseStore:
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(TABLES.format(serial="INTEGER PRIMARY KEY AUTOINCREMENT", real="REAL"))
        conn.executescript(SQLITE_TRIGGERS)
        return cls(conn, path)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(sql, tuple(params))

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def explain(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        with self._lock:
            return [str(row[3]) for row in self._conn.execute("EXPLAIN QUERY PLAN " + sql, tuple(params))]


# -- PostgreSQL ----------------------------------------------------------------------------------


class PostgresCaseStore(SqlCaseStore):
    backend = "postgres"
    _lock_row = " FOR UPDATE"

    def __init__(self, conn: Any, url: str) -> None:
        super().__init__()
        self._conn = conn
        self.url = url

    @classmethod
    def open(cls, url: str) -> PostgresCaseStore:
        try:
            import psycopg
        except ImportError as exc:
            raise ConfigError("a PostgreSQL case store needs: pip install 'watchlist[postgres]'") from exc
        try:
            conn = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise ConfigError(f"cannot connect to WATCHLIST_DATABASE_URL: {exc}".strip()) from exc
        store = cls(conn, url)
        with store._lock, store._transaction():
            conn.execute("SELECT pg_advisory_xact_lock(7010)")  # two processes starting at once
            for statement in _split(
                TABLES.format(
                    serial="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", real="DOUBLE PRECISION"
                )
            ):
                conn.execute(statement)
            conn.execute(PG_TRIGGERS)
        return store

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(self._sql(sql), tuple(params))

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(self._sql(sql), list(rows))

    def _insert_returning(self, sql: str, rows: list[Sequence[Any]]) -> list[int]:
        ids: list[int] = []
        with self._conn.cursor() as cur:
            cur.executemany(self._sql(sql), rows, returning=True)
            while True:
                ids.append(int(cur.fetchone()[0]))
                if not cur.nextset():
                    break
        return ids

    def explain(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        with self._lock:
            return [str(row[0]) for row in self._execute("EXPLAIN " + sql, params).fetchall()]


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
