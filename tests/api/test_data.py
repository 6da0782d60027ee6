"""GET /search, /entities, /catalog, /algorithms, /readyz."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_search_finds_and_pages(client: TestClient) -> None:
    body = client.get("/search/default", params={"q": "Kim Jong Un"}).json()
    # The UN and OFAC records of one party are one result, as /match gives it (yente's merged entities).
    assert [(r["id"], r["referents"]) for r in body["results"]] == [("un-KPi.033", ["un-KPi.033", "ofac-20157"])]
    assert set(body) >= {"results", "total", "limit", "offset", "facets"}
    every = client.get("/search/default").json()
    page2 = client.get("/search/default", params={"limit": 1, "offset": 1}).json()
    assert len(page2["results"]) == 1 and page2["offset"] == 1
    assert page2["results"][0]["id"] == every["results"][1]["id"]


def test_search_filters(client: TestClient) -> None:
    assert [r["id"] for r in client.get("/search/un", params={"q": "Kim Jong Un"}).json()["results"]] == [
        "un-KPi.033"
    ]
    assert (
        client.get("/search/default", params={"q": "Kim Jong Un", "schema": "Company"}).json()["results"]
        == []
    )
    got = client.get("/search/default", params={"q": "Acme Trading", "countries": ["ae"]}).json()["results"]
    assert [r["id"] for r in got] == ["ofac-9000"]
    assert (
        client.get("/search/default", params={"q": "Acme Trading", "countries": ["fr"]}).json()["results"]
        == []
    )
    assert client.get("/search/default", params={"q": "kim", "schema": "Spaceship"}).status_code == 400
    browse = client.get("/search/default", params={"q": ""})  # yente: no `q` lists everything in scope
    assert browse.status_code == 200 and browse.json()["total"]["value"] == 4  # 5 records, 4 parties
    assert client.get("/search/default", params={"q": "!!!"}).status_code == 400


def test_entity_has_all_properties(client: TestClient) -> None:
    body = client.get("/entities/un-KPi.033").json()
    assert body["caption"] == "Kim Jong Un" and body["schema"] == "Person"
    assert body["properties"]["passportNumber"] == ["836410115"]
    assert body["properties"]["birthDate"] == ["1984-01-08"]
    assert body["properties"]["program"] == ["DPRK"]
    missing = client.get("/entities/un-nope")
    assert missing.status_code == 404 and "un-nope" in missing.json()["detail"]


def test_catalog_lists_sources_and_default(client: TestClient) -> None:
    body = client.get("/catalog").json()
    names = [d["name"] for d in body["datasets"]]
    assert set(names) == {"un", "ofac_sdn", "uk", "default", "sanctions"}
    default = next(d for d in body["datasets"] if d["name"] == "default")
    assert set(default["children"]) == {"un", "ofac_sdn", "uk"}
    assert all(d["version"] for d in body["datasets"])


def test_readyz_reports_lists(client: TestClient) -> None:
    body = client.get("/readyz").json()
    assert body["status"] == "ok" and body["entities"] == 5
    assert {x["name"] for x in body["lists"]} == {"un", "ofac_sdn", "uk"}


def test_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/match/{dataset}",
        "/search/{dataset}",
        "/entities/{entity_id}",
        "/catalog",
        "/algorithms",
        "/healthz",
        "/readyz",
        "/reconcile/{dataset}",
        "/reconcile/{dataset}/suggest/entity",
    ):
        assert path in paths


def test_scan_text_and_file(client: TestClient) -> None:
    text = "We wired funds to Acme Trading LLC in Dubai for Ivan Petrov."
    body = client.post("/scan", json={"text": text, "document": "memo"}).json()
    assert body["document"] == "memo" and body["characters"] == len(text)
    assert set(body) >= {"parties", "places", "red_flags"}
    found = client.post("/scan/file", params={"name": "memo.txt"}, content=text.encode()).json()
    assert found["parties"] == body["parties"]
    assert client.post("/scan", json={"text": 5}).status_code == 422
    assert client.post("/scan/file", params={"name": "x.pdf"}, content=b"%PDF-1.4 broken").status_code == 422
