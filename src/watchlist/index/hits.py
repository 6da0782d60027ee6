"""What a group of retrieval keys reaches (index.retrieval): the names, sorted, each with the weight it
earns, merged from the keys' posting lists, and the arithmetic the MaxScore cut does on them."""

from __future__ import annotations

from typing import Final

import numpy as np

maximum: Final = np.maximum.reduce  # what ndarray.max() calls, without its Python wrapper
minimum: Final = np.minimum.reduce
GroupHits = tuple[np.ndarray, np.ndarray, float]  # names reached (sorted), the weight each earns, the most any earns
SMALL_MERGE: Final = 256  # name positions a group's keys reach together, up to which they are merged in Python


def merged_hits(found: list[tuple[np.ndarray, float]]) -> GroupHits:
    """The names several keys reach (posting lists, each sorted and unique), sorted and unique, each
    with the best weight of the keys that reach it (read-only arrays). A few names are merged in
    Python: numpy's sorts cost more in their calls than in their work. One list is its own merge."""
    if len(found) == 1:
        names, weight = found[0]
        # The one weight seen as an array: no copy (the names are a view of the mapped index), so a
        # cached group of one key holds almost nothing of a worker's own memory.
        return names, _every(weight, names), weight
    if sum([len(p) for p, _ in found]) <= SMALL_MERGE:
        best: dict[int, float] = {}
        for positions, weight in found:
            for position in positions.tolist():
                if weight > best.get(position, -1.0):
                    best[position] = weight
        ordered = sorted(best)
        gains = [best[p] for p in ordered]
        most = max(gains)
        names = np.asarray(ordered, dtype=found[0][0].dtype)
        return names, _every(most, names) if gains.count(most) == len(gains) else np.asarray(gains), most
    hits = np.concatenate([p for p, _ in found])
    weights = np.repeat([w for _, w in found], [len(p) for p, _ in found])
    order = np.lexsort((-weights, hits))  # by name, best weight first
    unique, first = np.unique(hits[order], return_index=True)
    best_gains = weights[order][first]
    most = float(maximum(best_gains))
    return unique, _every(most, unique) if float(minimum(best_gains)) == most else best_gains, most


def _every(weight: float, names: np.ndarray) -> np.ndarray:
    """One weight for each name, as a read-only array of no data of its own: a third of the merged groups
    a batch worker caches earn one weight for every name (1.1 MB of its memory over 25,000 rows)."""
    return np.broadcast_to(np.float64(weight), names.shape)


def essential_groups(groups: list[GroupHits], floor: float) -> list[bool]:
    """Which groups a name must be in to reach `floor`: all but the weakest, as many of those as
    together fall short of it (with a margin, so that rounding cannot tip a sum over)."""
    essential = [True] * len(groups)
    reach = 0.0
    for i in sorted(range(len(groups)), key=lambda i: groups[i][2]):
        reach += groups[i][2]
        if reach >= floor * (1.0 - 1e-9):
            break
        essential[i] = False
    return essential


def without_both(hits: GroupHits, first: np.ndarray, second: np.ndarray) -> GroupHits | None:
    """A joined pair's hits less the names in both its words' hits (each sorted and unique)."""
    names, gains, _ = hits
    keep = ~(np.isin(names, first, assume_unique=True) & np.isin(names, second, assume_unique=True))
    if keep.all():
        return hits
    if not keep.any():
        return None
    return names[keep], gains[keep], float(maximum(gains[keep]))
