"""Reading the lists: the active snapshots, their entities (merged across sources) and the kept snapshots.

Every method holds the store's lock; `entities` streams in chunks of `_FETCH` rows so a
reader never holds the whole list in memory.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from watchlist.errors import NotFoundError
from watchlist.model import Entity
from watchlist.store.types import SnapshotInfo, SourceStatus

_FETCH = 1000

_SNAPSHOT_COLUMNS = (
    "id, source, format, content_hash, published, loaded_at, entity_count, counts, files, source_url, notes"
)


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{col.strip()}" for col in _SNAPSHOT_COLUMNS.split(","))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")




class Reading:
    """The read side of `Store`: one connection and the lock around it."""

    _conn: sqlite3.Connection
    _lock: threading.RLock

    def sources(self) -> list[SourceStatus]:
        """Each loaded source with its active snapshot, by name."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_prefixed('s')}, "
                "(SELECT count(*) FROM snapshots k WHERE k.source = s.source)"
                " FROM active a JOIN snapshots s ON s.id = a.snapshot_id ORDER BY s.source"
            ).fetchall()
        return [SourceStatus(row[1], _snapshot_info(row[:11], active=True), int(row[11])) for row in rows]

    def source_names(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT source FROM active ORDER BY source")]

    def active_snapshot(self, source: str) -> SnapshotInfo | None:
        with self._lock:
            return self._active_snapshot(source)

    def _active_snapshot(self, source: str) -> SnapshotInfo | None:
        row = self._conn.execute("SELECT snapshot_id FROM active WHERE source = ?", (source,)).fetchone()
        return self._snapshot(int(row[0])) if row else None

    def _snapshot(self, snap_id: int) -> SnapshotInfo | None:
        row = self._conn.execute(
            f"SELECT {_SNAPSHOT_COLUMNS}, EXISTS (SELECT 1 FROM active WHERE snapshot_id = snapshots.id)"
            " FROM snapshots WHERE id = ?",
            (snap_id,),
        ).fetchone()
        return _snapshot_info(row[:11], active=bool(row[11])) if row else None

    def snapshots(self, source: str) -> list[SnapshotInfo]:
        """The kept snapshots of `source`, newest first ([] for an unknown source)."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_SNAPSHOT_COLUMNS}, EXISTS (SELECT 1 FROM active WHERE snapshot_id = snapshots.id)"
                " FROM snapshots WHERE source = ? ORDER BY id DESC",
                (source,),
            ).fetchall()
        return [_snapshot_info(r[:11], active=bool(r[11])) for r in rows]

    def version(self) -> str:
        """A short hash of the active snapshots; changes whenever any of them changes."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT a.source, s.id, s.content_hash FROM active a JOIN snapshots s ON s.id = a.snapshot_id"
                " ORDER BY a.source"
            ).fetchall()
        text = "\n".join(f"{src}:{sid}:{h}" for src, sid, h in rows)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def _active_ids(self, sources: Iterable[str] | None) -> dict[int, str]:
        rows = self._conn.execute("SELECT snapshot_id, source FROM active").fetchall()
        active = {int(sid): src for sid, src in rows}
        if sources is None:
            return active
        wanted = set(sources)
        unknown = wanted - set(active.values())
        if unknown:
            loaded = ", ".join(sorted(active.values())) or "none"
            raise NotFoundError(
                f"no list loaded for source(s) {', '.join(sorted(unknown))}; loaded: {loaded}. "
                "Run `watchlist fetch` first"
            )
        return {sid: src for sid, src in active.items() if src in wanted}

    def entities(self, sources: Iterable[str] | None = None) -> Iterator[Entity]:
        """Every entity of the active snapshots (of `sources`, default all), by id.

        An id listed by several sources (e.g. OFAC SDN and non-SDN) comes out once, merged with
        `Entity.merge` in source-name order; its `datasets` name every source.
        """
        with self._lock:
            active = self._active_ids(sources)
        if not active:
            return
        marks = ",".join("?" * len(active))
        sql = (
            "SELECT m.entity_id, m.snapshot_id, d.data FROM members m JOIN entity_data d ON d.hash = m.hash"
            f" WHERE m.snapshot_id IN ({marks}) ORDER BY m.entity_id"
        )
        with self._lock:
            cursor = self._conn.execute(sql, list(active))
        group: list[tuple[str, str]] = []
        current: str | None = None
        try:
            while True:
                with self._lock:
                    rows = cursor.fetchmany(_FETCH)
                if not rows:
                    break
                for entity_id, snap_id, data in rows:
                    if entity_id != current and group:
                        yield _merge_group(group)
                        group = []
                    current = entity_id
                    group.append((active[snap_id], data))
            if group:
                yield _merge_group(group)
        finally:
            cursor.close()

    def count(self, sources: Iterable[str] | None = None) -> int:
        """How many distinct entities `entities(sources)` yields."""
        with self._lock:
            active = self._active_ids(sources)
            if not active:
                return 0
            marks = ",".join("?" * len(active))
            return int(
                self._conn.execute(
                    f"SELECT count(DISTINCT entity_id) FROM members WHERE snapshot_id IN ({marks})",
                    list(active),
                ).fetchone()[0]
            )

    def get(self, entity_id: str) -> Entity | None:
        """One entity, merged across the active snapshots; None if no active list has it."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT a.source, d.data FROM members m JOIN active a ON a.snapshot_id = m.snapshot_id"
                " JOIN entity_data d ON d.hash = m.hash WHERE m.entity_id = ?",
                (entity_id,),
            ).fetchall()
        return _merge_group([(src, data) for src, data in rows]) if rows else None


def _load(data: str) -> Entity:
    return Entity.from_dict(json.loads(data))


def _merge_group(group: list[tuple[str, str]]) -> Entity:
    group.sort(key=lambda pair: pair[0])
    entity = _load(group[0][1])
    for _, data in group[1:]:
        entity = entity.merge(_load(data))
    return entity


def _snapshot_info(row: Sequence[Any], active: bool) -> SnapshotInfo:
    sid, source, fmt, content_hash, published, loaded_at, count, counts, files, url, notes = row
    return SnapshotInfo(
        id=int(sid),
        source=source,
        format=fmt,
        content_hash=content_hash,
        published=published,
        loaded_at=loaded_at,
        entity_count=int(count),
        counts=json.loads(counts),
        files=tuple(json.loads(files)),
        source_url=url,
        notes=tuple(json.loads(notes)),
        active=active,
    )


