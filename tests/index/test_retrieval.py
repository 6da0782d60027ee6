"""Candidate retrieval against a plain reference: every name summed over every group, no pruning."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import make_entity

from watchlist.index.retrieval import MIN_SHARE, RELATIVE_FLOOR, NameIndex
from watchlist.model import Schema
from watchlist.text.tokens import tokenize_name

# Common words reach many names and rare ones few, so queries mix groups the pruning skips and
# groups it must sum; near spellings reach names through fuzzy keys at a lower weight.
COMMON = ["kim", "ali", "mohammed", "trading", "li"]
RARE = ["mansudae", "korea", "ryonbong", "tanchon", "kwangson", "sinhung", "pyongyang", "rason", "chol", "su"]
WORDS = COMMON * 4 + RARE
QUERY_WORDS = [*COMMON, *RARE, "mansudai", "kimm", "ryongbong", "tanchom", "unlisted"]


def _index(names: list[list[str]]) -> NameIndex:
    entities = [make_entity(f"e{i}", " ".join(words), Schema.PERSON if i % 3 else Schema.ORGANIZATION)
                for i, words in enumerate(names)]
    return NameIndex.build(entities)


def _reference(index: NameIndex, query: str, limit: int, allowed: np.ndarray | None, min_share: float) -> list[int]:
    tokens = tokenize_name(query)
    totals: dict[int, float] = {}
    for hits in index._groups(tokens):
        for name, gain in zip(hits[0].tolist(), hits[1].tolist(), strict=True):
            totals[name] = totals.get(name, 0.0) + gain
    if allowed is not None:
        totals = {name: score for name, score in totals.items() if allowed[name]}
    if not totals:
        return []
    floor = max(max(min_share, MIN_SHARE) * sum(index.weigh(t) for t in tokens), RELATIVE_FLOOR * max(totals.values()))
    kept = sorted((-score, int(index.name_length[name]), name) for name, score in totals.items() if score >= floor)
    return [name for _, _, name in kept[:limit]]


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), min_size=1, max_size=60),
    query=st.lists(st.sampled_from(QUERY_WORDS), min_size=1, max_size=4),
    limit=st.integers(1, 10),
    min_share=st.sampled_from([0.0, 0.3, 0.375, 0.6]),
    schema_filter=st.booleans(),
)
def test_candidates_are_the_best_names_by_summed_group_weight(
    names: list[list[str]], query: list[str], limit: int, min_share: float, schema_filter: bool
) -> None:
    index = _index(names)
    allowed = index.allowed_names(frozenset({Schema.PERSON}), None) if schema_filter else None
    text = " ".join(query)
    found = index.candidates(tokenize_name(text), limit, allowed, min_share)
    assert found == _reference(index, text, limit, allowed, min_share)


def test_two_words_apart_do_not_also_earn_their_joined_form() -> None:
    """A listed name is indexed under its adjacent words joined too (for a query that writes them as one
    word); a name holding both query words apart earns each once, not the joined pair's weight again,
    which would lift it over the relative floor of a name that matches the rarer family name."""
    fillers = [f"{family}, Aleksandr Ivanovich" for family in ("IVANOV", "PETROV", "SMIRNOV", "POPOV", "SOKOLOV",
                                                                 "LEBEDEV", "KOZLOV", "NOVIKOV", "MOROZOV", "VOLKOV")]
    index = NameIndex.build([
        make_entity("e0", "VOLFOVICH, Aleksandr Grigorievich", Schema.PERSON),
        make_entity("e1", "LUKASHENKA, Alyaksandr Ryhorovich", Schema.PERSON),
        *(make_entity(f"f{i}", name, Schema.PERSON) for i, name in enumerate(fillers)),
    ])
    tokens = tokenize_name("Alexander Grigorievich LUKASHENKO", "person")
    assert 1 in index.candidates(tokens, 40, None, 0.0)
    joined = index._groups(tokenize_name("Aleksandrgrigorievich", "person"))
    assert joined, "a query word written joined still reaches the two listed words"


def test_an_unknown_word_beginning_with_a_vowel_reaches_listed_words_beginning_with_another() -> None:
    """Ye, E, Ie, Ya and Ia write one iotated vowel (Yermoshina / Iarmoshina): two edits apart at the
    start, where an unknown word's two-typo lookup otherwise keeps to its own first letter."""
    index = NameIndex.build([make_entity("e0", "YARMOSHINA, Lidziya Mihaulauna", Schema.PERSON),
                             make_entity("e1", "KARMOSHINA, Olga", Schema.PERSON)])
    reached = [key for key, _ in index.expand(tokenize_name("YERMOSHINA", "person")[0])]
    assert tokenize_name("Iarmoshina", "person")[0].fold in reached
    assert tokenize_name("Karmoshina", "person")[0].fold not in reached  # a consonant is not a vowel's spelling


