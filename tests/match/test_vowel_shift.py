"""Two Latin spellings of a name from a script that leaves vowels out meet on their consonants (match.abjad)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist import compare
from watchlist.match.abjad import (
    MIN_KEY,
    VOWEL_SHIFT_SIM,
    joined_vowel_similarity,
    vowel_frame,
    vowel_shift_similarity,
)


@pytest.mark.parametrize("a, b", [("ismaili", "esmaeli"), ("jiburi", "juburi"), ("husain", "hosein"), ("rifki", "refke")])
def test_spellings_that_differ_only_in_their_vowels_are_one_word(a: str, b: str) -> None:
    assert vowel_frame(a) == vowel_frame(b)
    assert vowel_shift_similarity(a, b) == VOWEL_SHIFT_SIM


@pytest.mark.parametrize(
    "a, b",
    [
        ("meng", "myong"),  # one syllable: its vowel is the name
        ("gang", "guoying"),
        ("rami", "rimi"),  # two consonants agree by chance
        ("hamza", "hamshi"),  # other consonants
        ("xiuying", "exiang"),  # a vowel where the other has a consonant
        ("kwangho", "kang"),
    ],
)
def test_short_words_and_other_consonants_gain_nothing(a: str, b: str) -> None:
    assert vowel_shift_similarity(a, b) == 0


def test_only_latin_words_meet_so() -> None:
    assert vowel_shift_similarity("ислами", "ismaili") == 0


def test_a_joined_particle_meets_the_two_words() -> None:
    assert joined_vowel_similarity("abahussain", "abu", "huseyn") == VOWEL_SHIFT_SIM
    assert joined_vowel_similarity("abahussain", "abu", "hassani") == 0


def test_a_family_name_spelt_with_other_vowels_matches() -> None:
    result = compare("Husain Salimi", "SALIMI, Hosein", "Person")
    assert result.match
    assert "husain~hosein (0.85)" in result.explanation[0]


def test_a_particle_joined_to_a_name_spelt_with_other_vowels_matches() -> None:
    result = compare("Karim Abu Huseyn", "ABAHUSSAIN, Karim", "Person")
    assert result.match
    assert "abu huseyn~abahussain (0.85)" in result.explanation[0]


def test_a_family_name_with_other_consonants_does_not() -> None:
    assert not compare("Hamza Rostami", "ROSTAMI, Hamshi", "Person").match


@given(st.from_regex(r"[a-z]{1,12}", fullmatch=True), st.from_regex(r"[a-z]{1,12}", fullmatch=True))
def test_words_meet_only_when_their_consonants_agree(a: str, b: str) -> None:
    sim = vowel_shift_similarity(a, b)
    assert sim == vowel_shift_similarity(b, a)
    if sim:
        consonants = [c for c in a if c not in "aeiouy"]
        assert len(consonants) >= MIN_KEY
        assert vowel_frame(a) == vowel_frame(b)
