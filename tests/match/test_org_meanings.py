"""A word of an organisation's name and its translation are one word ('Finans' / 'Finance', 'Tsentr' /
'Center'): rigour's name symbols, read from the table bench/make_org_meanings.py writes (text.symbols)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist import compare
from watchlist.text import symbols
from watchlist.text.symbols import org_meanings, same_meaning


@pytest.mark.parametrize("query, listed", [
    ("Zvezda Finans", "ZVEZDA FINANCE"),  # DOMAIN:FINANCIAL
    ("Tsentr Almaz", "ALMAZ CENTER"),  # SYMBOL:CENTER, in the other order
    ("Almaz Tekhnologii", "ALMAZ TECHNOLOGIES"),  # DOMAIN:TECH
])
def test_a_translated_word_of_an_organisations_name_is_the_same_word(query: str, listed: str) -> None:
    result = compare(query, listed, "Organization")
    assert result.match and result.score > 0.9


@pytest.mark.parametrize("query, listed", [
    ("Zvezda Finans", "ZVEZDA TRADING"),  # two meanings
    ("Almaz Tsentr", "RUBIN CENTER"),  # one meaning alike, the names not
])
def test_words_of_other_meanings_or_a_meaning_alone_make_no_match(query: str, listed: str) -> None:
    assert not compare(query, listed, "Organization").match


def test_a_short_word_and_a_longer_one_it_begins_are_not_one_meaning() -> None:
    assert org_meanings("bank") == org_meanings("banking")  # rigour: one trade
    assert not same_meaning("bank", "banking")  # ... but as often two banks as one
    assert same_meaning("budget", "budgetary") and same_meaning("federal", "federalny")
    assert same_meaning("tsentr", "center") and same_meaning("centre", "tsentr")


def test_the_shipped_table_holds_token_words_with_meanings_only() -> None:
    table = symbols._table()
    assert len(table) > 1000
    for word, meanings in table.items():
        assert re.fullmatch(r"[a-z]{3,}", word), word
        assert meanings and all(m.split(":")[0] in symbols.MEANING_CATEGORIES for m in meanings), word


def test_a_person_name_word_has_no_meaning() -> None:
    assert not any(org_meanings(w) for w in ("kim", "jong", "ali", "hassan", "ivan", "petrov", "sergei"))


@given(st.text(max_size=12), st.text(max_size=12))
def test_same_meaning_is_symmetric_and_total(a: str, b: str) -> None:
    assert same_meaning(a, b) == same_meaning(b, a)
