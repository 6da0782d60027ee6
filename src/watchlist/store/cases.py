"""The case store: alerts, decisions, users, sessions and the audit log of the analyst workbench.

Alerts come from batch runs, monitoring, document scans or an analyst (`source`);
people close them with decisions. Everything a person does is written to the
audit log. Decisions and the audit log are append-only, enforced by triggers in
the database (SQLite and PostgreSQL alike), so a bug or a hand-typed UPDATE
cannot rewrite history.

One `CaseStore` protocol, two backends sharing one SQL implementation:

- SQLite (default): ``<WATCHLIST_HOME>/cases.db``, a file of its own so a long list
  load never blocks an analyst's decision.
- PostgreSQL: when ``Settings.database_url`` (``WATCHLIST_DATABASE_URL``) is a
  ``postgresql://`` URL, for teams of analysts. Needs ``pip install 'watchlist[postgres]'``.

Decision rules (the four-eyes principle):

- ``false_positive`` closes the alert at once.
- ``escalate`` marks it for a supervisor; anyone may decide it afterwards.
- ``true_match`` only proposes closing: the alert waits in ``pending_approval``
  until a supervisor or admin *other than the proposer* approves (-> ``true_match``)
  or rejects it (-> ``open`` again).
- Every decision needs a comment.

Paging is keyset pagination over ``(created_at, id)`` or ``(score, id)`` with
matching indexes, so page 2,000 costs what page 1 costs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from watchlist.errors import ConfigError, ForbiddenError, NotFoundError, QueryError, WatchlistError

# -- vocabulary -------------------------------------------------------------------

AlertSource = Literal["batch", "monitor", "scan", "manual"]
AlertStatus = Literal["open", "escalated", "pending_approval", "true_match", "false_positive"]
Outcome = Literal["true_match", "false_positive", "escalate"]
Role = Literal["analyst", "supervisor", "admin"]

ALERT_SOURCES: tuple[str, ...] = ("batch", "monitor", "scan", "manual")
ALERT_STATUSES: tuple[str, ...] = ("open", "escalated", "pending_approval", "true_match", "false_positive")
OPEN_STATUSES: tuple[str, ...] = ("open", "escalated", "pending_approval")
OUTCOMES: tuple[str, ...] = ("true_match", "false_positive", "escalate")
ROLES: tuple[str, ...] = ("analyst", "supervisor", "admin")
APPROVER_ROLES: frozenset[str] = frozenset({"supervisor", "admin"})

SESSION_HOURS = 8
PAGE_MAX = 500
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


class DecisionError(WatchlistError):
    """A decision that does not fit the alert's state (already closed, awaiting approval)."""

    status = 409


