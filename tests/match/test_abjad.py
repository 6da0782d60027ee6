"""A query written in an abjad meets Latin spellings on its consonants (match.abjad)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist import compare
from watchlist.match.abjad import MIN_KEY, abjad_similarity, consonant_key, written_in_abjad
from watchlist.text.tokens import make_token


def test_scripts_that_write_consonants_are_abjads() -> None:
    assert written_in_abjad("فرناندو بيريز") and written_in_abjad("בנימין נתניהו") and written_in_abjad("آصف علی")
    assert not written_in_abjad("Fernando Pérez") and not written_in_abjad("Фернандо") and not written_in_abjad("")


@pytest.mark.parametrize(
    "abjad, latin", [("frnandw", "fernando"), ("byryz", "perez"), ("tyryz", "therese"), ("hsyn", "hussein")]
)
def test_letter_by_letter_transliterations_share_their_consonants(abjad: str, latin: str) -> None:
    assert consonant_key(abjad) == consonant_key(latin)
    assert abjad_similarity(make_token(abjad), make_token(latin)) > 0


def test_a_name_in_arabic_script_matches_its_latin_spelling() -> None:
    assert compare("فرناندو بيريز", "Fernando Pérez", "Person").match


def test_a_latin_j_may_write_the_yod_an_abjad_reads_y() -> None:
    assert abjad_similarity(make_token("bnymyn"), make_token("benjamin")) > 0  # בנימין
    assert abjad_similarity(make_token("jml"), make_token("jamal")) > 0  # Arabic jim is j on both sides
    assert compare("בנימין גולדברג", "Benjamin Goldberg", "Person").match


def test_different_consonants_are_different_names() -> None:
    assert abjad_similarity(make_token("frnandw"), make_token("fernandez")) == 0
    assert not compare("فرناندو بيريز", "Fernando Lopez", "Person").match


def test_a_latin_query_gains_nothing() -> None:
    # Only a query written in an abjad reads its words so; 'Frnandw' typed in Latin is a typo at best.
    assert compare("Frnandw Byryz", "Fernando Perez", "Person").score < compare(
        "فرناندو بيريز", "Fernando Pérez", "Person"
    ).score


@given(st.from_regex(r"[a-z]{1,12}", fullmatch=True))
def test_the_key_drops_what_may_be_a_vowel(word: str) -> None:
    key = consonant_key(word)
    assert consonant_key(key) == key or len(key) <= 1  # a key is its own key
    assert not set(key[1:]) & set("aeiouwyh")
    short = abjad_similarity(make_token(word), make_token(word))
    assert short == 0 or len(key) >= MIN_KEY
