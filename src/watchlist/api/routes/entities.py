"""GET /entities/{id} and its adjacent entities (`/adjacent`, `/adjacent/{prop}`), as yente serves them.

The adjacent entities here are the entity's sanctions: one FtM `Sanction` per dataset that lists
it, holding the programs, listing dates and source link the list gives, fetchable by its id as yente's are.
`nested=true` (the default, as in yente) inlines them under `properties.sanctions`. An id merged into
another party (one of its `referents`) is answered, as yente answers it, with a `308` to the party's id.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import RedirectResponse

from watchlist.api.auth import require_key
from watchlist.api.models import (
    AdjacentResultsResponse,
    EntityAdjacentResponse,
    EntityResponse,
    ErrorResponse,
    NestedEntityResponse,
    TotalSpec,
)
from watchlist.api.routes.common import check_window, entity_seen, etag_response, get_engine, get_settings
from watchlist.engine import Engine
from watchlist.errors import NotFoundError
from watchlist.model import Entity, ftm_dataset_name, ftm_schema
from watchlist.model.ftm import FTM_ENTITY_PROPERTIES, entity_topics
from watchlist.settings import Settings

router = APIRouter(tags=["Data access"])
ENTITY_ID = Path(..., min_length=1, max_length=300, examples=["un-KPi.033"])
OFFSET = Query(0, ge=0, le=10_000_000)  # the adjacent pages
SORT = Query([], description="Accepted as in yente; results come in list order")
SANCTION_ID = "-sanction-"  # an adjacent sanction's id: `<entity id>-sanction-<dataset>`
RESPONSES: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified (the `If-None-Match` ETag is current)"},
    308: {"description": "The id is merged into another party's: the `Location` names the party's id"},
    401: {"model": ErrorResponse},
    404: {"model": ErrorResponse, "description": "No such entity"},
}


@router.get(
    "/entities/{entity_id}",
    response_model=NestedEntityResponse,
    responses=RESPONSES,
    summary="Retrieve an entity",
)
def fetch_entity(
    request: Request,
    entity_id: str = ENTITY_ID,
    nested: bool = Query(True, description="Inline the adjacent entities (its sanctions) in `properties`"),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> Response:
    """The entity with this id, with every property the lists give and (with `nested`, the default) its
    sanctions inlined under `properties.sanctions`. An id of one of its `referents` is redirected (`308`).

    Sends an `ETag`; a request with that tag in `If-None-Match` gets `304 Not Modified`."""
    try:
        entity = engine.get(entity_id)
    except NotFoundError:
        return _sanction(request, engine, entity_id, nested)
    if entity.id != entity_id:
        return merged_redirect(request, entity.id)
    found = _response(engine, entity)
    if not nested:
        return etag_response(request, found)
    properties: dict[str, list[str | EntityResponse]] = {k: list(v) for k, v in found.properties.items()}
    sanctions = sanction_entities(entity)
    for sanction in sanctions:
        sanction.properties.pop("entity", None)  # the link back to the entity it is nested in, as yente
    if sanctions:
        properties["sanctions"] = list(sanctions)
    payload = NestedEntityResponse(**{**found.model_dump(by_alias=True), "properties": properties})
    return etag_response(request, payload)


def _sanction(request: Request, engine: Engine, sanction_id: str, nested: bool) -> Response:
    """A sanction by the id it is emitted under (`<entity id>-sanction-<dataset>`): as yente's adjacent
    entities, it can be fetched; with `nested` its `entity` is inlined. Other ids are a 404."""
    base, sep, dataset = sanction_id.rpartition(SANCTION_ID)
    if not sep or not base:
        raise NotFoundError(f"no listed entity with id {sanction_id!r}")
    try:
        entity = engine.get(base)
    except NotFoundError:
        raise NotFoundError(f"no listed entity with id {sanction_id!r}") from None
    if entity.id != base:
        return merged_redirect(request, f"{entity.id}{SANCTION_ID}{dataset}")
    found = next((s for s in sanction_entities(entity) if s.id == sanction_id), None)
    if found is None:
        raise NotFoundError(f"no listed entity with id {sanction_id!r}")
    if not nested:
        return etag_response(request, found)
    properties: dict[str, list[str | EntityResponse]] = {k: list(v) for k, v in found.properties.items()}
    properties["entity"] = [_response(engine, entity)]
    payload = NestedEntityResponse(**{**found.model_dump(by_alias=True), "properties": properties})
    return etag_response(request, payload)


def merged_redirect(request: Request, canonical_id: str) -> RedirectResponse:
    """yente's answer for an id merged into another: `308` to the same route under the party's id, with the
    request's query string (`nested`, `limit`, `?api_key=`) kept."""
    prefix = f"/entities/{quote(request.path_params['entity_id'], safe='')}"
    path = request.url.path
    rest = path[len(prefix) :] if path.startswith(prefix) else ""
    target = f"{request.scope.get('root_path', '')}/entities/{quote(canonical_id, safe='')}{rest}"
    query = request.url.query
    return RedirectResponse(f"{target}?{query}" if query else target, status_code=308)


