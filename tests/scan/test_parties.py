# ruff: noqa: F811
"""Listed parties in text: true mentions in many spellings, and the false-positive traps."""

from __future__ import annotations

import pytest
from tests.scan.scan_helpers import engine, scanner  # noqa: F401  (fixtures)

from watchlist.engine import Engine
from watchlist.model import Schema
from watchlist.scan import Scanner
from watchlist.scan.mentions import aligns, same_token
from watchlist.text.tokens import tokenize_name


def ids(scanner: Scanner, text: str) -> list[str]:
    return [p.entity.id for p in scanner.scan(text).parties]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Deputy Prime Minister Marat Khusnullin said on Monday", "t-khusnullin"),
        ("KHUSNULLIN, Marat Shakirzyanovich was designated", "t-khusnullin"),
        ("Khusnullin Marat visited the site.", "t-khusnullin"),  # word order
        ("a meeting with Marat Khusnulin yesterday", "t-khusnullin"),  # typo
        ("Марат Хуснуллин заявил", "t-khusnullin"),  # Cyrillic script
        ("an account at the Korea Kwangson Banking Corp in Pyongyang", "t-kkbc"),  # legal form, bracket alias
        ("payments from Komid, the arms exporter", "t-komid"),  # alias, mixed case
        ("the KOMID office", "t-komid"),
        ("the tanker CHON MA SAN loaded oil", "t-vessel"),
        ("the vessel M/V Chon Ma San", "t-vessel"),
        ("chartered by Ocean Maritime Management Co., Ltd last year", "t-omm"),
        ("Vice Marshal Choi Ryong Hae spoke", "t-choe"),  # romanisation Choi/Choe
        ("funds moved via Korea United Development Bank accounts", "t-kudb"),
        ("The RIM is a listed group", "t-rim"),  # an acronym written as one
    ],
)
def test_finds_listed_parties(scanner: Scanner, text: str, expected: str) -> None:
    report = scanner.scan(text)
    assert expected in [p.entity.id for p in report.parties]
    for party in report.parties:
        assert text[party.start : party.end] == party.text


@pytest.mark.parametrize(
    "text",
    [
        "The Korea Development Bank lent the yard money.",  # not Korea *United* Development Bank
        "Hong Min, a senior analyst, said so.",  # not Kim Jong Man
        "Kim said the talks went well.",  # a surname alone
        "Kim Min-jun and Lee Ji-eun are analysts in Seoul.",  # common Korean names
        "Lim said the workers were cheap.",  # not the acronym RIM
        "Its shares fell. Russia said it would respond.",  # ITS LLC, RUSSIA BANK
        "the Russian Imperial Ballet",
        "the Ocean Maritime Museum",
    ],
)
def test_traps_are_not_reported(scanner: Scanner, text: str) -> None:
    assert ids(scanner, text) == []


def test_korea_development_bank_is_not_korea_united_development_bank(scanner: Scanner) -> None:
    assert ids(scanner, "The Korea Development Bank lent the yard money.") == []


def test_person_needs_two_name_words(scanner: Scanner) -> None:
    assert ids(scanner, "Khusnullin said so.") == []
    assert ids(scanner, "Marat said so.") == []


def test_same_span_lists_every_entity(engine: Engine) -> None:
    twin = Engine.from_entities([
        *engine.index.entities,
        engine.index.entities[0].__class__(id="t-khusnullin-uk", schema=Schema.PERSON,
                                           names=engine.index.entities[0].names, datasets=("uk",)),
    ])
    report = Scanner(twin).scan("Marat Khusnullin spoke.")
    assert sorted(p.entity.id for p in report.parties) == ["t-khusnullin", "t-khusnullin-uk"]
    assert {(p.start, p.end) for p in report.parties} == {(0, 16)}


def test_each_mention_is_reported(scanner: Scanner) -> None:
    report = scanner.scan("Marat Khusnullin met KOMID. Later Marat Khusnullin left.")
    assert [p.entity.id for p in report.parties] == ["t-khusnullin", "t-komid", "t-khusnullin"]


def test_to_dict_has_the_documented_fields(scanner: Scanner) -> None:
    party = scanner.scan("Marat Khusnullin spoke.").parties[0].to_dict()
    assert {"entity_id", "caption", "mention", "span", "score", "datasets", "programs"} <= set(party)
    assert party["span"] == [0, 16] and party["datasets"] == ["ofac-sdn"]


def test_all_lowercase_text_is_still_scanned(scanner: Scanner) -> None:
    assert "t-khusnullin" in ids(scanner, "minutes: marat khusnullin asked about the contract")


def test_same_token() -> None:
    def tok(word: str):  # type: ignore[no-untyped-def]
        return tokenize_name(word)[0]

    assert same_token(tok("Khusnullin"), tok("Khusnulin"))
    assert same_token(tok("Choi"), tok("Choe"))
    assert not same_token(tok("Min"), tok("Man"))  # short words: only romanisation variants
    assert not same_token(tok("Hong"), tok("Jong"))


def test_aligns_allows_a_missing_patronymic_only() -> None:
    def toks(name: str):  # type: ignore[no-untyped-def]
        return list(tokenize_name(name, "person"))

    assert aligns(toks("Marat Khusnullin"), toks("Marat Shakirzyanovich Khusnullin"), Schema.PERSON)
    assert not aligns(toks("Hong Min"), toks("Kim Jong Man"), Schema.PERSON)
    assert not aligns(toks("Korea Development Bank"), toks("Korea United Development Bank"), Schema.ORGANIZATION)
    assert aligns(toks("Jong Un Kim"), toks("Kim Jongun"), Schema.PERSON)  # joined given name
