"""Party mentions as people write them: extra words of the listed name, short and one-word mentions,
vessels with prefixes and numbers, fragments of longer names."""

from __future__ import annotations

import pytest
from tests.conftest import make_entity

from watchlist.engine import Engine
from watchlist.model import Schema
from watchlist.scan import Scanner

LISTED = [
    make_entity("m-mansudae", "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES", Schema.ORGANIZATION, programs=("DPRK",)),
    make_entity("m-ftb", "FOREIGN TRADE BANK (FTB)", Schema.ORGANIZATION, aliases=("Korea Trading Bank",),
                programs=("DPRK",)),
    make_entity("m-prospekt", "LIMITED LIABILITY COMPANY PROSPEKT", Schema.ORGANIZATION, programs=("RUSSIA",)),
    make_entity("m-omm", "OCEAN MARITIME MANAGEMENT COMPANY LIMITED", Schema.ORGANIZATION, programs=("DPRK",)),
    make_entity("m-yujong", "YU JONG 2", Schema.VESSEL, programs=("DPRK",)),
    make_entity("m-kimsong", "KIM, Song", programs=("DPRK",)),
    make_entity("m-kumsan", "KOREA KUMSAN TRADING CORPORATION", Schema.ORGANIZATION, programs=("DPRK",)),
    make_entity("m-kudb", "KOREA UNITED DEVELOPMENT BANK", Schema.ORGANIZATION, programs=("DPRK",)),
    make_entity("m-kimjongman", "KIM, Jong Man", programs=("DPRK",)),
    make_entity("m-dnr", "DONETSK PEOPLE'S REPUBLIC", Schema.ORGANIZATION, programs=("UKRAINE-EO13660",)),
    make_entity("m-asiafuel", "ASIA FUEL PTE. LTD.", Schema.ORGANIZATION),
    make_entity("m-komid", "KOREA MINING DEVELOPMENT TRADING CORPORATION", Schema.ORGANIZATION, aliases=("KOMID",)),
]


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Engine.from_entities(LISTED))


def ids(scanner: Scanner, text: str) -> set[str]:
    return {p.entity.id for p in scanner.scan(text).parties}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The works are subcontracted to Mansudae Overseas Projects Group for the monument.", "m-mansudae"),
        ("a correspondent account with the Foreign Trade Bank of the DPRK was requested", "m-ftb"),
        ("Invoices were issued by Korea Kumsan Trading Corp. in Dandong.", "m-kumsan"),
        ("the tanker M/V Yu Jong No.2 was seen drifting", "m-yujong"),
        ("observed: MT YU JONG NO. 2 alongside a tanker", "m-yujong"),
        ("북한 유조선 유정 2호(YU JONG 2)가 공해상에서", "m-yujong"),
        ("Поставщик: ООО «Проспект», Москва", "m-prospekt"),
        ("The buyer, Prospekt LLC, signed the contract.", "m-prospekt"),
        ("crews were hired by Ocean Maritime Management Co., Ltd", "m-omm"),
    ],
)
def test_mentions_as_written(scanner: Scanner, text: str, expected: str) -> None:
    assert expected in ids(scanner, text)


@pytest.mark.parametrize(
    "text",
    [
        "Delivery address: Prospekt Mira 68, building 1, Moscow",  # a street, not the company
        "Офис находится на Проспекте Мира в Москве.",
        "We visited the Ocean Maritime Museum in the afternoon.",  # a fragment of another name
        "Ocean Maritime Services Pte Ltd opened a training centre.",
        "Signed for the Subcontractor: Kim Song Il, Representative",  # not KIM, Song
        "Hong Min, a senior analyst, said so.",  # not Kim Jong Man
        "The Korea Development Bank lent the yard money.",  # not Korea United Development Bank
        "Myanma Foreign Trade Bank is a state bank of Myanmar.",  # another bank of the same words
        "HUA LONG TRADING LTD, RM 1203 TOWER B, KOWLOON",  # capitals in a telex are not acronyms
    ],
)
def test_false_parties_are_not_reported(scanner: Scanner, text: str) -> None:
    assert ids(scanner, text) == set()


def test_an_acronym_in_capitals_is_a_mention_but_not_in_a_telex_line(scanner: Scanner) -> None:
    assert ids(scanner, "Payments to KOMID were routed via Dalian.") == {"m-komid"}


def test_a_legal_form_of_the_sentence_before_is_no_evidence(scanner: Scanner) -> None:
    text = "Payment came from Korea Mining Development Trading Corporation.\nFuel prices remain high."
    assert ids(scanner, text) == {"m-komid"}  # not ASIA FUEL PTE. LTD.


def test_a_place_name_is_reported_as_the_place_not_as_a_party(scanner: Scanner) -> None:
    report = scanner.scan("Disputes go to the Supreme Court of the Donetsk People's Republic.")
    assert report.parties == []
    assert [m.place.code for m in report.places] == ["UA-14"]
