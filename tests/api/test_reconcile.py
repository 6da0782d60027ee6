"""OpenRefine reconciliation: manifest, queries (form POST and GET), suggest, extend, preview."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient


def test_manifest(client: TestClient, user_key: str) -> None:
    body = client.get("/reconcile/default", params={"api_key": user_key}).json()
    assert body["versions"] == ["0.2"]
    assert {t["id"] for t in body["defaultTypes"]} >= {"Person", "Company", "Vessel"}
    assert "{{id}}" in body["view"]["url"] and "{{id}}" in body["preview"]["url"]
    assert body["suggest"]["entity"]["service_path"] == f"/suggest/entity?api_key={user_key}"
    assert body["suggest"]["entity"]["service_url"].endswith("/reconcile/default")


def test_queries_by_form_post(client: TestClient) -> None:
    queries = {
        "q0": {
            "query": "Kim Jong Un",
            "type": "Person",
            "limit": 3,
            "properties": [{"pid": "birthDate", "v": "1984-01-08"}, {"pid": "Person:nationality", "v": "kp"}],
        },
        "q1": {"query": "Acme Trading"},
    }
    body = client.post("/reconcile/default", data={"queries": json.dumps(queries)}).json()
    assert set(body) == {"q0", "q1"}
    top = body["q0"]["result"][0]
    assert set(top) >= {"id", "name", "type", "score", "match"}
    assert top["match"] is True and top["type"][0]["id"] == "Person"
    assert len(body["q0"]["result"]) <= 3
    assert body["q1"]["result"][0]["id"] == "ofac-9000"


def test_queries_by_get(client: TestClient) -> None:
    body = client.get("/reconcile/un", params={"queries": json.dumps({"a": {"query": "Kim Jong Un"}})}).json()
    assert [r["id"] for r in body["a"]["result"]] == ["un-KPi.033"]


def test_bad_reconcile_input_is_400(client: TestClient) -> None:
    for data in (
        {"queries": "not json"},
        {"queries": json.dumps({"a": {"query": 5}})},
        {"queries": json.dumps({"a": {"query": ""}})},
        {},
        {"extend": "[[[["},
    ):
        resp = client.post("/reconcile/default", data=data)
        assert resp.status_code == 400, data
        assert resp.json()["detail"]


def test_suggest(client: TestClient) -> None:
    ent = client.get("/reconcile/default/suggest/entity", params={"prefix": "Acme"}).json()
    assert ent["result"][0]["id"] == "ofac-9000" and ent["prefix"] == "Acme"
    assert client.get("/reconcile/default/suggest/entity", params={"prefix": ""}).json()["result"] == []
    types = client.get("/reconcile/default/suggest/type", params={"prefix": "pers"}).json()["result"]
    assert [t["id"] for t in types] == ["Person"]
    props = client.get("/reconcile/default/suggest/property", params={"prefix": "birth"}).json()["result"]
    assert "Person:birthDate" in [p["id"] for p in props]  # FtM qualified names, as yente gives them


def test_extend(client: TestClient) -> None:
    proposed = client.get("/reconcile/default/extend/property", params={"type": "Person"}).json()
    assert "nationality" in [p["id"] for p in proposed["properties"]]
    extend = {"ids": ["un-KPi.033", "missing"], "properties": [{"id": "nationality"}, {"id": "birthDate"}]}
    body = client.post("/reconcile/default", data={"extend": json.dumps(extend)}).json()
    assert body["rows"]["un-KPi.033"]["nationality"] == [{"str": "kp"}]
    assert body["rows"]["missing"] == {}
    assert [m["id"] for m in body["meta"]] == ["nationality", "birthDate"]


def test_preview_escapes_html(client: TestClient) -> None:
    resp = client.get("/reconcile/default/preview", params={"id": "un-KPi.033"})
    assert resp.status_code == 200 and "Kim Jong Un" in resp.text
    assert resp.headers["content-type"].startswith("text/html")
