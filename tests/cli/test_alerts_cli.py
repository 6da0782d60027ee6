"""Alerts raised by `batch --alerts` and `scan --alerts`: one per (screened, listed) party pair, never again
for a pair already open or decided (unless the listing changed), each explained; `alerts list/export`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from watchlist.cases import open_case_store
from watchlist.cases.raising import earlier_decision
from watchlist.settings import Settings

ALPHA = [
    {"id": "a-1", "schema": "Person", "properties": {
        "name": ["Ivan Petrovich IVANOV"], "birthDate": ["1970-05-03"], "passportNumber": ["7201234567"]}},
    {"id": "a-2", "schema": "Vessel", "properties": {"name": ["OCEAN STAR"], "imoNumber": ["IMO 1234567"]}},
]
BETA = [  # the same man on another list: linked by his passport number, not by his name
    {"id": "b-1", "schema": "Person", "properties": {
        "name": ["IVANOV, Ivan Petrovich"], "passportNumber": ["720 123 4567"]}},
    {"id": "b-2", "schema": "Company", "properties": {"name": ["Blue Lotus Trading Company Limited"]}},
]
CUSTOMERS = "id,schema,name\nc1,Person,Ivan Petrovich Ivanov\nc2,Organization,Blue Lotus Trading Co Ltd\nc3,Person,Maria Gonzalez\n"


def write_list(folder: Path, name: str, entities: list[dict[str, Any]]) -> Path:
    path = folder / f"{name}.ftm.json"
    path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return path


@pytest.fixture(name="linked_lists")
def linked_lists_fixture(home: Path, tmp_path: Path, cli) -> Path:  # type: ignore[no-untyped-def]
    for name, entities in (("alpha", ALPHA), ("beta", BETA)):
        result = cli("fetch", "--from", str(write_list(tmp_path, name, entities)))
        assert result.code == 0, result.err
    return home


def alerts(cli, status: str = "all") -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    result = cli("alerts", "list", "--status", status, "--json")
    assert result.code == 0, result.err
    found: list[dict[str, Any]] = json.loads(result.out)
    return found


def batch(cli, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    customers = tmp_path / "customers.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    result = cli("batch", str(customers), "--output", str(tmp_path / "out.jsonl"), "--no-progress", "--workers", "1",
                 "--alerts", "--restart")
    assert result.code == 0, result.err
    return str(result.err)


def test_batch_alerts_twice_raise_each_pair_once(linked_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert "2 new alerts" in batch(cli, tmp_path)
    first = alerts(cli)
    assert "0 new alerts (2 already open)" in batch(cli, tmp_path)
    assert alerts(cli) == first
    ivanov = next(a for a in first if a["query_name"] == "Ivan Petrovich Ivanov")
    assert ivanov["entity_id"] == "a-1" and ivanov["referents"] == ["a-1", "b-1"]
    assert set(ivanov["datasets"]) == {"alpha", "beta"}
    for alert in first:
        assert {"id", "status", "entity_id", "referents", "score", "explanation", "source", "created_at"} <= set(alert)
        assert alert["explanation"] and alert["source"] == "batch" and alert["status"] == "open"


def test_closed_false_positive_stays_closed_until_the_listing_changes(  # type: ignore[no-untyped-def]
    linked_lists: Path, tmp_path: Path, cli
) -> None:
    batch(cli, tmp_path)
    lotus = next(a for a in alerts(cli) if a["entity_id"] == "b-2")
    cases = open_case_store(Settings.from_env())
    try:
        ana = cases.create_user("ana", "analyst", "correct horse battery")
        cases.decide(lotus["id"], "false_positive", "another company", ana)
    finally:
        cases.close()
    assert "0 new alerts (1 already open, 1 already decided)" in batch(cli, tmp_path)
    assert [a["status"] for a in alerts(cli, "closed")] == ["false_positive"]
    assert len(alerts(cli, "open")) == 1

    changed = [*BETA[:1], {**BETA[1], "properties": {**BETA[1]["properties"], "country": ["cn"]}}]
    assert cli("fetch", "--from", str(write_list(tmp_path, "beta", changed))).code == 0
    assert "1 new alert (1 already open)" in batch(cli, tmp_path)
    reopened = [a for a in alerts(cli, "open") if a["entity_id"] == "b-2"]
    assert len(reopened) == 1
    cases = open_case_store(Settings.from_env())
    try:
        decision = earlier_decision(cases, cases.get_alert(reopened[0]["id"]))
    finally:
        cases.close()
    assert decision is not None and decision.alert_id == lotus["id"] and decision.status_after == "false_positive"


def test_scan_alerts_twice_raise_each_mention_once(linked_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "memo.txt"
    doc.write_text("Payment instructions were signed by Ivan Petrovich Ivanov on behalf of the buyer.\n",
                   encoding="utf-8")
    first = cli("scan", str(doc), "--alerts")
    assert first.code == 0, first.err
    assert "1 new alert" in first.err
    second = cli("scan", str(doc), "--alerts")
    assert "0 new alerts (1 already open)" in second.err
    (alert,) = alerts(cli)
    assert alert["source"] == "scan" and alert["referents"] == ["a-1", "b-1"] and alert["explanation"]


def test_alerts_export_csv(linked_lists: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    batch(cli, tmp_path)
    out = tmp_path / "alerts.csv"
    result = cli("alerts", "export", "--output", str(out))
    assert result.code == 0, result.err
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 2 and all(r["explanation"] for r in rows)
    assert {r["referents"] for r in rows} == {"a-1; b-1", "b-2"}
    folder = cli("alerts", "export", "--output", str(tmp_path))
    assert folder.code == 2 and "is a folder" in folder.err


def test_alerts_list_status_is_checked(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    assert alerts(cli, "open") == []
    bad = cli("alerts", "list", "--status", "shut")
    assert bad.code != 0 and "shut" in bad.err


@pytest.mark.integration
@pytest.mark.slow
def test_real_lists_one_alert_per_party_and_none_twice(home: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    """UN, OFAC SDN 2024 and UK loaded: each of the issue's parties is one alert with every list's record."""
    from tests.conftest import LISTS

    result = cli("fetch", "--from", str(LISTS / "un" / "consolidated.xml"), "--from", str(LISTS / "ofac" / "sdn_2024-05-03"),
                 "--from", str(LISTS / "uk" / "ConList_2025-04-10.xlsx"))
    assert result.code == 0, result.err
    customers = tmp_path / "parties.csv"
    customers.write_text("id,schema,name\n1,Organization,Mansudae Overseas Project Group of Companies\n"
                         "2,Organization,Korea Kwangson Banking Corp\n3,Person,Marat Khusnullin\n", encoding="utf-8")
    for _ in range(2):
        run = cli("batch", str(customers), "--output", str(tmp_path / "out.jsonl"), "--no-progress", "--workers", "1",
                  "--alerts", "--restart")
        assert run.code == 0, run.err
    found = {a["query_name"]: a for a in alerts(cli)}
    assert len(found) == 3 and all(a["explanation"] for a in found.values())
    assert set(found["Mansudae Overseas Project Group of Companies"]["referents"]) == {
        "un-KPe.050", "ofac-20578", "uk-13538"}
    assert set(found["Korea Kwangson Banking Corp"]["referents"]) == {"un-KPe.025", "ofac-11581", "uk-12452"}
    assert set(found["Marat Khusnullin"]["referents"]) == {"ofac-42073", "uk-14642"}
