"""Monitoring state: portfolios, their parties, each party's current hits and the list version last monitored.

Tables live in the list store's SQLite file (`Settings.db_path`), beside the snapshots,
so a monitor run and the list versions it compares are in one place. Only plain records
here; the re-screening that uses them is `watchlist.batch.monitor`, its neighbour.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from watchlist.errors import ConfigError, NotFoundError

MONITOR_SCHEMA = """
CREATE TABLE IF NOT EXISTS monitor_portfolios (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    source     TEXT
);
CREATE TABLE IF NOT EXISTS monitor_parties (
    portfolio   TEXT NOT NULL,
    party_id    TEXT NOT NULL,
    record      TEXT NOT NULL,
    record_hash TEXT NOT NULL,
    screened_at TEXT,
    PRIMARY KEY (portfolio, party_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS monitor_hits (
    portfolio   TEXT NOT NULL,
    party_id    TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    entity_hash TEXT NOT NULL,
    score       REAL NOT NULL,
    caption     TEXT NOT NULL,
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    PRIMARY KEY (portfolio, party_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS monitor_hits_by_entity ON monitor_hits (entity_id);
CREATE TABLE IF NOT EXISTS monitor_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS monitor_runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    version   TEXT NOT NULL,
    mode      TEXT NOT NULL,
    screened  INTEGER NOT NULL,
    summary   TEXT NOT NULL
);
"""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def record_hash(record: dict[str, Any]) -> str:
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Party:
    portfolio: str
    party_id: str
    record: dict[str, Any]  # canonical batch fields: id, schema, name, birth_date, country, id_number

    @property
    def key(self) -> str:
        """The party's key in the case store (alerts and decisions)."""
        return f"monitor:{self.portfolio}:{self.party_id}"


@dataclass(frozen=True, slots=True)
class Hit:
    portfolio: str
    party_id: str
    entity_id: str
    entity_hash: str
    score: float
    caption: str


class MonitorStore:
    """Monitor tables in the store's SQLite file. One per process; thread-safe."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path) -> MonitorStore:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA busy_timeout=60000")
            conn.executescript(MONITOR_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"{path} is not a usable watchlist store ({exc}); point WATCHLIST_HOME elsewhere") from exc
        return cls(conn)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- portfolios and parties ---------------------------------------------------

    def upsert_parties(self, portfolio: str, records: Iterable[dict[str, Any]], source: str | None = None,
                       replace: bool = False) -> tuple[list[Party], list[str]]:
        """Store the parties; returns (new or changed parties, ids removed when `replace`)."""
        changed: list[Party] = []
        seen: set[str] = set()
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("INSERT OR IGNORE INTO monitor_portfolios (name, created_at, source) VALUES (?, ?, ?)",
                             (portfolio, _now(), source))
                known = dict(conn.execute("SELECT party_id, record_hash FROM monitor_parties WHERE portfolio = ?",
                                          (portfolio,)).fetchall())
                for record in records:
                    party_id = str(record["id"])
                    if party_id in seen:  # the second would replace the first, which would vanish from monitoring
                        raise ConfigError(f"{source or portfolio}: party id {party_id!r} is given twice; each party "
                                          "of a portfolio needs its own id (or leave the ids out: rows are numbered)")
                    seen.add(party_id)
                    digest = record_hash(record)
                    if known.get(party_id) == digest:
                        continue
                    conn.execute(
                        "INSERT INTO monitor_parties (portfolio, party_id, record, record_hash) VALUES (?, ?, ?, ?)"
                        " ON CONFLICT (portfolio, party_id) DO UPDATE SET record = excluded.record,"
                        " record_hash = excluded.record_hash",
                        (portfolio, party_id, json.dumps(record, ensure_ascii=False, default=str), digest))
                    changed.append(Party(portfolio, party_id, record))
                if replace and known and not seen:
                    raise ConfigError(f"{source or portfolio} has no rows: --replace would remove all {len(known):,} "
                                      f"parties of portfolio {portfolio!r}; give the parties it keeps, or leave out --replace")
                removed = sorted(set(known) - seen) if replace else []
                for party_id in removed:
                    conn.execute("DELETE FROM monitor_parties WHERE portfolio = ? AND party_id = ?", (portfolio, party_id))
                    conn.execute("DELETE FROM monitor_hits WHERE portfolio = ? AND party_id = ?", (portfolio, party_id))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return changed, removed

    def portfolios(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT name FROM monitor_portfolios ORDER BY name")]

    def parties(self, portfolio: str | None = None) -> Iterator[Party]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT portfolio, party_id, record FROM monitor_parties"
                + (" WHERE portfolio = ?" if portfolio else "") + " ORDER BY portfolio, party_id",
                (portfolio,) if portfolio else (),
            ).fetchall()
        for p, pid, record in rows:
            yield Party(p, pid, json.loads(record))

    def get_parties(self, keys: Iterable[tuple[str, str]]) -> list[Party]:
        out = []
        with self._lock:
            for portfolio, party_id in sorted(set(keys)):
                row = self._conn.execute("SELECT record FROM monitor_parties WHERE portfolio = ? AND party_id = ?",
                                         (portfolio, party_id)).fetchone()
                if row is not None:
                    out.append(Party(portfolio, party_id, json.loads(row[0])))
        return out

    def party_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM monitor_parties").fetchone()[0])

    # -- hits -----------------------------------------------------------------------

    def hits(self, portfolio: str, party_id: str) -> dict[str, Hit]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT entity_id, entity_hash, score, caption FROM monitor_hits WHERE portfolio = ? AND party_id = ?",
                (portfolio, party_id)).fetchall()
        return {r[0]: Hit(portfolio, party_id, r[0], r[1], float(r[2]), r[3]) for r in rows}

    def parties_hitting(self, entity_ids: Iterable[str]) -> set[tuple[str, str]]:
        """(portfolio, party_id) of every party with a current hit on one of `entity_ids`."""
        out: set[tuple[str, str]] = set()
        ids = list(entity_ids)
        with self._lock:
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                marks = ",".join("?" * len(part))
                out.update((p, pid) for p, pid in self._conn.execute(
                    f"SELECT portfolio, party_id FROM monitor_hits WHERE entity_id IN ({marks})", part))
        return out

    def set_hits(self, portfolio: str, party_id: str, hits: Iterable[Hit]) -> None:
        """Replace the party's current hits (keeping first_seen of those that stay)."""
        now = _now()
        with self._lock:
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                first = dict(conn.execute(
                    "SELECT entity_id, first_seen FROM monitor_hits WHERE portfolio = ? AND party_id = ?",
                    (portfolio, party_id)).fetchall())
                conn.execute("DELETE FROM monitor_hits WHERE portfolio = ? AND party_id = ?", (portfolio, party_id))
                conn.executemany(
                    "INSERT INTO monitor_hits VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [(portfolio, party_id, h.entity_id, h.entity_hash, h.score, h.caption,
                      first.get(h.entity_id, now), now) for h in hits])
                conn.execute("UPDATE monitor_parties SET screened_at = ? WHERE portfolio = ? AND party_id = ?",
                             (now, portfolio, party_id))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def hit_count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM monitor_hits").fetchone()[0])

    # -- state and runs -----------------------------------------------------------------

    def state(self, key: str) -> Any:
        with self._lock:
            row = self._conn.execute("SELECT value FROM monitor_state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def set_state(self, key: str, value: Any) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO monitor_state (key, value) VALUES (?, ?)",
                               (key, json.dumps(value)))

    def record_run(self, version: str, mode: str, screened: int, summary: dict[str, Any]) -> int:
        with self._lock:
            cur = self._conn.execute(
                "INSERT INTO monitor_runs (at, version, mode, screened, summary) VALUES (?, ?, ?, ?, ?)",
                (_now(), version, mode, screened, json.dumps(summary)))
            return int(cur.lastrowid or 0)

    def last_run(self) -> dict[str, Any] | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT id, at, version, mode, screened, summary FROM monitor_runs ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        return {"id": row[0], "at": row[1], "version": row[2], "mode": row[3], "screened": row[4],
                "summary": json.loads(row[5])}

    def require_parties(self) -> None:
        if self.party_count() == 0:
            raise NotFoundError("no portfolio is registered: run `watchlist monitor add FILE` first")
