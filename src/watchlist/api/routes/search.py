"""GET /search/{dataset}: free-text name search (or, without `q`, a browse), filtered, faceted, sorted, paged."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError

from watchlist.api.auth import require_key
from watchlist.api.ftm_labels import DATASET_TITLES, FTM_SCHEMATA, SCHEMA_COVERS, SCHEMA_PLURALS, TOPIC_LABELS
from watchlist.api.models import (
    EntityResponse,
    ErrorResponse,
    SearchFacet,
    SearchFacetItem,
    SearchResponse,
    TotalSpec,
)
from watchlist.api.routes.common import (
    PATH_DATASET,
    check_window,
    entity_seen,
    get_engine,
    get_settings,
    is_sanctions_collection,
    resolve_datasets,
)
from watchlist.api.routes.filters import TS_PATTERN, EntityFilter, Operator, field_values
from watchlist.api.routes.identifiers import identifier_hits, merged_hits
from watchlist.engine import Engine
from watchlist.errors import QueryError
from watchlist.match.types import MatchResult
from watchlist.merging import per_party
from watchlist.model import Entity, Schema, Seen, ftm_schema
from watchlist.model.ftm import yente_timestamp
from watchlist.settings import Settings

router = APIRouter(tags=["Search"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    401: {"model": ErrorResponse, "description": "No or bad API key"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
    503: {"model": ErrorResponse, "description": "No lists loaded"},
}
THRESHOLD, FUZZY_THRESHOLD = 0.5, 0.3  # share of the search text a name must explain
SORT_FIELDS = (
    "_score", "caption", "id", "entity_id", "canonical_id", "schema", "first_seen", "last_seen", "last_change",
)  # fmt: skip
MAX_PAGE, MAX_RESULTS = 500, 9999  # yente's: a page holds at most 500; offset + limit stays under 10,000
MAX_OFFSET = MAX_RESULTS - MAX_PAGE
SORT_HELP = f"`field:asc|desc`; fields: {', '.join(SORT_FIELDS)}"
QUERY_SYNTAX = re.compile(r"(^|\s)[A-Za-z_.]+:\S|[*?~/\\]|(^|\s)(AND|OR|NOT)(\s|$)")


class Facet(StrEnum):
    DATASETS = "datasets"
    SCHEMA = "schema"
    COUNTRIES = "countries"
    IDENTIFIERS = "identifiers"
    TOPICS = "topics"
    GENDERS = "genders"
    NAMES = "names"


DEFAULT_FACETS = [Facet.COUNTRIES, Facet.TOPICS, Facet.DATASETS]
FACET_LABELS = {
    "datasets": "Data sources",
    "schema": "Entity types",
    "countries": "Countries",
    "identifiers": "Identifiers",
    "topics": "Topics",
    "genders": "Genders",
    "names": "Names",
}


@router.get(
    "/search/{dataset}", response_model=SearchResponse, responses=ERRORS, summary="Simple entity search"
)
def search(
    request: Request,
    dataset: str = PATH_DATASET,
    q: str = Query(
        "", max_length=1000, description="The name to look for; empty lists every entity in scope"
    ),
    schema: str = Query("Thing", max_length=100, description="Person, Organization, Company, Vessel, ..."),
    include_dataset: list[str] = Query([], description="Only these datasets"),
    exclude_dataset: list[str] = Query([], description="Not these datasets"),
    exclude_schema: list[str] = Query([], description="Leave out these schemata"),
    changed_since: str | None = Query(
        None, pattern=TS_PATTERN, description="Only records changed after this"
    ),
    countries: list[str] = Query([], description="ISO 3166 codes (FtM style)"),
    topics: list[str] = Query([], description="FtM topics, e.g. `sanction`"),
    datasets: list[str] = Query([], description="Dataset names, combined by `filter_op`"),
    filter: list[str] = Query([], description="`field:value`, e.g. `birthDate:1970` or `gender:male`"),
    limit: int = Query(10, ge=0, le=MAX_PAGE),
    offset: int = Query(0, ge=0, le=10_000_000, description=f"At most {MAX_OFFSET}, as in yente"),
    sort: list[str] = Query([], description=SORT_HELP),
    target: bool | None = Query(None, deprecated=True, description="Every listed entity here is a target"),
    fuzzy: bool = Query(False, description="Also find weaker partial name matches"),
    simple: bool = Query(
        False, description="`q` is plain text; without `simple`, query syntax (`field:`, `*`, `~`) is refused"
    ),
    facets: list[Facet] = Query(DEFAULT_FACETS, description="Facet counts to return (over every hit)"),
    filter_op: Operator = Query(Operator.OR, description="How several values of one filter field combine"),
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
    _key: object = Depends(require_key),
) -> SearchResponse:
    """Entities whose names resemble `q`, best first (or, without `q`, every entity in scope, by id).

    `total` counts every hit; `limit`/`offset` page them; facets count over every hit."""
    check_window(settings, limit, offset)
    limit, offset = _window(limit, offset)
    if len(countries) > 50 or len(filter) > 50:
        raise QueryError("at most 50 `countries` or `filter` values")
    if not simple and QUERY_SYNTAX.search(q):
        raise QueryError(
            "query syntax (`field:value`, wildcards, `~`, AND/OR/NOT) is not supported in `q`: "
            "send `simple=true` to search the text as written, and `filter=field:value` to filter"
        )
    scope = resolve_datasets(engine, dataset, include_dataset, exclude_dataset)
    keep = EntityFilter.of(
        exclude_schema=exclude_schema,
        topics=topics,
        changed_since=changed_since,
        countries=countries,
        datasets=datasets,
        filters=filter,
        target=target,
        op=filter_op,
        sanctioned_only=is_sanctions_collection(engine, dataset),
    )
    orders = _sorts(sort)
    if settings.api_log_queries:
        request.state.query_names = [q]
    retrieve, covers = _schema(schema)
    hits = [] if scope == [] or covers == frozenset() else _hits(engine, q, retrieve, scope, fuzzy, covers)
    hits = per_party(hits, engine.parties())  # as yente: one result per party, under the id /entities serves
    seen = entity_seen(engine, [h.entity for h in hits]) if keep.needs_seen or _by_time(orders) else {}
    hits = [h for h in hits if keep.allows(h.entity, seen.get(h.entity.id))]
    hits = _sorted(hits, orders, seen)
    page = hits[offset : offset + limit]
    if not seen:
        seen = entity_seen(engine, [h.entity for h in page])
    results = [EntityResponse.of(h.entity, seen.get(h.entity.id), h.record_ids) for h in page]
    request.state.results = len(results)
    return SearchResponse(
        limit=limit,
        offset=offset,
        total=TotalSpec(value=len(hits), relation="eq"),
        results=results,
        facets=_facets([h.entity for h in hits], facets),
    )


def _window(limit: int, offset: int) -> tuple[int, int]:
    """yente's paging bounds: an offset above MAX_OFFSET is a 422; offset + limit is kept under 10,000."""
    if offset > MAX_OFFSET:
        raise RequestValidationError(
            [{"loc": ("query", "offset"), "msg": f"Input should be less than or equal to {MAX_OFFSET}",
              "type": "less_than_equal"}]
        )  # fmt: skip
    return max(0, min(limit, MAX_RESULTS - offset)), offset


