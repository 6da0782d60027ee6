"""Entities straight from list files (no store): for `batch --lists`, benchmarks and Spark jobs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from watchlist.model import Entity


def entities_from_paths(paths: Sequence[Path]) -> list[Entity]:
    """Parse list files or folders; an id listed by several sources is merged, naming each source."""
    from watchlist.sources import load_paths

    merged: dict[str, Entity] = {}
    for parsed in load_paths(list(paths)):
        for entity in parsed.entities():
            entity = Entity.from_dict({**entity.to_dict(), "datasets": [parsed.source]})
            merged[entity.id] = merged[entity.id].merge(entity) if entity.id in merged else entity
    return list(merged.values())
