"""Workbench fixtures (a unique module name: tests/ has no packages): a list store with two versions of a small 'un' list, a case store, users, an app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.conftest import make_entity

from watchlist.cases import AlertIn, SqliteCaseStore
from watchlist.engine import Engine
from watchlist.match.types import Query
from watchlist.model import Entity, Identifier, IdType, Name, NameKind, Schema
from watchlist.settings import Settings
from watchlist.sources.base import ParsedList
from watchlist.store import Store
from watchlist.web import create_workbench_router

PASSWORD = "correct horse battery"
USERS = {"ana": "analyst", "bob": "analyst", "sue": "supervisor", "sam": "supervisor", "root": "admin"}


def mansudae(remarks: tuple[str, ...] = ()) -> Entity:
    return Entity(
        id="un-KPe.050",
        schema=Schema.ORGANIZATION,
        names=(
            Name("MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES"),
            Name("Mansudae Overseas Project Architectural and Technical Services (Proprietary) Limited", NameKind.ALIAS),
            Name("만수대해외개발회사그룹", lang="ko", original_script=True),
        ),
        datasets=("un",),
        countries=("kp",),
        addresses=(),
        programs=("DPRK",),
        listed_on=("2016-11-30",),
        remarks=remarks,
        source_url="https://main.un.org/securitycouncil/en/sanctions/1718",
    )


def kim() -> Entity:
    return make_entity(
        "un-KPi.066", "KIM Jong Sik", datasets=("un",), birth_dates=("1967",), nationalities=("kp",),
        programs=("DPRK",), identifiers=(Identifier(IdType.PASSPORT, "PD836410105", "kp"),),
        listed_on=("2017-06-02",),
    )


def listed(entities: list[Entity], published: str) -> ParsedList:
    return ParsedList(source="un", format="test", files=(), entities=lambda: iter(entities), published=published)


@dataclass
class Bench:
    app: FastAPI
    engine: Engine
    cases: SqliteCaseStore
    alert_id: int


@pytest.fixture(name="bench")
def bench_fixture(tmp_path: Path) -> Iterator[Bench]:
    settings = Settings(home=tmp_path / "home")
    store = Store.open(settings.db_path)
    store.load(listed([mansudae(), kim()], "2024-01-10"))
    store.load(listed([mansudae(("Mansudae Art Studio's overseas arm.",)), kim(),
                       make_entity("un-KPi.099", "PAK Il Su", datasets=("un",))], "2024-05-03"))
    engine = Engine(settings, store)
    cases = SqliteCaseStore.open(tmp_path / "cases.db")
    for name, role in USERS.items():
        cases.create_user(name, role, PASSWORD)
    query = Query.build("Kim Jong Sik", birth_date="1967-04-02", country="kp")
    result = engine.compare(query, engine.get("un-KPi.066"))
    (alert_id,) = cases.add_alerts([AlertIn.from_result(
        "batch", "customer-42", {"name": "Kim Jong Sik", "birth_date": "1967-04-02", "country": "North Korea"},
        result, run_id="run-1")])
    app = FastAPI()
    app.include_router(create_workbench_router(settings, engine, cases))
    yield Bench(app, engine, cases, alert_id)
    cases.close()
    store.close()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in; returns the session's CSRF token."""
    form = client.get("/wb/login")
    response = client.post("/wb/login", data={"username": name, "password": password,
                                              "csrf_token": csrf_of(form.text), "next": "/"})
    assert response.status_code == 200, response.text
    return csrf_of(client.get("/wb/alerts").text)


@pytest.fixture(name="client")
def client_fixture(bench: Bench) -> TestClient:
    return TestClient(bench.app)