def _schema(value: str) -> tuple[Schema | None, frozenset[str] | None]:
    """The schema to retrieve names of, and the FtM schemata results must have (None: any).

    As in yente, any FollowTheMoney schema is accepted and covers itself and its descendants (`Asset`:
    companies, vessels and airplanes; `Address` or `Sanction`: none of the listed parties, so no
    results). Our own spellings (`person`, `ship`, `Aircraft`) are accepted too; anything else is a 400."""
    name = value.strip()
    if not name or name.lower() == "thing":
        return None, None
    if name in FTM_SCHEMATA:
        try:
            return Schema.parse(name), SCHEMA_COVERS.get(name, frozenset())
        except ValueError:
            return None, SCHEMA_COVERS.get(name, frozenset())
    try:
        return Schema.parse(name), None
    except ValueError as exc:
        raise QueryError(f"{exc}, or another FollowTheMoney schema (`Asset`, `Vehicle`, ...)") from None


def _hits(
    engine: Engine, q: str, schema: Schema | None, scope: list[str] | None, fuzzy: bool,
    covers: frozenset[str] | None,
) -> list[MatchResult]:
    """The entities found for `q` (all, without one) whose schema the filter takes: one of `covers` (FtM
    schema names), or, without them, one that fits `schema` (ours)."""

    def fits(entity: Entity) -> bool:
        return _schema_fits(entity, schema) if covers is None else ftm_schema(entity.schema) in covers

    if q.strip():
        threshold = FUZZY_THRESHOLD if fuzzy else THRESHOLD
        by_identifier = identifier_hits(engine, q, scope, fits)
        if by_identifier and not any(c.isalpha() for c in q):
            return by_identifier  # a number alone: no name to search for
        found = engine.search(q, schema=schema, datasets=scope, limit=1_000_000, threshold=threshold).results
        hits = merged_hits(found, by_identifier)  # the search keeps to the schemata `schema` matches
        return hits if covers is None else [h for h in hits if fits(h.entity)]
    index = engine.ready_index()
    wanted = None if scope is None else set(scope)
    return [
        MatchResult(e, 1.0, False, "", e.caption)
        for e in index.entities
        if (wanted is None or wanted.intersection(e.datasets)) and fits(e)
    ]


