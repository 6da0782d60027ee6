"""Hostile requests to the workbench (issue 21, findings 9-11): bounded logins, safe CSV, no 500s."""

from __future__ import annotations

import base64
import csv
import io
import json

from fastapi.testclient import TestClient
from workbench_helpers import PASSWORD, Bench, bench_fixture, client_fixture, csrf_of, login  # noqa: F401

HUGE = "9" * 400


def try_login(client: TestClient, name: str, password: str) -> tuple[int, str]:
    form = client.get("/wb/login")
    response = client.post("/wb/login", data={"username": name, "password": password,
                                              "csrf_token": csrf_of(form.text)}, follow_redirects=False)
    return response.status_code, response.text


def test_a_one_megabyte_user_name_is_refused_with_a_message(client: TestClient, bench: Bench) -> None:
    status, page = try_login(client, "x" * 1_000_000, "whatever password")
    assert status == 400 and "longer than 64 characters" in page
    assert len(page) < 20_000  # the name is not echoed back
    stored = sum(len(json.dumps(r.to_dict())) for r in bench.cases.audit_all())
    assert stored < 10_000


def test_repeated_failures_lock_the_account_with_a_message(client: TestClient, bench: Bench) -> None:
    for _ in range(bench.cases.login_limits.per_user):
        assert try_login(client, "ana", "not the password")[0] == 401
    status, page = try_login(client, "ana", PASSWORD)
    assert status == 429 and "too many failed logins for user" in page and "try again in 15 minutes" in page
    assert try_login(client, "sue", PASSWORD)[0] == 303  # only that user is locked


def test_csv_export_neutralises_formulas(client: TestClient, bench: Bench) -> None:
    hostile = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|", "-2+3",
               "\t=1+1", "\r=1+1"]
    for name in hostile:
        try_login(TestClient(bench.app), name, "not the password")
    login(client, "root")
    rows = list(csv.DictReader(io.StringIO(client.get("/wb/audit.csv").text, newline="")))
    actors = {r["actor"] for r in rows if r["action"] == "login.failed"}
    assert actors == {"'" + name.strip() for name in hostile}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_huge_numbers_and_forged_cursors_in_urls_are_4xx(client: TestClient, bench: Bench) -> None:
    csrf = login(client, "ana")
    forged = base64.urlsafe_b64encode(json.dumps([{"x": 1}, int(HUGE)]).encode()).decode()
    cases = {
        f"/wb/audit?before={HUGE}": 400,
        "/wb/audit?before=-1": 400,
        f"/wb/alerts/{HUGE}": 404,
        f"/wb/alerts?after={forged}": 400,
        "/wb/alerts?after=%FF%FE": 400,
        f"/wb/alerts?order=score&after={forged}": 400,
        f"/wb/alerts/{'9' * 5000}": 422,
    }
    for path, status in cases.items():
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
    response = client.post(f"/wb/alerts/{HUGE}/decide", data={"outcome": "escalate", "comment": "x",
                                                             "csrf_token": csrf})
    assert response.status_code == 404