# -- records ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertIn:
    """A hit to be reviewed, as producers (batch, monitor, scan) hand it over.

    `party_key` is the producer's stable key of the screened party (customer id,
    batch row key, document path + party name): with `entity_id` it identifies the
    pair that `decision_for` answers for. `record` is the screened record as JSON
    (name, birth_date, country, id_number, schema, ... as the producer has them).
    `entity_hash` is the listed entity's content hash when it hit
    (``watchlist.store.entity_hash(canonical_json(entity))``), so a later change of
    the listing can reopen the question. `entity` is the entity's JSON
    (``Entity.to_dict()``), kept so the review still shows what hit after a delisting.
    """

    source: str
    party_key: str
    record: dict[str, Any]
    entity_id: str
    entity_hash: str
    score: float
    entity_caption: str = ""
    query_name: str = ""
    matched_name: str = ""
    explanation: tuple[str, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    datasets: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    entity: dict[str, Any] | None = None
    run_id: str | None = None

    @classmethod
    def from_result(
        cls, source: str, party_key: str, record: dict[str, Any], result: Any, run_id: str | None = None
    ) -> AlertIn:
        """Build from a `watchlist.match.types.MatchResult` (duck-typed: the store sits below match)."""
        from watchlist.store.sqlite import canonical_json, entity_hash

        entity = result.entity
        return cls(
            source=source,
            party_key=party_key,
            record=record,
            entity_id=entity.id,
            entity_hash=entity_hash(canonical_json(entity)),
            score=float(result.score),
            entity_caption=entity.caption,
            query_name=result.query_name,
            matched_name=result.matched_name,
            explanation=tuple(result.explanation),
            features=dict(result.features),
            datasets=tuple(entity.datasets),
            programs=tuple(entity.programs),
            entity=entity.to_dict(),
            run_id=run_id,
        )


@dataclass(frozen=True, slots=True)
class Alert:
    id: int
    source: str
    party_key: str
    record: dict[str, Any]
    entity_id: str
    entity_hash: str
    score: float
    entity_caption: str
    query_name: str
    matched_name: str
    explanation: tuple[str, ...]
    features: dict[str, float]
    datasets: tuple[str, ...]
    programs: tuple[str, ...]
    entity: dict[str, Any] | None
    run_id: str | None
    status: str
    created_at: str
    updated_at: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "party_key": self.party_key,
            "record": self.record,
            "entity_id": self.entity_id,
            "entity_hash": self.entity_hash,
            "score": self.score,
            "entity_caption": self.entity_caption,
            "query_name": self.query_name,
            "matched_name": self.matched_name,
            "explanation": list(self.explanation),
            "features": self.features,
            "datasets": list(self.datasets),
            "programs": list(self.programs),
            "run_id": self.run_id,
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


@dataclass(frozen=True, slots=True)
class AlertFilter:
    """Which alerts a queue shows. Empty fields do not filter."""

    status: tuple[str, ...] = ()
    min_score: float | None = None
    max_score: float | None = None
    dataset: str | None = None
    program: str | None = None
    source: str | None = None
    created_from: str | None = None  # ISO date or datetime, inclusive
    created_to: str | None = None  # ISO date or datetime, inclusive of the whole day
    party_key: str | None = None
    entity_id: str | None = None


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Keyset paging: `after` is the `next_cursor` of the previous page."""

    limit: int = 50
    after: str | None = None
    order: Literal["newest", "score"] = "newest"


@dataclass(frozen=True, slots=True)
class AlertPage:
    alerts: list[Alert]
    next_cursor: str | None  # None: this is the last page


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision on an alert (append-only). `action` is an outcome, 'approve' or 'reject'."""

    id: int
    alert_id: int
    action: str
    comment: str
    user: str
    role: str
    at: str
    status_after: str
    party_key: str
    entity_id: str
    entity_hash: str

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__}


@dataclass(frozen=True, slots=True)
class User:
    id: int
    name: str
    role: str
    active: bool
    created_at: str

    @property
    def can_approve(self) -> bool:
        return self.role in APPROVER_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class Session:
    user: User
    csrf_token: str
    created_at: str
    expires_at: str


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: str
    actor: str
    action: str
    target: str | None
    details: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "details": self.details,
        }


# -- the protocol -------------------------------------------------------------------


@runtime_checkable
class CaseStore(Protocol):
    backend: str

    def close(self) -> None: ...

    # alerts
    def add_alerts(self, alerts: Sequence[AlertIn]) -> list[int]: ...
    def alerts(self, filters: AlertFilter | None = None, page: PageRequest | None = None) -> AlertPage: ...
    def count_alerts(self, filters: AlertFilter | None = None) -> int: ...
    def get_alert(self, alert_id: int) -> Alert: ...
    def alert_facets(self) -> dict[str, list[str]]: ...

    # decisions
    def decide(self, alert_id: int, outcome: str, comment: str, user: User) -> Decision: ...
    def approve(self, alert_id: int, comment: str, user: User) -> Decision: ...
    def reject(self, alert_id: int, comment: str, user: User) -> Decision: ...
    def decisions(self, alert_id: int) -> list[Decision]: ...
    def decision_for(self, party_key: str, entity_id: str) -> Decision | None: ...

    # users and sessions
    def create_user(self, name: str, role: str, password: str, actor: str = "system") -> User: ...
    def get_user(self, name: str) -> User | None: ...
    def users(self) -> list[User]: ...
    def set_password(self, name: str, password: str, actor: str = "system") -> None: ...
    def set_active(self, name: str, active: bool, actor: str = "system") -> None: ...
    def authenticate(self, name: str, password: str) -> User | None: ...
    def create_session(self, user: User, hours: float = SESSION_HOURS) -> tuple[str, Session]: ...
    def session(self, token: str) -> Session | None: ...
    def end_session(self, token: str) -> None: ...

    # audit
    def audit(
        self, actor: str, action: str, target: str | None = None, details: dict[str, Any] | None = None
    ) -> int: ...
    def audit_log(
        self,
        *,
        limit: int = 100,
        before: int | None = None,
        actor: str | None = None,
        action: str | None = None,
    ) -> list[AuditRecord]: ...
    def audit_all(self) -> Iterator[AuditRecord]: ...


