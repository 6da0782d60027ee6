"""Loading a published list as a new snapshot: write -> verify -> activate, all-or-nothing.

A load is one transaction (``BEGIN IMMEDIATE`` ... ``COMMIT``): the snapshot row, every member row,
the sanity check (the shrink guard), the flip of ``active``, pruning and the audit event. Anything
that goes wrong before the commit (a SourceError while parsing, a rejected snapshot, the process
being killed) rolls all of it back, so the previous snapshot stays in force and intact.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from watchlist.errors import SnapshotRejected, SourceError, WatchlistError
from watchlist.model import Entity
from watchlist.sources.base import ParsedList
from watchlist.store.history import History
from watchlist.store.reading import _now
from watchlist.store.types import LoadOutcome, LoadResult, SnapshotInfo

BATCH_SIZE = 2000  # entities per executemany
MIN_RATIO = 0.5  # a new snapshot with fewer than this share of the active one's entities is rejected


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




class Loading(History):
    """The write side of `Store`: loads, each in one transaction."""

    path: Path

    def load(self, parsed: ParsedList, *, force: bool = False, min_ratio: float = MIN_RATIO) -> LoadResult:
        """Load one published list as a new snapshot of `parsed.source`, all-or-nothing.

        Same content as the active snapshot: nothing changes, status 'unchanged'. No entities, or
        fewer than `min_ratio` of the active snapshot's (unless `force`): SnapshotRejected. A
        SourceError while parsing propagates. In every failure the previous snapshot stays active.
        """
        source = parsed.source
        if not source:
            raise SourceError(f"{', '.join(map(str, parsed.files)) or 'list'}: no source name")
        with self._lock, self._load_lock():
            files_hash = hash_files(parsed.files) if parsed.files else None
            conn = self._conn
            conn.execute("BEGIN IMMEDIATE")
            active: SnapshotInfo | None = None
            try:
                # Read under the write lock: a load that committed meanwhile is the snapshot this one
                # replaces, so the shrink guard, the diff and the chain of snapshots are checked against it.
                active = self._active_snapshot(source)
                if files_hash is not None and active is not None and active.content_hash == files_hash:
                    conn.execute("ROLLBACK")
                    return self._unchanged(active)
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

    @contextmanager
    def _load_lock(self) -> Iterator[None]:
        """Loads into this store file serialise, across threads and processes, for as long as each takes.

        An exclusive `flock` on ``<store>-load.lock`` (released by the system if the process dies);
        where there is no `fcntl`, SQLite's write lock alone serialises them, up to its busy timeout.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            yield
            return
        with open(f"{self.path}-load.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

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
