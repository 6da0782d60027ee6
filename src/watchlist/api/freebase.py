"""The OpenRefine reconciliation API's (W3C 0.2) request and response models, shaped as yente shapes them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class FreebaseType(BaseModel):
    id: str = Field(..., examples=["Person"])
    name: str = Field(..., examples=["People"])
    description: str | None = None


class FreebaseProperty(BaseModel):
    id: str = Field(..., examples=["birthDate"])
    name: str = Field(..., examples=["Birth date"])
    description: str | None = None


class FreebaseEntity(BaseModel):
    id: str
    name: str
    description: str | None = None
    type: list[FreebaseType]


class ReconFeature(BaseModel):
    id: str
    value: float


class FreebaseScoredEntity(FreebaseEntity):
    score: float
    match: bool
    features: list[ReconFeature] = Field(default_factory=list, description="The evidence behind the score")


class FreebaseEntityResult(BaseModel):
    result: list[FreebaseScoredEntity]


class FreebaseSuggestResponse(BaseModel):
    code: str = "/api/status/ok"
    status: str = "200 OK"
    prefix: str


class FreebaseTypeSuggestResponse(FreebaseSuggestResponse):
    result: list[FreebaseType]


class FreebaseEntitySuggestResponse(FreebaseSuggestResponse):
    result: list[FreebaseEntity]


class FreebasePropertySuggestResponse(FreebaseSuggestResponse):
    result: list[FreebaseProperty]


class ServicePath(BaseModel):
    service_url: str
    service_path: str


class ManifestSuggest(BaseModel):
    entity: ServicePath
    type: ServicePath
    property: ServicePath


class ManifestView(BaseModel):
    url: str


class ManifestPreview(BaseModel):
    url: str
    width: int
    height: int


class ManifestExtend(BaseModel):
    propose_properties: ServicePath
    property_settings: list[dict[str, Any]] = Field(default_factory=list)


class ManifestAuthentication(BaseModel):
    """How to send the key, as a Swagger 2.0 security scheme (the W3C 0.2 manifest's `authentication`)."""

    type: Literal["apiKey"] = "apiKey"
    name: str = "api_key"
    in_: Literal["query", "header"] = Field("query", alias="in")
    description: str = (
        "An API key of this watchlist instance (`watchlist keys create NAME`); the `Authorization: ApiKey <key>` "
        "header works too"
    )

    model_config = ConfigDict(populate_by_name=True)


class FreebaseManifest(BaseModel):
    versions: list[str]
    name: str
    identifierSpace: str
    schemaSpace: str
    documentation: str
    serviceVersion: str = "1"
    authentication: ManifestAuthentication = Field(
        default_factory=lambda: ManifestAuthentication.model_validate({})
    )
    view: ManifestView
    preview: ManifestPreview
    suggest: ManifestSuggest
    extend: ManifestExtend
    defaultTypes: list[FreebaseType]
    batchSize: int = 10


class ReconPropertyValue(BaseModel):
    pid: str = Field(..., max_length=100)
    v: str | int | float | bool | list[Any] | dict[str, Any] = Field(
        ..., description="A value, an entity `{id, name}`, or an array of either (W3C 0.2)"
    )


class FreebaseReconQuery(BaseModel):
    query: str | None = Field(None, max_length=1000)
    type: str | list[str] | None = None
    type_strict: str | None = None
    limit: int = Field(5, ge=1, le=100)
    properties: list[ReconPropertyValue] = Field(default_factory=list, max_length=50)


class ExtendPropertySettings(BaseModel):
    limit: int = Field(0, ge=0)


class ExtendProperty(BaseModel):
    id: str = Field(..., max_length=100)
    settings: ExtendPropertySettings = Field(default_factory=lambda: ExtendPropertySettings(limit=0))


class FreebaseExtendQuery(BaseModel):
    ids: list[str]
    properties: list[ExtendProperty]


class ExtendMeta(BaseModel):
    id: str
    name: str


class FreebaseExtendResponse(BaseModel):
    meta: list[ExtendMeta]
    rows: dict[str, dict[str, list[dict[str, str]]]]


class ProposedProperties(BaseModel):
    type: str
    properties: list[ExtendMeta]
    limit: int | None = Field(None, description="The `limit` asked for, if any")
