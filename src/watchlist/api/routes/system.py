"""GET /catalog, /algorithms, /healthz, /readyz and POST /admin/reload."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from watchlist.api.auth import require_admin, require_key
from watchlist.api.models import (
    AlgorithmModel,
    AlgorithmResponse,
    DataCatalogModel,
    DatasetModel,
    ErrorResponse,
    ListAge,
    ReadyResponse,
    ReloadResponse,
    StatusResponse,
)
from watchlist.api.routes.common import DEFAULT_DATASET, get_engine
from watchlist.engine import Engine
from watchlist.match.registry import DEFAULT_ALGORITHM

router = APIRouter(tags=["System information"])


@router.get("/healthz", response_model=StatusResponse, summary="Process is up")
async def healthz() -> StatusResponse:
    """Always `{"status": "ok"}` while the process serves requests (a liveness probe)."""
    return StatusResponse(status="ok")


@router.get(
    "/readyz",
    response_model=ReadyResponse,
    summary="Lists are loaded",
    responses={503: {"model": ErrorResponse, "description": "No lists loaded yet"}},
)
def readyz(engine: Engine = Depends(get_engine)) -> ReadyResponse:
    """`{"status": "ok", ...}` with each loaded list's version and age once lists are loaded; 503 before."""
    index = engine.ready_index()
    return ReadyResponse(
        status="ok", index_version=index.version, entities=len(index.entities), lists=list_ages(engine)
    )


def list_ages(engine: Engine) -> list[ListAge]:
    if engine.store is None:
        return [ListAge(name=name, version=engine.index.version) for name in engine.datasets]
    now = datetime.now(UTC)
    out = []
    for source in engine.store.sources():
        out.append(
            ListAge(
                name=source.name,
                version=str(source.version),
                loaded_at=source.loaded_at,
                published=source.published,
                age_seconds=_age(source.loaded_at, now),
                entity_count=source.entity_count,
            )
        )
    return out


def _age(stamp: str | None, now: datetime) -> float | None:
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return round((now - when).total_seconds(), 1)


@router.get(
    "/catalog",
    response_model=DataCatalogModel,
    summary="Loaded lists",
    responses={401: {"model": ErrorResponse}},
)
def catalog(engine: Engine = Depends(get_engine), _key: object = Depends(require_key)) -> DataCatalogModel:
    """Every loaded list with its version, publication and load dates, and the `default` collection of all."""
    index = engine.index
    current = engine.store.version() if engine.store is not None else index.version
    fresh = index.version == current
    datasets: list[DatasetModel] = []
    if engine.store is not None:
        for source in engine.store.sources():
            datasets.append(
                DatasetModel(
                    name=source.name,
                    title=source.name,
                    url=source.snapshot.source_url,
                    version=str(source.version),
                    index_version=index.version,
                    index_current=fresh,
                    entity_count=source.entity_count,
                    updated_at=source.loaded_at,
                    published=source.published,
                    format=source.format,
                )
            )
    else:
        counts: dict[str, int] = {}
        for entity in index.entities:
            for name in entity.datasets:
                counts[name] = counts.get(name, 0) + 1
        for name, count in sorted(counts.items()):
            datasets.append(
                DatasetModel(
                    name=name,
                    title=name,
                    version=index.version,
                    index_version=index.version,
                    index_current=True,
                    entity_count=count,
                )
            )
    names = [d.name for d in datasets]
    datasets.append(
        DatasetModel(
            name=DEFAULT_DATASET,
            title="All loaded lists",
            version=current,
            index_version=index.version,
            index_current=fresh,
            children=names,
            entity_count=len(index.entities),
        )
    )
    return DataCatalogModel(
        datasets=datasets,
        current=names + [DEFAULT_DATASET] if fresh else [],
        outdated=[] if fresh else names + [DEFAULT_DATASET],
        index_stale=not fresh,
    )


@router.get("/algorithms", response_model=AlgorithmResponse, summary="Scoring algorithms")
def algorithms(
    engine: Engine = Depends(get_engine), _key: object = Depends(require_key)
) -> AlgorithmResponse:
    """The scoring algorithms on offer (pass one as `algorithm=` to /match), with their match thresholds."""
    return AlgorithmResponse(
        algorithms=[
            AlgorithmModel(name=a.NAME, description=a.DESCRIPTION, threshold=a.THRESHOLD)
            for a in engine.algorithms()
        ],
        default=DEFAULT_ALGORITHM,
        best=DEFAULT_ALGORITHM,
    )


@router.post(
    "/admin/reload",
    response_model=ReloadResponse,
    tags=["Admin"],
    summary="Swap in new list versions",
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}},
)
async def reload(
    engine: Engine = Depends(get_engine), _key: object = Depends(require_admin)
) -> ReloadResponse:
    """Load the store's current lists and swap the index; requests in flight finish on the old version."""
    previous = engine.index.version
    index = await run_in_threadpool(engine.reload)
    return ReloadResponse(previous=previous, current=index.version, changed=previous != index.version)
