"""Wade-Giles and Pinyin spellings of one Chinese name meet (text.wade_giles, match.partners): a rule
read syllable by syllable, only in a name every word of which is such a syllable."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist import compare
from watchlist.match.align import QueryAligner
from watchlist.match.partners import WADE_GILES_SIM
from watchlist.text.tokens import tokenize_name
from watchlist.text.wade_giles import (
    is_pinyin_syllable,
    joined_reading,
    pinyin_name,
    pinyin_readings,
    token_systems,
    wade_giles_name,
    wade_giles_spellings,
    wade_giles_syllables,
)
from watchlist.text.weights import DEFAULT_STATS


@pytest.mark.parametrize(("syllable", "reading"), [
    ("hsi", "xi"), ("chin", "jin"), ("chin", "qin"), ("ch'in", "qin"), ("tse", "ze"), ("tung", "dong"),
    ("chou", "zhou"), ("chih", "zhi"), ("shih", "shi"), ("jih", "ri"), ("jen", "ren"), ("hsiung", "xiong"),
    ("tzu", "zi"), ("ssu", "si"), ("yen", "yan"), ("hsueh", "xue"), ("kuo", "guo"), ("k'uo", "kuo"),
    ("kuei", "gui"), ("erh", "er"), ("chieh", "jie"), ("lien", "lian"), ("ping", "bing"), ("t'ang", "tang"),
])
def test_a_syllable_reads_as_its_pinyin(syllable: str, reading: str) -> None:
    assert reading in pinyin_readings(syllable)


def test_an_apostrophe_says_which_reading() -> None:
    # Without the apostrophe both readings stand; with it, only the aspirated one.
    assert pinyin_readings("chin") >= {"jin", "qin"}
    assert "jin" not in pinyin_readings("ch'in")
    assert pinyin_readings("p'ing") == frozenset({"ping"})


@pytest.mark.parametrize("word", ["kim", "jong", "un", "il", "chol", "pak", "ben", "smith", "ivan", "", "x" * 40])
def test_a_word_that_is_no_syllable_has_no_reading(word: str) -> None:
    assert pinyin_readings(word) == frozenset()


@pytest.mark.parametrize(("query", "listed"), [
    ("Hsi Chin-ping", "Xi Jinping"), ("Mao Tse-tung", "Mao Zedong"), ("Teng Hsiao-ping", "Deng Xiaoping"),
    ("Chiang Ching-kuo", "Jiang Jingguo"), ("Chou En-lai", "Zhou Enlai"),
])
def test_the_two_romanisations_of_one_name_match_either_way(query: str, listed: str) -> None:
    assert compare(query, listed, "Person").match
    assert compare(listed, query, "Person").match


def test_a_syllable_in_the_other_system_is_a_little_below_the_same_spelling() -> None:
    q, c = tokenize_name("Hsi Chin-ping", "person"), tokenize_name("Xi Jinping", "person")
    alignment = QueryAligner(q, DEFAULT_STATS).align(c)
    assert {round(sim, 6) for sim, _, _ in alignment.links} == {WADE_GILES_SIM}
    assert compare("Hsi Chin-ping", "Xi Jinping", "Person").score < compare("Xi Jinping", "Xi Jinping", "Person").score


@pytest.mark.parametrize(("query", "listed"), [
    ("Kim Chin Sok", "Kim Qin Sok"),  # Kim, Sok: no syllables; the name is Korean and keeps its letters
    ("Kim Tse Chol", "Kim Ze Chol"),
    ("Ri Hsi Chol", "Ri Xi Chol"),
    ("Kim Jong Un", "Kim Jong Il"),
    ("Li Peng", "Li Bing"),  # peng reads beng or peng, never bing
    ("Chiang Kai-shek", "Jiang Jieshi"),  # Cantonese against Mandarin: no syllable rule makes them one
])
def test_names_the_rule_does_not_join_stay_apart(query: str, listed: str) -> None:
    assert not compare(query, listed, "Person").match


def test_only_a_name_of_syllables_is_read_in_the_other_system() -> None:
    assert wade_giles_name(("hsi", "chin", "ping"))
    assert not wade_giles_name(("kim", "chin", "sok"))
    assert not wade_giles_name(("mao",))  # spelled alike in both: nothing to read
    assert pinyin_name(("xi", "jinping"))
    assert not pinyin_name(("xi", "jinpingo"))
    assert token_systems(tokenize_name("Kim Chin Sok", "person")) == (False, False)


def test_two_syllables_written_as_one_word() -> None:
    assert joined_reading("zedong", "tse", "tung")
    assert joined_reading("jinping", "chin", "ping")
    assert not joined_reading("enlai", "en", "lai")  # as written: the ordinary split finds it
    assert not joined_reading("zedong", "tse", "kim")


def test_every_reading_is_a_pinyin_syllable_that_reads_back() -> None:
    syllables = wade_giles_syllables()
    assert len(syllables) > 300
    for syllable in syllables:
        for reading in pinyin_readings(syllable):
            assert is_pinyin_syllable(reading)
            assert syllable in wade_giles_spellings(reading)


@given(st.text(max_size=20))
def test_the_converter_is_total(word: str) -> None:
    readings = pinyin_readings(word)
    assert isinstance(readings, frozenset)
    assert word not in readings
    assert all(r.isascii() and r.isalpha() and r.islower() for r in readings)
    for reading in readings:  # a reading is Pinyin: read back, it is one of the word's own spellings
        assert isinstance(wade_giles_spellings(reading), frozenset)


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz'", max_size=8), max_size=4))
def test_name_tests_never_raise(words: list[str]) -> None:
    assert wade_giles_name(tuple(words)) in (True, False)
    assert pinyin_name(tuple(words)) in (True, False)
