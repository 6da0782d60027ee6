"""What a scoring algorithm is: a named, stateless pair scorer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from watchlist.match.types import Query
from watchlist.model import Entity
from watchlist.text.names import Token, schema_kind, tokenize_name
from watchlist.text.weights import TokenStats


@dataclass(frozen=True, slots=True)
class QueryForm:
    """A query with its names tokenised once, for scoring against many candidates."""

    query: Query
    names: tuple[tuple[str, tuple[Token, ...]], ...]

    @classmethod
    def of(cls, query: Query) -> QueryForm:
        kind = schema_kind(query.schema)
        names = tuple((n, tokenize_name(n, kind)) for n in query.names)
        return cls(query, tuple((n, t) for n, t in names if t))


@dataclass(frozen=True, slots=True)
class CandidateName:
    value: str
    tokens: tuple[Token, ...]
    family: tuple[int, ...] = ()  # positions of family-name tokens, if known
    weights: tuple[float, ...] | None = None  # token weights, if already known


@dataclass(slots=True)
class Scored:
    score: float
    query_name: str
    matched_name: str
    features: dict[str, float] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)


class Algorithm(Protocol):
    NAME: ClassVar[str]
    DESCRIPTION: ClassVar[str]
    THRESHOLD: ClassVar[float]  # the score at and above which a result is a match

    def score(
        self, query: QueryForm, entity: Entity, names: Sequence[CandidateName], stats: TokenStats
    ) -> Scored: ...
