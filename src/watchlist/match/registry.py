"""The scoring algorithms on offer, by name. Registered by hand; the first is the default."""

from __future__ import annotations

from watchlist.errors import QueryError
from watchlist.match.algorithm import Algorithm
from watchlist.match.logic_v1 import LogicV1
from watchlist.match.logic_v2 import LogicV2
from watchlist.match.ofac import OfacSanctionsListSearch

ALGORITHMS: dict[str, Algorithm] = {a.NAME: a for a in (LogicV2(), LogicV1(), OfacSanctionsListSearch())}
DEFAULT_ALGORITHM = LogicV2.NAME
# Names other tools use for their default algorithm (yente clients send these).
_ALIASES = {"default": DEFAULT_ALGORITHM, "best": DEFAULT_ALGORITHM, "logic-v1": DEFAULT_ALGORITHM,
            "logic-v2": DEFAULT_ALGORITHM}


def get_algorithm(name: str | None) -> Algorithm:
    key = _ALIASES.get(name or "default", name or DEFAULT_ALGORITHM)
    try:
        return ALGORITHMS[key]
    except KeyError:
        known = ", ".join(ALGORITHMS)
        raise QueryError(f"unknown algorithm {name!r}; choose one of: {known}") from None
