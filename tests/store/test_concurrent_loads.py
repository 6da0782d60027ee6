"""Two loads of the same list at once: they serialise, and the shrink guard sees what the other load made active."""

from __future__ import annotations

import threading
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from store_helpers import parsed
from tests.conftest import make_entity

from watchlist.errors import SnapshotRejected
from watchlist.model import Entity
from watchlist.store import SnapshotInfo, Store


def people(n: int, prefix: str) -> list[Entity]:
    return [make_entity(f"ofac-{prefix}{i}", f"Person {prefix}{i}", datasets=("ofac",)) for i in range(n)]


def test_a_racing_small_load_cannot_replace_a_large_one_unchecked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Load B (10 entities) reads the active snapshot; load A (100) commits; then B carries on.

    Read before the write lock, B checks its 10 entities against the 10 of the first snapshot
    and silently replaces A's 100. Read under the lock, B cannot read until A is done (or A waits
    for B); either way the 100-entity list stays active and no load shrinks a list unchecked.
    """
    path = tmp_path / "watchlist.db"
    with Store.open(path) as setup:
        setup.load(parsed("ofac", people(10, "s")))
    a, b = Store.open(path), Store.open(path)
    b_read_active, a_done = threading.Event(), threading.Event()
    original = b._active_snapshot

    def active_then_pause(source: str) -> SnapshotInfo | None:
        snapshot = original(source)
        if not b_read_active.is_set():
            b_read_active.set()
            a_done.wait(timeout=1.5)  # let A commit in between, if A can
        return snapshot

    monkeypatch.setattr(b, "_active_snapshot", active_then_pause)
    outcome: dict[str, Any] = {}

    def load_a() -> None:
        b_read_active.wait(timeout=10)
        outcome["a"] = a.load(parsed("ofac", people(100, "a")))
        a_done.set()

    def load_b() -> None:
        try:
            outcome["b"] = b.load(parsed("ofac", people(10, "b")))
        except SnapshotRejected as exc:
            outcome["b"] = exc

    threads = [threading.Thread(target=load_a), threading.Thread(target=load_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    a.close(), b.close()

    with Store.open(path) as store:
        active = store.active_snapshot("ofac")
        assert active is not None and active.entity_count == 100, "a 10-entity load replaced 100 entities"
        loads = [e for e in reversed(store.events(source="ofac")) if e.kind == "load"]
    # The snapshot chain: each load names, as its previous, the snapshot active just before it.
    for earlier, later in pairwise(loads):
        assert later.details["previous"] == earlier.snapshot_id


def test_loads_wait_for_each_other_rather_than_fail(tmp_path: Path) -> None:
    """A second load while a first holds the load lock waits for it (no 'database is locked')."""
    path = tmp_path / "watchlist.db"
    first, second = Store.open(path), Store.open(path)
    started, release = threading.Event(), threading.Event()

    def slow_entities() -> Any:
        started.set()
        release.wait(timeout=10)
        yield from people(20, "x")

    from watchlist.sources.base import ParsedList

    slow = ParsedList(source="ofac", format="test", files=(), entities=slow_entities, published="2024-01-01")
    thread = threading.Thread(target=first.load, args=(slow,))
    thread.start()
    assert started.wait(timeout=10)
    waiter = threading.Thread(target=second.load, args=(parsed("ofac", people(20, "y")),))
    waiter.start()
    waiter.join(timeout=0.5)
    assert waiter.is_alive(), "the second load did not wait for the first"
    release.set()
    thread.join(timeout=30)
    waiter.join(timeout=30)
    first.close(), second.close()
    with Store.open(path) as store:
        assert [s.entity_count for s in store.snapshots("ofac")] == [20, 20]
        assert store.active_snapshot("ofac") == store.snapshots("ofac")[0]