def _schema_fits(entity: Entity, schema: Schema | None) -> bool:
    if schema is None:
        return True
    if schema is Schema.LEGAL_ENTITY:
        return entity.schema.is_party
    if schema is Schema.ORGANIZATION:
        return entity.schema.is_organization and entity.schema is not Schema.LEGAL_ENTITY
    return entity.schema is schema


def _sorts(sort: list[str]) -> list[tuple[str, bool]]:
    """`field:desc` -> (field, descending); unknown fields are refused."""
    out = []
    for item in sort:
        name, _, order = item.partition(":")
        name = name.strip()
        if name not in SORT_FIELDS:
            raise QueryError(f"cannot sort by {name!r}: use one of {', '.join(SORT_FIELDS)}")
        out.append((name, order.strip().lower() == "desc"))
    return out


def _by_time(orders: list[tuple[str, bool]]) -> bool:
    return any(name in ("first_seen", "last_seen", "last_change") for name, _ in orders)


def _sorted(
    hits: list[MatchResult], orders: list[tuple[str, bool]], seen: dict[str, Seen]
) -> list[MatchResult]:
    """Stable sorts, last key first, over the default order (score, then id); missing values last."""
    hits = sorted(hits, key=lambda h: (-h.score, h.entity.id))
    for name, descending in reversed(orders):
        present = [h for h in hits if _key(h, name, seen) is not None]
        missing = [h for h in hits if _key(h, name, seen) is None]
        present.sort(key=lambda h: _key(h, name, seen) or "", reverse=descending)
        hits = present + missing
    return hits


def _key(hit: MatchResult, name: str, seen: dict[str, Seen]) -> Any:
    if name == "_score":
        return hit.score
    if name == "caption":
        return hit.entity.caption.casefold()
    if name in ("id", "entity_id", "canonical_id"):
        return hit.entity.id
    if name == "schema":
        return hit.entity.schema.value
    stamps = seen.get(hit.entity.id)
    return yente_timestamp(getattr(stamps, name)) if stamps else None


def _facets(entities: list[Entity], wanted: list[Facet]) -> dict[str, SearchFacet]:
    out: dict[str, SearchFacet] = {}
    for facet in dict.fromkeys(wanted):
        counts: dict[str, int] = {}
        for entity in entities:
            for value in field_values(entity, facet.value):
                counts[value] = counts.get(value, 0) + 1
        items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:1000]
        out[facet.value] = SearchFacet(
            label=FACET_LABELS[facet.value],
            values=[SearchFacetItem(name=k, label=_label(facet, k), count=v) for k, v in items],
        )
    return out


def _label(facet: Facet, value: str) -> str:
    if facet is Facet.COUNTRIES:
        from rigour.territories import get_territory

        territory = get_territory(value)
        return territory.name if territory is not None else value
    if facet is Facet.TOPICS:
        return TOPIC_LABELS.get(value, value)
    if facet is Facet.SCHEMA:
        return SCHEMA_PLURALS.get(value, value)
    if facet is Facet.DATASETS:
        return DATASET_TITLES.get(value, value)
    return value
