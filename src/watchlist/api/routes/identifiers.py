"""Search and match by identifier. yente's `/search` matches `q` against every value of an entity (its
`text` field), so a passport, IMO or registration number finds the entity that carries it; its `/match`
takes a query with identifiers and no name (a vessel by its IMO number). Here a value is compared whole
with the listed identifiers, as the matcher normalises them (`IMO 9123456` = `9123456`).

The table of identifiers is built once per index version, on the first search that holds a digit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace

from watchlist.engine import Engine
from watchlist.index.retrieval import NameIndex
from watchlist.match.features import MIN_IDENTIFIER_LENGTH, compatible_schemata, normalize_identifier
from watchlist.match.types import MatchResult, Query
from watchlist.merging import per_party
from watchlist.model import Entity

_lock = threading.Lock()
_tables: dict[str, dict[str, tuple[int, ...]]] = {}  # index version -> identifier -> entity positions


def identifier_table(index: NameIndex) -> dict[str, tuple[int, ...]]:
    """Every listed identifier, normalised, with the positions of the entities that carry it."""
    with _lock:
        table = _tables.get(index.version)
    if table is not None:
        return table
    found: dict[str, list[int]] = {}
    for position, entity in enumerate(index.entities):
        for ident in entity.identifiers:
            key = normalize_identifier(ident.value)
            if len(key) >= MIN_IDENTIFIER_LENGTH:
                found.setdefault(key, []).append(position)
    table = {k: tuple(v) for k, v in found.items()}
    with _lock:
        _tables.clear()  # only the current version's table is kept
        _tables[index.version] = table
    return table


def identifier_hits(
    engine: Engine, q: str, scope: Sequence[str] | None, fits: Callable[[Entity], bool],
    index: NameIndex | None = None,
) -> list[MatchResult]:
    """The entities in scope that carry `q` as an identifier (score 1: the whole text matched)."""
    key = normalize_identifier(q)
    if len(key) < MIN_IDENTIFIER_LENGTH or not any(c.isdigit() for c in key):
        return []
    index = index or engine.ready_index()
    wanted = None if scope is None else set(scope)
    hits = []
    for position in identifier_table(index).get(key, ()):
        entity = index.entities[position]
        if (wanted is None or wanted.intersection(entity.datasets)) and fits(entity):
            ident = next(i for i in entity.identifiers if normalize_identifier(i.value) == key)
            label = ident.note or ident.type.value
            hits.append(
                MatchResult(entity, 1.0, False, q, entity.caption, {"identifier_match": 1.0},
                            (f"'{q}' is the {label} {ident.value}",))
            )  # fmt: skip
    return hits


def merged_hits(by_name: list[MatchResult], by_identifier: list[MatchResult]) -> list[MatchResult]:
    """Both kinds of hit, one per entity (the better), best first."""
    best: dict[str, MatchResult] = {}
    for hit in [*by_identifier, *by_name]:
        held = best.get(hit.entity.id)
        if held is None or hit.score > held.score:
            best[hit.entity.id] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.entity.id))


def identifier_matches(
    engine: Engine, query: Query, scope: Sequence[str] | None, index: NameIndex
) -> list[MatchResult]:
    """/match for a query with no name: the parties that carry one of its identifiers, each a match (score 1),
    the reason saying that no name was compared."""
    allowed = compatible_schemata(query.schema)

    def fits(entity: Entity) -> bool:
        return allowed is None or entity.schema in allowed

    found = [hit for value in query.identifiers for hit in identifier_hits(engine, value, scope, fits, index)]
    hits = [
        replace(h, match=True, explanation=(f"{h.explanation[0]}; the query gives no name, so none was compared",))
        for h in merged_hits([], found)
    ]
    return per_party(hits, engine.parties(index))
