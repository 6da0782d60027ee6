"""GET /catalog, /algorithms, /healthz, /readyz and POST /admin/reload."""

from __future__ import annotations

import hmac
import logging
import threading
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from watchlist.api.auth import require_admin, require_key
from watchlist.api.ftm_labels import DATASET_TITLES
from watchlist.api.models import (
    AlgorithmResponse,
    DataCatalogModel,
    DatasetModel,
    ErrorResponse,
    ListAge,
    ReadyResponse,
    ReloadResponse,
    StatusResponse,
)
from watchlist.api.routes.common import (
    DEFAULT_DATASET,
    SANCTIONS_COLLECTION,
    algorithm_model,
    etag_response,
    get_engine,
    get_settings,
)
from watchlist.api.routes.filters import is_sanction_topic
from watchlist.engine import Engine
from watchlist.errors import ForbiddenError
from watchlist.match.registry import DEFAULT_ALGORITHM
from watchlist.model import ftm_dataset_name
from watchlist.model.ftm import entity_topics
from watchlist.settings import Settings

router = APIRouter(tags=["System information"])
log = logging.getLogger("watchlist.api")


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
        return [
            ListAge(name=ftm_dataset_name(name), version=engine.index.version) for name in engine.datasets
        ]
    now = datetime.now(UTC)
    out = []
    for source in engine.store.sources():
        out.append(
            ListAge(
                name=ftm_dataset_name(source.name),
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
    responses={304: {"description": "Not modified"}, 401: {"model": ErrorResponse}},
)
def catalog(
    request: Request, engine: Engine = Depends(get_engine), _key: object = Depends(require_key)
) -> Response:
    """Every loaded list (FtM dataset names) with its version, publication and load dates, the datasets
    the entities of FtM files carry, and the `default` collection of all. Sends an `ETag` (304 on match)."""
    return etag_response(request, catalog_model(engine))


@router.get("/manifest", response_model=DataCatalogModel, include_in_schema=False)
def manifest(
    request: Request, engine: Engine = Depends(get_engine), _key: object = Depends(require_key)
) -> Response:
    """yente serves its catalog here too."""
    return etag_response(request, catalog_model(engine))


def catalog_model(engine: Engine) -> DataCatalogModel:
    index = engine.index
    current = engine.store.version() if engine.store is not None else index.version
    fresh = index.version == current
    datasets: list[DatasetModel] = []
    if engine.store is not None:
        for source in engine.store.sources():
            datasets.append(
                DatasetModel(
                    name=ftm_dataset_name(source.name),
                    title=DATASET_TITLES.get(ftm_dataset_name(source.name), source.name),
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
    listed = {d.name for d in datasets}
    counts: dict[str, int] = {}
    sanctioned, sanctioned_in = 0, set[str]()
    for entity in index.entities:
        in_datasets = {ftm_dataset_name(d) for d in entity.datasets}
        for name in in_datasets:
            counts[name] = counts.get(name, 0) + 1
        if any(is_sanction_topic(t) for t in entity_topics(entity)):
            sanctioned += 1
            sanctioned_in.update(in_datasets)
    for name, count in sorted(counts.items()):
        if name not in listed:
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
    collections = [DEFAULT_DATASET]
    if SANCTIONS_COLLECTION not in names:
        collections.append(SANCTIONS_COLLECTION)
        datasets.append(
            DatasetModel(
                name=SANCTIONS_COLLECTION,
                title="Sanctioned entities of the loaded lists",
                summary="The entities with a sanction topic, as OpenSanctions' `sanctions` collection",
                version=current,
                index_version=index.version,
                index_current=fresh,
                children=[n for n in names if n in sanctioned_in],
                entity_count=sanctioned,
            )
        )
    return DataCatalogModel(
        datasets=datasets,
        current=names + collections if fresh else [],
        outdated=[] if fresh else names + collections,
        index_stale=not fresh,
    )


@router.get("/algorithms", response_model=AlgorithmResponse, summary="Scoring algorithms")
def algorithms(
    engine: Engine = Depends(get_engine), _key: object = Depends(require_key)
) -> AlgorithmResponse:
    """The scoring algorithms on offer (pass one as `algorithm=` to /match), with their match thresholds
    and `docs`. yente's names `best`, `logic-v1` and `logic-v2` are accepted and run the default;
    a /match response names the algorithm that ran."""
    return AlgorithmResponse(
        algorithms=[algorithm_model(a) for a in engine.algorithms()],
        default=DEFAULT_ALGORITHM,
        best=DEFAULT_ALGORITHM,
    )


@router.post(
    "/updatez",
    response_model=StatusResponse,
    summary="Reload the lists (token-protected)",
    responses={403: {"model": ErrorResponse, "description": "No or wrong token"}},
)
async def updatez(
    request: Request,
    token: str = Query("", max_length=500, description="The update token (`WATCHLIST_UPDATE_TOKEN`)"),
    sync: bool = Query(False, description="Wait until the new lists are loaded"),
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
) -> StatusResponse:
    """As yente's `/updatez`: swap in the store's current lists. Needs `token` equal to the server's
    `WATCHLIST_UPDATE_TOKEN`; with no token configured it always answers 403."""
    expected = settings.api_update_token
    if not token.strip() or not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        raise ForbiddenError("invalid update token")
    if sync:
        await run_in_threadpool(engine.reload)
    else:
        threading.Thread(
            target=_reload_quietly, args=(engine,), name="watchlist-updatez", daemon=True
        ).start()
    return StatusResponse(status="ok")


def _reload_quietly(engine: Engine) -> None:
    try:
        engine.reload()
    except Exception:  # a thread boundary: the old index keeps serving
        log.exception('{"event": "updatez_failed"}')


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
