"""API keys: header and query forms, revocation, admin role, open mode only from loopback."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from watchlist.api.app import create_app
from watchlist.api.keys import KeyStore, hash_key
from watchlist.engine import Engine
from watchlist.settings import Settings


def test_no_key_is_401(anon: TestClient) -> None:
    for path in (
        "/catalog",
        "/algorithms",
        "/entities/un-KPi.033",
        "/search/default?q=kim",
        '/reconcile/default?queries={"q": {"query": "kim"}}',
        "/reconcile/default/suggest/entity?prefix=kim",
    ):
        resp = anon.get(path)
        assert resp.status_code == 401, path
        assert "ApiKey" in resp.json()["detail"]
    assert anon.post("/match/default", json={"queries": {}}).status_code == 401


def test_health_and_the_reconciliation_manifest_need_no_key(anon: TestClient) -> None:
    assert anon.get("/healthz").json() == {"status": "ok"}
    assert anon.get("/reconcile/default").json()["authentication"]["type"] == "apiKey"  # says how to send one
    assert anon.get("/readyz").status_code == 200


def test_bad_and_revoked_keys_are_401(app: FastAPI, anon: TestClient, user_key: str) -> None:
    ok = {"Authorization": f"ApiKey {user_key}"}
    assert anon.get("/catalog", headers=ok).status_code == 200
    assert anon.get("/catalog", headers={"Authorization": "ApiKey wl_nope"}).status_code == 401
    assert anon.get("/catalog", headers={"Authorization": "Basic abc"}).status_code == 401
    assert anon.get("/catalog", params={"api_key": user_key}).status_code == 200
    app.state.keys.revoke("tester")
    assert anon.get("/catalog", headers=ok).status_code == 401


def test_admin_reload_needs_admin_key(anon: TestClient, user_key: str, admin_key: str) -> None:
    assert anon.post("/admin/reload").status_code == 401
    assert anon.post("/admin/reload", headers={"Authorization": f"ApiKey {user_key}"}).status_code == 403
    resp = anon.post("/admin/reload", headers={"Authorization": f"ApiKey {admin_key}"})
    assert resp.status_code == 200
    assert resp.json()["changed"] is False


def test_keys_are_stored_hashed(tmp_path: Path) -> None:
    store = KeyStore.open(tmp_path / "w.db")
    record, secret = store.create("alice")
    assert secret.startswith("wl_") and len(secret) > 40
    assert store.verify(secret) == record
    store.close()
    dump = "\n".join(sqlite3.connect(tmp_path / "w.db").iterdump())
    assert secret not in dump
    assert hash_key(secret) in dump


def test_key_names_are_unique_and_revoke_reports(tmp_path: Path) -> None:
    store = KeyStore.open(tmp_path / "w.db")
    store.create("alice")
    for call in (lambda: store.create("alice"), lambda: store.revoke("bob"), lambda: store.create(" ")):
        try:
            call()
        except Exception as exc:  # noqa: BLE001 - any WatchlistError with a 4xx
            assert getattr(exc, "status", 500) < 500
        else:
            raise AssertionError("expected an error")
    assert store.revoke("alice").revoked_at
    assert [k.active for k in store.list()] == [False]


def test_open_mode_only_from_loopback(tmp_path: Path, engine: Engine) -> None:
    app = create_app(Settings(home=tmp_path, api_open=True, api_reload_interval=0), engine)
    with TestClient(app, client=("127.0.0.1", 5000)) as local:
        assert local.get("/catalog").status_code == 200
        assert local.post("/admin/reload").status_code == 403  # open mode never grants admin
    with TestClient(app, client=("203.0.113.9", 5000)) as remote:
        assert remote.get("/catalog").status_code == 401


def test_closed_by_default_even_from_loopback(app: FastAPI) -> None:
    with TestClient(app, client=("127.0.0.1", 5000)) as local:
        assert local.get("/catalog").status_code == 401
