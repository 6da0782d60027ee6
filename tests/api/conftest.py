"""API test fixtures: an in-memory engine, the app, and clients holding a user or an admin key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from watchlist.api.app import create_app
from watchlist.engine import Engine
from watchlist.model import Address, Entity, Identifier, IdType, Name, NameKind, Schema
from watchlist.settings import Settings


def make_entity(id: str, name: str, schema: Schema = Schema.PERSON, aliases: tuple[str, ...] = (),
                datasets: tuple[str, ...] = ("test",), **fields: object) -> Entity:
    """As tests/conftest.py's make_entity (a second conftest module cannot import the first)."""
    names = (Name(name),) + tuple(Name(a, NameKind.ALIAS) for a in aliases)
    return Entity(id=id, schema=schema, names=names, datasets=datasets, **fields)  # type: ignore[arg-type]


def entities() -> list[Entity]:
    return [
        make_entity("un-KPi.033", "Kim Jong Un", datasets=("un",), birth_dates=("1984-01-08",),
                    nationalities=("kp",), identifiers=(Identifier(IdType.PASSPORT, "836410115"),),
                    programs=("DPRK",)),
        make_entity("ofac-20157", "KIM, Jong Un", datasets=("ofac-sdn",), birth_dates=("1984-01-08",),
                    nationalities=("kp",)),
        make_entity("ofac-9000", "Acme Trading LLC", Schema.COMPANY, aliases=("Acme Trade",),
                    datasets=("ofac-sdn",), countries=("ae",), addresses=(Address("1 Road, Dubai", "Dubai", "ae"),)),
        make_entity("uk-123", "Ivan Petrov", datasets=("uk",), birth_dates=("1970-05-03",), nationalities=("ru",)),
        make_entity("un-IMO", "Ocean Star", Schema.VESSEL, datasets=("un",),
                    identifiers=(Identifier(IdType.IMO, "9123456"),)),
    ]


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
