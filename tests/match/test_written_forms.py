"""How a name is written, not who it names: a rare word written twice, ...

The names are of the kinds the lists and screening queries hold, not rows of an evaluation set.
"""

from __future__ import annotations

import pytest

from watchlist import compare


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
