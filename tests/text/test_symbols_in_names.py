"""Emoji, flags, dingbats and other symbols in a name stand for no letter of it: they are left out,
so a listed name with one beside it is still the listed name (anyascii read 😀 as 'grinning')."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.text.folding import without_symbols
from watchlist.text.tokens import tokenize_name

SYMBOLS = ["😀", "🇰🇵", "™", "©", "®", "✓", "★", "❤", "€", "☭", "👍🏽", "°"]


@pytest.mark.parametrize("symbol", SYMBOLS)
@pytest.mark.parametrize("name, kind", [("Kim Yong Chol", "person"), ("Хуснуллин Марат", "person"),
                                        ("김정은", "person"), ("Mansudae Art Studio", "org")])
def test_a_symbol_beside_or_inside_a_name_changes_none_of_its_tokens(name: str, kind: str, symbol: str) -> None:
    expected = tokenize_name(name, kind)
    assert tokenize_name(f"{name} {symbol}", kind) == expected
    assert tokenize_name(f"{symbol}{name}{symbol}", kind) == expected


def test_symbols_that_stand_for_letters_are_kept() -> None:
    assert [t.text for t in tokenize_name("Ⓚⓘⓜ Yong Chol", "person")] == ["kim", "yong", "chol"]
    assert without_symbols("№ 5") == "№ 5"  # the numero sign: a vessel's 'No'


def test_a_name_of_symbols_alone_has_no_tokens() -> None:
    assert tokenize_name("😀 👍🏽 ™", "any") == ()


symbolish = st.characters(whitelist_categories=("So", "Sm", "Sc", "Sk", "Lu", "Ll", "Lo", "Nd", "Zs"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=symbolish, max_size=30))
def test_without_symbols_keeps_every_letter_and_digit_and_is_idempotent(text: str) -> None:
    out = without_symbols(text)
    assert [c for c in out if c.isalnum()] == [c for c in text if c.isalnum()]
    assert without_symbols(out) == out
    assert all(c.isascii() or not unicodedata.category(c).startswith("S") or any(
        d.isalnum() for d in unicodedata.normalize("NFKC", c)) for c in out)


def _stands_for_no_letter(char: str) -> bool:
    return not char.isascii() and not any(c.isalnum() for c in unicodedata.normalize("NFKC", char))


@settings(max_examples=200, deadline=None)
@given(name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=3, max_size=25),
       symbol=st.characters(whitelist_categories=("So", "Sm", "Sc")).filter(_stands_for_no_letter))
def test_a_symbol_appended_to_any_latin_name_leaves_its_tokens(name: str, symbol: str) -> None:
    assert tokenize_name(f"{name} {symbol}") == tokenize_name(name)
    assert tokenize_name(f"{symbol}{name}", "person") == tokenize_name(name, "person")