def open_case_store(settings: Any) -> CaseStore:
    """The case store the settings ask for: PostgreSQL at `database_url`, else SQLite in `home`."""
    url = getattr(settings, "database_url", None)
    if url:
        return PostgresCaseStore.open(url)
    return SqliteCaseStore.open(Path(settings.home) / "cases.db")


# -- passwords --------------------------------------------------------------------------


def hash_password(password: str) -> str:
    """scrypt with a random 16-byte salt; the parameters are stored with the hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(digest) // 2
    )
    return hmac.compare_digest(got.hex(), digest)


def check_password_strength(password: str) -> None:
    if len(password) < 10:
        raise QueryError("the password is too short: use at least 10 characters")


@cache
def _dummy_hash() -> str:
    """A hash to check unknown user names against, for equal work (made on first use: scrypt is slow)."""
    return hash_password(secrets.token_urlsafe(12))


# -- time and cursors ---------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _day_end(value: str) -> str:
    """An inclusive upper bound: a bare date covers the whole day."""
    return value + "T99" if len(value) == 10 else value


def _encode_cursor(key: Any, alert_id: int) -> str:
    raw = json.dumps([key, alert_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, alert_id = json.loads(raw)
        return key, int(alert_id)
    except (ValueError, TypeError) as exc:
        raise QueryError(f"page cursor {cursor!r} is not valid: start again from the first page") from exc


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# -- schema ------------------------------------------------------------------------------

_TABLES = """
CREATE TABLE IF NOT EXISTS case_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
    id             {serial},
    source         TEXT NOT NULL,
    party_key      TEXT NOT NULL,
    run_id         TEXT,
    record         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    entity_hash    TEXT NOT NULL,
    entity_caption TEXT NOT NULL DEFAULT '',
    entity         TEXT,
    score          {real} NOT NULL,
    query_name     TEXT NOT NULL DEFAULT '',
    matched_name   TEXT NOT NULL DEFAULT '',
    explanation    TEXT NOT NULL DEFAULT '[]',
    features       TEXT NOT NULL DEFAULT '{{}}',
    datasets       TEXT NOT NULL DEFAULT '[]',
    programs       TEXT NOT NULL DEFAULT '[]',
    status         TEXT NOT NULL DEFAULT 'open',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_created ON alerts (created_at, id);
CREATE INDEX IF NOT EXISTS alerts_status_created ON alerts (status, created_at, id);
CREATE INDEX IF NOT EXISTS alerts_score ON alerts (score, id);
CREATE INDEX IF NOT EXISTS alerts_status_score ON alerts (status, score, id);
CREATE INDEX IF NOT EXISTS alerts_pair ON alerts (party_key, entity_id);
CREATE TABLE IF NOT EXISTS alert_tags (
    alert_id BIGINT NOT NULL,
    kind     TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (alert_id, kind, value)
);
CREATE INDEX IF NOT EXISTS alert_tags_value ON alert_tags (kind, value);
CREATE TABLE IF NOT EXISTS decisions (
    id           {serial},
    alert_id     BIGINT NOT NULL,
    action       TEXT NOT NULL,
    comment      TEXT NOT NULL,
    user_name    TEXT NOT NULL,
    role         TEXT NOT NULL,
    at           TEXT NOT NULL,
    status_after TEXT NOT NULL,
    party_key    TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    entity_hash  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_alert ON decisions (alert_id, id);
CREATE INDEX IF NOT EXISTS decisions_pair ON decisions (party_key, entity_id, id);
CREATE TABLE IF NOT EXISTS users (
    id            {serial},
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    id      {serial},
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT,
    details TEXT NOT NULL DEFAULT '{{}}'
);
CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, id);
CREATE INDEX IF NOT EXISTS audit_action ON audit (action, id);
"""

_SQLITE_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER IF NOT EXISTS decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
"""

