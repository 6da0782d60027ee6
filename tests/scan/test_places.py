"""Sanctioned places: names, adjectives, aliases; South Korea is not North Korea."""

from __future__ import annotations

import pytest

from watchlist.errors import ConfigError
from watchlist.scan.places import load_places, parse_places


def codes(text: str) -> list[str]:
    return [m.place.code for m in load_places().find(text) if m.place.reported]


@pytest.mark.parametrize(
    "text, code",
    [
        ("talks with North Korea", "KP"), ("North Korean workers", "KP"), ("the DPRK said", "KP"),
        ("the Democratic People\u2019s Republic of Korea", "KP"), ("cargo for Nampo", "KP"),
        ("a flight to Pyongyang", "KP"), ("Rajin port", "KP"), ("N. Korea", "KP"),
        ("Iranian crude", "IR"), ("Syrian Arab Republic", "SY"), ("Havana cigars", "CU"),
        ("Crimean ports", "UA-43"), ("in Sevastopol", "UA-40"), ("Donetsk People's Republic", "UA-14"),
        ("Lugansk region", "UA-09"), ("the LPR", "UA-09"), ("Zaporozhye", "UA-23"), ("Kherson oblast", "UA-65"),
    ],
)
def test_finds_places(text: str, code: str) -> None:
    assert codes(text) == [code]


@pytest.mark.parametrize(
    "text",
    [
        "South Korea", "South Korean shipyards", "the Republic of Korea", "Seoul and Busan",
        "Korea Development Bank", "Korea University", "dprk in lower case is not an acronym", "Rajinder Singh",
        "Korean won", "the Crimean War",
    ],
)
def test_traps(text: str) -> None:
    assert codes(text) == []


def test_longest_term_wins_and_spans_slice() -> None:
    text = "Talks between the Democratic People's Republic of Korea and the Republic of Korea."
    found = load_places().find(text)
    assert [(m.place.id, text[m.start : m.end]) for m in found] == [
        ("KP", "Democratic People's Republic of Korea"), ("KR", "Republic of Korea")]


def test_donbas_stands_for_two_regions() -> None:
    (mention,) = load_places().find("workers for Donbas")
    assert mention.place.codes == ("UA-14", "UA-09") and mention.to_dict()["code"] == "UA-14"


@pytest.mark.parametrize(
    "text, message",
    [
        ("places: [{id: X, name: X, code: kp, sanctions: comprehensive, source: s, terms: [x]}]", "ISO 3166"),
        ("places: [{id: X, name: X, code: KP, sanctions: total, source: s, terms: [x]}]", "'sanctions'"),
        ("places: [{id: X, name: X, code: KP, sanctions: comprehensive, source: s, terms: []}]", "'terms'"),
        ("places: [{id: X, name: X, code: KP, sanctions: comprehensive, source: s, terms: [a], colour: red}]",
         "unknown field"),
        ("places: [{id: X, code: KP, sanctions: comprehensive, source: s, terms: [a]}]", "'name'"),
        (("places: [{id: X, name: X, code: KP, sanctions: comprehensive, source: s, terms: [a]},"
         " {id: Y, name: Y, code: KR, sanctions: context, source: s, terms: [A]}]"), "also a term"),
        ("places: [", "not valid YAML"),
    ],
)
def test_broken_places_file_names_the_place_and_field(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_places(text, "custom.yaml")
