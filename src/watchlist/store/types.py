"""Plain, frozen result types of the list store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from watchlist.errors import SnapshotRejected, WatchlistError

# new: a new snapshot is active. unchanged: same content as the active snapshot.
# kept: same content as an older kept snapshot, skipped by `Store.load_many` (see there).
LoadStatus = Literal["new", "unchanged", "kept"]
EventKind = Literal["load", "unchanged", "rejected", "failed", "prune"]


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One loaded version of one source."""

    id: int
    source: str
    format: str
    content_hash: str  # sha256 over the files (or over the entities when no files were given)
    published: str | None  # publication date stated in the file
    loaded_at: str  # ISO 8601 UTC
    entity_count: int
    counts: dict[str, int]  # by schema: {'Person': 730, 'Organization': 273}
    files: tuple[str, ...]
    source_url: str | None = None
    notes: tuple[str, ...] = ()
    active: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "format": self.format,
            "content_hash": self.content_hash,
            "published": self.published,
            "loaded_at": self.loaded_at,
            "entity_count": self.entity_count,
            "counts": dict(self.counts),
            "files": list(self.files),
            "source_url": self.source_url,
            "notes": list(self.notes),
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A source and its active snapshot."""

    name: str
    snapshot: SnapshotInfo
    snapshots_kept: int

    @property
    def version(self) -> int:
        """The active snapshot id (grows with every new version of any source)."""
        return self.snapshot.id

    @property
    def content_hash(self) -> str:
        return self.snapshot.content_hash

    @property
    def published(self) -> str | None:
        return self.snapshot.published

    @property
    def loaded_at(self) -> str:
        return self.snapshot.loaded_at

    @property
    def counts(self) -> dict[str, int]:
        return self.snapshot.counts

    @property
    def entity_count(self) -> int:
        return self.snapshot.entity_count

    @property
    def format(self) -> str:
        return self.snapshot.format

    @property
    def files(self) -> tuple[str, ...]:
        return self.snapshot.files

    def to_dict(self) -> dict[str, Any]:
        out = self.snapshot.to_dict()
        out.pop("source")
        out.pop("active")
        out.pop("id")
        return {"name": self.name, "version": self.version, **out, "snapshots_kept": self.snapshots_kept}


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What `Store.load` did. A rejected or failed load raises instead."""

    source: str
    status: LoadStatus
    snapshot: SnapshotInfo  # the snapshot now in force ('kept': the older snapshot with this content)
    previous: SnapshotInfo | None = None  # the snapshot it replaced (None: first load or unchanged)
    added: int = 0
    removed: int = 0
    changed: int = 0
    pruned: tuple[int, ...] = ()  # snapshot ids dropped beyond keep_snapshots

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "status": self.status,
            "snapshot": self.snapshot.to_dict(),
            "previous": self.previous.to_dict() if self.previous else None,
            "added": self.added,
            "removed": self.removed,
            "changed": self.changed,
            "pruned": list(self.pruned),
        }


@dataclass(frozen=True, slots=True)
class LoadOutcome:
    """One list of a `Store.load_many` call: its result, or the error that stopped it."""

    source: str
    files: tuple[str, ...]
    result: LoadResult | None = None
    error: WatchlistError | None = None

    @property
    def status(self) -> str:
        if self.result is not None:
            return self.result.status
        return "rejected" if isinstance(self.error, SnapshotRejected) else "failed"

    def to_dict(self) -> dict[str, Any]:
        if self.result is not None:
            return {**self.result.to_dict(), "files": list(self.files)}
        return {
            "source": self.source,
            "status": self.status,
            "error": self.error.message if self.error else None,
            "files": list(self.files),
        }


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity as a diff lists it."""

    id: str
    schema: str
    caption: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "schema": self.schema, "caption": self.caption}


@dataclass(frozen=True, slots=True)
class Change:
    """An entity present in both snapshots whose content differs."""

    id: str
    schema: str
    caption: str
    properties: tuple[str, ...]  # FtM property names whose values differ ('schema' if it changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "schema": self.schema,
            "caption": self.caption,
            "properties": list(self.properties),
        }


@dataclass(frozen=True, slots=True)
class Diff:
    source: str
    old: SnapshotInfo | None  # None: the source has a single snapshot, everything is 'added'
    new: SnapshotInfo
    added: tuple[EntityRef, ...] = ()
    removed: tuple[EntityRef, ...] = ()
    changed: tuple[Change, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "old": self.old.to_dict() if self.old else None,
            "new": self.new.to_dict(),
            "summary": {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)},
            "added": [e.to_dict() for e in self.added],
            "removed": [e.to_dict() for e in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One audit log line."""

    id: int
    at: str
    kind: str
    source: str | None
    snapshot_id: int | None
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "kind": self.kind,
            "source": self.source,
            "snapshot_id": self.snapshot_id,
            "message": self.message,
            "details": self.details,
        }
