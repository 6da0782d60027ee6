"""A query's theophoric name ('Abdul Wahid', one token 'abdwahid') against its second part alone in a
listed name ('Wahid'): a reduced similarity, one way only, and only where the listed name is otherwise
explained whole (match.similarity.abd_part_similarity, match.align._abd_parts)."""

from __future__ import annotations

import pytest

from watchlist import compare
from watchlist.match.align import QueryAligner
from watchlist.match.similarity import (
    ABD_PART_SIM,
    MIN_TOKEN_SIM,
    MIN_TYPO_SIM,
    abd_part_similarity,
    clear_caches,
    pair_similarity,
)
from watchlist.text.tokens import make_token, tokenize_name
from watchlist.text.weights import DEFAULT_STATS


def test_the_part_of_a_theophoric_name_is_a_reduced_match() -> None:
    assert abd_part_similarity(make_token("abdwahid"), make_token("wahid")) == ABD_PART_SIM
    assert MIN_TOKEN_SIM <= ABD_PART_SIM < 1.0  # it aligns, but is not the same name
    assert abd_part_similarity(make_token("abdwahid"), make_token("karim")) < MIN_TYPO_SIM  # another name


@pytest.mark.parametrize(
    "query, listed",
    [
        ("wahid", "abdwahid"),  # the listed name's Abd left out by the query: not a part of the query's name
        ("abdwahid", "abdwahid"),  # both whole: plain similarity
        ("abdwahid", "abdkarim"),
        ("abdali", "ali"),  # too short a part to tell
        ("abdullah", "ullah"),  # a name of its own
    ],
)
def test_no_part_similarity(query: str, listed: str) -> None:
    assert abd_part_similarity(make_token(query), make_token(listed)) == 0.0


def test_pair_similarity_carries_the_part_similarity() -> None:
    clear_caches()
    for known in (False, True):
        for learned in (False, True):
            assert pair_similarity(make_token("abdwahid"), make_token("wahid"), known, learned) == ABD_PART_SIM
            assert pair_similarity(make_token("wahid"), make_token("abdwahid"), known, learned) < MIN_TOKEN_SIM


def _links(query: str, listed: str) -> list[tuple[str, str, float]]:
    q, c = tokenize_name(query, "person"), tokenize_name(listed, "person")
    return QueryAligner(q, DEFAULT_STATS).align(c).pairs


def test_the_part_aligns_where_the_listed_name_is_otherwise_explained() -> None:
    assert ("abdwahid", "wahid", ABD_PART_SIM) in _links("Nasir Abdul Wahid Omari", "Nasir Wahid Omari")


def test_the_part_does_not_align_where_another_listed_word_stands_for_the_abd() -> None:
    assert [p for p in _links("Nasir Abdul Wahid Omari", "Nasir Gul Wahid Omari") if p[0] == "abdwahid"] == []


def test_a_dropped_part_link_leaves_the_word_free_for_another() -> None:
    # abdrahim~rahim would be taken first, then dropped (karim is left): abdrahim~abdkarim stands instead.
    links = _links("Nasir Abdul Rahim Omari", "Nasir Abdul Karim Rahim Omari")
    assert [p[1] for p in links if p[0] == "abdrahim"] == ["abdkarim"]


@pytest.mark.parametrize(
    "query, listed, match",
    [
        ("Nasir Abdul Wahid Omari", "Nasir Wahid Omari", True),  # the list dropped the Abdul
        ("Nasir Abdul Wahid Omari", "OMARI, Nasir Wahid", True),
        ("Nasir Wahid Omari", "Nasir Abdul Wahid Omari", False),  # the query leaves part of a listed name out
        ("Nasir Abdul Wahid Omari", "Nasir Gul Wahid Omari", False),  # another name where the Abdul was
        ("Nasir Abdul Ali Omari", "Nasir Ali Omari", False),  # too short a part
    ],
)
def test_compare_with_and_without_the_abd(query: str, listed: str, match: bool) -> None:
    assert compare(query, listed, "Person").match is match
