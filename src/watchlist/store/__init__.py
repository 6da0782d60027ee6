"""The versioned local store of published lists (SQLite): snapshots, diffs, history, audit events."""

from watchlist.store.sqlite import MIN_RATIO, Store, canonical_json, entity_hash, hash_files, loading_order
from watchlist.store.types import (
    Change,
    Diff,
    EntityRef,
    Event,
    LoadOutcome,
    LoadResult,
    SnapshotInfo,
    SourceStatus,
)

__all__ = [
    "MIN_RATIO",
    "Change",
    "Diff",
    "EntityRef",
    "Event",
    "LoadOutcome",
    "LoadResult",
    "SnapshotInfo",
    "SourceStatus",
    "Store",
    "canonical_json",
    "entity_hash",
    "hash_files",
    "loading_order",
]
