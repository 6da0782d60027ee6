"""yente's request and response behaviour, parameter by parameter, on the API test entities."""

from __future__ import annotations

import gzip
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from ftm_check import ftm_problems
from watchlist.api.app import create_app
from watchlist.engine import Engine
from watchlist.settings import Settings

KIM = {"schema": "Person", "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984-01-08"]}}


def match(client: TestClient, query: dict[str, Any] = KIM, **params: Any) -> Any:
    resp = client.post("/match/default", json={"queries": {"q": query}}, params=params)
    assert resp.status_code == 200, resp.text
    return resp.json()


def ids(body: Any, key: str = "q") -> list[str]:
    results = body["responses"][key]["results"] if "responses" in body else body["results"]
    return [r["id"] for r in results]


def test_search_without_q_browses(client: TestClient) -> None:
    body = client.get("/search/default").json()
    assert body["total"]["value"] == 4 and ids(body) == sorted(ids(body))  # 5 records, 4 parties
    assert set(body["facets"]) == {"countries", "topics", "datasets"}
    assert {v["name"] for v in body["facets"]["datasets"]["values"]} == {"un", "ofac_sdn", "uk"}
    countries = {v["name"]: v["label"] for v in body["facets"]["countries"]["values"]}
    assert countries["kp"] == "North Korea" and countries["ru"] == "Russia"
    assert body["facets"]["topics"]["values"] == [{"name": "sanction", "label": "Sanctioned", "count": 4}]


def test_search_filters(client: TestClient) -> None:
    def found(**params: Any) -> list[str]:
        resp = client.get("/search/default", params=params)
        assert resp.status_code == 200, resp.text
        return ids(resp.json())

    assert found(schema="Vessel") == ["un-IMO"]
    assert found(exclude_schema=["Person", "Vessel"]) == ["ofac-9000"]
    assert found(datasets=["uk", "ofac-sdn"], filter_op="OR") == ["ofac-9000", "uk-123", "un-KPi.033"]
    assert found(datasets=["uk", "ofac_sdn"], filter_op="AND") == []
    assert found(datasets=["un", "ofac_sdn"], filter_op="AND") == ["un-KPi.033"]  # the party both list
    assert found(countries=["ru"]) == ["uk-123"]
    assert found(topics=["sanction"], q="Ivan Petrov") == ["uk-123"]
    assert found(topics=["crime.cyber"]) == []
    assert found(filter=["birthDate:1970-05-03"]) == ["uk-123"]
    assert found(filter=["properties.passportNumber:836410115"]) == ["un-KPi.033"]
    assert found(target="false") == [] and len(found(target="true")) == 4
    assert found(include_dataset=["nope"]) == [] and found(exclude_dataset=["un", "uk", "ofac_sdn"]) == []
    assert found(changed_since="2020-01-01") == []  # no store, so no change times: nothing is "changed since"
    assert (
        found(sort=["caption:desc"])[0] == "un-IMO" and found(sort=["canonical_id:desc"])[0] == "un-KPi.033"
    )
    assert found(facets=["schema", "genders"], q="Acme") == ["ofac-9000"]


def test_search_refusals_name_the_parameter(client: TestClient) -> None:
    for params, word in (
        ({"sort": "height:asc"}, "height"),
        ({"q": "name:kim"}, "simple=true"),
        ({"q": "invalid/query"}, "simple=true"),
        ({"filter": "nocolon"}, "nocolon"),
        ({"schema": "Banana"}, "Banana"),
    ):
        resp = client.get("/search/default", params=params)
        assert resp.status_code == 400 and word in resp.json()["detail"], params
    assert client.get("/search/default", params={"q": "kim*", "simple": "true"}).status_code == 200
    assert client.get("/search/default", params={"offset": 9999, "q": "kim"}).status_code == 422
    assert client.get("/search/default", params={"limit": 10000}).status_code == 422
    body = client.get("/search/default", params={"limit": 500, "offset": 9499}).json()
    assert body["limit"] == 500 and body["offset"] == 9499  # yente keeps offset + limit under 10,000
    assert client.get("/search/default", params={"facets": "banana"}).status_code == 422
    assert client.get("/search/nope").status_code == 404


def test_search_fuzzy_widens(client: TestClient) -> None:
    strict = client.get("/search/default", params={"q": "Ocean Star Maritime Shipping"}).json()
    loose = client.get("/search/default", params={"q": "Ocean Star Maritime Shipping", "fuzzy": "true"}).json()
    assert strict["total"]["value"] == 0 and ids(loose) == ["un-IMO"]


