"""Workbench pages of a party several lists publish: its records side by side, its alerts, one decision;
FtM labels; the lists page pages its additions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.conftest import make_entity
from workbench_helpers import Bench, bench_fixture, client_fixture, login  # noqa: F401  (fixtures)

from watchlist.cases import AlertIn
from watchlist.match.types import Query
from watchlist.sources.base import ParsedList

UK_MANSUDAE = make_entity(
    "uk-13538", "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", "Organization", datasets=("uk",),
    programs=("Democratic People's Republic of Korea",), listed_on=("2017-08-07",),
    extra=(("unReference", "KPe.050"), ("ukSanctionsListRef", "DPR0174"), ("modifiedAt", "2022-08-02")),
)


def load_uk(bench: Bench, extra: list[object] = ()) -> None:  # type: ignore[assignment]
    store = bench.engine.store
    assert store is not None
    entities = [UK_MANSUDAE, *extra]
    store.load(ParsedList(source="uk", format="test", files=(), entities=lambda: iter(entities),
                          published="2025-04-10"), force=True)
    bench.engine.reload()


def raise_party_alert(bench: Bench) -> int:
    (hit,) = [h for h in bench.engine.screen(Query.build("Mansudae Overseas Project Group of Companies",
                                                         schema="Organization")) if h.match]
    (alert_id,) = bench.cases.add_alerts([AlertIn.from_result(
        "batch", "customers.csv#c9", {"name": "Mansudae Overseas Project Group of Companies"}, hit)])
    return alert_id


def test_entity_page_shows_the_party_records_side_by_side(bench: Bench, client: TestClient) -> None:
    load_uk(bench)
    alert_id = raise_party_alert(bench)
    login(client, "ana")
    for record_id in ("un-KPe.050", "uk-13538"):  # either record's id opens the party
        html = client.get(f"/wb/entity/{record_id}").text
        assert 'id="source-records"' in html
        assert 'data-record="un-KPe.050"' in html and 'data-record="uk-13538"' in html
        assert "uk-13538 cites UN reference KPe.050" in html
        assert f"/wb/alerts/{alert_id}" in html
    html = client.get("/wb/entity/uk-13538").text
    assert "Authority-issued identifier" in html and "Modified on" in html
    assert "ukSanctionsListRef" not in html and "modifiedAt" not in html


def test_alert_page_decides_for_the_party_and_links_an_earlier_decision(bench: Bench, client: TestClient) -> None:
    load_uk(bench)
    alert_id = raise_party_alert(bench)
    login(client, "ana")
    html = client.get(f"/wb/alerts/{alert_id}").text
    assert 'id="source-records"' in html and 'id="decision-scope"' in html
    assert "un-KPe.050" in html and "uk-13538" in html
    assert 'id="earlier-decision"' not in html
    ana = bench.cases.get_user("ana")
    assert ana is not None
    bench.cases.decide(alert_id, "false_positive", "our customer is a Namibian studio", ana)
    (again,) = bench.cases.add_alerts([AlertIn.from_result(  # the listing changed: asked again
        "batch", "customers.csv#c9", {"name": "Mansudae Overseas Project Group of Companies"},
        bench.engine.screen(Query.build("Mansudae Overseas Project Group of Companies"))[0])])
    html = client.get(f"/wb/alerts/{again}").text
    assert 'id="earlier-decision"' in html and f"/wb/alerts/{alert_id}" in html and "false positive" in html


def test_lists_page_pages_its_additions(bench: Bench, client: TestClient) -> None:
    many = [make_entity(f"uk-{n}", f"Trading Company Number {n}", "Organization", datasets=("uk",))
            for n in range(1000, 1250)]
    load_uk(bench, many)
    login(client, "ana")
    first = client.get("/wb/lists?source=uk").text
    assert "page 1 of 3" in first and first.count("/wb/entity/uk-1") == 100
    assert 'id="next-additions"' in first
    last = client.get("/wb/lists?source=uk&added=3").text
    assert "page 3 of 3" in last and 'id="next-additions"' not in last and "« Previous" in last
