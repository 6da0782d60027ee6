"""How a name is written, not who it names: a rare word written twice, two letters for two words
in an organisation's name ('U.S.'), a legal form with a word mistyped.

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


@pytest.mark.parametrize("mistyped", [
    "Almaz Antey Corporation Jount Stock Company", "Almaz Antey Corporation Joimt Stock Company",
])
def test_a_mistyped_word_inside_a_legal_form_is_the_legal_form(mistyped: str) -> None:
    assert tokenize_name(mistyped, "org") == tokenize_name("Almaz Antey Corporation Joint Stock Company", "org")
    assert compare(mistyped, "Almaz Antey Corporation Joint Stock Company", "Company").score == pytest.approx(1.0)


def test_a_word_like_a_legal_form_word_outside_the_legal_form_is_a_name_word() -> None:
    # 'Opel' is one letter from 'open' (Open Joint Stock Company), but no legal form stands before it.
    assert [t.text for t in tokenize_name("Acme Opel Ltd", "org")] == ["acme", "opel", "ltd"]
