"""Helpers for store tests: inline ParsedLists (a unique module name: tests/ has no packages)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from watchlist.model import Entity
from watchlist.sources.base import ParsedList


def parsed(
    source: str,
    entities: list[Entity],
    files: tuple[Path, ...] = (),
    published: str | None = "2024-05-03",
    fail_after: int | None = None,
    error: Exception | None = None,
) -> ParsedList:
    """An inline ParsedList; with `fail_after`, iterating raises `error` after that many entities."""

    def gen() -> Iterator[Entity]:
        for i, entity in enumerate(entities):
            if fail_after is not None and i == fail_after:
                assert error is not None
                raise error
            yield entity
        if fail_after is not None and fail_after >= len(entities):
            assert error is not None
            raise error

    return ParsedList(source=source, format="test", files=files, entities=gen, published=published)
