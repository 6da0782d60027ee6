"""A list update while serving: requests in flight finish on the old index, none fails."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient

from watchlist.api.app import ReloadWatcher, create_app
from watchlist.engine import Engine
from watchlist.model import Entity, Name, Schema
from watchlist.settings import Settings
from watchlist.sources.base import ParsedList

QUERY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Ivan Petrov"]}}}}


def listed(source: str, names: list[str]) -> ParsedList:
    entities = [
        Entity(id=f"{source}-{i}", schema=Schema.PERSON, names=(Name(n),), datasets=(source,))
        for i, n in enumerate(names)
    ]

    def gen() -> Iterator[Entity]:
        yield from entities

    return ParsedList(source=source, format="test", files=(), entities=gen, published="2025-01-01")


def test_concurrent_requests_during_reload_all_succeed(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, api_reload_interval=0)
    engine = Engine.open(settings)
    filler = [f"Person Number{i} Filler{i % 97}" for i in range(3000)]
    engine.store.load(listed("uk", ["Ivan Petrov", *filler]))
    app = create_app(settings, engine)
    admin = app.state.keys.create("ops", role="admin")[1]
    user = app.state.keys.create("user")[1]
    statuses: list[int] = []
    seen_versions: set[str] = set()
    reloaded = threading.Event()

    def hammer() -> None:
        with TestClient(app, headers={"Authorization": f"ApiKey {user}"}) as client:
            count = 0
            while not reloaded.is_set() or count < 20:
                resp = client.post("/match/default", json=QUERY)
                statuses.append(resp.status_code)
                if resp.status_code == 200:
                    seen_versions.add(",".join(r["id"] for r in resp.json()["responses"]["q"]["results"][:1]))
                count += 1

    with TestClient(app, headers={"Authorization": f"ApiKey {admin}"}) as control:
        old = control.get("/readyz").json()["index_version"]
        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        engine.store.load(listed("uk", ["Ivan Petrov", "Pyotr Ivanov", *filler]))  # a new version lands
        swap = control.post("/admin/reload").json()
        reloaded.set()
        for thread in threads:
            thread.join(timeout=120)
        assert swap["changed"] and swap["previous"] == old and swap["current"] != old
        assert control.get("/readyz").json()["index_version"] == swap["current"]
        hits = control.post(
            "/match/default",
            json={"queries": {"q": {"schema": "Person", "properties": {"name": ["Pyotr Ivanov"]}}}},
        ).json()["responses"]["q"]["results"]
        assert hits[0]["caption"] == "Pyotr Ivanov"
    assert len(statuses) >= 80
    assert set(statuses) == {200}


def test_watcher_reloads_when_the_store_changes(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, api_reload_interval=0)
    engine = Engine.open(settings)
    engine.store.load(listed("un", ["Ivan Petrov"]))
    watcher = ReloadWatcher(engine, interval=60)
    engine.reload()
    assert watcher.check() is False
    engine.store.load(listed("un", ["Ivan Petrov", "Olga Sidorova"]))
    assert watcher.check() is True
    assert any(e.caption == "Olga Sidorova" for e in engine.index.entities)
