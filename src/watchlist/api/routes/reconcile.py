"""/reconcile/{dataset}: the OpenRefine reconciliation API (W3C 0.2), as yente serves it.

Manifest (public: it says how to authenticate), queries (GET or POST `queries`), data extension
(GET or POST `extend`, `extend/property`), suggest (entity, type, property; `cursor` pages) and an
HTML preview. OpenRefine cannot set headers, so the manifest passes `?api_key=...` on to every
service path it names. Responses leave out empty optional fields (W3C 0.2: no `null`s).
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import TypeAdapter, ValidationError

from watchlist.api.auth import authenticate, require_key
from watchlist.api.freebase import (
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
    ReconFeature,
    ServicePath,
)
from watchlist.api.models import ErrorResponse
from watchlist.api.properties import PROPERTY_LABELS, PROPERTY_QNAMES, Values, to_query
from watchlist.api.routes.common import (
    PATH_DATASET,
    get_engine,
    get_settings,
    is_sanctions_collection,
    resolve_datasets,
)
from watchlist.api.routes.filters import EntityFilter
from watchlist.engine import Engine
from watchlist.errors import NotFoundError, QueryError
from watchlist.merging import per_party
from watchlist.model import Entity, Schema, ftm_dataset_name, ftm_schema
from watchlist.model.ftm import ftm_properties
from watchlist.settings import Settings

SANCTIONED = EntityFilter(sanctioned_only=True)  # the `sanctions` collection's entities
router = APIRouter(tags=["Reconciliation"])
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    401: {"model": ErrorResponse, "description": "No or bad API key"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
}
PLURALS = {
    Schema.PERSON: "People", Schema.ORGANIZATION: "Organizations", Schema.COMPANY: "Companies",
    Schema.LEGAL_ENTITY: "Legal entities", Schema.VESSEL: "Vessels", Schema.AIRCRAFT: "Airplanes",
}  # fmt: skip
BATCH = TypeAdapter(dict[str, FreebaseReconQuery])
PREFIX = Query("", max_length=1000)  # the suggest services' typed text
CURSOR = Query(0, ge=0, le=10_000, description="Skip this many suggestions (paging)")
EXTEND = TypeAdapter(FreebaseExtendQuery)
PROPERTY_HELP = {
    "name": "The primary name", "alias": "Other names", "birthDate": "Date of birth (YYYY-MM-DD or a prefix)",
    "nationality": "Nationality (ISO 3166 code)", "country": "Country (ISO 3166 code)",
    "program": "The sanctions programme", "createdAt": "The listing date", "notes": "Remarks the list gives",
}  # fmt: skip


def schema_type(schema: Schema) -> FreebaseType:
    name = ftm_schema(schema)
    return FreebaseType(id=name, name=PLURALS[schema], description=name)


def _entity(entity: Entity) -> FreebaseEntity:
    datasets = ", ".join(ftm_dataset_name(d) for d in entity.datasets)
    return FreebaseEntity(
        id=entity.id,
        name=entity.caption,
        type=[schema_type(entity.schema)],
        description=f"{ftm_schema(entity.schema)} ({datasets})",
    )


def _base(request: Request, dataset: str) -> tuple[str, str]:
    base = str(request.base_url).rstrip("/")
    query = "&".join(f"{k}={v}" for k, v in request.query_params.items() if k == "api_key")
    return f"{base}/reconcile/{dataset}", f"?{query}" if query else ""


@router.get(
    "/reconcile/{dataset}",
    response_model=FreebaseManifest | dict[str, FreebaseEntityResult] | FreebaseExtendResponse,
    response_model_exclude_none=True,
    responses=ERRORS,
    summary="Reconciliation manifest (or queries, with `queries=`; data extension, with `extend=`)",
)
def manifest(
    request: Request,
    dataset: str = PATH_DATASET,
    queries: str | None = Query(None, description="JSON-encoded reconciliation queries"),
    extend: str | None = Query(None, description="JSON-encoded data extension query"),
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
) -> FreebaseManifest | dict[str, FreebaseEntityResult] | FreebaseExtendResponse:
    """The service manifest OpenRefine reads when you add this URL as a reconciliation service. It needs no
    key (it says how to send one, in `authentication`); queries and data extension do."""
    datasets = resolve_datasets(engine, dataset)
    if extend is not None and extend.strip():
        authenticate(request)
        return _extend(engine, settings, extend)
    if queries is not None and queries.strip():
        authenticate(request)
        return _reconcile(engine, settings, datasets, queries, is_sanctions_collection(engine, dataset))
    service, qs = _base(request, dataset)
    root = str(request.base_url).rstrip("/")
    return FreebaseManifest(
        versions=["0.2"],
        name=f"watchlist: {dataset}",
        identifierSpace=f"{root}/entities/",
        schemaSpace=f"{root}/reconcile/{dataset}/types/",
        documentation=f"{root}/docs#/Reconciliation",
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
    response_model_exclude_none=True,
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
    return _reconcile(engine, settings, datasets, queries, is_sanctions_collection(engine, dataset))


def _reconcile(
    engine: Engine, settings: Settings, datasets: list[str] | None, data: str, sanctioned_only: bool = False
) -> dict[str, FreebaseEntityResult]:
    """Each query screened; under the `sanctions` collection, only entities with a sanction topic."""
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
            values = properties.setdefault(name, [])
            assert isinstance(values, list)
            values.extend(_values(prop.v, name))
        schema = recon.type if isinstance(recon.type, str) else (recon.type[0] if recon.type else None)
        try:
            parsed[key] = (to_query(schema or "LegalEntity", properties, key), recon.limit)
        except QueryError as exc:
            raise QueryError(f"query {key!r}: {exc.message}") from None
    index = engine.ready_index()
    out = {}
    for key, (item, limit) in parsed.items():
        hits = (
            [] if datasets == [] else engine.screen(item.query, datasets=datasets, limit=limit, index=index)
        )
        if sanctioned_only:
            hits = [h for h in hits if SANCTIONED.allows(h.entity)]
        out[key] = FreebaseEntityResult(
            result=[
                FreebaseScoredEntity(
                    **_entity(h.entity).model_dump(),
                    score=round(h.score, 4),
                    match=h.match,
                    features=[ReconFeature(id=k, value=round(v, 4)) for k, v in h.features.items()],
                )
                for h in hits
            ]
        )
    return out


def _values(value: Any, prop: str) -> list[str | int | float]:
    """A W3C 0.2 property value (text, number, `{id, name}` entity, or an array of those) as query values."""
    items = value if isinstance(value, list) else [value]
    out: list[str | int | float] = []
    for item in items:
        if isinstance(item, dict):
            found = item.get("name") if prop in ("name", "alias") else item.get("id") or item.get("name")
            if isinstance(found, (str, int, float)) and not isinstance(found, bool):
                out.append(found)
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            out.append(item)
    return out


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
            props = ftm_properties(engine.get(entity_id))
        except NotFoundError:
            continue
        for wanted in query.properties:
            values = props.get(wanted.id.rsplit(":", 1)[-1], [])
            if wanted.settings.limit > 0:
                values = values[: wanted.settings.limit]
            rows[entity_id][wanted.id] = [{"str": v} for v in values]
    meta = [ExtendMeta(id=p.id, name=PROPERTY_LABELS.get(p.id, p.id)) for p in query.properties]
    return FreebaseExtendResponse(meta=meta, rows=rows)


@router.get(
    "/reconcile/{dataset}/extend/property",
    response_model=ProposedProperties,
    response_model_exclude_none=True,
    responses=ERRORS,
    summary="Properties for data extension",
)
def propose_properties(
    dataset: str = PATH_DATASET,
    type: str = Query("LegalEntity", max_length=100),
    limit: int | None = Query(None, ge=0, le=1000, description="At most this many properties"),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> ProposedProperties:
    """The properties data extension can fetch, most useful first; `limit` caps how many."""
    resolve_datasets(engine, dataset)
    proposed = [ExtendMeta(id=k, name=v) for k, v in PROPERTY_LABELS.items()]
    return ProposedProperties(type=type, properties=proposed[:limit] if limit else proposed, limit=limit)


@router.get(
    "/reconcile/{dataset}/suggest/entity",
    response_model=FreebaseEntitySuggestResponse,
    response_model_exclude_none=True,
    responses=ERRORS,
    summary="Suggest an entity",
)
def suggest_entity(
    dataset: str = PATH_DATASET,
    prefix: str = PREFIX,
    cursor: int = CURSOR,
    limit: int = Query(10, ge=1, le=100),
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> FreebaseEntitySuggestResponse:
    """Entities whose names resemble the typed prefix (OpenRefine's entity auto-complete)."""
    datasets = resolve_datasets(engine, dataset)
    if not any(c.isalnum() for c in prefix) or datasets == []:
        return FreebaseEntitySuggestResponse(prefix=prefix, result=[])
    found = engine.search(prefix, datasets=datasets, limit=1_000_000, threshold=0.3).results
    keep = SANCTIONED.allows if is_sanctions_collection(engine, dataset) else (lambda _: True)
    parties = [r.entity for r in per_party(found, engine.parties()) if keep(r.entity)]  # as /search
    return FreebaseEntitySuggestResponse(prefix=prefix, result=[_entity(e) for e in parties[cursor : cursor + limit]])


@router.get(
    "/reconcile/{dataset}/suggest/type",
    response_model=FreebaseTypeSuggestResponse,
    response_model_exclude_none=True,
    responses=ERRORS,
    summary="Suggest a type (schema)",
)
def suggest_type(
    dataset: str = PATH_DATASET,
    prefix: str = PREFIX,
    cursor: int = CURSOR,
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> FreebaseTypeSuggestResponse:
    resolve_datasets(engine, dataset)
    types = [schema_type(s) for s in Schema if _starts(prefix, ftm_schema(s), s.value, PLURALS[s])]
    return FreebaseTypeSuggestResponse(prefix=prefix, result=types[cursor:])


@router.get(
    "/reconcile/{dataset}/suggest/property",
    response_model=FreebasePropertySuggestResponse,
    response_model_exclude_none=True,
    responses=ERRORS,
    summary="Suggest a property",
)
def suggest_property(
    dataset: str = PATH_DATASET,
    prefix: str = PREFIX,
    cursor: int = CURSOR,
    engine: Engine = Depends(get_engine),
    _key: object = Depends(require_key),
) -> FreebasePropertySuggestResponse:
    resolve_datasets(engine, dataset)
    props = [
        FreebaseProperty(id=PROPERTY_QNAMES.get(k, k), name=v, description=PROPERTY_HELP.get(k, v))
        for k, v in PROPERTY_LABELS.items()
        if _starts(prefix, k, v)
    ]
    return FreebasePropertySuggestResponse(prefix=prefix, result=props[cursor:])


def _starts(prefix: str, *labels: str) -> bool:
    """yente's suggest match: some label starts with the prefix (case-insensitive); an empty prefix matches none."""
    wanted = prefix.strip().lower()
    return bool(wanted) and any(label.lower().startswith(wanted) for label in labels)


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
        for k, v in ftm_properties(entity).items()
    )
    datasets = ", ".join(ftm_dataset_name(d) for d in entity.datasets)
    return HTMLResponse(
        f"<html><body style='font-family:sans-serif;font-size:12px'><h3>{html.escape(entity.caption)}</h3>"
        f"<p>{html.escape(ftm_schema(entity.schema))} · {html.escape(datasets)}</p>"
        f"<table>{rows}</table></body></html>"
    )
