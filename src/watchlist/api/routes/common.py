"""Helpers every route module shares: the engine, dataset scopes, paging bounds, entity timestamps."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from fastapi import Path, Request, Response
from pydantic import BaseModel

from watchlist.api.models import AlgorithmDocs, AlgorithmModel, FeatureDoc
from watchlist.engine import Engine, index_datasets
from watchlist.errors import IndexNotReadyError, NotFoundError, QueryError
from watchlist.match.algorithm import Algorithm
from watchlist.model import Entity, Seen, ftm_dataset_name
from watchlist.settings import Settings

DEFAULT_DATASET = "default"
# OpenSanctions' `sanctions` collection, which yente clients name in paths (`/match/sanctions`): here every
# loaded entity with a sanction topic (`sanction`, `sanction.linked`, ...), unless a dataset has that name.
SANCTIONS_COLLECTION = "sanctions"
PATH_DATASET = Path(
    ...,
    max_length=100,
    description="`default` for all loaded lists, `sanctions` for their sanctioned entities, or one dataset "
    "name in FtM form (`un`, `ofac_sdn`, `ofac_cons`, `eu`, `uk`, ...); the older hyphenated names "
    "(`ofac-sdn`) are accepted too",
    examples=["default"],
)


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def known_datasets(engine: Engine) -> list[str]:
    """Every dataset name a request may use: the loaded sources and the datasets their entities carry."""
    names = set(engine.datasets)
    index = engine.index
    names.update(index_datasets(index))
    return sorted(names)


def resolve_datasets(
    engine: Engine, dataset: str, include: Sequence[str] = (), exclude: Sequence[str] = ()
) -> list[str] | None:
    """The dataset names a request covers, as yente scopes them.

    None means every loaded list; an empty list means none (the request answers with no results).
    An unknown path dataset is a 404; unknown `include_dataset`/`exclude_dataset` names match nothing.
    A single dataset in the path with `include_dataset` names the datasets to cover together
    (how yente-client sends several `datasets`); under `default`, `include_dataset` narrows.
    """
    loaded = known_datasets(engine)
    if not loaded:
        raise IndexNotReadyError(
            "no sanctions lists are loaded: run `watchlist fetch` (or `fetch --from PATH`)"
        )
    by_ftm = {ftm_dataset_name(name): name for name in loaded}
    wanted = ftm_dataset_name(dataset)
    if is_sanctions_collection(engine, dataset):
        dataset = DEFAULT_DATASET  # all loaded lists, narrowed to sanctioned entities by the route's filter
    if dataset != DEFAULT_DATASET and wanted not in by_ftm:
        raise NotFoundError(
            f"no dataset {dataset!r}: use `default` or one of: {', '.join(sorted(by_ftm)) or 'none'}"
        )
    included = {ftm_dataset_name(d) for d in include}
    excluded = {ftm_dataset_name(d) for d in exclude}
    if dataset == DEFAULT_DATASET:
        if not included and not excluded:
            return None
        scope = set(by_ftm) if not included else included & set(by_ftm)
    else:
        scope = {wanted} | (included & set(by_ftm))
    return sorted(by_ftm[d] for d in scope - excluded)


def is_sanctions_collection(engine: Engine, dataset: str) -> bool:
    """True when the path names the `sanctions` collection (and no loaded dataset is called that)."""
    return dataset == SANCTIONS_COLLECTION and SANCTIONS_COLLECTION not in {
        ftm_dataset_name(d) for d in known_datasets(engine)
    }


def entity_seen(engine: Engine, entities: Iterable[Entity]) -> dict[str, Seen]:
    """first_seen/last_seen/last_change of these entities, from the store's snapshots (empty without one)."""
    store = engine.store
    ids = [e.id for e in entities]
    if store is None or not ids:
        return {}
    return store.seen(ids)


def check_window(settings: Settings, limit: int, offset: int = 0) -> None:
    if limit > settings.api_max_limit:
        raise QueryError(f"limit {limit} is above the maximum of {settings.api_max_limit}")
    if offset > settings.api_max_offset:
        raise QueryError(f"offset {offset} is above the maximum of {settings.api_max_offset}")


def etag_response(request: Request, payload: BaseModel) -> Response:
    """The payload as JSON with a strong ETag; `304 Not Modified` when the client already holds it."""
    body = payload.model_dump_json(by_alias=True).encode()
    tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    held = request.headers.get("if-none-match", "")
    if tag in {t.strip().removeprefix("W/") for t in held.split(",")} or held.strip() == "*":
        return Response(status_code=304, headers={"ETag": tag})
    return Response(body, media_type="application/json", headers={"ETag": tag})


FEATURE_URL = "docs/api.md#algorithms"  # in this repository
# The evidence an algorithm may report in a result's `features` (yente's feature docs).
FEATURES = {
    "name_match": "How alike the closest query and listed names are (token alignment, weighted by rarity)",
    "dob_match": "The birth dates agree (added to the name score)",
    "dob_mismatch": "The birth dates disagree (subtracted)",
    "country_match": "A country (nationality, residence, jurisdiction) agrees (added)",
    "country_mismatch": "The countries disagree (subtracted)",
    "identifier_match": "An identifier (passport, IMO, registration number, ...) agrees (added)",
}


def algorithm_model(algorithm: Algorithm) -> AlgorithmModel:
    features = {
        name: FeatureDoc(description=text, coefficient=1.0, url=FEATURE_URL)
        for name, text in FEATURES.items()
    }
    return AlgorithmModel(
        name=algorithm.NAME,
        description=algorithm.DESCRIPTION,
        threshold=algorithm.THRESHOLD,
        features=features,
        docs=AlgorithmDocs(
            name=algorithm.NAME, description=algorithm.DESCRIPTION, config={}, features=features
        ),
    )


def feature_docs() -> dict[str, Any]:
    """yente's `matcher` in a /match response: the features results may report, documented."""
    return {
        name: FeatureDoc(description=text, coefficient=1.0, url=FEATURE_URL).model_dump()
        for name, text in FEATURES.items()
    }
