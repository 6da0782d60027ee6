"""What a scoring algorithm is: a named, stateless pair scorer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

from watchlist.match.abjad import written_in_abjad
from watchlist.match.align import QueryAligner
from watchlist.match.types import Query
from watchlist.model import Entity, Schema
from watchlist.text.dates import telling_days
from watchlist.text.forms import family_positions, name_forms, patronymic_position
from watchlist.text.tokens import Token, schema_kind, tokenize_name
from watchlist.text.weights import TokenStats, token_weights

# QueryForm, CandidateName and Scored are plain classes, not dataclasses: they are made for every
# query, dozens of them, and a dataclass's generated __init__ is not compiled (setup.py).


class QueryForm:
    """A query with its names tokenised once, for scoring against many candidates."""

    __slots__ = ("_aligners", "families", "kind", "names", "query", "telling_days")

    def __init__(
        self, query: Query, names: tuple[tuple[str, tuple[Token, ...]], ...],
        families: dict[str, tuple[int, ...]] | None = None,
    ) -> None:
        self.query = query
        self.names = names
        # Family-name positions of each name, where its form tells them (derived from the names).
        self.families: dict[str, tuple[int, ...]] = families if families is not None else {}
        self._aligners: list[tuple[TokenStats, bool, float, bool, list[tuple[str, QueryAligner]]]] = []
        self.kind = schema_kind(query.schema)  # the tokenizer's kind of name the query holds
        self.telling_days = telling_days(query.birth_dates)  # its whole dates that tell people apart

    @classmethod
    def of(cls, query: Query) -> QueryForm:
        kind = schema_kind(query.schema)
        names = tuple((f, tokenize_name(f, kind)) for n in query.names for f in name_forms(n, kind, query=True))
        kept = tuple((n, t) for n, t in names if t)
        if kind != "person":  # only a person has a family name ('ACME, Inc.' is no surname and given name)
            return cls(query, kept)
        return cls(query, kept, {n: family for n, _ in kept if (family := family_positions(n, kind))})

    def aligners(
        self, stats: TokenStats, learned: bool = False, patronymic_weight: float = 1.0, person: bool = False,
    ) -> list[tuple[str, QueryAligner]]:
        """Each query name with its aligner under these token statistics (with or without the learned
        spelling equivalences, a patronymic keeping `patronymic_weight` of its weight), made once per query;
        with `person` (a listed person), given names meet their nicknames where the query may name a person."""
        kind = self.kind
        person = person and kind in ("person", "any")
        for cached_stats, cached_learned, cached_share, cached_person, aligners in self._aligners:
            if (
                cached_stats is stats and cached_learned is learned and cached_share == patronymic_weight
                and cached_person is person
            ):
                return aligners
        organisation = kind == "org"
        made = [
            (name, QueryAligner(tokens, stats, discount_patronymic(
                tokens, token_weights(tokens, stats), self.families.get(name, ()), patronymic_weight,
            ), learned=learned, abjad=learned and written_in_abjad(name), organisation=organisation, person=person))
            for name, tokens in self.names
        ]
        if len(self._aligners) >= 2:
            self._aligners.clear()
        self._aligners.append((stats, learned, patronymic_weight, person, made))
        return made


class CandidateName:
    __slots__ = ("family", "patronymic", "tokens", "value", "weights")

    def __init__(
        self, value: str, tokens: tuple[Token, ...], family: tuple[int, ...] = (),
        weights: tuple[float, ...] | None = None, patronymic: int | None = None,
    ) -> None:
        self.value = value
        self.tokens = tokens
        self.family = family  # positions of family-name tokens, if known
        self.weights = weights  # token weights, if already known
        # The position of its patronymic (text.forms.patronymic_position; -1 none), if already known (the
        # index keeps each listed name's).
        self.patronymic = patronymic

    def weighed(self, stats: TokenStats, patronymic_weight: float) -> tuple[float, ...] | None:
        """The token weights to align with: the known ones, its patronymic (if any) keeping
        `patronymic_weight` of its weight."""
        if patronymic_weight == 1.0:
            return self.weights
        position = self.patronymic
        if position is None:
            position = self.patronymic = patronymic_position(self.tokens, self.family)
        if position < 0:
            return self.weights
        return _scaled(self.weights or token_weights(self.tokens, stats), position, patronymic_weight)


def discount_patronymic(
    tokens: tuple[Token, ...], weights: tuple[float, ...], family: tuple[int, ...], share: float,
) -> tuple[float, ...]:
    """The weights with the patronymic's (text.forms.patronymic_position) scaled by `share`."""
    position = patronymic_position(tokens, family) if share != 1.0 else -1
    return weights if position < 0 else _scaled(weights, position, share)


def _scaled(weights: tuple[float, ...], position: int, share: float) -> tuple[float, ...]:
    scaled = list(weights)
    scaled[position] *= share
    return tuple(scaled)


class Scored:
    __slots__ = ("describe_names", "explanation", "features", "matched_name", "query_name", "score")

    def __init__(
        self, score: float, query_name: str, matched_name: str, features: dict[str, float] | None = None,
        explanation: list[str] | None = None, describe_names: Callable[[], str] | None = None,
    ) -> None:
        self.score = score
        self.query_name = query_name
        self.matched_name = matched_name
        self.features: dict[str, float] = features if features is not None else {}
        self.explanation: list[str] = explanation if explanation is not None else []
        # The name comparison in words, written only for results someone will see (most scored
        # candidates of a batch are dropped, and formatting is a good part of their cost).
        self.describe_names = describe_names

    def reasons(self) -> tuple[str, ...]:
        head = (self.describe_names(),) if self.describe_names is not None else ()
        return head + tuple(self.explanation)


class Algorithm(Protocol):
    NAME: ClassVar[str]
    DESCRIPTION: ClassVar[str]
    THRESHOLD: ClassVar[float]  # the score at and above which a result is a match

    def score(
        self, query: QueryForm, entity: Entity, names: Sequence[CandidateName], stats: TokenStats,
        floor: float = 0.0,
    ) -> Scored:
        """Score one entity. The caller drops results under `floor`, so the scorer may stop early
        and return any score under it for an entity that cannot reach it."""
        ...

    def may_reach(
        self, query: QueryForm, schema: Schema, names: Sequence[CandidateName], stats: TokenStats, floor: float,
        born_that_day: bool = False,
    ) -> bool:
        """False only where `score` of any entity of this schema with these names is under `floor`
        (told without the entity: the caller then need not read it); True where it cannot tell.
        `born_that_day`: the entity's record gives the query's telling birth date (index.birthdays)."""
        ...
