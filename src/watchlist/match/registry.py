"""The scoring algorithms on offer, by name. Registered by hand; the first is the default.

`name-based` is the default algorithm on names alone: a thin wrapper that hands the
default scorer the query without its birth dates, countries and identifiers.
yente's names `best`, `logic-v1` and `logic-v2` are accepted and run the default;
responses name the algorithm that actually ran (`Algorithm.NAME`), never the alias.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from watchlist.errors import QueryError
from watchlist.match.algorithm import Algorithm, CandidateName, QueryForm, Scored
from watchlist.match.logic_v1 import LogicV1
from watchlist.match.logic_v2 import LogicV2
from watchlist.match.ofac import OfacSanctionsListSearch
from watchlist.model import Entity, Schema
from watchlist.text.weights import TokenStats

_DEFAULT = LogicV2()


class NameBased:
    """The default algorithm scoring names only: birth dates, countries and identifiers are ignored."""

    NAME: ClassVar[str] = "name-based"
    DESCRIPTION: ClassVar[str] = (
        f"{_DEFAULT.NAME} on names alone: the query's birth dates, countries and identifiers are not used, "
        "so the score says how alike the names are."
    )
    THRESHOLD: ClassVar[float] = _DEFAULT.THRESHOLD

    def __init__(self, inner: Algorithm = _DEFAULT) -> None:
        self.inner = inner
        self._last = threading.local()  # (query form, its names-only form): one query meets many candidates

    def score(
        self,
        query: QueryForm,
        entity: Entity,
        names: Sequence[CandidateName],
        stats: TokenStats,
        floor: float = 0.0,
    ) -> Scored:
        return self.inner.score(self.names_only(query), entity, names, stats, floor)

    def may_reach(
        self, query: QueryForm, schema: Schema, names: Sequence[CandidateName], stats: TokenStats, floor: float,
        born_that_day: bool = False,
    ) -> bool:
        return self.inner.may_reach(self.names_only(query), schema, names, stats, floor, born_that_day=False)

    def names_only(self, form: QueryForm) -> QueryForm:
        q = form.query
        if not (q.birth_dates or q.countries or q.identifiers):
            return form
        last = getattr(self._last, "pair", None)
        if last is not None and last[0] is form:
            stripped: QueryForm = last[1]
            return stripped
        stripped = QueryForm(
            replace(q, birth_dates=(), countries=(), identifiers=()), form.names, form.families
        )
        self._last.pair = (form, stripped)
        return stripped


ALGORITHMS: dict[str, Algorithm] = {
    a.NAME: a for a in (_DEFAULT, NameBased(), LogicV1(), OfacSanctionsListSearch())
}
DEFAULT_ALGORITHM = LogicV2.NAME
# Names other tools use for their algorithms (yente clients send these); each runs the default.
ALIASES = {
    "default": DEFAULT_ALGORITHM,
    "best": DEFAULT_ALGORITHM,
    "logic-v1": DEFAULT_ALGORITHM,
    "logic-v2": DEFAULT_ALGORITHM,
}


def get_algorithm(name: str | None) -> Algorithm:
    key = ALIASES.get(name or "default", name or DEFAULT_ALGORITHM)
    try:
        return ALGORITHMS[key]
    except KeyError:
        known = ", ".join([*ALGORITHMS, *ALIASES])
        raise QueryError(f"unknown algorithm {name!r}; choose one of: {known}") from None
