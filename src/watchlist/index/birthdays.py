"""Listed entities by the telling birth days their records give (text.dates.telling_days): the
candidates a query's own telling birth date may carry over a partly alike name, found without
reading any entity (most candidates of a batch are never read)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from watchlist.index.storage import Postings
from watchlist.model import Entity
from watchlist.text.dates import DateParts, day_key, telling_days

NOBODY: frozenset[int] = frozenset()


def birth_day_postings(entities: Sequence[Entity]) -> Postings:
    """'YYYY-MM-DD' -> the positions of the entities born that day (telling days only)."""
    born: dict[str, list[int]] = {}
    for position, entity in enumerate(entities):
        for day in telling_days(entity.birth_dates):
            born.setdefault(day_key(day), []).append(position)
    return Postings.of(born)


def born_on(birth_days: Mapping[str, np.ndarray], days: Iterable[DateParts]) -> frozenset[int]:
    """The positions of the entities born on any of these telling days (text.dates.telling_days)."""
    found = [p for day in days if (p := birth_days.get(day_key(day))) is not None]
    return frozenset(int(x) for positions in found for x in positions.tolist()) if found else NOBODY
