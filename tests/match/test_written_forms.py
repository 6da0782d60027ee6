"""How a name is written, not who it names: a rare word written twice, two letters for two words
in an organisation's name ('U.S.'), ...

The names are of the kinds the lists and screening queries hold, not rows of an evaluation set.
"""

from __future__ import annotations

import pytest

from watchlist import compare
from watchlist.match.align import QueryAligner
from watchlist.text.tokens import tokenize_name
from watchlist.text.weights import DEFAULT_STATS


@pytest.mark.parametrize("query, listed", [
    ("Nabiullina Nabiullina Elvira", "Elvira Nabiullina"),
    ("Elvira Nabiullina", "Nabiullina Nabiullina Elvira"),
])
def test_a_rare_word_written_twice_counts_once(query: str, listed: str) -> None:
    assert compare(query, listed, "Person").score == pytest.approx(1.0)


@pytest.mark.parametrize("query, listed", [
    ("Xia Xia", "Xia Baolong"),  # a reduplicated given name: both copies are the name
    ("Ahmed Mohamed Mohamed Caddow", "Ahmed Osman Mohamed Caddow"),  # a son named as his father
    ("Kim Il Il", "Kim Il Sung"),  # Korean syllables repeat
])
def test_a_repeated_common_or_whole_name_is_still_two_name_parts(query: str, listed: str) -> None:
    assert not compare(query, listed, "Person").match


@pytest.mark.parametrize("query, listed", [
    ("U.K. Ministry of Defence", "United Kingdom Ministry of Defence"),
    ("United Kingdom Ministry of Defence", "UK Ministry of Defence"),
    ("U.S. Treasury", "United States Treasury"),
])
def test_two_letters_spell_two_words_of_an_organisations_name(query: str, listed: str) -> None:
    assert compare(query, listed, "Organization").match


def test_two_letters_with_a_vowel_are_a_persons_name_word_not_an_acronym() -> None:
    query, listed = tokenize_name("Ma Wen", "person"), tokenize_name("Mei Ai Wen", "person")
    spelled = (0.9, (0,), (0, 1))  # 'ma' for 'Mei Ai'
    assert spelled not in QueryAligner(query, DEFAULT_STATS).align(listed).links
    assert spelled in QueryAligner(query, DEFAULT_STATS, organisation=True).align(listed).links
