"""The case store's contract (`CaseStore`) and its one SQL implementation.

Alerts, decisions and the audit log (users and sessions come from `watchlist.cases.accounts`,
logging in from `watchlist.cases.logins`).
Both backends in `watchlist.cases.backends` run exactly this SQL; they differ only in
connecting, placeholders and a few dialect words. The contract tests in `tests/cases`
run against both.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, runtime_checkable

from watchlist.cases import decisions as rules
from watchlist.cases.logins import LoginsSql
from watchlist.cases.model import (
    ALERT_SOURCES,
    SESSION_HOURS,
    Alert,
    AlertFilter,
    AlertIn,
    AlertPage,
    AuditRecord,
    Decision,
    DecisionError,
    PageRequest,
    Session,
    User,
)
from watchlist.cases.paging import alert_query, encode_cursor, page_limit
from watchlist.cases.schema import ALERT_COLUMNS, DECISION_COLUMNS
from watchlist.cases.sql import clip, is_row_id, iso, utc_now
from watchlist.errors import NotFoundError, QueryError

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
    def login(self, name: str, password: str, client: str = "") -> User | None: ...
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


# -- the shared SQL implementation ----------------------------------------------------------


class SqlCaseStore(LoginsSql):
    """Everything but connecting and the dialect's few differences. SQL is written with `?`."""

    # alerts -----------------------------------------------------------------------------
    def add_alerts(self, alerts: Sequence[AlertIn]) -> list[int]:
        """Store new alerts (status 'open'); returns their ids in order. One transaction."""
        for alert in alerts:
            if alert.source not in ALERT_SOURCES:
                raise QueryError(f"alert source {alert.source!r} is not one of {', '.join(ALERT_SOURCES)}")
            if not 0.0 <= alert.score <= 1.0:
                raise QueryError(f"alert score {alert.score} is outside [0, 1]")
        now = iso(utc_now())
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

    def alerts(self, filters: AlertFilter | None = None, page: PageRequest | None = None) -> AlertPage:
        """One page of alerts, newest (or highest score) first."""
        filters = filters or AlertFilter()
        page = page or PageRequest()
        sql, params = alert_query(filters, page)
        limit = page_limit(page)
        with self._lock:
            rows = self._all(sql, params)
        alerts = [_alert(row) for row in rows[:limit]]
        cursor = None
        if len(rows) > limit and alerts:
            last = alerts[-1]
            cursor = encode_cursor(last.score if page.order == "score" else last.created_at, last.id)
        return AlertPage(alerts, cursor)

    def explain_alerts(
        self, filters: AlertFilter | None = None, page: PageRequest | None = None
    ) -> list[str]:
        """The query plan of a page query (used by tests and the bench to check index use)."""
        sql, params = alert_query(filters or AlertFilter(), page or PageRequest())
        return self.explain(sql, params)

    def count_alerts(self, filters: AlertFilter | None = None) -> int:
        filters = filters or AlertFilter()
        sql, params = alert_query(filters, PageRequest(limit=1))
        sql = "SELECT COUNT(*) FROM alerts a" + (sql.split(" FROM alerts a", 1)[1].rsplit(" ORDER BY", 1)[0])
        with self._lock:
            return int(self._one(sql, params)[0])

    def get_alert(self, alert_id: int) -> Alert:
        if not is_row_id(alert_id):
            raise NotFoundError(f"no alert with id {clip(str(alert_id), 24)}")
        with self._lock:
            row = self._one(f"SELECT {ALERT_COLUMNS} FROM alerts WHERE id = ?", (alert_id,))
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
        recheck: Callable[[], None] | None = None,
    ) -> Decision:
        """Move the alert to `status_after` and record why, in one transaction.

        The status it moves from is read under the row lock of that transaction, so the
        audit line's `previous_status` is what the decision changed even when another
        server process decided meanwhile; `recheck` runs under the same lock.
        """
        now = iso(utc_now())
        with self._transaction():
            previous = self._locked_status(alert.id)
            if previous not in allowed_from:
                raise DecisionError(
                    f"alert {alert.id} changed meanwhile (now {previous}): reload it and decide again"
                )
            if recheck is not None:
                recheck()
            self._execute("UPDATE alerts SET status = ?, updated_at = ? WHERE id = ?", (status_after, now, alert.id))
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
                    "previous_status": previous,
                },
                now,
            )
        return Decision(int(row[0]), *values)

    def _locked_status(self, alert_id: int) -> str:
        """The alert's status, its row locked until the transaction ends (call inside one)."""
        row = self._one("SELECT status FROM alerts WHERE id = ?" + self._lock_row, (alert_id,))
        return str(row[0]) if row else "deleted"

    def decide(self, alert_id: int, outcome: str, comment: str, user: User) -> Decision:
        """Record an analyst's decision. A true match waits for a supervisor's approval."""
        status = rules.need_outcome(outcome)
        comment = rules.need_comment(comment)
        rules.need_active(user)
        with self._lock:
            alert = self.get_alert(alert_id)
            rules.check_decidable(alert)
            return self._record_decision(alert, outcome, comment, user, status, rules.DECIDABLE)

    def approve(self, alert_id: int, comment: str, user: User) -> Decision:
        """A supervisor closes a proposed true match. The proposer cannot approve their own (four eyes)."""
        comment = rules.need_comment(comment)
        with self._lock:
            rules.check_approver(user, "approve")
            alert = self.get_alert(alert_id)
            rules.check_awaiting(alert)

            def four_eyes() -> None:
                rules.check_four_eyes(rules.latest_proposal(alert, self.decisions(alert.id)), user)

            return self._record_decision(
                alert, "approve", comment, user, rules.APPROVED, rules.AWAITING, recheck=four_eyes
            )

    def reject(self, alert_id: int, comment: str, user: User) -> Decision:
        """A supervisor sends a proposed true match back to the queue (status 'open')."""
        comment = rules.need_comment(comment)
        with self._lock:
            rules.check_approver(user, "reject")
            alert = self.get_alert(alert_id)
            rules.check_awaiting(alert)
            return self._record_decision(alert, "reject", comment, user, rules.REJECTED, rules.AWAITING)

    def decisions(self, alert_id: int) -> list[Decision]:
        if not is_row_id(alert_id):
            return []
        with self._lock:
            rows = self._all(
                f"SELECT {DECISION_COLUMNS} FROM decisions WHERE alert_id = ? ORDER BY id", (alert_id,)
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
                f"SELECT {DECISION_COLUMNS} FROM decisions WHERE party_key = ? AND entity_id = ? "
                "AND status_after IN ('false_positive', 'true_match') ORDER BY id DESC LIMIT 1",
                (party_key, entity_id),
            )
        return _decision(row) if row else None

    # audit ------------------------------------------------------------------------------------
    def audit(
        self, actor: str, action: str, target: str | None = None, details: dict[str, Any] | None = None
    ) -> int:
        """Append one line to the audit log (reloads, configuration changes, logins, ...)."""
        with self._lock, self._transaction():
            return self._audit(actor, action, target, details or {}, iso(utc_now()))

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
            if not is_row_id(before):
                raise QueryError(f"before={clip(str(before), 24)} is not an audit record id")
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


def _audit_record(row: Sequence[Any]) -> AuditRecord:
    return AuditRecord(int(row[0]), row[1], row[2], row[3], row[4], json.loads(row[5]))


