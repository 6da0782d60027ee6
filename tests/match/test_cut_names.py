"""A name cut at a field's length (a payment message's name line holds 35 characters) ends in the start
of its last word: the listed word it begins meets it as one typo in a long word would.

The names are of the kinds the lists and payment messages hold, not rows of an evaluation set.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from watchlist import compare
from watchlist.match.align import CUT_WORD_SIM, QueryAligner
from watchlist.text.tokens import TokenKind, tokenize_name
from watchlist.text.weights import DEFAULT_STATS


@pytest.mark.parametrize(
    "query, listed, schema",
    [
        ("ABDELKARIM MOHAMMED HASSAN AL-ZUB", "Abdelkarim Mohammed Hassan AL-ZUBAIDI", "Person"),
        ("ZHONGSHAN OCEAN SHIPPING AND LOGIS", "Zhongshan Ocean Shipping and Logistics Co Ltd", "Company"),
        # The start of the word reads as a title ('Dr'); last in a long name, it is the word cut short.
        ("ABDELHAMID BEN SALAH BEN YOUSSEF DR", "Abdelhamid ben Salah ben Youssef DRIDI", "Person"),
    ],
)
def test_a_name_cut_at_a_field_length_meets_the_listed_name(query: str, listed: str, schema: str) -> None:
    result = compare(query, listed, schema)
    assert result.match, result.explanation


def test_a_short_name_is_no_cut_one() -> None:
    # 'Al-Zub' in a ten-letter name is what the customer is called, not a name cut short.
    assert not compare("Ali Al-Zub", "Ali Al-Zubaidi", "Person").match
    assert compare("Dr Ali Al-Zubaidi", "Ali Al-Zubaidi", "Person").match  # a title first is a title


def test_only_the_last_word_is_read_as_cut() -> None:
    query = tokenize_name("AL-ZUB ABDELKARIM MOHAMMED HASSAN", "person")
    listed = tokenize_name("AL-ZUBAIDI, Abdelkarim Mohammed Hassan", "person")
    assert QueryAligner(query, DEFAULT_STATS).align(listed).query_coverage < 0.95


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8),
       st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=6))
def test_a_cut_word_is_explained_by_any_word_it_begins(start: str, rest: str) -> None:
    words = "karim mohammed hassan nasser"  # 28 letters and spaces: any last word makes it long enough
    query = tokenize_name(f"{words} {start}", "person")
    listed = tokenize_name(f"{words} {start}{rest}", "person")
    if [t.text for t in query] != [*words.split(), start] or query[-1].kind is not TokenKind.WORD:
        return  # a title, particle or legal form ('AB') the tokenizer reads otherwise: not this rule's case
    alignment = QueryAligner(query, DEFAULT_STATS).align(listed)
    assert any(q == (4,) and sim >= CUT_WORD_SIM for sim, q, _ in alignment.links)


@pytest.mark.parametrize(
    "query, listed",
    [("ABDELHAMID BEN SALAH BEN YOUSSEF DR", "Abdelhamid ben Salah ben Youssef"),
     ("MOHAMMED ABDULLAH HASSAN AL-NAJJAR MR", "AL-NAJJAR, Mohammed Abdullah Hassan")],
)
def test_a_long_name_ending_in_a_title_still_meets_the_name_without_it(query: str, listed: str) -> None:
    # Kept in case it is a word cut short, a title no listed word begins weighs as a particle.
    assert compare(query, listed, "Person").score > 0.9
