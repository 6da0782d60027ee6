"""Contract test of the case store: one suite, run on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from cases_helpers import make_alert, open_store, pg_schema_url  # noqa: F401  (fixture)

from watchlist.cases import (
    AlertFilter,
    CaseStore,
    DecisionError,
    PageRequest,
    SqlCaseStore,
    SqliteCaseStore,
    User,
    hash_password,
    open_case_store,
    verify_password,
)
from watchlist.errors import ForbiddenError, NotFoundError, QueryError
from watchlist.settings import Settings

PASSWORD = "correct horse battery"


def test_store_satisfies_protocol(store: SqlCaseStore) -> None:
    assert isinstance(store, CaseStore)


def test_add_and_get_alerts_roundtrip(store: SqlCaseStore) -> None:
    ids = store.add_alerts([make_alert(1), make_alert(2, record={"name": "정 명 호", "country": "kp"})])
    assert len(ids) == 2 and ids[0] < ids[1]
    alert = store.get_alert(ids[1])
    assert alert.record == {"name": "정 명 호", "country": "kp"}
    assert alert.status == "open" and alert.is_open
    assert alert.datasets == ("ofac-sdn",) and alert.programs == ("IRAN",)
    assert alert.explanation == ("names agree",)
    assert alert.features == {"name_similarity": 0.9}
    assert store.add_alerts([]) == []


def test_bad_alerts_are_refused(store: SqlCaseStore) -> None:
    with pytest.raises(QueryError, match="source"):
        store.add_alerts([make_alert(1, source="email")])
    with pytest.raises(QueryError, match="outside"):
        store.add_alerts([make_alert(1, score=1.5)])
    with pytest.raises(NotFoundError):
        store.get_alert(999)


def test_keyset_pages_cover_everything_once(store: SqlCaseStore) -> None:
    ids = store.add_alerts([make_alert(n) for n in range(23)])
    seen: list[int] = []
    page = store.alerts(page=PageRequest(limit=5))
    while True:
        seen.extend(a.id for a in page.alerts)
        if page.next_cursor is None:
            break
        page = store.alerts(page=PageRequest(limit=5, after=page.next_cursor))
    assert seen == sorted(ids, reverse=True)
    by_score = []
    cursor = None
    while True:
        page = store.alerts(page=PageRequest(limit=4, after=cursor, order="score"))
        by_score.extend(page.alerts)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(a.id for a in by_score) == sorted(ids)
    assert [a.score for a in by_score] == sorted((a.score for a in by_score), reverse=True)


def test_filters(store: SqlCaseStore, people: dict[str, User]) -> None:
    ids = store.add_alerts([make_alert(n) for n in range(30)])
    store.decide(ids[0], "false_positive", "different birth year", people["ana"])

    def found(**kw: object) -> set[int]:
        return {a.id for a in store.alerts(AlertFilter(**kw), PageRequest(limit=500)).alerts}  # type: ignore[arg-type]

    assert found(status=("false_positive",)) == {ids[0]}
    assert found(status=("open",)) == set(ids[1:])
    assert found(min_score=0.25) == {i for n, i in enumerate(ids) if n >= 25}
    assert found(dataset="un") == {i for n, i in enumerate(ids) if n % 2}
    assert found(program="DPRK") == {i for n, i in enumerate(ids) if n % 3 == 0}
    assert found(dataset="un", program="DPRK", max_score=0.1) == {ids[3], ids[9]}
    assert found(created_from="2000-01-01", created_to="2999-12-31") == set(ids)
    assert found(created_to="2000-01-01") == set()
    assert found(party_key="customer-7") == {ids[7]}
    assert store.count_alerts(AlertFilter(program="DPRK")) == 10
    assert store.alert_facets() == {"dataset": ["ofac-sdn", "un"], "program": ["DPRK", "IRAN"]}
    with pytest.raises(QueryError):
        found(status=("nonsense",))
    with pytest.raises(QueryError):
        store.alerts(page=PageRequest(after="not-a-cursor"))


def test_false_positive_closes_and_is_remembered(store: SqlCaseStore, people: dict[str, User]) -> None:
    (alert_id,) = store.add_alerts([make_alert(4)])
    assert store.decision_for("customer-4", "un-4") is None
    decision = store.decide(alert_id, "false_positive", "  born 1990, listed person 1950  ", people["ana"])
    assert decision.comment == "born 1990, listed person 1950"
    assert store.get_alert(alert_id).status == "false_positive"
    remembered = store.decision_for("customer-4", "un-4")
    assert remembered is not None and remembered.status_after == "false_positive"
    assert remembered.entity_hash == "h4" and remembered.user == "ana"
    with pytest.raises(DecisionError, match="closed"):
        store.decide(alert_id, "escalate", "again", people["ana"])


def test_comment_is_mandatory(store: SqlCaseStore, people: dict[str, User]) -> None:
    (alert_id,) = store.add_alerts([make_alert(1)])
    with pytest.raises(QueryError, match="comment"):
        store.decide(alert_id, "false_positive", "   ", people["ana"])
    with pytest.raises(QueryError, match="decision"):
        store.decide(alert_id, "maybe", "hmm", people["ana"])
    assert store.get_alert(alert_id).status == "open"
    assert store.decisions(alert_id) == []


def test_true_match_needs_a_second_supervisor(store: SqlCaseStore, people: dict[str, User]) -> None:
    (alert_id,) = store.add_alerts([make_alert(6)])
    store.decide(alert_id, "true_match", "same passport number", people["sue"])
    assert store.get_alert(alert_id).status == "pending_approval"
    assert store.decision_for("customer-6", "un-6") is None  # not closed yet
    with pytest.raises(DecisionError, match="approval"):
        store.decide(alert_id, "false_positive", "changed my mind", people["ana"])
    with pytest.raises(ForbiddenError, match="supervisor"):
        store.approve(alert_id, "looks right", people["ana"])
    with pytest.raises(ForbiddenError, match="proposed"):
        store.approve(alert_id, "looks right", people["sue"])
    store.approve(alert_id, "confirmed with passport copy", people["sam"])
    assert store.get_alert(alert_id).status == "true_match"
    closing = store.decision_for("customer-6", "un-6")
    assert closing is not None and closing.action == "approve" and closing.user == "sam"
    assert [d.action for d in store.decisions(alert_id)] == ["true_match", "approve"]
    with pytest.raises(DecisionError):
        store.approve(alert_id, "twice", people["sam"])


def test_rejected_true_match_goes_back_to_the_queue(store: SqlCaseStore, people: dict[str, User]) -> None:
    (alert_id,) = store.add_alerts([make_alert(8)])
    store.decide(alert_id, "escalate", "not sure, different spelling", people["ana"])
    assert store.get_alert(alert_id).status == "escalated"
    store.decide(alert_id, "true_match", "the same person after all", people["ana"])
    with pytest.raises(ForbiddenError):
        store.reject(alert_id, "no", people["ana"])
    store.reject(alert_id, "birth dates differ by 20 years", people["sue"])
    assert store.get_alert(alert_id).status == "open"


def test_decisions_and_audit_are_append_only(store: SqlCaseStore, people: dict[str, User]) -> None:
    (alert_id,) = store.add_alerts([make_alert(1)])
    store.decide(alert_id, "false_positive", "not them", people["ana"])
    for sql in ("UPDATE audit SET actor = 'mallory'", "DELETE FROM audit",
                "UPDATE decisions SET comment = 'edited'", "DELETE FROM decisions"):
        with pytest.raises(Exception, match="append-only"):
            store.raw(sql)
    assert store.decisions(alert_id)[0].comment == "not them"
    assert any(r.actor == "ana" for r in store.audit_log())


def test_audit_log_pages_and_filters(store: SqlCaseStore, people: dict[str, User]) -> None:
    store.audit("admin", "reload", "lists", {"sources": ["un"]})
    store.audit("admin", "config.threshold", None, {"old": 0.7, "new": 0.8})
    newest = store.audit_log(limit=2)
    assert [r.action for r in newest] == ["config.threshold", "reload"]
    assert newest[0].details == {"old": 0.7, "new": 0.8}
    older = store.audit_log(limit=100, before=newest[-1].id)
    assert {r.action for r in older} == {"user.create"}
    assert [r.action for r in store.audit_log(action="config")] == ["config.threshold"]
    assert len(store.audit_log(actor="system")) == 3
    everything = list(store.audit_all())
    assert [r.id for r in everything] == sorted(r.id for r in everything) and len(everything) == 5


def test_users_and_passwords(store: SqlCaseStore) -> None:
    user = store.create_user("ana", "analyst", PASSWORD, actor="root")
    assert store.authenticate("ana", PASSWORD) == user
    assert store.authenticate("ana", "wrong password!") is None
    assert store.authenticate("nobody", PASSWORD) is None
    with pytest.raises(DecisionError, match="exists"):
        store.create_user("ana", "admin", PASSWORD)
    with pytest.raises(QueryError, match="role"):
        store.create_user("bob", "boss", PASSWORD)
    with pytest.raises(QueryError, match="short"):
        store.create_user("bob", "analyst", "short")
    store.set_password("ana", "another long secret")
    assert store.authenticate("ana", PASSWORD) is None
    assert store.authenticate("ana", "another long secret") is not None
    store.set_active("ana", False)
    assert store.authenticate("ana", "another long secret") is None
    assert [u.name for u in store.users()] == ["ana"]


def test_sessions(store: SqlCaseStore) -> None:
    user = store.create_user("ana", "analyst", PASSWORD)
    token, session = store.create_session(user)
    found = store.session(token)
    assert found is not None and found.user == user and found.csrf_token == session.csrf_token
    assert store.session("forged") is None and store.session("") is None
    expired_token, _ = store.create_session(user, hours=-1)
    assert store.session(expired_token) is None
    store.end_session(token)
    assert store.session(token) is None
    token, _ = store.create_session(user)
    store.set_active("ana", False)
    assert store.session(token) is None


def test_password_hash_is_salted_scrypt() -> None:
    one, two = hash_password(PASSWORD), hash_password(PASSWORD)
    assert one != two and one.startswith("scrypt$")
    assert verify_password(PASSWORD, one) and not verify_password("nope", one)
    assert not verify_password(PASSWORD, "md5$abc")


def test_decisions_survive_reopening(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    store = open_case_store(settings)
    assert isinstance(store, SqliteCaseStore)
    user = store.create_user("ana", "analyst", PASSWORD)
    (alert_id,) = store.add_alerts([make_alert(2)])
    store.decide(alert_id, "false_positive", "not them", user)
    store.close()
    again = open_case_store(settings)
    assert again.get_alert(alert_id).status == "false_positive"
    assert again.decision_for("customer-2", "un-2") is not None
    again.close()


@pytest.mark.postgres
def test_settings_choose_postgres(pg_schema_url: str, tmp_path: Path) -> None:  # noqa: F811
    store = open_case_store(Settings(home=tmp_path, database_url=pg_schema_url))
    assert store.backend == "postgres"
    store.close()


# -- paging stays fast with 100,000 alerts (checked by the plan, not by a clock) -----------------

PLAN_CASES = [
    (AlertFilter(), PageRequest()),
    (AlertFilter(status=("open", "escalated", "pending_approval")), PageRequest()),
    (AlertFilter(status=("open",)), PageRequest(order="score")),
    (AlertFilter(min_score=0.9), PageRequest(order="score")),
    (AlertFilter(created_from="2020-01-01", created_to="2999-12-31"), PageRequest()),
    (AlertFilter(status=("open",), program="DPRK"), PageRequest()),
]


@pytest.mark.slow
def test_page_queries_use_indexes_with_100k_alerts(store: SqlCaseStore) -> None:
    batch = [make_alert(n) for n in range(10_000)]
    for _ in range(10):
        store.add_alerts(batch)
    store.analyze()  # type: ignore[attr-defined]
    assert store.count_alerts() == 100_000
    cursor = store.alerts(page=PageRequest(limit=50)).next_cursor
    for filters, page in PLAN_CASES + [(AlertFilter(status=("open",)), PageRequest(after=cursor))]:
        plan = " | ".join(store.explain_alerts(filters, page))
        if store.backend == "sqlite":
            assert "INDEX alerts_" in plan, plan
            assert "TEMP B-TREE" not in plan, plan  # no sort of the whole table
        else:
            assert "Index" in plan and "Seq Scan on alerts" not in plan, plan
            assert "Sort" not in plan.split("Limit", 1)[-1].split("Index", 1)[0], plan
        assert len(store.alerts(filters, page).alerts) == 50
