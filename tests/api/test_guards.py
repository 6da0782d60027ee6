"""Request guards: size, batch, UTF-8, nesting and paging limits each give a 4xx with a message."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from watchlist.api.app import create_app
from watchlist.api.middleware import json_depth
from watchlist.engine import Engine
from watchlist.settings import Settings

QUERY = {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}


def post(client: TestClient, body: bytes, ctype: str = "application/json"):
    return client.post("/match/default", content=body, headers={"content-type": ctype})


def test_ten_megabyte_body_is_413(client: TestClient) -> None:
    body = json.dumps(
        {"queries": {"q": {"schema": "Person", "properties": {"name": ["x" * (10 * 1024 * 1024)]}}}}
    )
    resp = post(client, body.encode())
    assert resp.status_code == 413
    assert "larger than" in resp.json()["detail"]


def test_body_limit_is_configurable(settings: Settings, engine: Engine) -> None:
    app = create_app(replace(settings, api_max_body_bytes=200, api_max_queries=2), engine)
    _, key = app.state.keys.create("k")
    with TestClient(app, headers={"Authorization": f"ApiKey {key}"}) as client:
        assert client.post("/match/default", json={"queries": {"q": QUERY}}).status_code == 200
        big = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim " * 60]}}}}
        assert client.post("/match/default", json=big).status_code == 413
        few = {"queries": {str(i): {"schema": "Person", "properties": {"name": "A"}} for i in range(3)}}
        assert len(json.dumps(few)) < 200
        resp = client.post("/match/default", json=few)
        assert resp.status_code == 400 and "limit is 2" in resp.json()["detail"]


def test_ten_thousand_queries_is_400(client: TestClient) -> None:
    body = {"queries": {f"q{i}": QUERY for i in range(10_000)}}
    resp = client.post("/match/default", json=body)
    assert resp.status_code == 400
    assert "10000 queries" in resp.json()["detail"]


def test_invalid_utf8_is_400(client: TestClient) -> None:
    resp = post(client, b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\xc3\x28"]}}}}')
    assert resp.status_code == 400
    assert "UTF-8" in resp.json()["detail"]
    form = client.post(
        "/reconcile/default",
        content=b"queries=%7B%7D\xff",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert form.status_code == 400


def test_deep_nesting_is_400_and_fast(client: TestClient) -> None:
    for body in (b"[" * 1_000_000, b'{"queries": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001):
        resp = post(client, body)
        assert resp.status_code == 400
        assert "nested" in resp.json()["detail"]


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert json_depth(b'{"a": "[[[[{{{{", "b": [1, [2]]}') == 3
    assert json_depth(b'"\\"[[["') == 0
    assert json_depth(b"") == 0


def test_malformed_json_is_422(client: TestClient) -> None:
    resp = post(client, b'{"queries": ')
    assert resp.status_code == 422


def test_limit_and_offset_bounds(client: TestClient, settings: Settings) -> None:
    too_many = client.post(
        "/match/default", json={"queries": {"q": QUERY}}, params={"limit": settings.api_max_limit + 1}
    )
    assert too_many.status_code == 400 and "limit" in too_many.json()["detail"]
    assert (
        client.get("/search/default", params={"q": "kim", "offset": settings.api_max_offset + 1}).status_code
        == 400
    )
    for params in ({"limit": -1}, {"limit": "many"}, {"threshold": 2}, {"threshold": "x"}):
        assert client.post("/match/default", json={"queries": {"q": QUERY}}, params=params).status_code == 422


def test_nul_and_huge_values_are_400(client: TestClient) -> None:
    for name in ("Kim\x00Jong", "x" * 5000):
        resp = client.post(
            "/match/default", json={"queries": {"q": {"schema": "Person", "properties": {"name": name}}}}
        )
        assert resp.status_code == 400


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    assert client.get("/healthz", headers={"x-request-id": "abc-123"}).headers["x-request-id"] == "abc-123"
    made = client.get("/healthz", headers={"x-request-id": "bad id\twith spaces"}).headers["x-request-id"]
    assert made and " " not in made


def test_access_log_has_no_query_content(client: TestClient, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level("INFO", logger="watchlist.api.access")
    client.post("/match/default", json={"queries": {"q": QUERY}}, headers={"x-request-id": "r1"})
    client.get("/search/default", params={"q": "Ivan Petrov"})
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "watchlist.api.access"]
    assert lines[0]["request_id"] == "r1"
    assert lines[0]["status"] == 200 and lines[0]["key"] == "tester" and lines[0]["queries"] == 1
    text = caplog.text
    assert "Kim" not in text and "Petrov" not in text


def test_query_logging_when_enabled(tmp_path: Path, engine: Engine, caplog) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Settings(home=tmp_path, api_log_queries=True, api_reload_interval=0), engine)
    _, key = app.state.keys.create("k")
    caplog.set_level("INFO", logger="watchlist.api.access")
    with TestClient(app, headers={"Authorization": f"ApiKey {key}"}) as client:
        client.post("/match/default", json={"queries": {"q": QUERY}})
    assert "Kim Jong Un" in caplog.text
