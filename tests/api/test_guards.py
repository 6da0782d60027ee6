"""Request guards: size, batch, UTF-8, nesting and paging limits each give a 4xx with a message."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from tests import bombs

from watchlist.api.app import create_app
from watchlist.api.middleware import GIL_SWITCH_SECONDS, HeavyPool, json_depth, lone_surrogate
from watchlist.engine import Engine
from watchlist.limits import Budget, Limits
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


def test_limit_and_offset_bounds(client: TestClient, settings: Settings, engine: Engine) -> None:
    low_app = create_app(replace(settings, api_max_limit=20), engine)
    key = low_app.state.keys.create("low")[1]
    with TestClient(low_app, headers={"Authorization": f"ApiKey {key}"}) as low:
        too_many = low.post("/match/default", json={"queries": {"q": QUERY}}, params={"limit": 21})
    assert too_many.status_code == 400 and "limit" in too_many.json()["detail"]  # the configured guard
    over = client.post("/match/default", json={"queries": {"q": QUERY}}, params={"limit": 501})
    assert over.status_code == 422  # yente's MAX_MATCHES
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


# --- hostile requests (issue 21, findings 5, 6, 13, 14) ---

def _asgi_post(app: FastAPI, path: str, body: bytes, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """POST straight through ASGI; returns (status, how many times the app pulled the body)."""
    pulls = 0
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal pulls
        pulls += 1
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"content-type", b"application/json"), *headers], "client": ("10.0.0.9", 5000),
             "server": ("testserver", 80), "scheme": "http", "root_path": "", "http_version": "1.1"}
    asyncio.run(app(scope, receive, send))
    return status, pulls


def test_no_body_is_read_before_the_key_is_accepted(app: FastAPI, user_key: str) -> None:
    body = b"[" * 1_000_000
    assert _asgi_post(app, "/match/default", body, []) == (401, 0)
    assert _asgi_post(app, "/match/default", body, [(b"authorization", b"ApiKey wl_forged")]) == (401, 0)
    assert _asgi_post(app, "/admin/reload", b"{}", [(b"authorization", f"ApiKey {user_key}".encode())]) == (403, 0)
    status, pulls = _asgi_post(app, "/match/default", body, [(b"authorization", f"ApiKey {user_key}".encode())])
    assert (status, pulls) == (400, 1)  # with a key, the body is read and its depth refused


@pytest.mark.parametrize(
    "body",
    [
        b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim \\ud800"]}}}}',
        b'{"queries": {"q\\udfff": {"schema": "Person", "properties": {"name": ["Kim"]}}}}',
        b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["\\uDBFF\\u0041"]}}}}',
    ],
)
def test_lone_surrogate_in_match_is_400_with_request_id(client: TestClient, body: bytes) -> None:
    resp = post(client, body)
    assert resp.status_code == 400, resp.text
    assert "lone surrogate" in resp.json()["detail"] and resp.json()["request_id"]
    assert resp.headers["x-request-id"] == resp.json()["request_id"]


def test_surrogate_pairs_and_escaped_backslashes_are_fine(client: TestClient) -> None:
    for name in (b"Kim \\ud83d\\ude00", b"Kim \\\\ud800"):
        body = b'{"queries": {"q": {"schema": "Person", "properties": {"name": ["' + name + b'"]}}}}'
        assert post(client, body).status_code == 200


def test_lone_surrogate_in_forms_query_strings_and_scan_text_is_400(client: TestClient) -> None:
    form = client.post("/reconcile/default", content=b"queries=%7B%22q0%22%3A%7B%22query%22%3A%22%5Cud800%22%7D%7D",
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert form.status_code == 400 and form.json()["request_id"]
    query = client.get("/reconcile/default", params={"queries": '{"q0": {"query": "\\ud800"}}'})
    assert query.status_code == 400
    scan = client.post("/scan", content=b'{"text": "Kim \\udc00 Jong Un"}', headers={"content-type": "application/json"})
    assert scan.status_code == 400


@given(st.lists(st.sampled_from(["a", "\\\\", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0041", '\\"']), max_size=8))
def test_lone_surrogate_agrees_with_json(parts: list[str]) -> None:
    body = ('{"k": "' + "".join(parts) + '"}').encode()
    value = json.loads(body)["k"]
    try:
        value.encode("utf-8")
        valid = True
    except UnicodeEncodeError:
        valid = False
    assert (lone_surrogate(body) is None) == valid


def test_scan_file_without_content_type_is_a_raw_body(client: TestClient) -> None:
    for data in (b"Workers went to North Korea.", "Caf\u00e9 in Pyongyang".encode("latin-1")):
        resp = client.post("/scan/file", params={"name": "memo.txt"}, content=data)
        assert resp.status_code == 200, resp.text
    docx = bombs.docx(iter([b"<w:p><w:r><w:t>Sevastopol port</w:t></w:r></w:p>"]))
    assert client.post("/scan/file", content=docx).json()["characters"] > 0


def test_document_bombs_through_the_api_are_413_naming_the_limit(client: TestClient) -> None:
    resp = client.post("/scan/file", params={"name": "bomb.docx"}, content=bombs.docx_whitespace_bomb(200 << 20))
    assert resp.status_code == 413 and "WATCHLIST_MAX_MEMBER_BYTES" in resp.json()["detail"]
    resp = client.post("/scan/file", params={"name": "bomb.pdf"}, content=bombs.pdf_stream_bomb(80 * bombs.MB))
    assert resp.status_code == 413 and "WATCHLIST_MAX_PDF_PAGE_BYTES" in resp.json()["detail"]
    odd = client.post("/scan/file", params={"name": "odd.txt"}, content=b"\xff\xfeK\x00i\x00m\x00!")
    assert odd.status_code == 200


def _letters(number: int) -> str:
    """A number written in letters ('ba' for 1): a word the tokenizer keeps whole."""
    return chr(97 + number % 26) + chr(97 + number // 26 % 26) + chr(97 + number // 676 % 26)


def test_match_stops_when_the_request_budget_is_spent(settings: Settings, engine: Engine) -> None:
    limits = replace(settings.limits, api_request_seconds=0.2)
    app = create_app(replace(settings, limits=limits), engine)
    _, key = app.state.keys.create("k")
    name = " ".join(["Kimjongun Choesonhui Pakpongju"] * 29)[:890]
    # Every name different, so no cache answers one from another (a compiled build is fast).
    queries = {
        f"q{i}": {"schema": "Person", "properties": {"name": [f"{name} {_letters(i)}{_letters(j)}" for j in range(10)]}}
        for i in range(1000)
    }
    with TestClient(app, headers={"Authorization": f"ApiKey {key}"}) as client:
        started = time.perf_counter()
        resp = client.post("/match/default", json={"queries": queries})
        took = time.perf_counter() - started
    assert resp.status_code == 413, resp.text[:300]
    assert "WATCHLIST_API_REQUEST_SECONDS" in resp.json()["detail"] and resp.json()["request_id"]
    assert took < 30  # far from the 200 s of CPU it cost before


def test_heavy_pool_bounds_concurrency_and_queue() -> None:
    pool = HeavyPool(Limits(api_heavy_workers=1, api_heavy_queue=1))
    running = 0
    most = 0
    outcomes: list[tuple[int, str] | None] = []

    async def work() -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await anyio.sleep(0.05)
        running -= 1

    async def one(seconds: float) -> None:
        outcomes.append(await pool.run(Budget(seconds), work))

    async def main() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(one, 5.0)

    anyio.run(main)
    assert most == 1
    assert sorted(o[0] if o else 200 for o in outcomes) == [200, 200, 503]  # one ran, one waited, one turned away


def test_heavy_pool_shortens_the_gil_switch_interval_but_keeps_a_shorter_one() -> None:
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)  # Python's default
        HeavyPool(Limits())
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_SECONDS)
        sys.setswitchinterval(GIL_SWITCH_SECONDS / 4)  # an operator's choice
        HeavyPool(Limits())
        assert sys.getswitchinterval() == pytest.approx(GIL_SWITCH_SECONDS / 4)
    finally:
        sys.setswitchinterval(before)


def test_match_is_abandoned_when_the_client_disconnects(app: FastAPI, user_key: str) -> None:
    """After the body, the client goes away: the batch stops at the next query (499, nobody reads it)."""
    queries = {f"q{i}": {"schema": "Person", "properties": {"name": [f"Kim Jong Un {i}"]}} for i in range(400)}
    body = json.dumps({"queries": queries}).encode()
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "method": "POST", "path": "/match/default", "raw_path": b"/match/default",
             "query_string": b"", "client": ("10.0.0.9", 5000), "server": ("testserver", 80), "scheme": "http",
             "root_path": "", "http_version": "1.1",
             "headers": [(b"content-type", b"application/json"), (b"authorization", f"ApiKey {user_key}".encode())]}
    asyncio.run(app(scope, receive, send))
    assert status == 499
