"""POST /match/{dataset}: query-by-example screening, as yente's matching API."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.routing import APIRoute

from watchlist.api.auth import require_key
from watchlist.api.ftm_labels import FTM_SCHEMATA
from watchlist.api.models import (
    EntityExample,
    EntityMatches,
    EntityMatchQuery,
    EntityMatchResponse,
    ErrorResponse,
    ScoredEntityResponse,
    TotalSpec,
)
from watchlist.api.properties import ParsedExample, to_query
from watchlist.api.routes.common import (
    PATH_DATASET,
    check_window,
    entity_seen,
    feature_docs,
    get_engine,
    get_settings,
    is_sanctions_collection,
    resolve_datasets,
)
from watchlist.api.routes.filters import TS_PATTERN, EntityFilter, Operator
from watchlist.api.routes.identifiers import identifier_matches
from watchlist.engine import Engine
from watchlist.errors import QueryError
from watchlist.match.registry import get_algorithm
from watchlist.match.types import MatchResult
from watchlist.model import ftm_schema
from watchlist.settings import Settings


class JsonBodyRoute(APIRoute):
    """Reads a body sent without `Content-Type` as JSON, as yente does (curl -d sends a form type, some
    clients send none)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def read_as_json(request: Request) -> Response:
            if "content-type" not in request.headers:
                request.scope["headers"] = [*request.scope["headers"], (b"content-type", b"application/json")]
                request = Request(request.scope, request.receive)
            return await handler(request)

        return read_as_json


router = APIRouter(tags=["Matching"], route_class=JsonBodyRoute)

MAX_MATCHES = 500  # yente's MAX_MATCHES: a larger `limit` is a 422
CANDIDATES = 50  # results scored per query before cutoff and limit (total counts matches among them)
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Invalid query"},
    401: {"model": ErrorResponse, "description": "No or bad API key"},
    404: {"model": ErrorResponse, "description": "Unknown dataset"},
    413: {"model": ErrorResponse, "description": "Body too large"},
    503: {"model": ErrorResponse, "description": "No lists loaded"},
}


