"""Hostile input to the case store (issue 21, findings 9, 11, 12), on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest
from cases_helpers import make_alert, open_store

from watchlist.cases import (
    AlertFilter,
    LoginLimits,
    LoginThrottled,
    PageRequest,
    SqlCaseStore,
    User,
    open_case_store,
)
from watchlist.cases import logins as logins_module
from watchlist.cases.sql import AUDIT_DETAILS_MAX, AUDIT_NAME_MAX, AUDIT_TEXT_MAX
from watchlist.errors import ConfigError, NotFoundError, QueryError
from watchlist.settings import Settings

PASSWORD = "correct horse battery"
HUGE = int("9" * 400)

# -- finding 9: failed logins are bounded ------------------------------------------------------


def audit_bytes(store: SqlCaseStore) -> int:
    return sum(len(json.dumps(r.to_dict())) for r in store.audit_all())


def test_an_over_long_user_name_is_refused_and_its_audit_line_bounded(
    store: SqlCaseStore, people: dict[str, User]
) -> None:
    before = audit_bytes(store)
    with pytest.raises(QueryError, match="longer than 64 characters"):
        store.login("x" * 1_000_000, PASSWORD, "10.0.0.1")
    with pytest.raises(QueryError, match="password is longer"):
        store.login("ana", "p" * 100_000, "10.0.0.1")
    line = store.audit_log(action="login.failed", limit=2)[-1]
    assert len(line.actor) < AUDIT_NAME_MAX + 50 and line.actor.startswith("xxx")
    assert audit_bytes(store) - before < 2_000  # not 1 MB
    assert store.login("ana", PASSWORD, "10.0.0.1") == people["ana"]


def test_audit_lines_are_bounded(store: SqlCaseStore) -> None:
    record_id = store.audit("a" * 5000, "b" * 5000, "c" * 5000, {"note": "n" * 50_000, "many": list(range(5000))})
    (record,) = [r for r in store.audit_log(limit=1) if r.id == record_id]
    assert len(record.actor) < AUDIT_NAME_MAX + 50 and len(record.action) < AUDIT_NAME_MAX + 50
    assert record.target is not None and len(record.target) < AUDIT_NAME_MAX + 50
    assert len(json.dumps(record.details)) <= AUDIT_DETAILS_MAX + 100
    assert record.details["note"].startswith("n" * AUDIT_TEXT_MAX) and "more characters" in record.details["note"]
    assert store.audit("root", "reload", None, {"sources": ["un"]}) and store.audit_log(limit=1)[0].details == {
        "sources": ["un"]
    }


def test_failed_logins_lock_the_user_then_expire(
    store: SqlCaseStore, people: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = store.login_limits
    for attempt in range(limits.per_user):
        assert store.login("ana", f"wrong password {attempt}", f"10.0.0.{attempt}") is None
    with pytest.raises(LoginThrottled, match="too many failed logins for user 'ana': try again in 15 minutes"):
        store.login("ana", PASSWORD, "10.9.9.9")  # even the right password, from another address
    assert LoginThrottled.status == 429
    assert store.login("sue", PASSWORD, "10.9.9.9") == people["sue"]  # other users are not locked
    later = logins_module.utc_now() + limits.window + timedelta(seconds=1)
    monkeypatch.setattr(logins_module, "utc_now", lambda: later)
    assert store.login("ana", PASSWORD, "10.9.9.9") == people["ana"]


def test_a_good_login_clears_the_users_failures(store: SqlCaseStore, people: dict[str, User]) -> None:
    for _ in range(store.login_limits.per_user - 1):
        store.login("ana", "wrong password", "10.0.0.1")
    assert store.login("ana", PASSWORD, "10.0.0.1") == people["ana"]
    for _ in range(store.login_limits.per_user - 1):
        store.login("ana", "wrong password", "10.0.0.1")
    assert store.login("ana", PASSWORD, "10.0.0.1") == people["ana"]


def test_failed_logins_lock_the_client_address(store: SqlCaseStore, people: dict[str, User]) -> None:
    store.login_limits = LoginLimits(per_client=6)
    for n in range(6):
        assert store.login(f"guess{n}", "wrong password", "10.6.6.6") is None
    with pytest.raises(LoginThrottled, match="address 10.6.6.6"):
        store.login("ana", PASSWORD, "10.6.6.6")
    assert store.login("ana", PASSWORD, "10.0.0.2") == people["ana"]
    assert len(store.audit_log(action="login.failed", limit=100)) == 6  # throttled tries write nothing


# -- finding 11: huge integers and forged cursors are 4xx, not 500 ------------------------------


def cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def test_huge_ids_are_not_found(store: SqlCaseStore, people: dict[str, User]) -> None:
    store.add_alerts([make_alert(1)])
    for alert_id in (HUGE, 2**63, -(2**70)):
        with pytest.raises(NotFoundError, match="no alert with id"):
            store.get_alert(alert_id)
        assert store.decisions(alert_id) == []
        with pytest.raises(NotFoundError):
            store.decide(alert_id, "false_positive", "no such alert", people["ana"])
    with pytest.raises(QueryError, match="not an audit record id"):
        store.audit_log(before=HUGE)
    assert store.audit_log(before=2**63 - 1)


@pytest.mark.parametrize(
    ("order", "forged"),
    [
        ("newest", cursor(["2024-01-01", HUGE])),
        ("newest", cursor(["2024-01-01", 1e308])),
        ("newest", cursor([{"a": 1}, 5])),
        ("newest", cursor([["x"], 5])),
        ("newest", cursor([5, 5])),
        ("score", cursor(["high", 5])),
        ("score", base64.urlsafe_b64encode(b'[Infinity, 5]').decode()),
        ("score", cursor([True, 5])),
        ("newest", cursor("just text")),
        ("newest", cursor([1, 2, 3])),
        ("newest", base64.urlsafe_b64encode(b"[" * 100_000).decode()),
        ("newest", "%%%not base64%%%"),
        ("newest", base64.urlsafe_b64encode(b"\xff\xfe").decode()),
    ],
)
def test_forged_cursors_are_query_errors(store: SqlCaseStore, order: str, forged: str) -> None:
    store.add_alerts([make_alert(n) for n in range(3)])
    with pytest.raises(QueryError, match="page cursor .* is not valid"):
        store.alerts(AlertFilter(), PageRequest(limit=1, after=forged, order=order))  # type: ignore[arg-type]


def test_real_cursors_still_page(store: SqlCaseStore) -> None:
    store.add_alerts([make_alert(n) for n in range(5)])
    for order in ("newest", "score"):
        page = store.alerts(AlertFilter(), PageRequest(limit=2, order=order))  # type: ignore[arg-type]
        seen = [a.id for a in page.alerts]
        while page.next_cursor:
            page = store.alerts(AlertFilter(), PageRequest(limit=2, after=page.next_cursor, order=order))  # type: ignore[arg-type]
            seen += [a.id for a in page.alerts]
        assert sorted(seen) == sorted(set(seen)) and len(seen) == 5


# -- finding 12: racing decisions record the status they really changed ------------------------------


@pytest.mark.parametrize("kind", [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)])
def test_previous_status_is_read_with_the_update(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two server processes (two connections): A reads the alert 'open'; B escalates it; A decides.

    A's decision is allowed from 'escalated' too, so it goes through; its audit line must say it
    changed 'escalated', not the stale 'open' A read before its transaction.
    """
    first = open_store(kind, tmp_path, request)
    second = type(first).open(first.path if kind == "sqlite" else first.url)  # type: ignore[attr-defined]
    try:
        ana = first.create_user("ana", "analyst", PASSWORD)
        bob = first.create_user("bob", "analyst", PASSWORD)
        (alert_id,) = first.add_alerts([make_alert(1)])
        read = first.get_alert

        def read_then_race(wanted: int) -> object:
            alert = read(wanted)
            if alert.status == "open":
                second.decide(wanted, "escalate", "needs a second look", bob)
            return alert

        monkeypatch.setattr(first, "get_alert", read_then_race)
        first.decide(alert_id, "false_positive", "different person", ana)
        lines = [r for r in second.audit_log(action="decision") if r.target == f"alert:{alert_id}"]
        by_actor = {r.actor: r.details for r in lines}
        assert by_actor["bob"]["previous_status"] == "open"
        assert by_actor["ana"]["previous_status"] == "escalated"
        assert second.get_alert(alert_id).status == "false_positive"
    finally:
        second.close()
        first.close()


def test_login_limits_come_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHLIST_HOME", str(tmp_path))
    monkeypatch.setenv("WATCHLIST_LOGIN_FAILURES_PER_USER", "2")
    monkeypatch.setenv("WATCHLIST_LOGIN_LOCKOUT_MINUTES", "1.5")
    store = open_case_store(Settings.from_env())
    try:
        assert store.login_limits.per_user == 2 and store.login_limits.window == timedelta(seconds=90)  # type: ignore[attr-defined]
        assert store.login_limits.per_client == 20  # type: ignore[attr-defined]
    finally:
        store.close()
    with pytest.raises(ConfigError, match="WATCHLIST_LOGIN_FAILURES_PER_USER"):
        open_case_store(Settings(home=tmp_path, login_failures_per_user=0))
