"""Helpers every route module shares: the engine, the dataset path parameter, paging bounds."""

from __future__ import annotations

from fastapi import Path, Request

from watchlist.engine import Engine
from watchlist.errors import IndexNotReadyError, NotFoundError, QueryError
from watchlist.settings import Settings

DEFAULT_DATASET = "default"
PATH_DATASET = Path(
    ...,
    max_length=100,
    description="`default` for all loaded lists, or one source name (`un`, `ofac-sdn`, `ofac-cons`, `eu`, `uk`, ...)",
    examples=["default"],
)


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def resolve_datasets(
    engine: Engine, dataset: str, include: list[str] | None = None, exclude: list[str] | None = None
) -> list[str] | None:
    """The source names a request covers; None means every loaded list. Unknown names are a 404."""
    loaded = engine.datasets
    if not loaded:
        raise IndexNotReadyError(
            "no sanctions lists are loaded: run `watchlist fetch` (or `fetch --from PATH`)"
        )
    if dataset == DEFAULT_DATASET:
        chosen = list(loaded)
    elif dataset in loaded:
        chosen = [dataset]
    else:
        raise NotFoundError(
            f"no dataset {dataset!r}: use `default` or one of the loaded lists: {', '.join(loaded) or 'none'}"
        )
    engine.check_datasets([*(include or []), *(exclude or [])])  # the check every interface shares
    if include:
        chosen = [d for d in chosen if d in include]
    if exclude:
        chosen = [d for d in chosen if d not in exclude]
    if not chosen:
        raise QueryError("the dataset filters exclude every loaded list")
    if dataset == DEFAULT_DATASET and not include and not exclude:
        return None
    return chosen


def check_window(settings: Settings, limit: int, offset: int = 0) -> None:
    if limit > settings.api_max_limit:
        raise QueryError(f"limit {limit} is above the maximum of {settings.api_max_limit}")
    if offset > settings.api_max_offset:
        raise QueryError(f"offset {offset} is above the maximum of {settings.api_max_offset}")
