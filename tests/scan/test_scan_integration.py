"""The scanner against the real lists in ../shared/data (OFAC SDN 2024, UN, UK)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import LISTS, SHARED
from tests.scan.scan_helpers import DOCS

from watchlist.engine import Engine
from watchlist.model import Entity
from watchlist.scan import Scanner, ScanReport
from watchlist.scan.extract import extract_path
from watchlist.sources import entities_from_paths

pytestmark = pytest.mark.integration

ARTICLE = SHARED / "docs" / "000_03e27a45d49855e6.txt"
LIST_FILES = [LISTS / "ofac" / "sdn_2024-05-03" / "sdn.csv", LISTS / "un" / "consolidated.xml",
              LISTS / "uk" / "ConList_2025-04-10.xlsx"]


def load_all(paths: list[Path]) -> list[Entity]:
    return entities_from_paths(paths)


def record_ids(scanner: Scanner, report: ScanReport) -> set[str]:
    """The list records behind the parties found (one party may be published by several lists)."""
    assert scanner.engine is not None
    parties = scanner.engine.parties()
    return {r for p in report.parties for r in parties.party(p.entity.id).referents}


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Engine.from_entities(load_all(LIST_FILES)))


@pytest.fixture(scope="module")
def article(scanner: Scanner) -> ScanReport:
    document = extract_path(ARTICLE)
    return scanner.scan(document.text, document.name)


def test_article_names_the_listed_person(article: ScanReport) -> None:
    found = {p.entity.id: p for p in article.parties}
    assert "ofac-42073" in found
    assert found["ofac-42073"].text == "Marat Khusnullin"
    # the UK list's record of the same man (same name and date of birth) is the same party
    assert "uk-14642" not in found
    assert set(found["ofac-42073"].entity.datasets) == {"ofac-sdn", "uk"}


def test_article_does_not_report_the_analysts(article: ScanReport) -> None:
    mentions = " ".join(p.text for p in article.parties)
    for analyst in ("Lim", "Soo-ho", "Kang Dong Wan", "Hong Min", "Nam Sung-wook", "Matsegora"):
        assert analyst not in mentions
    assert {p.text for p in article.parties} == {"Marat Khusnullin"}


def test_article_flags_dprk_labour_and_in_kind_payment(article: ScanReport) -> None:
    codes = {f.code for f in article.red_flags}
    assert {"dprk-overseas-labour", "in-kind-payment", "sanctioned-region"} <= codes
    (payment,) = [f for f in article.red_flags if f.code == "in-kind-payment"]
    assert "compensated with food, fuel and machinery" in payment.evidence
    labour = next(f for f in article.red_flags if f.code == "dprk-overseas-labour")
    assert labour.rule.rule.startswith("UNSCR 2397 (2017) OP8")


def test_article_places(article: ScanReport) -> None:
    codes = {m.place.code for m in article.places}
    assert {"KP", "UA-14", "UA-09"} <= codes
    assert {m.text for m in article.places if m.place.code == "UA-14"} >= {"Donetsk"}
    assert "KR" not in codes  # South Korea is context, never reported


def test_memo_finds_listed_dprk_parties(scanner: Scanner) -> None:
    report = scanner.scan(extract_path(DOCS / "dprk_shipping_memo.txt").text)
    found = record_ids(scanner, report)
    assert {"ofac-23729", "ofac-9345", "un-KPe.001", "ofac-11581", "ofac-17068"} <= found
    assert "ship-to-ship-transfer" in {f.code for f in report.red_flags}


@pytest.mark.parametrize("name", ["busan_shipyard_news.txt", "fuel_prices_news.txt", "factory_audit.txt"])
def test_trap_documents_report_no_listed_party(scanner: Scanner, name: str) -> None:
    report = scanner.scan(extract_path(DOCS / name).text)
    assert [(p.text, p.entity.id) for p in report.parties] == []


def test_korea_development_bank_is_not_the_listed_bank(scanner: Scanner) -> None:
    assert scanner.scan("Korea Development Bank said on Monday it would lend more.").parties == []
    report = scanner.scan("Funds went through Korea United Development Bank.")
    assert [p.entity.id for p in report.parties] == ["un-KPe.033"]  # one party, published by three lists
    assert {"ofac-19509", "un-KPe.033", "uk-13425"} <= record_ids(scanner, report)
