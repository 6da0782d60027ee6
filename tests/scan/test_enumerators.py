"""A list item's number or letter at the start of a line ('2.', '(b)', 'iv)') is no word of a name, and a
digit before a full stop is a number, not an initial; an abbreviation of the trade written in capitals
(ETA, C/P) is no acronym of a listed party. Issue 17: '2.\\nLee' (the item number, then the name on the
next line) read as 'RI 2', a listed company."""

from __future__ import annotations

import pytest
from tests.conftest import make_entity

from watchlist.engine import Engine
from watchlist.model import Schema
from watchlist.scan import Scanner
from watchlist.scan.runs import doc_words, runs
from watchlist.scan.words import scan_words

LISTED = [
    make_entity("m-ri2", "LIMITED LIABILITY COMPANY RI2", Schema.ORGANIZATION, programs=("RUSSIA",)),
    make_entity("m-yujong", "YU JONG 2", Schema.VESSEL, programs=("DPRK",)),
    make_entity("m-komid", "KOREA MINING DEVELOPMENT TRADING CORPORATION", Schema.ORGANIZATION, aliases=("KOMID",)),
    make_entity("m-eta", "EUZKADI TA ASKATASUNA", Schema.ORGANIZATION, aliases=("ETA",)),
    make_entity("m-cp", "CYBER POLICE", Schema.ORGANIZATION, aliases=("CP",)),
]


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Engine.from_entities(LISTED))


def ids(scanner: Scanner, text: str) -> set[str]:
    return {p.entity.id for p in scanner.scan(text).parties}


def spelled_runs(text: str) -> list[str]:
    words = scan_words()
    doc = doc_words(text, words.vessel_prefixes, words.number_marks)
    return [" ".join(w.spelled for w in run if w.spelled) for run in runs(doc, text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("value.\n2.\nLee Ji-eun, who heads a union, spoke.", ["Lee Ji eun"]),
        ("2. Lee Ji-eun spoke.", ["Lee Ji eun"]),
        ("  12) Lee Ji-eun spoke.", ["Lee Ji eun"]),
        ("(b) Lee Ji-eun spoke.", ["Lee Ji eun"]),
        ("iv) Lee Ji-eun spoke.\nIV. Lee Ji-eun", ["Lee Ji eun", "Lee Ji eun"]),
        ("Loaded at berth 2. Lee Ji-eun signed.", ["Loaded", "2", "Lee Ji eun"]),  # a number ends where its full stop is
        ("A. Lee Ji-eun spoke.", ["A Lee Ji eun"]),  # a capital with a full stop is an initial
        ("the tanker YU JONG\n2 sailed", ["YU JONG 2"]),  # a number in a name, not an item
        ("see 2.5 tonnes of Lee Ji-eun", ["2", "Lee Ji eun"]),  # decimals are no word of their own
    ],
)
def test_a_list_enumerator_is_no_word_of_a_name(text: str, expected: list[str]) -> None:
    assert spelled_runs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The rouble bottomed out before Moscow restored its value.\n2.\nLee Ji-eun, who heads a union, spoke.",
        "2. Lee Ji-eun heads a welders' union in Ulsan.",
        "Cargo was loaded at berth 2. Lee Ji-eun signed the receipt.",
    ],
)
def test_an_item_number_and_the_name_after_it_are_no_listed_company(scanner: Scanner, text: str) -> None:
    assert ids(scanner, text) == set()


def test_an_item_number_is_no_neighbour_that_makes_a_name_a_fragment(scanner: Scanner) -> None:
    assert ids(scanner, "Findings:\n3. KOMID paid the yard through Dalian.") == {"m-komid"}
    assert ids(scanner, "the tanker YU JONG 2 sailed from Nampo") == {"m-yujong"}


@pytest.mark.parametrize(
    "text",
    [
        "3. Keep AIS transmitting at all times.\n4. ETA notices to be sent 72/48/24 hours before arrival.",
        "Please advise your ETA and berthing prospects.",
        "Freight payable as per C/P dated 3 May; CP terms apply.",
    ],
)
def test_a_trade_abbreviation_in_capitals_is_no_acronym_of_a_party(scanner: Scanner, text: str) -> None:
    assert ids(scanner, text) == set()


def test_a_trade_abbreviation_names_a_party_with_other_evidence(scanner: Scanner) -> None:
    assert ids(scanner, 'Police blamed the separatist group "ETA" for the attack.') == {"m-eta"}
    assert ids(scanner, "Funds went to Euzkadi Ta Askatasuna, the police said.") == {"m-eta"}