_PG_TRIGGERS = """
CREATE OR REPLACE FUNCTION watchlist_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION watchlist_append_only();
DROP TRIGGER IF EXISTS audit_no_truncate ON audit;
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION watchlist_append_only();
DROP TRIGGER IF EXISTS decisions_append_only ON decisions;
CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION watchlist_append_only();
DROP TRIGGER IF EXISTS decisions_no_truncate ON decisions;
CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions
    FOR EACH STATEMENT EXECUTE FUNCTION watchlist_append_only();
"""

_ALERT_COLUMNS = (
    "id, source, party_key, run_id, record, entity_id, entity_hash, entity_caption, entity, score, "
    "query_name, matched_name, explanation, features, datasets, programs, status, created_at, updated_at"
)
_DECISION_COLUMNS = (
    "id, alert_id, action, comment, user_name, role, at, status_after, party_key, entity_id, entity_hash"
)


# -- the shared SQL implementation ----------------------------------------------------------


class _SqlCaseStore:
    """Everything but connecting and the dialect's few differences. SQL is written with `?`."""

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
    def _transaction(self) -> _Tx:
        return _Tx(self)

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._execute(sql, params).fetchone()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._execute(sql, params).fetchall())

    # alerts -----------------------------------------------------------------------------
    def add_alerts(self, alerts: Sequence[AlertIn]) -> list[int]:
        """Store new alerts (status 'open'); returns their ids in order. One transaction."""
        for alert in alerts:
            if alert.source not in ALERT_SOURCES:
                raise QueryError(f"alert source {alert.source!r} is not one of {', '.join(ALERT_SOURCES)}")
            if not 0.0 <= alert.score <= 1.0:
                raise QueryError(f"alert score {alert.score} is outside [0, 1]")
        now = _iso(_now())
        rows: list[Sequence[Any]] = [
            (
                alert.source,
                alert.party_key,
                alert.run_id,
                json.dumps(alert.record, ensure_ascii=False),
                alert.entity_id,
                alert.entity_hash,
                alert.entity_caption,
                json.dumps(alert.entity, ensure_ascii=False) if alert.entity is not None else None,
                float(alert.score),
                alert.query_name,
                alert.matched_name,
                json.dumps(list(alert.explanation), ensure_ascii=False),
                json.dumps(alert.features),
                json.dumps(list(alert.datasets)),
                json.dumps(list(alert.programs)),
                now,
                now,
            )
            for alert in alerts
        ]
        if not rows:
            return []
        with self._transaction():
            ids = self._insert_returning(
                "INSERT INTO alerts (source, party_key, run_id, record, entity_id, entity_hash, "
                "entity_caption, entity, score, query_name, matched_name, explanation, features, datasets, "
                "programs, status, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id",
                rows,
            )
            tags = [
                (alert_id, kind, value)
                for alert_id, alert in zip(ids, alerts)
                for kind, values in (("dataset", alert.datasets), ("program", alert.programs))
                for value in dict.fromkeys(values)
            ]
            if tags:
                self._executemany("INSERT INTO alert_tags (alert_id, kind, value) VALUES (?, ?, ?)", tags)
        return ids

    def _alert_query(self, filters: AlertFilter, page: PageRequest) -> tuple[str, list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        if filters.status:
            for status in filters.status:
                if status not in ALERT_STATUSES:
                    raise QueryError(f"alert status {status!r} is not one of {', '.join(ALERT_STATUSES)}")
            where.append(f"a.status IN ({', '.join('?' for _ in filters.status)})")
            params.extend(filters.status)
        if filters.min_score is not None:
            where.append("a.score >= ?")
            params.append(filters.min_score)
        if filters.max_score is not None:
            where.append("a.score <= ?")
            params.append(filters.max_score)
        if filters.source:
            where.append("a.source = ?")
            params.append(filters.source)
        if filters.created_from:
            where.append("a.created_at >= ?")
            params.append(filters.created_from)
        if filters.created_to:
            where.append("a.created_at <= ?")
            params.append(_day_end(filters.created_to))
        if filters.party_key:
            where.append("a.party_key = ?")
            params.append(filters.party_key)
        if filters.entity_id:
            where.append("a.entity_id = ?")
            params.append(filters.entity_id)
        for kind, value in (("dataset", filters.dataset), ("program", filters.program)):
            if value:
                where.append(
                    "EXISTS (SELECT 1 FROM alert_tags t WHERE t.alert_id = a.id AND t.kind = ? AND t.value = ?)"
                )
                params.extend((kind, value))
        key = "a.score" if page.order == "score" else "a.created_at"
        if page.after:
            value, after_id = _decode_cursor(page.after)
            where.append(f"({key}, a.id) < (?, ?)")  # a row value: an index range, not a filter
            params.extend((value, after_id))
        limit = max(1, min(page.limit, PAGE_MAX))
        sql = f"SELECT {', '.join('a.' + c.strip() for c in _ALERT_COLUMNS.split(','))} FROM alerts a"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY {key} DESC, a.id DESC LIMIT {limit + 1}"
        return sql, params

    def alerts(self, filters: AlertFilter | None = None, page: PageRequest | None = None) -> AlertPage:
        """One page of alerts, newest (or highest score) first."""
        filters = filters or AlertFilter()
        page = page or PageRequest()
        sql, params = self._alert_query(filters, page)
        limit = max(1, min(page.limit, PAGE_MAX))
        with self._lock:
            rows = self._all(sql, params)
        alerts = [_alert(row) for row in rows[:limit]]
        cursor = None
        if len(rows) > limit and alerts:
            last = alerts[-1]
            cursor = _encode_cursor(last.score if page.order == "score" else last.created_at, last.id)
        return AlertPage(alerts, cursor)

    def explain_alerts(
        self, filters: AlertFilter | None = None, page: PageRequest | None = None
    ) -> list[str]:
        """The query plan of a page query (used by tests and the bench to check index use)."""
        sql, params = self._alert_query(filters or AlertFilter(), page or PageRequest())
        return self.explain(sql, params)

    def count_alerts(self, filters: AlertFilter | None = None) -> int:
        filters = filters or AlertFilter()
        sql, params = self._alert_query(filters, PageRequest(limit=1))
        sql = "SELECT COUNT(*) FROM alerts a" + (sql.split(" FROM alerts a", 1)[1].rsplit(" ORDER BY", 1)[0])
        with self._lock:
            return int(self._one(sql, params)[0])

    def get_alert(self, alert_id: int) -> Alert:
        with self._lock:
            row = self._one(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE id = ?", (alert_id,))
        if row is None:
            raise NotFoundError(f"no alert with id {alert_id}")
        return _alert(row)

    def alert_facets(self) -> dict[str, list[str]]:
        """The lists and programmes that alerts carry (for the queue's filter menus)."""
        with self._lock:
            rows = self._all("SELECT DISTINCT kind, value FROM alert_tags ORDER BY kind, value")
        out: dict[str, list[str]] = {"dataset": [], "program": []}
        for kind, value in rows:
            out.setdefault(kind, []).append(value)
        return out

    # decisions ---------------------------------------------------------------------------
    def _record_decision(
        self,
        alert: Alert,
        action: str,
        comment: str,
        user: User,
        status_after: str,
        allowed_from: Sequence[str],
    ) -> Decision:
        now = _iso(_now())
        with self._transaction():
            changed = self._execute(
                f"UPDATE alerts SET status = ?, updated_at = ? WHERE id = ? "
                f"AND status IN ({', '.join('?' for _ in allowed_from)})",
                (status_after, now, alert.id, *allowed_from),
            ).rowcount
            if changed != 1:
                raise DecisionError(
                    f"alert {alert.id} changed meanwhile (now {self._status(alert.id)}): reload it and decide again"
                )
            # The columns in the order of Decision's fields after its id.
            values = (alert.id, action, comment, user.name, user.role, now, status_after, alert.party_key,
                      alert.entity_id, alert.entity_hash)
            row = self._one(
                "INSERT INTO decisions (alert_id, action, comment, user_name, role, at, status_after, party_key, "
                "entity_id, entity_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                values,
            )
            self._audit(
                user.name,
                f"decision.{action}",
                f"alert:{alert.id}",
                {
                    "comment": comment,
                    "status": status_after,
                    "entity_id": alert.entity_id,
                    "party_key": alert.party_key,
                    "previous_status": alert.status,
                },
                now,
            )
        return Decision(int(row[0]), *values)

    def _status(self, alert_id: int) -> str:
        row = self._one("SELECT status FROM alerts WHERE id = ?", (alert_id,))
        return str(row[0]) if row else "deleted"

    def decide(self, alert_id: int, outcome: str, comment: str, user: User) -> Decision:
        """Record an analyst's decision. A true match waits for a supervisor's approval."""
        if outcome not in OUTCOMES:
            raise QueryError(f"decision {outcome!r} is not one of {', '.join(OUTCOMES)}")
        comment = _need_comment(comment)
        _need_active(user)
        with self._lock:
            alert = self.get_alert(alert_id)
            if alert.status == "pending_approval":
                raise DecisionError(
                    f"alert {alert_id} awaits a supervisor's approval of a true match: approve or reject it"
                )
            if not alert.is_open:
                raise DecisionError(
                    f"alert {alert_id} is closed ({alert.status}); it cannot be decided again"
                )
            status = {
                "true_match": "pending_approval",
                "false_positive": "false_positive",
                "escalate": "escalated",
            }[outcome]
            return self._record_decision(alert, outcome, comment, user, status, ("open", "escalated"))

    def _proposal(self, alert: Alert) -> Decision:
        for decision in reversed(self.decisions(alert.id)):
            if decision.action == "true_match":
                return decision
        raise DecisionError(f"alert {alert.id} has no true-match proposal to approve")

    def _check_approver(self, alert_id: int, user: User, verb: str) -> Alert:
        _need_active(user)
        if not user.can_approve:
            raise ForbiddenError(
                f"{user.name} ({user.role}) cannot {verb} a true match: a supervisor or admin must"
            )
        alert = self.get_alert(alert_id)
        if alert.status != "pending_approval":
            raise DecisionError(f"alert {alert_id} is {alert.status}, not awaiting approval")
        return alert

    def approve(self, alert_id: int, comment: str, user: User) -> Decision:
        """A supervisor closes a proposed true match. The proposer cannot approve their own (four eyes)."""
        comment = _need_comment(comment)
        with self._lock:
            alert = self._check_approver(alert_id, user, "approve")
            proposal = self._proposal(alert)
            if proposal.user == user.name:
                raise ForbiddenError(
                    f"{user.name} proposed this true match and cannot also approve it: another supervisor must"
                )
            return self._record_decision(alert, "approve", comment, user, "true_match", ("pending_approval",))

    def reject(self, alert_id: int, comment: str, user: User) -> Decision:
        """A supervisor sends a proposed true match back to the queue (status 'open')."""
        comment = _need_comment(comment)
        with self._lock:
            alert = self._check_approver(alert_id, user, "reject")
            return self._record_decision(alert, "reject", comment, user, "open", ("pending_approval",))

    def decisions(self, alert_id: int) -> list[Decision]:
        with self._lock:
            rows = self._all(
                f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE alert_id = ? ORDER BY id", (alert_id,)
            )
        return [_decision(row) for row in rows]

    def decision_for(self, party_key: str, entity_id: str) -> Decision | None:
        """The latest closing decision for this party and listed entity, or None.

        Closing means a false positive, or an approved true match. Producers use it
        to suppress repeat alerts; compare `entity_hash` with the entity's current
        hash to raise the question again when the listing changed.
        """
        with self._lock:
            row = self._one(
                f"SELECT {_DECISION_COLUMNS} FROM decisions WHERE party_key = ? AND entity_id = ? "
                "AND status_after IN ('false_positive', 'true_match') ORDER BY id DESC LIMIT 1",
                (party_key, entity_id),
            )
        return _decision(row) if row else None

    # users and sessions -------------------------------------------------------------------
    _USER_COLUMNS = "id, name, role, active, created_at"

    def create_user(self, name: str, role: str, password: str, actor: str = "system") -> User:
        name = name.strip()
        if not name or len(name) > 64 or any(c.isspace() for c in name):
            raise QueryError(f"user name {name!r} must be 1 to 64 characters without spaces")
        if role not in ROLES:
            raise QueryError(f"role {role!r} is not one of {', '.join(ROLES)}")
        check_password_strength(password)
        now = _iso(_now())
        with self._lock:
            if self.get_user(name) is not None:
                raise DecisionError(f"user {name!r} already exists: choose another name")
            with self._transaction():
                self._execute(
                    "INSERT INTO users (name, role, password_hash, active, created_at) VALUES (?, ?, ?, 1, ?)",
                    (name, role, hash_password(password), now),
                )
                self._audit(actor, "user.create", f"user:{name}", {"role": role}, now)
            user = self.get_user(name)
        assert user is not None
        return user

    def get_user(self, name: str) -> User | None:
        with self._lock:
            row = self._one(f"SELECT {self._USER_COLUMNS} FROM users WHERE name = ?", (name,))
        return _user(row) if row else None

    def _user_by_id(self, user_id: int) -> User | None:
        row = self._one(f"SELECT {self._USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
        return _user(row) if row else None

    def users(self) -> list[User]:
        with self._lock:
            return [_user(row) for row in self._all(f"SELECT {self._USER_COLUMNS} FROM users ORDER BY name")]

    def set_password(self, name: str, password: str, actor: str = "system") -> None:
        check_password_strength(password)
        with self._lock, self._transaction():
            if (
                self._execute(
                    "UPDATE users SET password_hash = ? WHERE name = ?", (hash_password(password), name)
                ).rowcount
                != 1
            ):
                raise NotFoundError(f"no user {name!r}")
            self._execute(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,)
            )
            self._audit(actor, "user.password", f"user:{name}", {}, _iso(_now()))

    def set_active(self, name: str, active: bool, actor: str = "system") -> None:
        with self._lock, self._transaction():
            if self._execute("UPDATE users SET active = ? WHERE name = ?", (int(active), name)).rowcount != 1:
                raise NotFoundError(f"no user {name!r}")
            if not active:
                self._execute(
                    "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE name = ?)", (name,)
                )
            self._audit(
                actor, "user.activate" if active else "user.deactivate", f"user:{name}", {}, _iso(_now())
            )

    def authenticate(self, name: str, password: str) -> User | None:
        """The user if the password is right and the account active; None otherwise (same work either way)."""
        with self._lock:
            row = self._one("SELECT id, password_hash, active FROM users WHERE name = ?", (name,))
        if row is None:
            verify_password(password, _dummy_hash())
            return None
        if not verify_password(password, str(row[1])) or not row[2]:
            return None
        with self._lock:
            return self._user_by_id(int(row[0]))

    def create_session(self, user: User, hours: float = SESSION_HOURS) -> tuple[str, Session]:
        """A new session: returns the secret cookie token (only its hash is stored) and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        now = _now()
        created, expires = _iso(now), _iso(now + timedelta(hours=hours))
        with self._lock, self._transaction():
            self._execute("DELETE FROM sessions WHERE expires_at < ?", (created,))
            self._execute(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (_token_hash(token), user.id, csrf, created, expires),
            )
        return token, Session(user, csrf, created, expires)

    def session(self, token: str) -> Session | None:
        """The live session for a cookie token; None when unknown, expired or its user is deactivated."""
        if not token:
            return None
        with self._lock:
            row = self._one(
                "SELECT user_id, csrf_token, created_at, expires_at FROM sessions WHERE token_hash = ?",
                (_token_hash(token),),
            )
            if row is None or str(row[3]) < _iso(_now()):
                return None
            user = self._user_by_id(int(row[0]))
        if user is None or not user.active:
            return None
        return Session(user, str(row[1]), str(row[2]), str(row[3]))

    def end_session(self, token: str) -> None:
        with self._lock, self._transaction():
            self._execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))

    # audit ------------------------------------------------------------------------------------
    def _audit(self, actor: str, action: str, target: str | None, details: dict[str, Any], at: str) -> int:
        row = self._one(
            "INSERT INTO audit (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (at, actor, action, target, json.dumps(details, ensure_ascii=False, sort_keys=True)),
        )
        return int(row[0])

    def audit(
        self, actor: str, action: str, target: str | None = None, details: dict[str, Any] | None = None
    ) -> int:
        """Append one line to the audit log (reloads, configuration changes, logins, ...)."""
        with self._lock, self._transaction():
            return self._audit(actor, action, target, details or {}, _iso(_now()))

    def audit_log(
        self,
        *,
        limit: int = 100,
        before: int | None = None,
        actor: str | None = None,
        action: str | None = None,
    ) -> list[AuditRecord]:
        """Newest first; `before` is the smallest id of the previous page."""
        where, params = [], []  # type: tuple[list[str], list[Any]]
        if before is not None:
            where.append("id < ?")
            params.append(before)
        if actor:
            where.append("actor = ?")
            params.append(actor)
        if action:
            where.append("(action = ? OR action LIKE ?)")
            params.extend((action, action + ".%"))
        sql = "SELECT id, at, actor, action, target, details FROM audit"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY id DESC LIMIT {max(1, min(limit, 1000))}"
        with self._lock:
            return [_audit_record(row) for row in self._all(sql, params)]

    def audit_all(self) -> Iterator[AuditRecord]:
        """The whole log, oldest first, in chunks (for CSV export)."""
        last = 0
        while True:
            with self._lock:
                rows = self._all(
                    "SELECT id, at, actor, action, target, details FROM audit WHERE id > ? ORDER BY id LIMIT 1000",
                    (last,),
                )
            if not rows:
                return
            for row in rows:
                yield _audit_record(row)
            last = int(rows[-1][0])


class _Tx:
    """A transaction on the store's single connection: commit on success, roll back on error."""

    def __init__(self, store: _SqlCaseStore) -> None:
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


def _need_comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise QueryError("a decision needs a comment: say why")
    return comment


def _need_active(user: User) -> None:
    if not user.active:
        raise ForbiddenError(f"user {user.name} is deactivated")


def _alert(row: Sequence[Any]) -> Alert:
    return Alert(
        id=int(row[0]),
        source=row[1],
        party_key=row[2],
        run_id=row[3],
        record=json.loads(row[4]),
        entity_id=row[5],
        entity_hash=row[6],
        entity_caption=row[7],
        entity=json.loads(row[8]) if row[8] else None,
        score=float(row[9]),
        query_name=row[10],
        matched_name=row[11],
        explanation=tuple(json.loads(row[12])),
        features=json.loads(row[13]),
        datasets=tuple(json.loads(row[14])),
        programs=tuple(json.loads(row[15])),
        status=row[16],
        created_at=row[17],
        updated_at=row[18],
    )


def _decision(row: Sequence[Any]) -> Decision:
    return Decision(
        int(row[0]), int(row[1]), row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10]
    )


def _user(row: Sequence[Any]) -> User:
    return User(int(row[0]), row[1], row[2], bool(row[3]), row[4])


def _audit_record(row: Sequence[Any]) -> AuditRecord:
    return AuditRecord(int(row[0]), row[1], row[2], row[3], row[4], json.loads(row[5]))


# -- SQLite ------------------------------------------------------------------------------------


class SqliteCaseStore(_SqlCaseStore):
    backend = "sqlite"

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
        conn.executescript(_TABLES.format(serial="INTEGER PRIMARY KEY AUTOINCREMENT", real="REAL"))
        conn.executescript(_SQLITE_TRIGGERS)
        return cls(conn, path)

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(sql, tuple(params))

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)

    def _begin(self) -> None:
        self._conn.execute("BEGIN IMMEDIATE")

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        self._conn.execute("ROLLBACK")

    def explain(self, sql: str, params: Sequence[Any] = ()) -> list[str]:
        with self._lock:
            return [str(row[3]) for row in self._conn.execute("EXPLAIN QUERY PLAN " + sql, tuple(params))]

    def analyze(self) -> None:
        with self._lock:
            self._conn.execute("ANALYZE")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def raw(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement outside the API (tests use it to prove the triggers refuse edits)."""
        with self._lock:
            self._conn.execute(sql, tuple(params))


# -- PostgreSQL ----------------------------------------------------------------------------------


class PostgresCaseStore(_SqlCaseStore):
    backend = "postgres"

    def __init__(self, conn: Any, url: str) -> None:
        super().__init__()
        self._conn = conn
        self.url = url
        self._in_tx = False

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
                _TABLES.format(
                    serial="BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", real="DOUBLE PRECISION"
                )
            ):
                conn.execute(statement)
            conn.execute(_PG_TRIGGERS)
        return store

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._conn.execute(self._sql(sql), tuple(params))

    def _executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self._conn.cursor() as cur:
            cur.executemany(self._sql(sql), list(rows))

    def _begin(self) -> None:
        self._conn.execute("BEGIN")

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        self._conn.execute("ROLLBACK")

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

    def analyze(self) -> None:
        with self._lock:
            self._conn.execute("ANALYZE")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def raw(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._lock:
            self._execute(sql, params)


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
