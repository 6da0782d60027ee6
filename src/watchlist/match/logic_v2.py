"""watchlist-v2, the default scorer: watchlist-v1's evidence, its numbers fitted to data.

The evidence is v1's (token alignment across scripts and romanisations, weighted by rarity; the named
penalties; birth date, country and identifier), with two additions learned from the lists' own
cross-list variants: spelling equivalences (match.variants) and a softer cost for query words beyond
a rare listed name the query explains whole (a patronymic, a longer Arabic name chain). The numbers
are fitted by `bench/fit_scorer.py` on the real-variant development part and the eval set, and a
calibration map makes the score read as the share of pairs so scored that are the same party; they
ship in `data/scorer-v2.yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import ClassVar

from watchlist.errors import ConfigError
from watchlist.match.evidence import Weights
from watchlist.match.logic_v1 import AlignmentScorer
from watchlist.text.refdata import load_yaml


@lru_cache(maxsize=1)
def fitted() -> tuple[Weights, float]:
    """The fitted weights and calibration slope from data/scorer-v2.yaml."""
    text = resources.files("watchlist.data").joinpath("scorer-v2.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    weights = data.get("weights") if isinstance(data, Mapping) else None
    calibration = data.get("calibration") if isinstance(data, Mapping) else None
    if not isinstance(weights, Mapping) or not isinstance(calibration, Mapping):
        raise ConfigError("scorer-v2.yaml: expected 'weights' and 'calibration'")
    try:
        return Weights(weights), float(calibration["slope"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"scorer-v2.yaml: {exc}") from None


class LogicV2(AlignmentScorer):
    NAME: ClassVar[str] = "watchlist-v2"
    DESCRIPTION: ClassVar[str] = (
        "Token alignment across scripts and romanisations with spelling equivalences learned from the "
        "lists, weighted by token rarity; birth date, country and identifier evidence qualify the name "
        "score. Numbers fitted to the lists' own cross-list variants; calibrated scores."
    )
    LEARNED: ClassVar[bool] = True

    def __init__(self) -> None:
        weights, slope = fitted()
        super().__init__(weights, slope)