def test_a_threshold_below_the_cutoff_lowers_the_cutoff(client: TestClient) -> None:
    """As yente (cutoff = min(cutoff, threshold)): a result the lowered threshold calls a match is shown,
    where the default cutoff (0.5) hid it."""
    weak = {"schema": "Person", "properties": {"name": ["Kim Ivan Petrov"]}}
    assert ids(match(client, weak)) == []
    found = match(client, weak, threshold=0.3)["responses"]["q"]
    assert [(r["id"], r["match"]) for r in found["results"]] == [("uk-123", True)]
    assert 0.3 <= found["results"][0]["score"] <= 0.5 and found["total"]["value"] == 1


def test_match_parameters(client: TestClient) -> None:
    assert ids(match(client)) == ["un-KPi.033"]
    assert ids(match(client, topics="crime.cyber")) == []
    assert ids(match(client, exclude_schema="Person")) == []
    assert ids(match(client, include_dataset=["ae_local_terrorists", "mx_governors"])) == []
    assert ids(match(client, include_dataset=["un", "nope"])) == ["un-KPi.033"]
    assert ids(match(client, exclude_dataset=["un", "ofac-sdn"])) == []
    assert ids(match(client, changed_since="2020-01-01T00:00:00")) == []
    assert match(client, cutoff=0.99)["responses"]["q"]["results"][0]["score"] > 0.99
    # As yente, the cutoff is at most the threshold; here a match is never left out by it either.
    assert ids(match(client, cutoff=1.0)) == ["un-KPi.033"]
    assert ids(match(client, cutoff=1.0, threshold=1.0)) == ["un-KPi.033"]
    assert (
        client.post("/match/default", json={"queries": {"q": KIM}}, params={"changed_since": "x"}).status_code
        == 422
    )


def test_match_settings_are_refused_by_name(client: TestClient) -> None:
    for body, word in (
        ({"weights": {"name_literal": 0.8}}, "name_literal"),
        ({"config": {"nm_x": 1}}, "nm_x"),
    ):
        resp = client.post("/match/default", json={"queries": {"q": KIM}, **body})
        assert resp.status_code == 400 and word in resp.json()["detail"]
    assert (
        client.post("/match/default", json={"queries": {"q": KIM}, "weights": {}, "config": {}}).status_code
        == 200
    )


def test_query_echo_is_normalised_and_numbers_coerced(client: TestClient) -> None:
    query = {
        "id": "mine",
        "schema": "Person",
        "properties": {"name": "Kim Jong Un", "birthDate": [1984], "country": "North Korea"},
    }
    echo = match(client, query)["responses"]["q"]["query"]
    assert echo == {
        "id": "mine",
        "schema": "Person",
        "properties": {"name": ["Kim Jong Un"], "birthDate": ["1984"], "country": ["kp"]},
    }


def test_body_without_content_type(client: TestClient) -> None:
    resp = client.post(
        "/match/default",
        content=b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}}',
    )
    assert resp.status_code == 200 and ids(resp.json()) == ["un-KPi.033"]


def test_algorithms_report_what_ran(client: TestClient) -> None:
    listed = client.get("/algorithms").json()
    names = [a["name"] for a in listed["algorithms"]]
    assert "name-based" in names and listed["best"] in names and listed["default"] in names
    assert all(
        a["docs"]["name"] == a["name"] and "name_match" in a["docs"]["features"] for a in listed["algorithms"]
    )
    assert set(match(client)["matcher"]["name_match"]) == {"description", "coefficient", "url"}  # yente's docs
    for alias in ("best", "logic-v1", "logic-v2", "default"):
        assert match(client, algorithm=alias)["algorithm"] == listed["default"]
    assert (
        client.post(
            "/match/default", json={"queries": {"q": KIM}}, params={"algorithm": "neural-net"}
        ).status_code
        == 400
    )


def test_name_based_ignores_everything_but_names(client: TestClient) -> None:
    wrong_facts = {
        "schema": "Person",
        "properties": {"name": ["Kim Jong Un"], "birthDate": ["1950-02-02"], "nationality": ["fr"]},
    }
    # cutoff 0: a calibrated score for the wrong birth date and nationality is low (under yente's 0.5).
    full = match(client, wrong_facts, cutoff=0)["responses"]["q"]["results"][0]
    names_only = match(client, wrong_facts, algorithm="name-based", cutoff=0)
    top = names_only["responses"]["q"]["results"][0]
    assert names_only["algorithm"] == "name-based"
    assert top["id"] == full["id"] and top["score"] > full["score"]
    assert set(top["features"]) == {"name_match"}
    bare = match(
        client, {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}, algorithm="name-based"
    )
    assert bare["responses"]["q"]["results"][0]["score"] == top["score"]


