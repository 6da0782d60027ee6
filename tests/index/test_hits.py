"""merged_hits, the merge of a retrieval group's posting lists, is the one numpy's sorts make: the
same names in the same order, each with the best weight of the keys that reach it, in the same dtypes."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from watchlist.index.hits import SMALL_MERGE, merged_hits


def _by_sorting(found: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray, float]:
    hits = np.concatenate([p for p, _ in found])
    weight = np.repeat([w for _, w in found], [len(p) for p, _ in found])
    order = np.lexsort((-weight, hits))
    unique, first = np.unique(hits[order], return_index=True)
    gains = weight[order][first]
    return unique, gains, float(gains.max())


postings = st.lists(
    st.tuples(
        st.sets(st.integers(0, 3 * SMALL_MERGE), min_size=1, max_size=SMALL_MERGE // 2),
        st.sampled_from([0.3, 0.56, 0.7, 0.8, 0.8 * 0.7, 1.0]),
    ),
    min_size=1, max_size=6,
)


@settings(max_examples=300, deadline=None)
@given(postings)
def test_merged_hits_is_the_sorted_merge(lists: list[tuple[set[int], float]]) -> None:
    found = [(np.asarray(sorted(names), dtype=np.int32), weight) for names, weight in lists]
    names, gains, most = merged_hits(found)
    expected_names, expected_gains, expected_most = _by_sorting(found)
    assert names.dtype == expected_names.dtype and gains.dtype == expected_gains.dtype
    assert names.tolist() == expected_names.tolist()
    assert gains.tolist() == expected_gains.tolist()
    assert most == expected_most


def test_a_group_whose_names_earn_one_weight_holds_no_weights_of_its_own() -> None:
    for size in (20, 4 * SMALL_MERGE):  # merged in Python, and by numpy
        alike = [(np.arange(0, size, 2, dtype=np.int32), 0.8), (np.arange(0, size, 3, dtype=np.int32), 0.8)]
        names, gains, most = merged_hits(alike)
        assert gains.strides == (0,) and gains.tolist() == [0.8] * len(names) and most == 0.8
        unlike = [alike[0], (alike[1][0], 1.0)]
        assert merged_hits(unlike)[1].strides == (8,)


def test_both_ways_of_merging_are_taken() -> None:
    small = [(np.arange(0, 20, 2, dtype=np.int32), 0.8), (np.arange(0, 30, 3, dtype=np.int32), 1.0)]
    large = [(np.arange(0, 4 * SMALL_MERGE, 2, dtype=np.int32), 0.8), (np.arange(0, 900, 3, dtype=np.int32), 1.0)]
    for found in (small, large, small[:1]):
        names, gains, most = merged_hits(found)
        expected = _by_sorting(found)
        assert names.tolist() == expected[0].tolist() and gains.tolist() == expected[1].tolist()
        assert most == expected[2]
    assert merged_hits(small)[1].tolist()[:2] == [1.0, 0.8]  # name 0 in both lists: the better weight
