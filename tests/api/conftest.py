"""API test fixtures: an in-memory engine, the app, and clients holding a user or an admin key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import entities
from fastapi import FastAPI
from fastapi.testclient import TestClient

from watchlist.api.app import create_app
from watchlist.engine import Engine
from watchlist.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", api_reload_interval=0)


@pytest.fixture
def engine(settings: Settings) -> Engine:
    return Engine.from_entities(entities(), settings=settings)


@pytest.fixture
def app(settings: Settings, engine: Engine) -> FastAPI:
    return create_app(settings, engine)


@pytest.fixture
def user_key(app: FastAPI) -> str:
    return app.state.keys.create("tester")[1]


@pytest.fixture
def admin_key(app: FastAPI) -> str:
    return app.state.keys.create("operator", role="admin")[1]


@pytest.fixture
def client(app: FastAPI, user_key: str) -> Iterator[TestClient]:
    with TestClient(app, headers={"Authorization": f"ApiKey {user_key}"}) as c:
        yield c


@pytest.fixture
def anon(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c
