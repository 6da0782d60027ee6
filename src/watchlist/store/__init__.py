"""The versioned local store of published lists (SQLite), and nothing else.

It owns the list snapshots: loading them all-or-nothing (`loading`), reading the active
ones (`reading`), and their history, diffs and audit events (`history`); `Store` in
`sqlite` opens the file and composes the three. Review cases live in `watchlist.cases`,
API keys in `watchlist.api.keys`, monitoring state in `watchlist.batch.monitor_state`.
"""

from watchlist.store.loading import MIN_RATIO, canonical_json, entity_hash, hash_files, loading_order
from watchlist.store.sqlite import Store
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
