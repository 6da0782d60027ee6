"""GET /search/{dataset}: free-text name search with schema, country and dataset filters, paged."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request

from watchlist.api.auth import require_key
from watchlist.api.models import (
    EntityResponse,
    ErrorResponse,
    SearchFacet,
    SearchFacetItem,
    SearchResponse,
    TotalSpec,
)
from watchlist.api.routes.common import PATH_DATASET, check_window, get_engine, get_settings, resolve_datasets
from watchlist.engine import Engine
from watchlist.errors import QueryError
from watchlist.model import Schema
from watchlist.settings import Settings

router = APIRouter(tags=["Search"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    401: {"model": ErrorResponse, "description": "No or bad API key"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
    503: {"model": ErrorResponse, "description": "No lists loaded"},
}


@router.get(
    "/search/{dataset}", response_model=SearchResponse, responses=ERRORS, summary="Free-text name search"
)
def search(
    request: Request,
    dataset: str = PATH_DATASET,
    q: str = Query(..., min_length=1, max_length=1000, description="The name to look for"),
    schema: str | None = Query(
        None, max_length=100, description="Person, Organization, Company, Vessel, ..."
    ),
    countries: list[str] = Query([], description="ISO 3166 codes or country names; any of them"),
    include_dataset: list[str] = Query([], description="Only these lists"),
    exclude_dataset: list[str] = Query([], description="Not these lists"),
    limit: int = Query(10, ge=0, le=100_000),
    offset: int = Query(0, ge=0, le=10_000_000),
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
    _key: object = Depends(require_key),
) -> SearchResponse:
    """Entities whose names resemble `q`, best first; `total` counts every hit, `limit`/`offset` page them."""
    check_window(settings, limit, offset)
    if len(countries) > 50:
        raise QueryError("at most 50 `countries` filters")
    parsed_schema = None
    if schema and schema.strip():
        try:
            parsed_schema = Schema.parse(schema)
        except ValueError as exc:
            raise QueryError(str(exc)) from None
    datasets = resolve_datasets(engine, dataset, include_dataset, exclude_dataset)
    if settings.api_log_queries:
        request.state.query_names = [q]
    page = engine.search(
        q, schema=parsed_schema, countries=countries, datasets=datasets, limit=limit, offset=offset
    )
    results = [EntityResponse.of(r.entity) for r in page.results]
    request.state.results = len(results)
    return SearchResponse(
        limit=limit,
        offset=offset,
        total=TotalSpec(value=page.total, relation="eq"),
        results=results,
        facets=_facets(results),
    )


def _facets(results: list[EntityResponse]) -> dict[str, SearchFacet]:
    """Counts over the returned page (not over every hit)."""
    counts: dict[str, dict[str, int]] = {"datasets": {}, "schema": {}}
    for entity in results:
        for name in entity.datasets:
            counts["datasets"][name] = counts["datasets"].get(name, 0) + 1
        counts["schema"][entity.schema_] = counts["schema"].get(entity.schema_, 0) + 1
    labels = {"datasets": "Data sources", "schema": "Entity types"}
    return {
        facet: SearchFacet(
            label=labels[facet],
            values=[SearchFacetItem(name=k, label=k, count=v) for k, v in sorted(values.items())],
        )
        for facet, values in counts.items()
    }
