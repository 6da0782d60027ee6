"""A number in one organisation's name only names another of a series ('Solutions II', 'Fund 3'):
the penalty series_number_missed (match.logic_v1). Two numbers that differ are weighed as any two
words are; a vessel keeps its own rule."""

from __future__ import annotations

import pytest

from watchlist import compare
from watchlist.match.algorithm import CandidateName
from watchlist.match.align import QueryAligner
from watchlist.match.penalties import name_penalties
from watchlist.model import Schema
from watchlist.text.tokens import tokenize_name
from watchlist.text.weights import DEFAULT_STATS


def _penalties(query: str, listed: str, schema: Schema = Schema.COMPANY) -> list[str]:
    kind = "person" if schema is Schema.PERSON else "org"
    q, c = tokenize_name(query, kind), tokenize_name(listed, kind)
    alignment = QueryAligner(q, DEFAULT_STATS, learned=True).align(c)
    return [key for key, _ in name_penalties(alignment, q, CandidateName(listed, c), schema)]


@pytest.mark.parametrize(("query", "listed"), [
    ("Harwick Freight Solutions, Inc.", "Harwick Freight Solutions II, Inc."),
    ("Nordwind Logistik Fund III", "Nordwind Logistik Fund"),
    ("Nordwind Capital Partners 2", "Nordwind Capital Partners"),
])
def test_a_number_in_one_name_only_is_penalised(query: str, listed: str) -> None:
    assert "series_number_missed" in _penalties(query, listed)


@pytest.mark.parametrize(("query", "listed", "schema"), [
    ("Nordwind Logistik Fund III", "Nordwind Logistik Fund III", Schema.COMPANY),  # the same number
    ("Nordwind Logistik Fund III", "Nordwind Logistik Fund II", Schema.COMPANY),  # two numbers: as two words
    ("Harwick Freight V", "Harwick Freight", Schema.COMPANY),  # one letter: an initial as well
    ("Henry Harwick II", "Henry Harwick", Schema.PERSON),
])
def test_the_same_number_two_numbers_or_a_person_are_not(query: str, listed: str, schema: Schema) -> None:
    assert "series_number_missed" not in _penalties(query, listed, schema)


def test_a_successor_in_a_series_is_no_match() -> None:
    assert compare("Harwick Freight Solutions Denmark A/S", "Harwick Freight Solutions Denmark A/S", "Company").match
    assert not compare("Harwick Freight Solutions Denmark A/S", "Harwick Freight Solutions II Denmark A/S", "Company").match
