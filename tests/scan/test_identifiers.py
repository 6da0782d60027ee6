"""Identifiers in text name their listed entities: IMO numbers (check digit), SWIFT codes, labelled
passport and registration numbers."""

from __future__ import annotations

import pytest
from tests.conftest import make_entity

from watchlist.engine import Engine
from watchlist.model import Identifier, IdType, Schema
from watchlist.scan import Scanner
from watchlist.scan.identifiers import imo_check_digit_ok

LISTED = [
    make_entity("i-jisong6", "JI SONG 6", Schema.VESSEL, identifiers=(Identifier(IdType.IMO, "8898740"),)),
    make_entity("i-daesong", "KOREA DAESONG BANK", Schema.ORGANIZATION,
                identifiers=(Identifier(IdType.SWIFT_BIC, "KDBKKPPY"),)),
    make_entity("i-an", "Jong Hyuk AN", identifiers=(Identifier(IdType.PASSPORT, "563410155"),)),
    make_entity("i-yusong", "YUSONG SHIPPING CO", Schema.ORGANIZATION,
                identifiers=(Identifier(IdType.REGISTRATION, "5146578"),)),
]


@pytest.fixture(scope="module")
def scanner() -> Scanner:
    return Scanner(Engine.from_entities(LISTED))


def test_imo_check_digit() -> None:
    assert imo_check_digit_ok("8898740") and imo_check_digit_ok("9066978")
    assert not imo_check_digit_ok("8898741") and not imo_check_digit_ok("889874")


@pytest.mark.parametrize(
    "text, entity_id, evidence",
    [
        ("Vessel: MT RAINBOW ESTATE, IMO 8898740, flag Sierra Leone", "i-jisong6", "IMO 8898740"),
        ("судно (ИМО № 8898740) вышло из порта", "i-jisong6", "ИМО № 8898740"),
        (":57A:KDBKKPPY\n:59:/0019284700", "i-daesong", "KDBKKPPY"),
        ("Identity document: DPRK passport No. 563410155, issued in Pyongyang", "i-an", "passport No. 563410155"),
        ("the owner, under registration number 5146578, care of Pyongyang", "i-yusong",
         "registration number 5146578"),
    ],
)
def test_identifier_names_the_listed_entity(scanner: Scanner, text: str, entity_id: str, evidence: str) -> None:
    (party,) = [p for p in scanner.scan(text).parties if p.entity.id == entity_id]
    assert party.text == evidence == text[party.start : party.end]
    assert party.identifier is not None and party.to_dict()["identifier"]["value"] in evidence


@pytest.mark.parametrize(
    "text",
    [
        "Vessel IMO 8898741 (check digit wrong)",
        "Invoice 563410155 for office chairs",  # a number without its label
        "order reference 5146578",
        "SWIFT code KDBKKPPX",  # not the listed code
    ],
)
def test_unlabelled_or_wrong_numbers_name_no_one(scanner: Scanner, text: str) -> None:
    assert scanner.scan(text).parties == []


def test_a_number_two_lists_publish_for_one_party_is_one_mention() -> None:
    un = make_entity("un-1", "JI SONG 6", Schema.VESSEL, datasets=("un",),
                     identifiers=(Identifier(IdType.IMO, "8898740"),))
    ofac = make_entity("ofac-2", "JISONG 6", Schema.VESSEL, datasets=("ofac-sdn",),
                       identifiers=(Identifier(IdType.IMO, "IMO 8898740"),))
    report = Scanner(Engine.from_entities([un, ofac])).scan("Vessel: MT RAINBOW ESTATE, IMO 8898740.")
    assert [(p.entity.id, p.entity.datasets) for p in report.parties] == [("un-1", ("un", "ofac-sdn"))]
