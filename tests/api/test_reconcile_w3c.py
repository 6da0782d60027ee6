"""Every reconciliation response validates against the W3C Reconciliation API 0.2 JSON Schemas
(vendored in tests/api/w3c_reconciliation_0.2, with their licence); CORS as the spec requires."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SCHEMAS = Path(__file__).parent / "w3c_reconciliation_0.2"
# The manifest's `authentication` refers to Swagger 2.0's security definitions, which the tests cannot
# fetch; this stands in for that one definition (OpenAPI 2.0: an apiKey scheme names `name` and `in`).
SWAGGER_SECURITY = {
    "definitions": {
        "securityDefinitions": {
            "additionalProperties": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": {"enum": ["basic", "apiKey", "oauth2"]},
                    "name": {"type": "string"},
                    "in": {"enum": ["header", "query"]},
                    "description": {"type": "string"},
                },
                "if": {"properties": {"type": {"const": "apiKey"}}},
                "then": {"required": ["name", "in"]},
            }
        }
    }
}


def _registry() -> Registry:
    resources = [
        (json.loads(p.read_text())["$id"], json.loads(p.read_text())) for p in SCHEMAS.glob("*.json")
    ]
    resources.append(("http://swagger.io/v2/schema.json", SWAGGER_SECURITY))
    return Registry().with_resources((uri, Resource(contents, DRAFT7)) for uri, contents in resources)  # type: ignore[arg-type]


REGISTRY = _registry()


def assert_valid(name: str, instance: Any) -> None:
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    errors = [e.message for e in Draft7Validator(schema, registry=REGISTRY).iter_errors(instance)]
    assert errors == [], f"{name}: {errors}"


def test_the_schemas_reject_what_they_should() -> None:
    """The validator is live: a manifest without versions, a null description and an empty query fail."""
    with pytest.raises(AssertionError):
        assert_valid("manifest", {"name": "x", "identifierSpace": "a", "schemaSpace": "b"})
    with pytest.raises(AssertionError):
        assert_valid(
            "suggest-properties-response", {"result": [{"id": "a", "name": "A", "description": None}]}
        )
    with pytest.raises(AssertionError):
        assert_valid("reconciliation-query-batch", {"q0": {}})


def test_manifest_is_public_and_declares_authentication(
    anon: TestClient, client: TestClient, user_key: str
) -> None:
    body = anon.get("/reconcile/default").json()
    assert_valid("manifest", body)
    assert body["authentication"] == {
        "type": "apiKey",
        "name": "api_key",
        "in": "query",
        "description": body["authentication"]["description"],
    }
    assert body["documentation"].endswith("/docs#/Reconciliation")
    keyed = client.get("/reconcile/ofac_sdn", params={"api_key": user_key}).json()
    assert_valid("manifest", keyed)
    assert keyed["suggest"]["entity"]["service_path"] == f"/suggest/entity?api_key={user_key}"
    assert (
        anon.get("/reconcile/default", params={"queries": json.dumps({"q": {"query": "Kim"}})}).status_code
        == 401
    )


def test_query_results_validate(client: TestClient) -> None:
    queries = {
        "q0": {"query": "Kim Jong Un", "type": "Person", "properties": [{"pid": "birthDate", "v": [1984]}]},
        "q1": {
            "query": "Acme Trading",
            "properties": [{"pid": "country", "v": [{"id": "ae", "name": "UAE"}]}],
        },
        "q2": {"properties": [{"pid": "name", "v": {"id": "x", "name": "Ivan Petrov"}}]},
        "q3": {
            "query": "Ocean Star",
            "type": "Vessel",
            "properties": [{"pid": "imoNumber", "v": [9123456, 1]}],
        },
    }
    assert_valid("reconciliation-query-batch", queries)
    posted = client.post("/reconcile/default", data={"queries": json.dumps(queries)})
    assert posted.status_code == 200, posted.text
    body = posted.json()
    assert_valid("reconciliation-result-batch", body)
    assert body["q0"]["result"][0]["id"] == "un-KPi.033" and body["q1"]["result"][0]["id"] == "ofac-9000"
    assert body["q2"]["result"][0]["id"] == "uk-123"
    assert {f["id"] for f in body["q0"]["result"][0]["features"]} >= {"name_match"}
    got = client.get("/reconcile/default", params={"queries": json.dumps(queries)}).json()
    assert_valid("reconciliation-result-batch", got)


def test_extension_by_get_and_post_validates(client: TestClient) -> None:
    extend = {
        "ids": ["un-KPi.033", "nope"],
        "properties": [{"id": "name", "settings": {"limit": 1}}, {"id": "program"}],
    }
    assert_valid("data-extension-query", extend)
    for resp in (
        client.get("/reconcile/default", params={"extend": json.dumps(extend)}),
        client.post("/reconcile/default", data={"extend": json.dumps(extend)}),
    ):
        body = resp.json()
        assert resp.status_code == 200 and "versions" not in body
        assert_valid("data-extension-response", body)
        assert body["rows"]["un-KPi.033"]["name"] == [{"str": "Kim Jong Un"}]
        assert body["rows"]["un-KPi.033"]["program"] == [{"str": "DPRK"}]


def test_propose_properties_honours_limit(client: TestClient) -> None:
    body = client.get("/reconcile/default/extend/property", params={"type": "Person", "limit": 3}).json()
    assert len(body["properties"]) == 3 and body["limit"] == 3
    assert len(client.get("/reconcile/default/extend/property").json()["properties"]) > 3


def test_suggest_responses_validate_and_page_with_cursor(client: TestClient) -> None:
    props = client.get("/reconcile/default/suggest/property", params={"prefix": "country"}).json()
    assert_valid("suggest-properties-response", props)
    assert [p["id"] for p in props["result"]] == ["Thing:country", "LegalEntity:mainCountry"]  # as yente
    assert all(isinstance(p["description"], str) for p in props["result"])
    later = client.get("/reconcile/default/suggest/property", params={"prefix": "country", "cursor": 1}).json()
    assert later["result"] == props["result"][1:]
    for kind in ("property", "type", "entity"):  # yente: no prefix, no suggestions
        assert client.get(f"/reconcile/default/suggest/{kind}").json()["result"] == []
    organ = client.get("/reconcile/default/suggest/type", params={"prefix": "organ"}).json()["result"]
    assert [t["id"] for t in organ] == ["Organization"]
    types = client.get("/reconcile/default/suggest/type", params={"prefix": "p"}).json()
    assert_valid("suggest-types-response", types)
    entities = client.get("/reconcile/default/suggest/entity", params={"prefix": "Kim"}).json()
    assert_valid("suggest-entities-response", entities)
    # As yente (which suggests from its index of merged entities): a party two lists name is suggested
    # once, under the id /entities serves; the cursor pages the parties.
    assert [e["id"] for e in entities["result"]] == ["un-KPi.033"]
    paged = client.get("/reconcile/default/suggest/entity", params={"prefix": "Kim", "cursor": 1}).json()
    assert paged["result"] == []
    one = client.get("/reconcile/default/suggest/entity", params={"prefix": "Kim", "limit": 1}).json()
    assert [e["id"] for e in one["result"]] == ["un-KPi.033"]


def test_cors_on_reconciliation_and_api(anon: TestClient, client: TestClient) -> None:
    for path in (
        "/reconcile/default",
        "/reconcile/default/suggest/entity",
        "/match/default",
        "/search/default",
    ):
        pre = anon.options(
            path,
            headers={
                "Origin": "https://openrefine.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert pre.status_code == 200, path
        assert pre.headers["access-control-allow-origin"] == "*"
        assert "authorization" in pre.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in pre.headers  # keys, never cookies
    got = client.get("/reconcile/default/suggest/type", headers={"Origin": "https://openrefine.example"})
    assert got.headers["access-control-allow-origin"] == "*"
