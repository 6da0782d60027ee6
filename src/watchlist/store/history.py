"""The history of the lists: diffs between snapshots, an entity across them, pruning and the event log.

Every load, rejection, prune and unchanged reload leaves an event (`events`), the store's
audit trail; `diff` and `history` read the snapshots a load keeps (`keep_snapshots`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from watchlist.errors import NotFoundError
from watchlist.model import Entity, Seen
from watchlist.store.reading import Reading, _load, _now
from watchlist.store.types import Change, Diff, EntityRef, Event, SnapshotInfo


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




class History(Reading):
    """Diffs, an entity's history, pruning and events, on top of `Reading`."""

    keep_snapshots: int

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

    def seen(self, entity_ids: Sequence[str]) -> dict[str, Seen]:
        """When each entity was first and last in a loaded snapshot, and when its record last changed.

        Read from the kept snapshots (`keep_snapshots`), so first_seen goes back at most that many loads.
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
            loads: dict[str, list[tuple[str, str]]] = {}
            for entity_id, loaded_at, content in rows:
                loads.setdefault(entity_id, []).append((loaded_at, content))
            for entity_id, seen in loads.items():
                out[entity_id] = Seen(min(s for s, _ in seen), max(s for s, _ in seen), _changed(seen))
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


def _changed(loads: list[tuple[str, str]]) -> str:
    """The load time of the oldest snapshot in the newest unbroken run holding the current record."""
    changed, current = loads[-1]
    for loaded_at, content in reversed(loads):
        if content != current:
            break
        changed = loaded_at
    return changed
