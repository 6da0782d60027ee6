"""The shortcuts of the party finder change nothing: when `could_accept` says no, `accepts` refuses
every matcher result (any schema, any listed name, relaxed or not), so the matcher need not be asked;
the names holding every word of a window are those np.intersect1d would find."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import make_entity

from watchlist.match.types import MatchResult
from watchlist.model import Schema
from watchlist.scan.mentions import Context, MentionCheck
from watchlist.scan.parties import _intersect
from watchlist.scan.words import scan_words
from watchlist.text.tokens import tokenize_name

MENTIONS = ["Prospekt", "KOMID", "Russia", "Ocean Maritime", "Kim Song", "Golden Star Trading",
            "Donetsk People's Republic", "Yu Jong 2", "the", "Tuesday", "ETA"]
NEIGHBOURS = [None, "Mira", "Services", "Mr", "Museum", "LLC", "Ltd", "Пётр", "북한", "Il"]
NAMES = ["PROSPEKT", "KOMID", "ETA", "OCEAN MARITIME MANAGEMENT COMPANY LIMITED (OMM)", "PTI", "KIM, Song"]
SCHEMAS = [Schema.PERSON, Schema.ORGANIZATION, Schema.VESSEL, Schema.COMPANY]


@pytest.fixture(scope="module")
def check() -> MentionCheck:
    words = scan_words()
    frequency = {"prospekt": 1, "komid": 1, "ocean": 40, "maritime": 30, "kim": 900, "song": 200}
    return MentionCheck(frequency, words.is_common, frozenset({"donetsk people's republic"}), words.function_words,
                        abbreviations=words.trade_abbreviations)


def constant(value: bool) -> Callable[[], bool]:
    return lambda: value


def contexts(mention: str) -> list[Context]:
    flags = list(itertools.product([False, True], repeat=5))
    return [
        Context(mention, at_start, before, after, quoted, vessel,
                read_shouting=constant(shouting), read_legal_form_next=constant(legal))
        for before, after in itertools.product(NEIGHBOURS, NEIGHBOURS[:4])
        for at_start, quoted, vessel, shouting, legal in flags
    ]


def result(name: str, schema: Schema) -> MatchResult:
    return MatchResult(make_entity("e", name, schema), 0.9, True, name, name, {}, ())


@pytest.mark.parametrize("mention", MENTIONS)
def test_a_mention_refused_before_screening_is_refused_for_every_result(check: MentionCheck, mention: str) -> None:
    tokens = list(tokenize_name(mention, "any"))
    results = [result(n, s) for n in NAMES for s in SCHEMAS]
    refused = 0
    every = contexts(mention)
    for context in every:
        if check.could_accept(tokens, context):
            continue
        refused += 1
        assert not any(check.accepts(tokens, r, context, relaxed) for r in results for relaxed in (False, True))
    assert refused > 0 or len(tokens) >= 3  # short mentions are refused in some contexts
    never = mention in ("the", "Tuesday", "Donetsk People's Republic")  # function words, a place
    assert (refused == len(every)) is never


def test_a_refused_context_is_read_lazily(check: MentionCheck) -> None:
    asked: list[str] = []

    def read(what: str) -> bool:
        asked.append(what)
        return False

    context = Context("Prospekt", False, "Prospekt", "Mira", False, False, read_shouting=lambda: read("shouting"),
                      read_legal_form_next=lambda: read("legal form"))
    tokens = list(tokenize_name("Prospekt", "any"))
    assert not check.could_accept(tokens, context)  # a street: the next capitalised word blocks it
    assert asked == []


@given(st.lists(st.integers(0, 300), unique=True), st.lists(st.integers(0, 300), unique=True))
def test_the_names_holding_two_words_are_those_np_intersect1d_finds(a: list[int], b: list[int]) -> None:
    left, right = np.array(sorted(a), dtype=np.int32), np.array(sorted(b), dtype=np.int32)
    assert _intersect(left, right).tolist() == np.intersect1d(left, right, assume_unique=True).tolist()
