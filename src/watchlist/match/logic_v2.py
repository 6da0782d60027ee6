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

import math
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import ClassVar

from watchlist.errors import ConfigError
from watchlist.match.evidence import Weights
from watchlist.match.logic_v1 import AlignmentScorer
from watchlist.text.refdata import load_yaml


@lru_cache(maxsize=1)
def fitted() -> tuple[Weights, tuple[tuple[float, float], ...], float]:
    """The fitted weights, calibration knots and raw match threshold from data/scorer-v2.yaml."""
    text = resources.files("watchlist.data").joinpath("scorer-v2.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    weights = data.get("weights") if isinstance(data, Mapping) else None
    calibration = data.get("calibration") if isinstance(data, Mapping) else None
    if not isinstance(weights, Mapping) or not isinstance(calibration, Mapping):
        raise ConfigError("scorer-v2.yaml: expected 'weights' and 'calibration'")
    try:  # a hand-edited file: say what is wrong
        knots = tuple((float(x), float(y)) for x, y in calibration["knots"])
        raw_threshold = float(calibration["raw_threshold"])
        fitted_weights = Weights(weights)
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"scorer-v2.yaml: calibration or weights: {exc!r}") from None
    if knots[0] != (0.0, 0.0) or knots[-1] != (1.0, 1.0) or any(
        b[0] <= a[0] or b[1] < a[1] for a, b in pairwise(knots)
    ):
        raise ConfigError("scorer-v2.yaml: calibration knots must rise from (0, 0) to (1, 1)")
    return fitted_weights, knots, raw_threshold


class LogicV2(AlignmentScorer):
    NAME: ClassVar[str] = "watchlist-v2"
    DESCRIPTION: ClassVar[str] = (
        "Token alignment across scripts and romanisations with spelling equivalences learned from the "
        "lists, weighted by token rarity; birth date, country and identifier evidence qualify the name "
        "score. Numbers fitted to the lists' own cross-list variants; calibrated scores."
    )
    # The fitted raw threshold on the calibrated scale: a match is a pair at least this likely one party
    # (four decimals, rounded down: a pair scored at the raw threshold stays a match).
    THRESHOLD: ClassVar[float] = math.floor(AlignmentScorer(fitted()[0], fitted()[1]).calibrate(fitted()[2]) * 1e4) / 1e4
    LEARNED: ClassVar[bool] = True

    def __init__(self) -> None:
        weights, calibration, _ = fitted()
        super().__init__(weights, calibration)
