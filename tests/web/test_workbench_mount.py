"""The workbench router mounts into the JSON API's app without colliding with its routes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from workbench_helpers import PASSWORD, kim, mansudae

from watchlist.cases import SqliteCaseStore
from watchlist.engine import Engine
from watchlist.settings import Settings
from watchlist.web import create_workbench_router


def test_mounts_in_the_api_app(tmp_path: Path) -> None:
    api = pytest.importorskip("watchlist.api.app", reason="the JSON API (watchlist.api.app) is not built yet")
    settings = Settings(home=tmp_path)
    engine = Engine.from_entities([mansudae(), kim()], settings)
    app = api.create_app(settings, engine)
    api_paths = {getattr(r, "path", "") for r in app.routes}
    cases = SqliteCaseStore.open(tmp_path / "cases.db")
    router = create_workbench_router(settings, engine, cases)
    assert not api_paths & {getattr(r, "path", "") for r in router.routes}
    app.include_router(router)
    cases.create_user("ana", "analyst", PASSWORD)
    with TestClient(app) as client:
        assert client.get("/", follow_redirects=False).headers["location"].startswith("/wb/login")
        form = client.get("/wb/login")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/wb/login", data={"username": "ana", "password": PASSWORD, "csrf_token": token})
        assert "MANSUDAE" in client.get("/wb/search", params={"q": "Mansudae"}).text
        assert "/openapi.json" in api_paths and "/wb/alerts" not in client.get("/openapi.json").text
    cases.close()


def test_serve_mounts_the_workbench_at_root(tmp_path: Path) -> None:
    from watchlist.cli.serve import server_app

    app = server_app(Settings(home=tmp_path))
    with TestClient(app) as client:  # type: ignore[arg-type]
        assert client.get("/healthz").status_code == 200
        assert client.get("/", follow_redirects=False).headers["location"].startswith("/wb/login")
        assert client.get("/wb/login").status_code == 200