@router.post(
    "/match/{dataset}",
    response_model=EntityMatchResponse,
    responses=ERRORS,
    summary="Query-by-example matcher",
)
def match(
    request: Request,
    response: Response,
    body: EntityMatchQuery,
    dataset: str = PATH_DATASET,
    limit: int = Query(5, ge=0, le=MAX_MATCHES, description=f"Results per query (at most {MAX_MATCHES}, as yente)"),
    threshold: float | None = Query(
        None,
        ge=0.0,
        le=1.0,
        description="Score at and above which `match` is true (default: the algorithm's)",
    ),
    cutoff: float = Query(
        0.5,
        ge=0.0,
        le=1.0,
        description="Results scoring this or less are left out (as yente: score > cutoff), unless they are "
        "matches: a `threshold` below it lowers it to the threshold",
    ),
    algorithm: str | None = Query(
        None,
        max_length=100,
        description="See GET /algorithms; `best`, `logic-v1`, `logic-v2` run the default",
    ),
    include_dataset: list[str] = Query([], description="Only these datasets"),
    exclude_dataset: list[str] = Query([], description="Not these datasets"),
    exclude_schema: list[str] = Query([], description="Leave out results of these schemata"),
    exclude_entity_ids: list[str] = Query([], max_length=50, description="Leave out these entity ids"),
    topics: list[str] = Query([], description="Only results with one of these topics (e.g. `sanction`)"),
    changed_since: str | None = Query(
        None, pattern=TS_PATTERN, description="Only results whose record changed after this time"
    ),
    engine: Engine = Depends(get_engine),
    settings: Settings = Depends(get_settings),
    _key: object = Depends(require_key),
) -> EntityMatchResponse:
    """Screen a batch of entities, each described like the entities the API returns.

    ```json
    {"queries": {"q1": {"schema": "Person",
                        "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"],
                                       "nationality": ["kp"], "passportNumber": ["836410115"]}}}}
    ```
    Used properties: `name`, `alias`, `weakAlias`, `previousName` (or `firstName`/`lastName`),
    `birthDate`, country-like ones (`nationality`, `citizenship`, `country`, `jurisdiction`, `flag`, ...)
    and identifiers (`idNumber`, `passportNumber`, `imoNumber`, `registrationNumber`, `taxNumber`, ...).
    Each result carries `features` (the evidence values behind the score) and `explanation`.
    `weights` and `config` must be empty: no algorithm here has settings a request can change.
    """
    check_window(settings, limit)
    if not body.queries:
        raise QueryError('no queries: send {"queries": {"<key>": {"schema": ..., "properties": ...}}}')
    if len(body.queries) > settings.api_max_queries:
        raise QueryError(
            f"{len(body.queries)} queries in one request; the limit is {settings.api_max_queries}: split the batch"
        )
    scorer = get_algorithm(algorithm)
    _refuse_settings(body, scorer.NAME)
    # As yente: a threshold below the cutoff lowers the cutoff too, so no match is left out.
    cutoff = min(cutoff, threshold if threshold is not None else scorer.THRESHOLD)
    datasets = resolve_datasets(engine, dataset, include_dataset, exclude_dataset)
    keep = EntityFilter.of(
        exclude_schema=exclude_schema,
        topics=topics,
        changed_since=changed_since,
        exclude_ids=exclude_entity_ids,
        op=Operator.OR,  # as yente's match filter (`terms`): a result with any one of the `topics`
        sanctioned_only=is_sanctions_collection(engine, dataset),
    )
    parsed = _parse(body)
    excluded = set(exclude_entity_ids)
    if settings.api_log_queries:
        request.state.query_names = [n for p in parsed.values() if not p.by_identifiers for n in p.query.names]
    index = engine.ready_index()  # one list version for the whole batch, even if a reload lands meanwhile
    responses: dict[str, EntityMatches] = {}
    found = 0
    budget = getattr(request.state, "budget", None)  # deadline and client-gone flag (api.middleware)
    for key, item in parsed.items():
        if budget is not None:
            budget.check(f"query {key!r}")
        hits: list[MatchResult] = []
        if datasets != [] and item.by_identifiers:
            hits = identifier_matches(engine, item.query, datasets, index)
        elif datasets != []:
            hits = engine.screen(
                item.query,
                datasets=datasets,
                algorithm=scorer.NAME,
                threshold=threshold,
                limit=CANDIDATES + limit + len(exclude_entity_ids),
                index=index,
            )
        seen = entity_seen(engine, [h.entity for h in hits]) if keep.needs_seen else {}
        kept = [
            h
            for h in hits
            if (h.match or h.score > cutoff)
            and keep.allows(h.entity, seen.get(h.entity.id))
            and not excluded.intersection(h.record_ids)  # as yente: any id of the party's records
        ]
        page = kept[:limit]
        found += len(page)
        if not keep.needs_seen:
            seen = entity_seen(engine, [h.entity for h in page])
        responses[key] = EntityMatches(
            status=200,
            results=[ScoredEntityResponse.of_result(h, seen.get(h.entity.id)) for h in page],
            total=TotalSpec(value=sum(1 for h in kept if h.match), relation="eq"),
            query=EntityExample(
                id=body.queries[key].id,
                schema=_echoed_schema(body.queries[key].schema_, item),
                properties=dict(item.echo(body.queries[key].properties)),
            ),
            warnings=list(item.query.warnings),
        )
    request.state.queries = len(parsed)
    request.state.results = found
    response.headers["x-batch-size"] = str(len(responses))
    return EntityMatchResponse(
        responses=responses,
        matcher=feature_docs(),
        algorithm=scorer.NAME,
        threshold=threshold if threshold is not None else scorer.THRESHOLD,
        limit=limit,
    )


def _echoed_schema(sent: str, item: ParsedExample) -> str:
    """The query's schema as yente echoes it: its FtM name (`Airplane`, not our `Aircraft`)."""
    if sent.strip() in FTM_SCHEMATA or item.query.schema is None:
        return sent.strip()
    return ftm_schema(item.query.schema)


def _parse(body: EntityMatchQuery) -> dict[str, ParsedExample]:
    parsed: dict[str, ParsedExample] = {}
    for key, example in body.queries.items():
        try:
            parsed[key] = to_query(example.schema_, example.properties, key, identifiers_alone=True)
        except QueryError as exc:
            raise QueryError(f"query {key!r}: {exc.message}") from None
    return parsed


def _refuse_settings(body: EntityMatchQuery, algorithm: str) -> None:
    """yente applies `weights` and `config` to its algorithm; ours have none to set, so a value is refused."""
    if body.weights:
        raise QueryError(
            f"`weights` ({', '.join(sorted(body.weights))}) cannot be changed: algorithm {algorithm!r} "
            "has no adjustable feature weights; send `weights: {}`"
        )
    if body.config:
        raise QueryError(
            f"`config` ({', '.join(sorted(body.config))}) is not a setting of algorithm {algorithm!r}, "
            "which has none; send `config: {}`"
        )
