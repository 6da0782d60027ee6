"""Request and response models of the HTTP API, shaped as yente (OpenSanctions API) shapes them.

Pydantic lives here and nowhere deeper: routes turn these into `Query` objects and
`MatchResult`s back into these. Field names follow yente's `data/common.py` and
`data/freebase.py`, so yente clients and OpenRefine work unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from watchlist.match.types import MatchResult
from watchlist.model import Entity, Seen, to_ftm

PropertyValues = str | int | float | list[Any]


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["the query has no name: give at least one non-empty name"])
    request_id: str | None = None


class ValidationProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class UnprocessableResponse(BaseModel):
    """A 422: the request's fields in FastAPI's list form, or (for a document) one message."""

    detail: str | list[ValidationProblem]
    request_id: str | None = None


class StatusResponse(BaseModel):
    status: str = "ok"


class TotalSpec(BaseModel):
    value: int = Field(..., examples=[42])
    relation: Literal["eq", "gte"] = "eq"


class EntityResponse(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["un-KPi.033"])
    caption: str = Field(..., examples=["Kim Jong Un"])
    schema_: str = Field(..., alias="schema", examples=["Person"], description="A FollowTheMoney schema")
    properties: dict[str, list[str]] = Field(
        ..., examples=[{"name": ["Kim Jong Un"]}], description="FollowTheMoney properties of the schema"
    )
    datasets: list[str] = Field(default_factory=list, examples=[["un"]], description="FtM dataset names")
    referents: list[str] = Field(default_factory=list)
    target: bool = True
    first_seen: str | None = Field(
        None, examples=["2026-12-04T14:41:23"], description="First loaded in this instance (UTC)"
    )
    last_seen: str | None = Field(None, examples=["2026-12-04T14:41:23"], description="Last loaded (UTC)")
    last_change: str | None = Field(
        None, examples=["2026-12-04T14:41:23"], description="Its record last changed (UTC)"
    )

    @classmethod
    def of(cls, entity: Entity, seen: Seen | None = None, referents: Sequence[str] = ()) -> EntityResponse:
        """`referents`: the ids of the list records merged into this party (yente's field)."""
        return cls(**to_ftm(entity, seen, referents))


class NestedEntityResponse(EntityResponse):
    """An entity with its adjacent entities inlined as property values (yente's `nested=true`): each of its
    sanctions under `properties.sanctions`, without the `entity` link back to it."""

    properties: dict[str, list[str | EntityResponse]] = Field(  # type: ignore[assignment]
        ..., examples=[{"name": ["Kim Jong Un"], "sanctions": [{"id": "...", "schema": "Sanction"}]}]
    )


class FeatureResult(BaseModel):
    score: float
    detail: str | None = None


class ScoredEntityResponse(EntityResponse):
    score: float = Field(..., ge=0.0, le=1.0, examples=[0.93])
    match: bool = False
    features: dict[str, float] = Field(default_factory=dict, examples=[{"name_match": 0.93}])
    explanations: dict[str, FeatureResult] = Field(default_factory=dict)
    explanation: list[str] = Field(default_factory=list, description="The score's reasons, in sentences")
    query_name: str = ""
    matched_name: str = ""

    @classmethod
    def of_result(cls, result: MatchResult, seen: Seen | None = None) -> ScoredEntityResponse:
        features = {k: round(v, 4) for k, v in result.features.items()}
        sentences = list(result.explanation)
        # Algorithms append one sentence per feature, in order; pair them when the counts agree.
        details: list[str | None] = (
            list(sentences) if len(sentences) == len(features) else [None] * len(features)
        )
        return cls(
            **to_ftm(result.entity, seen, result.record_ids),
            score=round(min(max(result.score, 0.0), 1.0), 4),
            match=result.match,
            features=features,
            explanations={
                k: FeatureResult(score=v, detail=d) for (k, v), d in zip(features.items(), details)
            },
            explanation=sentences,
            query_name=result.query_name,
            matched_name=result.matched_name,
        )


class AdjacentResultsResponse(BaseModel):
    limit: int = Field(..., examples=[10])
    offset: int = Field(0, examples=[0])
    total: TotalSpec
    results: list[EntityResponse] = Field(default_factory=list)


class EntityAdjacentResponse(BaseModel):
    entity: EntityResponse
    adjacent: dict[str, AdjacentResultsResponse] = Field(default_factory=dict)


# -- /match ------------------------------------------------------------------------


class EntityExample(BaseModel):
    """One query: an entity described like those the API returns."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, max_length=200, examples=["my-entity-id"])
    schema_: str = Field(..., alias="schema", max_length=100, examples=["Person"])
    properties: dict[str, PropertyValues] = Field(
        ...,
        examples=[{"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"], "nationality": ["kp"]}],
    )


class EntityMatchQuery(BaseModel):
    queries: dict[str, EntityExample] = Field(
        ...,
        examples=[
            {"q1": {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "nationality": ["kp"]}}}
        ],
    )
    weights: dict[str, float] = Field(
        default_factory=dict, description="Accepted for yente compatibility; ignored"
    )
    config: dict[str, Any] = Field(
        default_factory=dict, description="Accepted for yente compatibility; ignored"
    )


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample
    warnings: list[str] = Field(
        default_factory=list,
        description="Values of the query that could not be read (a birth date, country or identifier), each "
        "named with its property: the query was screened without them (not in yente's answer)",
    )


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, Any] = Field(default_factory=dict)
    algorithm: str
    threshold: float
    limit: int


# -- /search --------------------------------------------------------------------------


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int = 1


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet] = Field(default_factory=dict)


# -- /catalog, /algorithms, /readyz ---------------------------------------------------


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool = True
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = False
    children: list[str] = Field(default_factory=list)
    entity_count: int | None = None
    updated_at: str | None = None
    published: str | None = None
    format: str | None = None


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class FeatureDoc(BaseModel):
    description: str | None = None
    coefficient: float
    url: str


class AlgorithmDocs(BaseModel):
    name: str
    description: str | None = None
    config: dict[str, Any] = Field(default_factory=dict, description="Settings a request may change (none)")
    features: dict[str, FeatureDoc] = Field(default_factory=dict)


class AlgorithmModel(BaseModel):
    name: str
    description: str | None = None
    threshold: float
    features: dict[str, FeatureDoc] = Field(default_factory=dict, description="Deprecated in yente: see `docs`")
    docs: AlgorithmDocs


class AlgorithmResponse(BaseModel):
    algorithms: list[AlgorithmModel]
    default: str
    best: str


class ListAge(BaseModel):
    name: str
    version: str
    loaded_at: str | None = None
    published: str | None = None
    age_seconds: float | None = Field(default=None, description="Seconds since the list was loaded")
    entity_count: int | None = None


class ReadyResponse(StatusResponse):
    index_version: str
    entities: int
    lists: list[ListAge]


class ReloadResponse(BaseModel):
    previous: str | None
    current: str
    changed: bool
