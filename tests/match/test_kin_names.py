"""A different name where a name says whose son or father one is ('bin', 'abu') names another of the
family: the penalty kin_names_conflict (match.penalties), in the place of names_conflict."""

from __future__ import annotations

import pytest
from tests.conftest import penalty_keys

from watchlist import compare
from watchlist.model import Schema


def _penalties(query: str, listed: str, schema: Schema = Schema.PERSON) -> list[str]:
    return penalty_keys(query, listed, schema)


@pytest.mark.parametrize(("query", "listed"), [
    ("Youssef ben Karim ben Salah al-Tounsi", "Youssef ben Hamza ben Salah al-Tounsi"),  # son of
    ("Tarek abu al-Walid al-Masri", "Tarek abu Jafar al-Masri"),  # father of, an article between
])
def test_another_parents_or_childs_name_is_a_kin_conflict(query: str, listed: str) -> None:
    found = _penalties(query, listed)
    assert "kin_names_conflict" in found and "names_conflict" not in found


@pytest.mark.parametrize(("query", "listed", "schema"), [
    ("Youssef Karim Salah al-Tounsi", "Youssef Hamza Salah al-Tounsi", Schema.PERSON),  # no 'bin': names_conflict
    ("Youssef ben Karim ben Salah", "Youssef ben Karim ben Salah", Schema.PERSON),  # the same names
    ("Youssef ben Karime ben Salah", "Youssef ben Karim ben Salah", Schema.PERSON),  # one mistyped: no conflict
])
def test_other_differences_are_not(query: str, listed: str, schema: Schema) -> None:
    assert "kin_names_conflict" not in _penalties(query, listed, schema)


def test_brothers_named_by_their_fathers_do_not_match() -> None:
    listed = "Abdelkader ben Ali ben Belgacem al-Ouerghemmi"
    assert compare("Abdelkader ben Ali ben Belgacem al-Ouerghemmi", listed, "Person").match
    assert not compare("Abdelkader ben Mohamed ben Belgacem al-Ouerghemmi", listed, "Person").match
