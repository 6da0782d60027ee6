"""/reconcile/{dataset}: the OpenRefine reconciliation API (0.2), as yente serves it.

Manifest, queries (GET or POST form field `queries`), data extension (form field
`extend`, `extend/property`), suggest (entity, type, property) and an HTML preview.
OpenRefine cannot set headers, so the manifest passes `?api_key=...` on to every
service path it names.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import TypeAdapter, ValidationError

from watchlist.api.auth import require_key
from watchlist.api.models import (
    ErrorResponse,
    ExtendMeta,
    FreebaseEntity,
    FreebaseEntityResult,
    FreebaseEntitySuggestResponse,
    FreebaseExtendQuery,
    FreebaseExtendResponse,
    FreebaseManifest,
    FreebaseProperty,
    FreebasePropertySuggestResponse,
    FreebaseReconQuery,
    FreebaseScoredEntity,
    FreebaseType,
    FreebaseTypeSuggestResponse,
    ManifestExtend,
    ManifestPreview,
    ManifestSuggest,
    ManifestView,
    ProposedProperties,
    ServicePath,
)
from watchlist.api.properties import PROPERTY_LABELS, Values, to_query
from watchlist.api.routes.common import PATH_DATASET, get_engine, get_settings, resolve_datasets
from watchlist.engine import Engine
from watchlist.errors import NotFoundError, QueryError
from watchlist.model import Entity, Schema
from watchlist.settings import Settings

router = APIRouter(tags=["Reconciliation"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    401: {"model": ErrorResponse, "description": "No or bad API key"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
}
PLURALS = {
    Schema.PERSON: "People", Schema.ORGANIZATION: "Organizations", Schema.COMPANY: "Companies",
    Schema.LEGAL_ENTITY: "Legal entities", Schema.VESSEL: "Vessels", Schema.AIRCRAFT: "Aircraft",
}  # fmt: skip
BATCH = TypeAdapter(dict[str, FreebaseReconQuery])
EXTEND = TypeAdapter(FreebaseExtendQuery)


def schema_type(schema: Schema) -> FreebaseType:
    return FreebaseType(id=schema.value, name=PLURALS[schema], description=schema.value)


def _entity(entity: Entity) -> FreebaseEntity:
    return FreebaseEntity(
        id=entity.id,
        name=entity.caption,
        type=[schema_type(entity.schema)],
        description=f"{entity.schema.value} ({', '.join(entity.datasets)})",
    )


def _base(request: Request, dataset: str) -> tuple[str, str]:
    base = str(request.base_url).rstrip("/")
    query = request.url.query.strip()
    return f"{base}/reconcile/{dataset}", f"?{query}" if query else ""


@router.get(
    "/reconcile/{dataset}",
    response_model=FreebaseManifest | dict[str, FreebaseEntityResult],
    responses=ERRORS,
    summary="Reconciliation manifest (or queries, with `queries=`)",
)
def manifest(
    request: Request,
    dataset: str = PATH_DATASET,
    queries: str | None = Query(None, description="JSON-encoded reconciliation queries"),
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
    _key: object = Depends(require_key),
) -> FreebaseManifest | dict[str, FreebaseEntityResult]:
    """The service manifest OpenRefine reads when you add this URL as a reconciliation service."""
    datasets = resolve_datasets(engine, dataset)
    if queries is not None and queries.strip():
        return _reconcile(engine, settings, datasets, queries)
    service, qs = _base(request, dataset)
    root = str(request.base_url).rstrip("/")
    return FreebaseManifest(
        versions=["0.2"],
        name=f"watchlist: {dataset}",
        identifierSpace=f"{root}/entities/",
        schemaSpace=f"{root}/reconcile/{dataset}/types/",
        view=ManifestView(url=f"{root}/entities/{{{{id}}}}{qs}"),
        preview=ManifestPreview(
            url=f"{service}/preview?id={{{{id}}}}{qs.replace('?', '&', 1)}", width=430, height=300
        ),
        suggest=ManifestSuggest(
            entity=ServicePath(service_url=service, service_path=f"/suggest/entity{qs}"),
            type=ServicePath(service_url=service, service_path=f"/suggest/type{qs}"),
            property=ServicePath(service_url=service, service_path=f"/suggest/property{qs}"),
        ),
        extend=ManifestExtend(
            propose_properties=ServicePath(service_url=service, service_path=f"/extend/property{qs}"),
            property_settings=[
                {
                    "name": "limit",
                    "label": "Limit",
                    "type": "number",
                    "default": 0,
                    "help_text": "Maximum number of values per row (0 for all)",
                }
            ],
        ),
        defaultTypes=[schema_type(s) for s in Schema],
        batchSize=10,
    )


@router.post(
    "/reconcile/{dataset}",
    response_model=dict[str, FreebaseEntityResult] | FreebaseExtendResponse,
    responses=ERRORS,
    summary="Reconciliation queries and data extension",
)
def reconcile(
    dataset: str = PATH_DATASET,
    queries: str | None = Form(None, description="JSON-encoded reconciliation queries"),
    extend: str | None = Form(None, description="JSON-encoded data extension query"),
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
    _key: object = Depends(require_key),
) -> dict[str, FreebaseEntityResult] | FreebaseExtendResponse:
    """OpenRefine posts `queries={"q0": {"query": "...", "type": "Person", "properties": [...]}}` here."""
    datasets = resolve_datasets(engine, dataset)
    if extend is not None and extend.strip():
        return _extend(engine, settings, extend)
    if queries is None or not queries.strip():
        raise QueryError("send a form field `queries` (or `extend`) holding JSON")
    return _reconcile(engine, settings, datasets, queries)


def _reconcile(
    engine: Engine, settings: Settings, datasets: list[str] | None, data: str
) -> dict[str, FreebaseEntityResult]:
    try:
        batch = BATCH.validate_json(data)
    except ValidationError as exc:
        raise QueryError(f"`queries` is not a valid reconciliation batch: {_first_error(exc)}") from None
    if len(batch) > settings.api_max_queries:
        raise QueryError(f"{len(batch)} queries in one request; the limit is {settings.api_max_queries}")
    parsed = {}
    for key, recon in batch.items():
        properties: dict[str, Values] = {}
        if recon.query:
            properties["name"] = [recon.query]
        for prop in recon.properties:
            name = prop.pid.rsplit(":", 1)[-1]
            properties.setdefault(name, [])
            values = properties[name]
            assert isinstance(values, list)
            values.extend(_values(prop.v))
        schema = recon.type if isinstance(recon.type, str) else (recon.type[0] if recon.type else None)
        try:
            parsed[key] = (to_query(schema or "LegalEntity", properties, key), recon.limit)
        except QueryError as exc:
            raise QueryError(f"query {key!r}: {exc.message}") from None
    index = engine.ready_index()
    out = {}
    for key, (item, limit) in parsed.items():
        hits = engine.screen(item.query, datasets=datasets, limit=limit, index=index)
        out[key] = FreebaseEntityResult(
            result=[
                FreebaseScoredEntity(**_entity(h.entity).model_dump(), score=round(h.score, 4), match=h.match)
                for h in hits
            ]
        )
    return out


def _values(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    if isinstance(value, dict):
        found = value.get("id") or value.get("name")
        return [str(found)] if isinstance(found, (str, int, float)) else []
    if isinstance(value, bool):
        return []
    return [str(value)]


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_input=False)[0]
    where = ".".join(str(p) for p in error.get("loc", ())) or "body"
    return f"{where}: {error.get('msg', 'invalid')}"


def _extend(engine: Engine, settings: Settings, data: str) -> FreebaseExtendResponse:
    try:
        query = EXTEND.validate_json(data)
    except ValidationError as exc:
        raise QueryError(f"`extend` is not a valid data extension query: {_first_error(exc)}") from None
    if len(query.ids) > settings.api_max_queries:
        raise QueryError(f"{len(query.ids)} ids in one request; the limit is {settings.api_max_queries}")
    rows: dict[str, dict[str, list[dict[str, str]]]] = {}
    for entity_id in query.ids:
        rows[entity_id] = {}
        try:
            props = engine.get(entity_id).properties()
        except NotFoundError:
            continue
        for wanted in query.properties:
            values = props.get(wanted.id, [])
            if wanted.settings.limit > 0:
                values = values[: wanted.settings.limit]
            rows[entity_id][wanted.id] = [{"str": v} for v in values]
    meta = [ExtendMeta(id=p.id, name=PROPERTY_LABELS.get(p.id, p.id)) for p in query.properties]
    return FreebaseExtendResponse(meta=meta, rows=rows)


@router.get(
    "/reconcile/{dataset}/extend/property",
    response_model=ProposedProperties,
    responses=ERRORS,
    summary="Properties for data extension",
)
def propose_properties(
    dataset: str = PATH_DATASET,
    type: str = Query("LegalEntity", max_length=100),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> ProposedProperties:
    resolve_datasets(engine, dataset)
    return ProposedProperties(
        type=type, properties=[ExtendMeta(id=k, name=v) for k, v in PROPERTY_LABELS.items()]
    )


@router.get(
    "/reconcile/{dataset}/suggest/entity",
    response_model=FreebaseEntitySuggestResponse,
    responses=ERRORS,
    summary="Suggest an entity",
)
def suggest_entity(
    dataset: str = PATH_DATASET,
    prefix: str = Query("", max_length=1000),
    limit: int = Query(10, ge=1, le=100),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> FreebaseEntitySuggestResponse:
    """Entities whose names resemble the typed prefix (OpenRefine's entity auto-complete)."""
    datasets = resolve_datasets(engine, dataset)
    if not any(c.isalnum() for c in prefix):
        return FreebaseEntitySuggestResponse(prefix=prefix, result=[])
    page = engine.search(prefix, datasets=datasets, limit=limit, threshold=0.3)
    return FreebaseEntitySuggestResponse(prefix=prefix, result=[_entity(r.entity) for r in page.results])


@router.get(
    "/reconcile/{dataset}/suggest/type",
    response_model=FreebaseTypeSuggestResponse,
    responses=ERRORS,
    summary="Suggest a type (schema)",
)
def suggest_type(
    dataset: str = PATH_DATASET,
    prefix: str = Query("", max_length=1000),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> FreebaseTypeSuggestResponse:
    resolve_datasets(engine, dataset)
    wanted = prefix.strip().lower()
    types = [schema_type(s) for s in Schema if wanted in s.value.lower() or wanted in PLURALS[s].lower()]
    return FreebaseTypeSuggestResponse(prefix=prefix, result=types)


@router.get(
    "/reconcile/{dataset}/suggest/property",
    response_model=FreebasePropertySuggestResponse,
    responses=ERRORS,
    summary="Suggest a property",
)
def suggest_property(
    dataset: str = PATH_DATASET,
    prefix: str = Query("", max_length=1000),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> FreebasePropertySuggestResponse:
    resolve_datasets(engine, dataset)
    wanted = prefix.strip().lower()
    props = [
        FreebaseProperty(id=k, name=v)
        for k, v in PROPERTY_LABELS.items()
        if wanted in k.lower() or wanted in v.lower()
    ]
    return FreebasePropertySuggestResponse(prefix=prefix, result=props)


@router.get(
    "/reconcile/{dataset}/preview",
    response_class=HTMLResponse,
    responses=ERRORS,
    summary="HTML preview of an entity",
)
def preview(
    dataset: str = PATH_DATASET,
    id: str = Query(..., min_length=1, max_length=300),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> HTMLResponse:
    resolve_datasets(engine, dataset)
    entity = engine.get(id)
    rows = "".join(
        f"<tr><th>{html.escape(PROPERTY_LABELS.get(k, k))}</th><td>{html.escape('; '.join(v))}</td></tr>"
        for k, v in entity.properties().items()
    )
    return HTMLResponse(
        f"<html><body style='font-family:sans-serif;font-size:12px'><h3>{html.escape(entity.caption)}</h3>"
        f"<p>{html.escape(entity.schema.value)} · {html.escape(', '.join(entity.datasets))}</p>"
        f"<table>{rows}</table></body></html>"
    )
