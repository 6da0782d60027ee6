"""Token weights when no lists are loaded: a bundled table of how often each token occurs in the lists.

`data/token_frequency.json` is generated from the official lists by
`bench/make_token_frequency.py`; it holds the document frequency of the most
common folded tokens, so `compare` weighs 'Kim' or 'Company' low even alone.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import Final, Protocol

from watchlist.text.tokens import Token, TokenKind

_KIND_FACTOR: Final = {TokenKind.WORD: 1.0, TokenKind.PARTICLE: 0.15, TokenKind.ORG_TERM: 0.3, TokenKind.NUMBER: 1.0}
MIN_WEIGHT: Final = 0.15
# The share of a word's weight a one-letter token keeps: a vowel (often a syllable: Korean U, O), a
# consonant initial (match.align discounts initials in two other ways, each named there).
INITIAL_VOWEL_WEIGHT: Final = 0.6
INITIAL_CONSONANT_WEIGHT: Final = 0.3
WEIGHTS_KEPT: Final = 100_000  # weights of one kind kept by FrequencyTable before it starts afresh


class TokenStats(Protocol):
    """What the lists say about a token: how much it tells, and whether they use it at all."""

    def weigh(self, token: Token) -> float: ...

    def known(self, token: Token) -> bool: ...


def token_weights(tokens: Sequence[Token], stats: TokenStats) -> tuple[float, ...]:
    """Each token's weight; an initial carries a fraction of a word's information.

    A lone vowel is often a syllable (Korean U, O), so it keeps more than a consonant initial.
    """
    return tuple(stats.weigh(t) * _initial_factor(t) for t in tokens)


def _initial_factor(token: Token) -> float:
    if len(token.text) != 1 or token.kind is not TokenKind.WORD or not token.text.isascii():
        return 1.0
    return INITIAL_VOWEL_WEIGHT if token.text in "aeiou" else INITIAL_CONSONANT_WEIGHT


@lru_cache(maxsize=1)
def _table() -> tuple[int, dict[str, int]]:
    try:
        text = resources.files("watchlist.data").joinpath("token_frequency.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return 1, {}
    data = json.loads(text)
    return int(data["names"]), dict(data["frequency"])


def idf_weight(document_frequency: int, total: int, kind: TokenKind) -> float:
    """Inverse document frequency scaled to (0, 1], floored, times the token kind's factor."""
    total = max(total, 1)
    idf = math.log1p(total / (document_frequency + 1)) / math.log1p(total)
    return max(idf, MIN_WEIGHT) * _KIND_FACTOR[kind]


def _table_weight(fold: str, kind: TokenKind) -> float:
    total, frequency = _table()
    if not frequency:
        return _KIND_FACTOR[kind]
    return idf_weight(frequency.get(fold, 0), total, kind)


class FrequencyTable:
    """Token statistics from the bundled table, for scoring with no lists loaded.

    Weights are kept by kind, then fold, in plain dicts: a pair of names weighs each of its
    tokens several times, and a dict lookup by one string is the cheapest cache there is."""

    def __init__(self) -> None:
        self._weights: list[dict[str, float]] = [{} for _ in TokenKind]

    def weigh(self, token: Token) -> float:
        by_fold = self._weights[token.kind]
        weight = by_fold.get(token.fold)
        if weight is None:
            if len(by_fold) >= WEIGHTS_KEPT:
                by_fold.clear()
            weight = by_fold[token.fold] = _table_weight(token.fold, token.kind)
        return weight

    def known(self, token: Token) -> bool:
        return token.fold in _table()[1]


DEFAULT_STATS: Final = FrequencyTable()
