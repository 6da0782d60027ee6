"""`Store.seen`: when an entity was first and last in a loaded snapshot, and when its record last changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from watchlist.model import Entity, Name, Schema
from watchlist.sources.base import ParsedList
from watchlist.store import Store, loading


def _list(*entities: Entity) -> ParsedList:
    def gen() -> Iterator[Entity]:
        return iter(entities)

    return ParsedList(source="un", format="test", files=(), entities=gen)


def _person(entity_id: str, name: str) -> Entity:
    return Entity(id=entity_id, schema=Schema.PERSON, names=(Name(name),), datasets=("un",))


def test_first_last_and_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter(["2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"])
    monkeypatch.setattr(loading, "_now", lambda: next(clock))
    with Store.open(tmp_path / "w.db") as store:
        store.load(_list(_person("a", "Kim Jong Un"), _person("b", "Ivan Petrov")))
        store.load(_list(_person("a", "Kim Jong Un"), _person("b", "Ivan Petrov"), _person("c", "Ana Lima")))
        store.load(_list(_person("a", "Kim Jong-un"), _person("b", "Ivan Petrov"), _person("c", "Ana Lima")))
        seen = store.seen(["a", "b", "c", "nope"])
    assert "nope" not in seen
    assert seen["a"].first_seen == "2026-01-01T00:00:00Z" and seen["a"].last_seen == "2026-03-01T00:00:00Z"
    assert seen["a"].last_change == "2026-03-01T00:00:00Z"  # its name changed in the third load
    assert seen["b"].last_change == "2026-01-01T00:00:00Z"  # never changed
    assert seen["c"].first_seen == "2026-02-01T00:00:00Z"
