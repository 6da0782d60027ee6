"""What the scorer takes: a query and listed (or bare) names prepared for scoring, once.

Used by the engine's compare and pair scoring; the index prepares the listed names of screening.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from watchlist.errors import QueryError
from watchlist.match.algorithm import Algorithm, CandidateName, QueryForm, Scored
from watchlist.match.align import Alignment
from watchlist.match.features import schemata_compatible
from watchlist.match.types import Query
from watchlist.model import Entity, Name, Schema
from watchlist.text.forms import family_positions, name_forms
from watchlist.text.tokens import schema_kind, tokenize_name
from watchlist.text.weights import TokenStats

SEARCH_CANDIDATE_SHARE: float = 0.2  # in a search, how much covering the whole listed name adds


def search_score(alignment: Alignment) -> float:
    """A free-text search hit: how much of the search text the name explains, then how much of the
    name it covers ('Mansudae' finds MANSUDAE OVERSEAS PROJECT GROUP)."""
    return alignment.query_coverage * (1.0 - SEARCH_CANDIDATE_SHARE + SEARCH_CANDIDATE_SHARE * alignment.candidate_coverage)


def query_form(query: Query) -> QueryForm:
    form = QueryForm.of(query)
    if not form.names:
        raise QueryError(f"the query name {query.names[0]!r} has no letters or digits to match on")
    return form


def scored_pair(form: QueryForm, candidate: Entity, names: Sequence[CandidateName], scorer: Algorithm,
            stats: TokenStats) -> Scored:
    scored = scorer.score(form, candidate, names, stats)
    if not schemata_compatible(form.query.schema, candidate.schema):
        scored.score = 0.0
        scored.explanation.append(f"schema {form.query.schema} cannot be {candidate.schema}")
    return scored


def bare_candidate(name: str, schema: Schema) -> tuple[Entity, tuple[CandidateName, ...]]:
    """A bare name to compare with, as an entity, and its names as the scorer takes them."""
    return Entity(id="candidate", schema=schema, names=(Name(name),)), bare_names(name, schema)


@lru_cache(maxsize=20_000)
def bare_names(name: str, schema: Schema) -> tuple[CandidateName, ...]:
    """A bare name tokenised (cached: a pairs file repeats its listed names, and callers share
    what is returned, so it is immutable)."""
    return tuple(scoring_names((name,), schema))


@lru_cache(maxsize=16)
def bare_entity(schema: Schema) -> Entity:
    """What a bare name's score depends on besides its names (which scorers take apart): its schema,
    and no dates, countries or identifiers. Shared by every bare name of that schema: a frozen
    entity costs microseconds to make."""
    return Entity(id="candidate", schema=schema, names=(Name("candidate"),))


def candidate_names(entity: Entity) -> list[CandidateName]:
    return scoring_names([name.value for name in entity.names], entity.schema)


def scoring_names(values: Iterable[str], schema: Schema) -> list[CandidateName]:
    """Names as the scorer takes them (a person's with their family-name positions)."""
    kind = schema_kind(schema)
    person = schema is Schema.PERSON
    names = []
    for value in (form for name in values for form in name_forms(name, kind)):
        tokens = tokenize_name(value, kind)
        if tokens:
            names.append(CandidateName(value, tokens, family_positions(value, kind, listed=True) if person else ()))
    return names
