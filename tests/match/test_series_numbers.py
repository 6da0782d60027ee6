"""A number in one organisation's name only names another of a series ('Solutions II', 'Fund 3'):
the penalty series_number_missed (match.penalties). Two numbers that differ are weighed as any two
words are; a vessel keeps its own rule."""

from __future__ import annotations

import pytest
from tests.conftest import penalty_keys

from watchlist import compare
from watchlist.model import Schema


def _penalties(query: str, listed: str, schema: Schema = Schema.COMPANY) -> list[str]:
    return penalty_keys(query, listed, schema)


@pytest.mark.parametrize(("query", "listed"), [
    ("Harwick Freight Solutions, Inc.", "Harwick Freight Solutions II, Inc."),
    ("Nordwind Logistik Fund III", "Nordwind Logistik Fund"),
    ("Nordwind Logistik Fund XXIV", "Nordwind Logistik Fund"),
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