def test_typo_search_prepared_ahead_builds_every_table_a_word_reads_and_finds_the_same() -> None:
    # A batch parent prepares them before it forks its workers, which then share them.
    names = ["YARMOSHINA Lidziya", "KARMOSHINA Olga", "MANSUDAE ART STUDIO", "RYONBONG GENERAL CORPORATION",
             "KWANGSONBANKING CORPORATIONS", "Abdulrahmanovich"]
    prepared, lazy = (NameIndex.build([make_entity(f"e{i}", n, Schema.PERSON) for i, n in enumerate(names)])
                      for _ in range(2))
    prepared.prepare_typo_search()
    tables = dict(prepared._near_folds)
    words = ["yermoshina", "kormoshina", "mansudaes", "ryongbong", "corparations", "kwangsonbankings",
             "abdurahmanovic", "zzzzzzzzzzzzzzzzzz", "abcdef"]
    assert [prepared._two_typo_folds(w) for w in words] == [lazy._two_typo_folds(w) for w in words]
    assert any(prepared._two_typo_folds(w) for w in words)
    # Nothing built after but the empty table of a letter no listed word begins with.
    assert [key for key in prepared._near_folds if key not in tables] == [("z", 18)] and not prepared._near_folds["z", 18][0]
    assert all(prepared._near_folds[key] is tables[key] for key in tables)


def test_a_group_that_reaches_no_name_is_cached_too_and_emptied_with_the_rest() -> None:
    # An unknown word's typo search (most of a customer file's words) runs once a process, not once a
    # row; its empty answer is held as a key alone, and emptying the caches empties it with the groups.
    index = _index([words.split() for words in ("kim chol", "ali mansudae", "ryonbong trading")])
    tokens = tokenize_name("Zyxwvut Kim")
    first = index._groups(tokens)
    again = index._groups(tokens)
    assert len(first) == len(again) == 1 and again[0][0] is first[0][0]  # the cached hits themselves
    unknown, known = (t.key for t in tokens)
    assert unknown in index._no_hits and unknown not in index._group_cache and known in index._group_cache
    index.clear_caches()
    assert not index._no_hits and not index._group_cache


def test_a_joined_pair_that_reaches_no_name_is_not_remembered() -> None:
    # Looking a joined pair up costs a lookup or two, and most reach no name: remembered, they held 5 MB
    # of a batch worker's life. A token's own group (a typo search) is remembered either way.
    index = _index([words.split() for words in ("kim chol", "ali mansudae", "ryonbong trading")])
    tokens = tokenize_name("Zyxwvut Qwrtp")
    assert index._groups(tokens) == [] and index._groups(tokens) == []
    assert index._no_hits == {t.key for t in tokens}


def test_three_query_words_reach_the_listed_word_they_spell() -> None:
    """A listed name that writes three words as one ('RICHOLHO') is reached by a query that writes them
    apart, though no listed name holds any of the three."""
    index = NameIndex.build([make_entity("e0", "RICHOLHO", Schema.PERSON), make_entity("e1", "Kim Su Il", Schema.PERSON)])
    assert index.candidates(tokenize_name("Ri Chol Ho", "person"), 10, None, 0.0) == [0]
