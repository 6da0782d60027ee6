"""Name-comparison mechanisms: digits are no initials, 'son of' must be stated to be reversed,
initials that disagree are different names, one East Asian script is compared as written.

The names are of the kinds the lists and screening queries hold, not rows of an evaluation set.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import penalty_keys

from watchlist import compare
from watchlist.match.align import QueryAligner
from watchlist.match.native import HAN, HANGUL, JAPANESE, east_asian_script, native_tokens, same_script
from watchlist.match.types import Query
from watchlist.model import Schema
from watchlist.text.tokens import TokenKind, tokenize_name
from watchlist.text.weights import DEFAULT_STATS


def _penalties(query: str, listed: str, kind: str = "person") -> list[str]:
    return penalty_keys(query, listed, Schema.PERSON if kind == "person" else Schema.ORGANIZATION)


@pytest.mark.parametrize("name", ["Sea Star 3", "Brigade 4", "Unit 7 Trading"])
def test_a_one_digit_number_is_no_initial(name: str) -> None:
    # A digit is the whole number: it explains all of itself, as '44' does, not half as an initial.
    tokens = tokenize_name(name, "org")
    alignment = QueryAligner(tokens, DEFAULT_STATS).align(tokens)
    assert alignment.candidate_coverage == pytest.approx(1.0)
    assert compare(name, name, "Organization").score == pytest.approx(1.0)


def test_an_initial_still_explains_half_its_word() -> None:
    q, c = tokenize_name("J Smith", "person"), tokenize_name("John Smith", "person")
    assert QueryAligner(q, DEFAULT_STATS).align(c).candidate_coverage < 1.0


def test_words_moved_around_son_of_are_no_reversed_lineage() -> None:
    # The query says nothing of who is whose son: its 'bin' does not stand between the two names.
    assert "lineage_reversed" not in _penalties("bin Salman Mohammed", "Mohammed bin Salman")
    assert "lineage_reversed" not in _penalties("Salman Mohammed bin", "Mohammed bin Salman")
    assert compare("bin Salman Mohammed", "Mohammed bin Salman", "Person").match


def test_a_stated_reversed_lineage_is_still_penalised() -> None:
    assert "lineage_reversed" in _penalties("Salman bin Mohammed", "Mohammed bin Salman")
    assert not compare("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI", "Person").match


@pytest.mark.parametrize("query, listed", [("Frost, William G.", "William W Frost"), ("John A. B. Smith", "Smith, John C.")])
def test_disagreeing_initials_are_different_name_parts(query: str, listed: str) -> None:
    assert "initials_conflict" in _penalties(query, listed)


def test_disagreeing_middle_initials_part_two_people() -> None:
    # The initial that tells two namesakes apart weighs more than a differing word (a word may be
    # another list's spelling or an added name; G. is not W.).
    assert compare("Harold W. Vance", "Harold W. Vance", "Person").match
    assert not compare("Vance, Harold G.", "Harold W Vance", "Person").match


@pytest.mark.parametrize(
    "query, listed", [("Olga Hermanovna STEPANOVA", "STEPANOVA, Olga G."), ("Hans O Friedrich", "Hans Joachim Friedrich")]
)
def test_an_initial_against_a_word_is_no_conflict(query: str, listed: str) -> None:
    # Г is G or H: 'G.' may be the initial of 'Hermanovna'; an initial against a word proves nothing.
    assert not {"names_conflict", "initials_conflict"} & set(_penalties(query, listed))


@pytest.mark.parametrize(
    "query, listed",
    [("Frost, William W.", "William W Frost"), ("Hans J Friedrich", "Hans Joachim Friedrich"), ("GENA C RANDOLPH", "Randolph, Gena")],
)
def test_agreeing_or_unopposed_initials_are_no_conflict(query: str, listed: str) -> None:
    assert not {"names_conflict", "initials_conflict"} & set(_penalties(query, listed))
    assert compare(query, listed, "Person").match


def test_east_asian_scripts_are_told_apart() -> None:
    assert east_asian_script("김정은") == HANGUL
    assert east_asian_script("习近平") == HAN
    assert east_asian_script("やまだ 太郎") == JAPANESE
    assert east_asian_script("Kim Jong Un") == ""
    assert east_asian_script("김정은 Kim") == ""  # two scripts: romanisation is where they meet
    assert same_script("習近平", "习近平") and not same_script("김정은", "金正恩")


def test_traditional_han_is_simplified() -> None:
    assert [t.text for t in native_tokens("習近平")] == [t.text for t in native_tokens("习近平")]


@pytest.mark.parametrize(
    "query, listed",
    [("김종은", "김정은"), ("이재형", "이재명"), ("习近朋", "习近平"), ("高石早苗", "高市早苗")],
)
def test_one_script_names_that_differ_as_written_do_not_match(query: str, listed: str) -> None:
    # Romanised, each pair is (nearly) one name: 종/정 are both 'jong', 石/市 both 'shi'.
    result = compare(query, listed, "Person")
    assert not result.match, (query, listed, result.score, result.explanation)


@pytest.mark.parametrize(
    "query, listed",
    [("習近平", "习近平"), ("김정은", "김정은"), ("김정은", "Kim Jong Un"), ("习近平", "Xi Jinping")],
)
def test_one_name_in_one_or_two_scripts_still_matches(query: str, listed: str) -> None:
    assert compare(query, listed, "Person").match


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3), min_size=1, max_size=6))
def test_every_hangul_syllable_is_a_token_of_its_own(name: str) -> None:
    tokens = native_tokens(name)
    assert [t.text for t in tokens] == list(name)
    assert all(t.kind is TokenKind.WORD and t.fold == t.text for t in tokens)
    assert compare(name, name, "Person").score == pytest.approx(1.0)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30))
def test_ascii_is_no_east_asian_script(name: str) -> None:
    assert east_asian_script(name) == "" and native_tokens(name) == ()


def test_explanation_names_the_characters_compared() -> None:
    from watchlist.engine import Engine
    from watchlist.settings import Settings

    result = Engine(Settings()).compare(Query.build("김종은", schema="Person"), "김정은")
    assert "김=김" in result.explanation[0] and "종 / 정" in result.explanation[0]


def test_two_initials_written_together_stand_for_two_names() -> None:
    assert compare("JC Juncker", "Jean-Claude Juncker", "Person").match
    assert not compare("JP Juncker", "Jean-Claude Juncker", "Person").match


def test_a_two_letter_word_with_a_vowel_is_no_acronym() -> None:
    from watchlist.match.spans import may_be_acronym

    assert may_be_acronym(tokenize_name("JC", "person")[0])
    assert not may_be_acronym(tokenize_name("Al Bo", "org")[1])



@pytest.mark.parametrize("short, long_", [("intl", "international"), ("mgmt", "management"), ("natl", "national")])
def test_a_business_word_may_be_contracted(short: str, long_: str) -> None:
    from watchlist.match.variants import contraction_similarity

    assert contraction_similarity(short, long_) > 0
    assert compare("First Bank Int'l", "First International Bank", "Company").match


@pytest.mark.parametrize(
    "short, long_", [("bank", "banking"), ("trad", "trading"), ("inter", "international"), ("nl", "national")]
)
def test_a_shorter_word_that_is_no_contraction_is_not_one(short: str, long_: str) -> None:
    from watchlist.match.variants import contraction_similarity

    assert contraction_similarity(short, long_) == 0


@given(st.from_regex(r"[a-z]{3,14}", fullmatch=True), st.from_regex(r"[a-z]{3,14}", fullmatch=True))
def test_a_contraction_keeps_the_first_and_last_letters_in_order(a: str, b: str) -> None:
    from watchlist.match.variants import contraction_similarity

    if contraction_similarity(a, b):
        short, long_ = sorted((a, b), key=len)
        assert short[0] == long_[0] and short[-1] == long_[-1] and len(long_) >= len(short) + 3


@pytest.mark.parametrize(
    "query, listed",
    [("Vladimir Kons Tanti Novich Orlov", "Vladimir Konstantinovich Orlov"),  # a long word typed in pieces
     ("Ri Chol Ho", "RICHOLHO"), ("Pak Hwa Song", "PAKHWASONG")],  # a Korean name's syllables run together
)
def test_a_word_written_in_three_pieces_is_one_word(query: str, listed: str) -> None:
    assert compare(query, listed, "Person").match


def test_three_pieces_must_spell_the_word() -> None:
    assert not compare("Kim Jong Un", "KIMJONGIL", "Person").match
