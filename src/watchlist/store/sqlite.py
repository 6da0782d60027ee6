"""The versioned list store: one SQLite file, snapshots per source, write -> verify -> activate.

A load is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``): the snapshot row, every member row,
the sanity check, the flip of ``active``, pruning and the audit event. Anything that goes wrong
before the commit (a SourceError while parsing, a rejected snapshot, the process being killed)
rolls all of it back, so the previous snapshot stays in force and intact. WAL mode lets readers in
other processes keep reading the old snapshot while a load is running.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from watchlist.errors import ConfigError, NotFoundError, SnapshotRejected, SourceError, WatchlistError
from watchlist.model import Entity, Seen
from watchlist.sources.base import ParsedList
from watchlist.store.schema import SCHEMA, SCHEMA_VERSION
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

BATCH_SIZE = 2000  # entities per executemany
MIN_RATIO = 0.5  # a new snapshot with fewer than this share of the active one's entities is rejected
_FETCH = 1000

_SNAPSHOT_COLUMNS = (
    "id, source, format, content_hash, published, loaded_at, entity_count, counts, files, source_url, notes"
)


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{col.strip()}" for col in _SNAPSHOT_COLUMNS.split(","))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def canonical_json(entity: Entity) -> str:
    """The stored form of an entity: `Entity.to_dict()` as compact JSON with sorted keys."""
    return json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def entity_hash(data: str) -> str:
    """Content hash of one stored entity (sha256 of its canonical JSON)."""
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def hash_files(files: Sequence[Path]) -> str:
    """sha256 over the files of one published list.

    One file: the plain sha256 of its bytes (what `sha256sum` prints). Several files: the sha256
    of the `sha256sum`-style lines ("<hex>  <file name>\\n"), sorted by name, so the folder they sit
    in and the order they are given in do not matter.
    """
    digests: list[tuple[str, str]] = []
    for path in files:
        digest = hashlib.sha256()
        try:
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
        except OSError as exc:
            raise SourceError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
        digests.append((Path(path).name, digest.hexdigest()))
    if len(digests) == 1:
        return digests[0][1]
    lines = "".join(f"{hexd}  {name}\n" for name, hexd in sorted(digests))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _with_source(entity: Entity, source: str) -> Entity:
    """Every stored entity names the source it was loaded from in `datasets`."""
    if source in entity.datasets:
        return entity
    return replace(entity, datasets=entity.datasets + (source,))


def _changed_properties(old: Entity, new: Entity) -> tuple[str, ...]:
    """FtM property names whose values differ (plus 'schema' and 'datasets')."""
    out: list[str] = []
    if old.schema != new.schema:
        out.append("schema")
    if set(old.datasets) != set(new.datasets):
        out.append("datasets")
    left, right = old.properties(), new.properties()
    for prop in sorted(set(left) | set(right)):
        if sorted(left.get(prop, [])) != sorted(right.get(prop, [])):
            out.append(prop)
    return tuple(out)


class Store:
    """Versioned local store of the published lists (see docs/store.md).

    Thread-safe: one connection, every public method holds a lock. Open one Store per process.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, keep_snapshots: int) -> None:
        self._conn = conn
        self.path = path
        self.keep_snapshots = keep_snapshots
        self._lock = threading.RLock()

    # -- lifecycle ---------------------------------------------------------

    @classmethod
    def open(cls, path: Path, keep_snapshots: int = 10) -> Store:
        """Open (or create) the store at `path`: creates the folder and schema, WAL mode."""
        if keep_snapshots < 1:
            raise ConfigError(f"keep_snapshots={keep_snapshots}: keep at least 1 snapshot per source")
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot create {path.parent}: {exc.strerror}; set WATCHLIST_HOME") from exc
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=60)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=60000")
            conn.execute("PRAGMA journal_size_limit=67108864")  # truncate the WAL file to 64 MB after use
            conn.executescript(SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),),
                )
            elif int(row[0]) != SCHEMA_VERSION:
                conn.close()
                raise ConfigError(
                    f"{path} has store schema version {row[0]}, this watchlist needs {SCHEMA_VERSION}; "
                    "move the file away and load the lists again"
                )
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                f"{path} is not a usable watchlist store ({exc}); move it away or point WATCHLIST_HOME elsewhere"
            ) from exc
        return cls(conn, path, keep_snapshots)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- loading -----------------------------------------------------------

    def load(self, parsed: ParsedList, *, force: bool = False, min_ratio: float = MIN_RATIO) -> LoadResult:
        """Load one published list as a new snapshot of `parsed.source`, all-or-nothing.

        Same content as the active snapshot: nothing changes, status 'unchanged'. No entities, or
        fewer than `min_ratio` of the active snapshot's (unless `force`): SnapshotRejected. A
        SourceError while parsing propagates. In every failure the previous snapshot stays active.
        """
        source = parsed.source
        if not source:
            raise SourceError(f"{', '.join(map(str, parsed.files)) or 'list'}: no source name")
        with self._lock:
            files_hash = hash_files(parsed.files) if parsed.files else None
            active = self._active_snapshot(source)
            if files_hash is not None and active is not None and active.content_hash == files_hash:
                return self._unchanged(active)
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = self._load_in_transaction(parsed, files_hash, active, force, min_ratio)
                if result.status == "unchanged":
                    conn.execute("ROLLBACK")
                    return self._unchanged(result.snapshot)
                conn.execute("COMMIT")
                return result
            except WatchlistError as exc:
                conn.execute("ROLLBACK")
                kind = "rejected" if isinstance(exc, SnapshotRejected) else "failed"
                details = {"files": [str(f) for f in parsed.files], "format": parsed.format}
                self._event(kind, source, active.id if active else None, exc.message, details, commit=True)
                raise
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def load_many(self, lists: Sequence[ParsedList], *, force: bool = False) -> list[LoadOutcome]:
        """Load several lists (what `load_paths` returns), each on its own; one failing stops no other.

        Lists go in `loading_order`. When one call holds several lists of one source (a folder
        with OFAC sets of different dates), each is loaded as a successive snapshot, oldest first;
        one whose content is already a kept snapshot of that source is skipped (status 'kept'),
        except the last, so loading the same folder twice changes nothing.
        """
        ordered = loading_order(lists)
        last = {parsed.source: i for i, parsed in enumerate(ordered)}
        out: list[LoadOutcome] = []
        for i, parsed in enumerate(ordered):
            files = tuple(str(f) for f in parsed.files)
            try:
                if last[parsed.source] != i and parsed.files:
                    with self._lock:
                        known = self._kept_with_hash(parsed.source, hash_files(parsed.files))
                    if known is not None:
                        out.append(
                            LoadOutcome(parsed.source, files, LoadResult(parsed.source, "kept", known))
                        )
                        continue
                out.append(LoadOutcome(parsed.source, files, self.load(parsed, force=force)))
            except WatchlistError as exc:
                out.append(LoadOutcome(parsed.source, files, error=exc))
        return out

    def _kept_with_hash(self, source: str, content_hash: str) -> SnapshotInfo | None:
        row = self._conn.execute(
            "SELECT id FROM snapshots WHERE source = ? AND content_hash = ? ORDER BY id DESC LIMIT 1",
            (source, content_hash),
        ).fetchone()
        return self._snapshot(int(row[0])) if row else None

    def _unchanged(self, active: SnapshotInfo) -> LoadResult:
        self._event(
            "unchanged",
            active.source,
            active.id,
            f"{active.source}: same content as snapshot {active.id}",
            {"content_hash": active.content_hash},
            commit=True,
        )
        return LoadResult(active.source, "unchanged", active)

    def _load_in_transaction(
        self,
        parsed: ParsedList,
        files_hash: str | None,
        active: SnapshotInfo | None,
        force: bool,
        min_ratio: float,
    ) -> LoadResult:
        conn = self._conn
        source = parsed.source
        cur = conn.execute(
            "INSERT INTO snapshots (source, format, content_hash, published, loaded_at, files, source_url, notes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                source,
                parsed.format,
                files_hash or "",
                parsed.published,
                _now(),
                json.dumps([str(f) for f in parsed.files]),
                parsed.source_url,
                json.dumps(list(parsed.notes)),
            ),
        )
        snap_id = int(cur.lastrowid or 0)
        merged = self._write_members(snap_id, parsed)

        content_hash = files_hash or self._members_hash(snap_id)
        if files_hash is None and active is not None and active.content_hash == content_hash:
            return LoadResult(source, "unchanged", active)

        counts = {
            schema: n
            for schema, n in conn.execute(
                "SELECT schema, count(*) FROM members WHERE snapshot_id = ? GROUP BY schema ORDER BY schema",
                (snap_id,),
            )
        }
        total = sum(counts.values())
        files = ", ".join(str(f) for f in parsed.files) or source
        if total == 0:
            raise SnapshotRejected(
                f"{source}: {files} holds no entities; the list was not loaded and the previous snapshot stays"
            )
        if active is not None and not force and total < min_ratio * active.entity_count:
            raise SnapshotRejected(
                f"{source}: the new list has {total:,} entities, the active snapshot {active.id} has "
                f"{active.entity_count:,} (under {min_ratio:.0%}); a truncated file? Check it, or load "
                "with --force if the list really shrank"
            )
        notes = list(parsed.notes)
        if merged:
            notes.append(f"{merged} duplicate record(s) merged into entities with the same id")
        conn.execute(
            "UPDATE snapshots SET content_hash = ?, entity_count = ?, counts = ?, notes = ? WHERE id = ?",
            (content_hash, total, json.dumps(counts), json.dumps(notes), snap_id),
        )
        added = removed = changed = 0
        if active is not None:
            added, removed, changed = self._diff_counts(active.id, snap_id)
        conn.execute("INSERT OR REPLACE INTO active (source, snapshot_id) VALUES (?, ?)", (source, snap_id))
        pruned = self._prune(source)
        snapshot = self._snapshot(snap_id)
        assert snapshot is not None
        self._event(
            "load",
            source,
            snap_id,
            f"{source}: snapshot {snap_id} active, {total:,} entities"
            + (f" (+{added} -{removed} ~{changed} vs snapshot {active.id})" if active else ""),
            {
                "content_hash": content_hash,
                "published": parsed.published,
                "counts": counts,
                "files": [str(f) for f in parsed.files],
                "previous": active.id if active else None,
                "added": added,
                "removed": removed,
                "changed": changed,
                "forced": force,
                "pruned": pruned,
            },
        )
        return LoadResult(source, "new", snapshot, active, added, removed, changed, tuple(pruned))

    def _write_members(self, snap_id: int, parsed: ParsedList) -> int:
        """Stream the parsed entities into `members`/`entity_data` in batches. Returns merged duplicates."""
        source = parsed.source
        batch: dict[str, Entity] = {}
        seen: set[str] = set()
        merged = 0
        iterator = parsed.entities()
        while True:
            try:
                entity = next(iterator)
            except StopIteration:
                break
            except ValueError as exc:  # a parser that let a model error through
                where = ", ".join(str(f) for f in parsed.files) or source
                raise SourceError(f"{where}: {exc}") from exc
            entity = _with_source(entity, source)
            if entity.id in batch:
                batch[entity.id] = batch[entity.id].merge(entity)
                merged += 1
                continue
            if entity.id in seen:
                self._flush(snap_id, batch)
                self._merge_stored(snap_id, entity)
                merged += 1
                continue
            seen.add(entity.id)
            batch[entity.id] = entity
            if len(batch) >= BATCH_SIZE:
                self._flush(snap_id, batch)
        self._flush(snap_id, batch)
        return merged

    def _flush(self, snap_id: int, batch: dict[str, Entity]) -> None:
        if not batch:
            return
        data_rows: list[tuple[str, str]] = []
        member_rows: list[tuple[int, str, str, str, str]] = []
        for entity in batch.values():
            data = canonical_json(entity)
            digest = entity_hash(data)
            data_rows.append((digest, data))
            member_rows.append((snap_id, entity.id, entity.schema.value, entity.caption, digest))
        self._conn.executemany("INSERT OR IGNORE INTO entity_data (hash, data) VALUES (?, ?)", data_rows)
        self._conn.executemany(
            "INSERT INTO members (snapshot_id, entity_id, schema, caption, hash) VALUES (?, ?, ?, ?, ?)",
            member_rows,
        )
        batch.clear()

    def _merge_stored(self, snap_id: int, entity: Entity) -> None:
        row = self._conn.execute(
            "SELECT d.data FROM members m JOIN entity_data d ON d.hash = m.hash"
            " WHERE m.snapshot_id = ? AND m.entity_id = ?",
            (snap_id, entity.id),
        ).fetchone()
        combined = Entity.from_dict(json.loads(row[0])).merge(entity)
        data = canonical_json(combined)
        digest = entity_hash(data)
        self._conn.execute("INSERT OR IGNORE INTO entity_data (hash, data) VALUES (?, ?)", (digest, data))
        self._conn.execute(
            "UPDATE members SET schema = ?, caption = ?, hash = ? WHERE snapshot_id = ? AND entity_id = ?",
            (combined.schema.value, combined.caption, digest, snap_id, entity.id),
        )

    def _members_hash(self, snap_id: int) -> str:
        digest = hashlib.sha256()
        for entity_id, h in self._conn.execute(
            "SELECT entity_id, hash FROM members WHERE snapshot_id = ? ORDER BY entity_id", (snap_id,)
        ):
            digest.update(f"{entity_id} {h}\n".encode())
        return "entities:" + digest.hexdigest()

    def _diff_counts(self, old: int, new: int) -> tuple[int, int, int]:
        conn = self._conn
        missing = (
            "SELECT count(*) FROM members a WHERE a.snapshot_id = ? AND NOT EXISTS"
            " (SELECT 1 FROM members b WHERE b.snapshot_id = ? AND b.entity_id = a.entity_id)"
        )
        added = conn.execute(missing, (new, old)).fetchone()[0]
        removed = conn.execute(missing, (old, new)).fetchone()[0]
        changed = conn.execute(
            "SELECT count(*) FROM members a JOIN members b ON b.snapshot_id = ? AND b.entity_id = a.entity_id"
            " WHERE a.snapshot_id = ? AND a.hash != b.hash",
            (old, new),
        ).fetchone()[0]
        return int(added), int(removed), int(changed)

    def _prune(self, source: str) -> list[int]:
        """Drop the snapshots of `source` beyond `keep_snapshots` (never the active one)."""
        conn = self._conn
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM snapshots WHERE source = ? AND id NOT IN (SELECT snapshot_id FROM active)"
                " ORDER BY id DESC",
                (source,),
            )
        ]
        drop = ids[max(self.keep_snapshots - 1, 0) :]
        if not drop:
            return []
        marks = ",".join("?" * len(drop))
        hashes = [
            r[0]
            for r in conn.execute(f"SELECT DISTINCT hash FROM members WHERE snapshot_id IN ({marks})", drop)
        ]
        conn.execute(f"DELETE FROM members WHERE snapshot_id IN ({marks})", drop)
        conn.execute(f"DELETE FROM snapshots WHERE id IN ({marks})", drop)
        conn.executemany(
            "DELETE FROM entity_data WHERE hash = ? AND NOT EXISTS (SELECT 1 FROM members WHERE hash = ?)",
            [(h, h) for h in hashes],
        )
        self._event(
            "prune",
            source,
            None,
            f"{source}: pruned snapshot(s) {', '.join(map(str, drop))}",
            {"snapshots": drop},
        )
        return drop

    def _event(
        self,
        kind: str,
        source: str | None,
        snapshot_id: int | None,
        message: str,
        details: dict[str, Any] | None = None,
        commit: bool = False,
    ) -> None:
        sql = "INSERT INTO events (at, kind, source, snapshot_id, message, details) VALUES (?, ?, ?, ?, ?, ?)"
        params = (_now(), kind, source, snapshot_id, message, json.dumps(details or {}, default=str))
        if commit and not self._conn.in_transaction:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(sql, params)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        else:
            self._conn.execute(sql, params)

    # -- reading -----------------------------------------------------------

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

    def seen(self, entity_ids: Sequence[str]) -> dict[str, Seen]:
        """When each entity was first and last in a loaded snapshot, and when its record last changed.

        Read from the kept snapshots (`keep_snapshots`), so first_seen is at most that many loads back.
        """
        out: dict[str, Seen] = {}
        wanted = list(dict.fromkeys(entity_ids))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            with self._lock:
                rows = self._conn.execute(
                    "SELECT m.entity_id, s.loaded_at, m.hash FROM members m JOIN snapshots s"
                    f" ON s.id = m.snapshot_id WHERE m.entity_id IN ({marks}) ORDER BY s.id",
                    chunk,
                ).fetchall()
            history: dict[str, list[tuple[str, str]]] = {}
            for entity_id, loaded_at, content in rows:
                history.setdefault(entity_id, []).append((loaded_at, content))
            for entity_id, loads in history.items():
                changed = loads[-1][0]
                for loaded_at, content in reversed(loads):
                    if content != loads[-1][1]:
                        break
                    changed = loaded_at
                out[entity_id] = Seen(min(s for s, _ in loads), max(s for s, _ in loads), changed)
        return out

    def diff(self, source: str, old: int | None = None, new: int | None = None) -> Diff:
        """What changed in `source` between two snapshots (default: the active one and the one before)."""
        with self._lock:
            snaps = self.snapshots(source)
            if not snaps:
                raise NotFoundError(
                    f"no snapshot of {source!r}; loaded: {', '.join(self.source_names()) or 'none'}"
                )
            by_id = {s.id: s for s in snaps}
            if new is None:
                new_snap = next((s for s in snaps if s.active), snaps[0])
            elif new in by_id:
                new_snap = by_id[new]
            else:
                raise NotFoundError(
                    f"{source} has no snapshot {new}; kept: {', '.join(str(s.id) for s in snaps)}"
                )
            old_snap: SnapshotInfo | None
            if old is None:
                old_snap = next((s for s in snaps if s.id < new_snap.id), None)
            elif old in by_id:
                old_snap = by_id[old]
            else:
                raise NotFoundError(
                    f"{source} has no snapshot {old}; kept: {', '.join(str(s.id) for s in snaps)}"
                )
            conn = self._conn
            if old_snap is None:
                added = tuple(
                    EntityRef(*r)
                    for r in conn.execute(
                        "SELECT entity_id, schema, caption FROM members WHERE snapshot_id = ? ORDER BY entity_id",
                        (new_snap.id,),
                    )
                )
                return Diff(source, None, new_snap, added=added)
            missing = (
                "SELECT a.entity_id, a.schema, a.caption FROM members a WHERE a.snapshot_id = ? AND NOT EXISTS"
                " (SELECT 1 FROM members b WHERE b.snapshot_id = ? AND b.entity_id = a.entity_id)"
                " ORDER BY a.entity_id"
            )
            added = tuple(EntityRef(*r) for r in conn.execute(missing, (new_snap.id, old_snap.id)))
            removed = tuple(EntityRef(*r) for r in conn.execute(missing, (old_snap.id, new_snap.id)))
            changed_rows = conn.execute(
                "SELECT b.entity_id, b.schema, b.caption, da.data, db.data FROM members a"
                " JOIN members b ON b.snapshot_id = ? AND b.entity_id = a.entity_id AND b.hash != a.hash"
                " JOIN entity_data da ON da.hash = a.hash JOIN entity_data db ON db.hash = b.hash"
                " WHERE a.snapshot_id = ? ORDER BY a.entity_id",
                (new_snap.id, old_snap.id),
            ).fetchall()
        changed = tuple(
            Change(eid, schema, caption, _changed_properties(_load(a), _load(b)))
            for eid, schema, caption, a, b in changed_rows
        )
        return Diff(source, old_snap, new_snap, added, removed, changed)

    def history(self, entity_id: str) -> list[tuple[SnapshotInfo, Entity | None]]:
        """The entity in every kept snapshot of the sources that ever listed it, newest first.

        None where a snapshot does not list it (delisted, or not yet listed).
        """
        with self._lock:
            sources = [
                r[0]
                for r in self._conn.execute(
                    "SELECT DISTINCT s.source FROM members m JOIN snapshots s ON s.id = m.snapshot_id"
                    " WHERE m.entity_id = ? ORDER BY s.source",
                    (entity_id,),
                )
            ]
            out: list[tuple[SnapshotInfo, Entity | None]] = []
            for source in sources:
                for snap in self.snapshots(source):
                    row = self._conn.execute(
                        "SELECT d.data FROM members m JOIN entity_data d ON d.hash = m.hash"
                        " WHERE m.snapshot_id = ? AND m.entity_id = ?",
                        (snap.id, entity_id),
                    ).fetchone()
                    out.append((snap, _load(row[0]) if row else None))
        out.sort(key=lambda pair: pair[0].id, reverse=True)
        return out

    def events(self, limit: int = 100, source: str | None = None) -> list[Event]:
        """The audit log, newest first."""
        with self._lock:
            if source is None:
                rows = self._conn.execute(
                    "SELECT id, at, kind, source, snapshot_id, message, details FROM events ORDER BY id DESC LIMIT ?",
                    (limit,),
                ).fetchall()
            else:
                rows = self._conn.execute(
                    "SELECT id, at, kind, source, snapshot_id, message, details FROM events WHERE source = ?"
                    " ORDER BY id DESC LIMIT ?",
                    (source, limit),
                ).fetchall()
        return [Event(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6])) for r in rows]


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


def loading_order(lists: Sequence[ParsedList]) -> list[ParsedList]:
    """The order to load several lists in, so that each source's newest list ends up active.

    Lists of different sources keep their order. Several lists of one source (e.g. a folder
    with OFAC sets of different dates) are loaded one after another as successive snapshots,
    oldest first: by the publication date stated in the files when every one states it,
    otherwise in the order given (`load_paths` walks folders in name order, so date-named
    folders such as `sdn_2021-07`, `sdn_2024-05-03` come oldest first).
    """
    by_source: dict[str, list[ParsedList]] = {}
    for parsed in lists:
        by_source.setdefault(parsed.source, []).append(parsed)
    out: list[ParsedList] = []
    for group in by_source.values():
        if len(group) > 1 and all(p.published for p in group):
            group = sorted(group, key=lambda p: p.published or "")
        out.extend(group)
    return out
