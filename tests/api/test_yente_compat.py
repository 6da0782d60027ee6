"""yente-shaped requests, from yente's documented API and the `yente-client` package, against this API
serving yente's own test entities (`yente_zala_entities.ftm.json`, loaded into a store). Every entity it
emits loads in followthemoney."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from yente_client import Client, Company, Person

from ftm_check import ftm_problems
from watchlist.api.app import create_app
from watchlist.engine import Engine
from watchlist.settings import Settings
from watchlist.sources import load_paths

pytestmark = pytest.mark.integration
OSETROVA = "NK-2Tbri3s6GgNtAwsSXh4qpL"
ZALA_AERO = "NK-cPks3aTbes8k4aCerfBAzN"
KALASHNIKOV = "NK-nR5AXM9AVPq4pQaSPSaVam"
TRANSKOMPLEKT = "NK-DSxJ9ZzHxBBMyEMnnTBhai"  # ext_ru_egrul, ua_nsdc_sanctions (not us_ofac_sdn)
ASSOCIATION = "NK-SiYwWfxwLVrVeFswsvAvsm"  # ext_ru_egrul, ann_graph_topics


@pytest.fixture(scope="module")
def zala_app(tmp_path_factory: pytest.TempPathFactory, shared_lists_dir: Path) -> FastAPI:
    settings = Settings(home=tmp_path_factory.mktemp("zala"), api_reload_interval=0)
    engine = Engine.open(settings)
    assert engine.store is not None
    for parsed in load_paths([shared_lists_dir / "ftm" / "yente_zala_entities.ftm.json"]):
        engine.store.load(parsed)
    return create_app(settings, engine)


@pytest.fixture(scope="module")
def shared_lists_dir() -> Path:
    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "lists"
    if not path.is_dir():
        pytest.fail(f"shared list files not found at {path}")
    return path


@pytest.fixture(scope="module")
def key(zala_app: FastAPI) -> str:
    return str(zala_app.state.keys.create("compat")[1])


@pytest.fixture
def http(zala_app: FastAPI, key: str) -> Iterator[TestClient]:
    with TestClient(zala_app, headers={"Authorization": f"ApiKey {key}"}) as client:
        yield client


@pytest.fixture
def yente(zala_app: FastAPI, key: str, http: TestClient) -> Iterator[Client]:
    with Client(api_key=key, base_url="http://testserver", transport=http._transport) as client:
        yield client


def assert_ftm(entity: dict[str, Any]) -> None:
    assert ftm_problems(entity) == [], entity["id"]
    assert entity["first_seen"] and entity["last_seen"] and entity["last_change"]


def test_search_as_yente_client(yente: Client, http: TestClient) -> None:
    found = yente.search("Kalashnikov Concern", limit=5)
    assert found.results[0].id == KALASHNIKOV
    in_ofac = yente.search("", datasets=["us_ofac_sdn"], limit=50)
    assert in_ofac.total.value > 0 and all("us_ofac_sdn" in r.datasets for r in in_ofac.results)
    raw = http.get(
        "/search/default", params={"q": "Zakharova", "countries": "ru", "topics": "sanction"}
    ).json()
    assert OSETROVA in [r["id"] for r in raw["results"]]
    assert {"countries", "topics", "datasets"} <= set(raw["facets"])
    for entity in raw["results"] + http.get("/search/default", params={"limit": 50}).json()["results"]:
        assert_ftm(entity)


def test_match_as_yente_client(yente: Client) -> None:
    person = Person(name=["Maria Osetrova"], birthDate=["1988-01-07"], nationality=["ru"])
    resp = yente.match(person, limit=3)
    assert resp.top is not None and resp.top.id == OSETROVA and resp.top.match
    company = yente.match(Company(name=["ZALA AERO JSC"], jurisdiction=["ru"]), datasets=["ua_nsdc_sanctions"])
    assert ZALA_AERO in [m.id for m in company.matches]
    assert all("ua_nsdc_sanctions" in m.datasets for m in company.results)


def test_match_with_several_datasets(yente: Client, http: TestClient) -> None:
    """yente-client sends `datasets=[a, b]` as /match/a?include_dataset=b: both lists are screened."""
    query = Company(name=['Joint-Stock Company "TransKomplektHolding"'])
    only_ofac = yente.match(query, datasets=["us_ofac_sdn"])
    assert TRANSKOMPLEKT not in [m.id for m in only_ofac.matches]
    both = yente.match(query, datasets=["us_ofac_sdn", "ua_nsdc_sanctions"])
    assert both.top is not None and both.top.id == TRANSKOMPLEKT
    association = {
        "schema": "Organization",
        "properties": {"name": ['НЕКОММЕРЧЕСКОЕ ПАРТНЕРСТВО "АССОЦИАЦИЯ БЕСПИЛОТНЫХ СИСТЕМ"']},
    }
    queries = {
        "queries": {
            "a": association,
            "t": {"schema": "Company", "properties": {"name": ["TransKomplektHolding"]}},
        }
    }
    body = http.post(
        "/match/default", json=queries, params={"include_dataset": ["ua_nsdc_sanctions", "us_ofac_sdn"]}
    ).json()
    assert ASSOCIATION not in [r["id"] for r in body["responses"]["a"]["results"]]
    assert TRANSKOMPLEKT in [r["id"] for r in body["responses"]["t"]["results"]]
    for response in body["responses"].values():
        for entity in response["results"]:
            assert_ftm(entity)


def test_fetch_and_adjacent_as_yente_client(yente: Client, http: TestClient) -> None:
    entity = yente.fetch(ZALA_AERO)
    assert entity.id == ZALA_AERO and entity.schema_ == "Company"
    adjacent = yente.adjacent(ZALA_AERO)
    assert adjacent.entity.id == ZALA_AERO and "sanctions" in adjacent.adjacent
    by_prop = yente.adjacent(ZALA_AERO, prop="sanctions", limit=1)
    assert len(by_prop.results) == 1 and by_prop.total.value >= 1
    fetched = http.get(f"/entities/{ZALA_AERO}").json()
    nested = fetched["properties"].pop("sanctions")  # yente's nested=true: the sanctions inlined
    assert nested and all(s["schema"] == "Sanction" and ftm_problems(s) == [] for s in nested)
    assert_ftm(fetched)
    assert http.get(f"/entities/{ZALA_AERO}", params={"nested": "false"}).json() == fetched
    for sanction in http.get(f"/entities/{ZALA_AERO}/adjacent").json()["adjacent"]["sanctions"]["results"]:
        assert ftm_problems(sanction) == []


def test_catalog_revalidates_and_names_ftm_datasets(yente: Client) -> None:
    first = yente.datasets()
    again = yente.datasets()  # sends If-None-Match: the server answers 304 and the client keeps its copy
    assert [d.name for d in first.datasets] == [d.name for d in again.datasets]
    names = {d.name for d in first.datasets}
    assert {"yente_zala_entities", "us_ofac_sdn", "default"} <= names
    assert all(n.replace("_", "").isalnum() and n == n.lower() for n in names)
    assert yente.algorithms().best
