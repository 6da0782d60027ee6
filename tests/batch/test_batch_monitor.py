"""Monitoring: delta re-screening after a list update, hit changes, and decided hits never re-raised."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import make_entity

from watchlist.batch.monitor import Monitor
from watchlist.batch.monitor_state import MonitorStore
from watchlist.engine import Engine
from watchlist.errors import ConfigError
from watchlist.model import Entity
from watchlist.settings import Settings
from watchlist.sources.base import ParsedList
from watchlist.store import Store

PUTIN = make_entity("t-1", "Vladimir Vladimirovich PUTIN", birth_dates=("1952-10-07",))
KIM = make_entity("t-2", "KIM Jong Un")
ACME = make_entity("t-3", "Acme Trading Limited", schema="Organization")
OCEAN = make_entity("t-4", "OCEAN STAR", schema="Vessel")
PARTIES = [
    {"id": "p1", "schema": "Person", "name": "Vladimir Putin"},
    {"id": "p2", "schema": "Person", "name": "Kim Jong Un"},
    {"id": "p3", "schema": "Organization", "name": "Acme Trading Ltd"},
    {"id": "p4", "schema": "Vessel", "name": "Ocean Star"},
    {"id": "p5", "schema": "Person", "name": "Maria Gonzalez"},
    {"id": "p6", "schema": "Person", "name": "Olusegun Adeyemi"},
]


class FakeCases:
    def __init__(self) -> None:
        self.decided: dict[tuple[str, str], str] = {}
        self.alerts: list[Any] = []

    def decision_for(self, party_key: str, entity_id: str) -> Any:
        digest = self.decided.get((party_key, entity_id))
        return None if digest is None else type("D", (), {"entity_hash": digest})()

    def add_alerts(self, alerts: Any) -> list[int]:
        self.alerts.extend(alerts)
        return list(range(len(alerts)))

    def close(self) -> None:
        pass


def load(store: Store, entities: list[Entity]) -> None:
    store.load(ParsedList(source="test", format="test", files=(), entities=lambda: iter(entities)), force=True)


@pytest.fixture
def setup(tmp_path: Path) -> Any:
    settings = Settings(home=tmp_path / "home")
    store = Store.open(settings.db_path)
    load(store, [PUTIN, KIM, ACME])
    engine = Engine(settings, store)
    cases = FakeCases()
    monitor = Monitor(engine, MonitorStore.open(settings.db_path), cases)  # type: ignore[arg-type]
    portfolio = tmp_path / "customers.csv"
    with portfolio.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "schema", "name"])
        writer.writeheader()
        writer.writerows(PARTIES)
    yield monitor, store, cases, portfolio
    monitor.close()


def records(entities: list[Entity]) -> Callable[[], Iterator[Entity]]:
    return lambda: iter(entities)


def kinds(report: Any) -> dict[str, str]:
    return {f"{c.party_id}:{c.entity_id}": c.kind for c in report.changes}


def test_add_screens_and_unchanged_run_screens_nobody(setup: Any) -> None:
    monitor, _store, cases, portfolio = setup
    report = monitor.add(portfolio, "customers")
    assert report.screened == len(PARTIES)
    assert kinds(report) == {"p1:t-1": "new", "p2:t-2": "new", "p3:t-3": "new"}
    assert len(cases.alerts) == 3 and cases.alerts[0].party_key == "monitor:customers:p1"
    again = monitor.add(portfolio, "customers")  # same file: nothing new to screen
    assert again.screened == 0
    run = monitor.run()
    assert run.mode == "unchanged" and run.screened == 0 and run.changes == []


def test_replace_says_what_it_removed_and_never_empties_a_portfolio_on_a_file_of_no_rows(
    setup: Any, tmp_path: Path,
) -> None:
    monitor, _store, _cases, portfolio = setup
    monitor.add(portfolio, "customers")
    empty = tmp_path / "empty.csv"
    empty.write_text("id,schema,name\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="empty.csv has no rows: --replace would remove all 6 parties of portfolio "
                                          "'customers'"):
        monitor.add(empty, "customers", replace=True)
    assert monitor.status()["parties"] == len(PARTIES)
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("id,schema,name\np1,Person,Vladimir Putin\n", encoding="utf-8")
    report = monitor.add(fewer, "customers", replace=True)
    assert report.removed == 5 and report.to_dict()["removed"] == 5 and monitor.status()["parties"] == 1


def test_delta_run_rescreens_only_affected_parties(setup: Any) -> None:
    monitor, store, _cases, portfolio = setup
    monitor.add(portfolio, "customers")
    changed_kim = replace(KIM, birth_dates=("1984-01-08",))
    load(store, [PUTIN, changed_kim, OCEAN])  # KIM changed, ACME removed, OCEAN added
    report = monitor.run()
    assert report.mode == "delta" and report.changed_entities == 3
    assert kinds(report) == {"p2:t-2": "changed", "p3:t-3": "cleared", "p4:t-4": "new"}
    screened = report.screened
    assert 3 <= screened < len(PARTIES)  # p1 (Putin) and the unrelated parties are not re-screened
    full = monitor.run(full=True)
    assert full.screened == len(PARTIES) and full.changes == []  # the delta run missed nothing


def test_decided_hit_is_not_raised_again_unless_the_entity_changes(setup: Any) -> None:
    monitor, store, cases, portfolio = setup
    monitor.add(portfolio, "customers")
    from watchlist.store import canonical_json, entity_hash

    # the analyst closed p4 / OCEAN as a false positive while OCEAN had this content
    cases.decided[("monitor:customers:p4", "t-4")] = entity_hash(canonical_json(OCEAN))
    load(store, [PUTIN, KIM, ACME, OCEAN])
    report = monitor.run()
    assert kinds(report).get("p4:t-4") == "suppressed"
    alerts_before = len(cases.alerts)
    load(store, [PUTIN, KIM, ACME, replace(OCEAN, countries=("pa",))])  # the listing changed
    report = monitor.run()
    assert kinds(report).get("p4:t-4") == "changed" and len(cases.alerts) == alerts_before + 1


def test_real_case_store_receives_alerts(tmp_path: Path) -> None:
    from watchlist.cases import SqliteCaseStore

    settings = Settings(home=tmp_path / "home")
    store = Store.open(settings.db_path)
    load(store, [PUTIN, KIM])
    cases = SqliteCaseStore.open(tmp_path / "cases.db")
    monitor = Monitor(Engine(settings, store), MonitorStore.open(settings.db_path), cases)
    portfolio = tmp_path / "p.jsonl"
    portfolio.write_text('{"id": "x1", "name": "Vladimir Putin", "schema": "Person"}\n', encoding="utf-8")
    report = monitor.add(portfolio, "people")
    assert report.alerts == 1 and cases.count_alerts() == 1
    monitor.close()


def test_party_dropped_by_one_list_stays_and_the_change_shows(tmp_path: Path) -> None:
    un = make_entity("un-KPe.050", "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", "Organization", datasets=("un",))
    uk = make_entity("uk-13538", "Mansudae Overseas Project Group", "Organization", datasets=("uk",),
                     extra=(("unReference", "KPe.050"),))
    settings = Settings(home=tmp_path / "home")
    store = Store.open(settings.db_path)
    for source, entities in (("un", [un]), ("uk", [uk, ACME])):
        store.load(ParsedList(source=source, format="test", files=(), entities=records(entities)), force=True)
    monitor = Monitor(Engine(settings, store), MonitorStore.open(settings.db_path), FakeCases())
    portfolio = tmp_path / "customers.csv"
    portfolio.write_text("id,schema,name\nc1,Organization,Mansudae Overseas Project Group of Companies\n",
                         encoding="utf-8")
    try:
        added = monitor.add(portfolio, "customers")
        assert kinds(added) == {"c1:un-KPe.050": "new"}  # one hit for the party, not one per list
        store.load(ParsedList(source="uk", format="test", files=(), entities=lambda: iter([ACME])), force=True)
        report = monitor.run()
        assert report.mode == "delta"
        assert kinds(report) == {"c1:un-KPe.050": "changed"}  # still listed (by the UN), no longer by the UK
    finally:
        monitor.close()


def test_monitor_raises_no_second_alert_for_an_open_pair(tmp_path: Path) -> None:
    """Monitoring state lost (or a second portfolio file for the same customers): the case store still
    has the pair's open alert, so nothing new is raised."""
    from watchlist.cases import SqliteCaseStore

    settings = Settings(home=tmp_path / "home")
    store = Store.open(settings.db_path)
    load(store, [PUTIN, KIM, ACME])
    store.close()
    portfolio = tmp_path / "customers.csv"
    portfolio.write_text("id,schema,name\np1,Person,Vladimir Putin\n", encoding="utf-8")
    raised = []
    for run in ("first", "second"):
        cases = SqliteCaseStore.open(tmp_path / "cases.db")
        engine = Engine(settings, Store.open(settings.db_path))
        monitor = Monitor(engine, MonitorStore.open(tmp_path / f"{run}-monitor.db"), cases)
        try:
            raised.append(monitor.add(portfolio, "customers").alerts)
        finally:
            monitor.close()
    assert raised == [1, 0]
    cases = SqliteCaseStore.open(tmp_path / "cases.db")
    try:
        assert cases.count_alerts() == 1 and cases.alerts().alerts[0].explanation
    finally:
        cases.close()