@router.get(
    "/entities/{entity_id}/adjacent",
    response_model=EntityAdjacentResponse,
    responses=RESPONSES,
    summary="Adjacent entities",
)
def fetch_adjacent(
    request: Request,
    entity_id: str = ENTITY_ID,
    limit: int = Query(10, ge=0, le=100_000, description="Results per property"),
    offset: int = OFFSET,
    sort: list[str] = SORT,
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
    _key: object = Depends(require_key),
) -> EntityAdjacentResponse | RedirectResponse:
    """The entity and, for each property that has any, its adjacent entities (its sanctions), paged."""
    check_window(settings, limit, offset)
    entity = engine.get(entity_id)
    if entity.id != entity_id:
        return merged_redirect(request, entity.id)
    adjacent = {}
    sanctions = sanction_entities(entity)
    if sanctions:
        adjacent["sanctions"] = _page(sanctions, limit, offset)
    return EntityAdjacentResponse(entity=_response(engine, entity), adjacent=adjacent)


@router.get(
    "/entities/{entity_id}/adjacent/{property_name}",
    response_model=AdjacentResultsResponse,
    responses=RESPONSES,
    summary="Adjacent entities by property",
)
def fetch_adjacent_by_prop(
    request: Request,
    entity_id: str = ENTITY_ID,
    property_name: str = Path(..., max_length=100, examples=["sanctions"]),
    limit: int = Query(10, ge=0, le=100_000),
    offset: int = OFFSET,
    sort: list[str] = SORT,
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
    _key: object = Depends(require_key),
) -> AdjacentResultsResponse | RedirectResponse:
    """The entities adjacent through one entity-valued FtM property of the entity's schema (404 for others)."""
    check_window(settings, limit, offset)
    entity = engine.get(entity_id)
    if entity.id != entity_id:
        return merged_redirect(request, entity.id)
    if property_name not in FTM_ENTITY_PROPERTIES[ftm_schema(entity.schema)]:
        raise NotFoundError(
            f"{ftm_schema(entity.schema)} has no entity property {property_name!r} (e.g. `sanctions`)"
        )
    found = sanction_entities(entity) if property_name == "sanctions" else []
    return _page(found, limit, offset)


def _response(engine: Engine, entity: Entity) -> EntityResponse:
    referents = engine.parties().party(entity.id).referents
    return EntityResponse.of(entity, entity_seen(engine, [entity]).get(entity.id), referents)


def _page(found: list[EntityResponse], limit: int, offset: int) -> AdjacentResultsResponse:
    return AdjacentResultsResponse(
        results=list(found[offset : offset + limit]),
        total=TotalSpec(value=len(found), relation="eq"),
        limit=limit,
        offset=offset,
    )


def sanction_entities(entity: Entity) -> list[EntityResponse]:
    """One FtM Sanction per dataset listing the entity (none for an FtM entity not tagged `sanction`)."""
    if "sanction" not in entity_topics(entity):
        return []
    out = []
    for dataset in dict.fromkeys(ftm_dataset_name(d) for d in entity.datasets):
        properties = {
            "entity": [entity.id],
            "program": list(entity.programs),
            "listingDate": [d for d in entity.listed_on if "/" not in d],
            "sourceUrl": [entity.source_url] if entity.source_url else [],
        }
        out.append(
            EntityResponse(
                id=f"{entity.id}{SANCTION_ID}{dataset}",
                caption=f"Sanction ({dataset})",
                schema="Sanction",
                properties={k: v for k, v in properties.items() if v},
                datasets=[dataset],
                target=False,
                first_seen=None,
                last_seen=None,
                last_change=None,
            )
        )
    return out
