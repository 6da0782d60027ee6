"""The API over a real list (UN consolidated XML) loaded into a temporary store."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from watchlist.api.app import create_app
from watchlist.engine import Engine
from watchlist.settings import Settings
from watchlist.sources import load_paths


@pytest.mark.integration
def test_match_and_catalog_over_the_un_list(tmp_path: Path, shared_lists: Path) -> None:
    settings = Settings(home=tmp_path, api_reload_interval=0)
    engine = Engine.open(settings)
    assert engine.store is not None
    for parsed in load_paths([shared_lists / "un" / "consolidated.xml"]):
        engine.store.load(parsed)
    app = create_app(settings, engine)
    key = app.state.keys.create("it")[1]
    with TestClient(app, headers={"Authorization": f"ApiKey {key}"}) as client:
        ready = client.get("/readyz").json()
        assert ready["lists"][0]["name"] == "un" and ready["lists"][0]["age_seconds"] >= 0
        catalog = client.get("/catalog").json()
        un = next(d for d in catalog["datasets"] if d["name"] == "un")
        assert un["entity_count"] == 1003 and un["published"] and not catalog["index_stale"]
        listed = next(e for e in engine.index.entities if e.schema.value == "Person")
        query = {"schema": "Person", "properties": {"name": [listed.caption]}}
        body = client.post("/match/un", json={"queries": {"q": query}}).json()
        results = body["responses"]["q"]["results"]
        assert results and all(r["datasets"] == ["un"] for r in results)
        assert listed.id in [r["id"] for r in results if r["match"]]
        entity = client.get(f"/entities/{results[0]['id']}").json()
        assert entity["properties"]["name"]
