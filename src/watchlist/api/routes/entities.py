"""GET /entities/{id}: one listed entity with all its properties."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from watchlist.api.auth import require_key
from watchlist.api.models import EntityResponse, ErrorResponse
from watchlist.api.routes.common import get_engine
from watchlist.engine import Engine

router = APIRouter(tags=["Data access"])


@router.get(
    "/entities/{entity_id}",
    response_model=EntityResponse,
    responses={401: {"model": ErrorResponse}, 404: {"model": ErrorResponse, "description": "No such entity"}},
    summary="Retrieve an entity",
)
def fetch_entity(
    entity_id: str = Path(..., min_length=1, max_length=300, examples=["un-KPi.033"]),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> EntityResponse:
    """The entity with this id, or with any of its `referents` (as in `/match` and `/search` results), with
    every property the lists give."""
    entity = engine.get(entity_id)
    return EntityResponse.of(entity, engine.parties().party(entity.id).referents)