def test_adjacent_entities(client: TestClient) -> None:
    body = client.get("/entities/un-KPi.033/adjacent").json()
    assert body["entity"]["id"] == "un-KPi.033"
    sanctions = body["adjacent"]["sanctions"]
    assert sanctions["total"]["value"] == len(body["entity"]["datasets"]) >= 1
    assert all(
        s["schema"] == "Sanction" and s["properties"]["entity"] == ["un-KPi.033"]
        for s in sanctions["results"]
    )
    one = client.get("/entities/un-KPi.033/adjacent/sanctions", params={"limit": 1}).json()
    assert len(one["results"]) == 1 and one["total"]["value"] == sanctions["total"]["value"]
    assert client.get("/entities/un-KPi.033/adjacent/ownershipOwner").json()["results"] == []
    assert client.get("/entities/un-KPi.033/adjacent/name").status_code == 404
    assert client.get("/entities/nope/adjacent").status_code == 404


def test_etag_and_gzip(client: TestClient) -> None:
    for path in ("/entities/ofac-9000", "/catalog"):
        first = client.get(path)
        tag = first.headers["etag"]
        assert client.get(path, headers={"If-None-Match": tag}).status_code == 304
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    raw = client.get("/search/default", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip" and raw.json()["total"]["value"] == 4
    assert gzip.compress(b"x")  # the client decoded the body above


def test_manifest_and_catalog_use_ftm_dataset_names(client: TestClient) -> None:
    for path in ("/catalog", "/manifest"):
        names = [d["name"] for d in client.get(path).json()["datasets"]]
        assert set(names) == {"un", "ofac_sdn", "uk", "default", "sanctions"}
    assert "/manifest" not in client.get("/openapi.json").json()["paths"]


def test_updatez_needs_the_token(tmp_path: Any, engine: Engine) -> None:
    settings = Settings(home=tmp_path / "h", api_reload_interval=0, api_update_token="s3cret")
    app: FastAPI = create_app(settings, engine)
    with TestClient(app) as anon:
        assert anon.post("/updatez").status_code == 403
        assert anon.post("/updatez", params={"token": "wrong"}).status_code == 403
        assert anon.post("/updatez", params={"token": "s3cret", "sync": "true"}).json() == {"status": "ok"}


def test_updatez_is_off_without_a_token(anon: TestClient) -> None:
    assert anon.post("/updatez", params={"token": "anything"}).status_code == 403


def test_openapi_declares_security_and_the_scan_422(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    assert set(doc["components"]["securitySchemes"]) == {"ApiKeyHeader", "BearerKey", "ApiKeyQuery"}
    assert doc["paths"]["/healthz"]["get"]["security"] == []
    declared = doc["paths"]["/scan"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert declared["$ref"].endswith("/UnprocessableResponse")
    got = client.post("/scan", json={"text": 5})
    assert got.status_code == 422 and isinstance(got.json()["detail"], list)


def test_every_emitted_entity_loads_in_followthemoney(client: TestClient) -> None:
    emitted = client.get("/search/default", params={"limit": 50}).json()["results"]
    emitted += match(client)["responses"]["q"]["results"]
    fetched = [client.get(f"/entities/{e['id']}").json() for e in emitted]
    emitted += [client.get(f"/entities/{e['id']}", params={"nested": "false"}).json() for e in emitted]
    emitted += [sanction for e in fetched for sanction in e["properties"].pop("sanctions", [])]
    emitted += fetched  # and, their nested sanctions taken out, the entities themselves
    emitted += client.get("/entities/un-IMO/adjacent").json()["adjacent"]["sanctions"]["results"]
    assert len(emitted) > 10
    for entity in emitted:
        assert ftm_problems(entity) == [], entity


def test_exclude_entity_ids_takes_any_referent(client: TestClient) -> None:
    top = match(client)["responses"]["q"]["results"][0]
    assert len(top["referents"]) >= 1
    for referent in top["referents"]:
        assert top["id"] not in ids(match(client, exclude_entity_ids=[referent]))
