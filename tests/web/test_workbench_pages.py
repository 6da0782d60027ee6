"""The workbench pages through FastAPI's test client: auth, CSRF, search, review, four eyes, audit."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from workbench_helpers import Bench, bench_fixture, client_fixture, csrf_of, login  # noqa: F401  (fixtures)

from watchlist.cases import AlertFilter, PageRequest


def test_pages_need_a_session(client: TestClient) -> None:
    for path in ("/", "/wb/alerts", "/wb/alerts/1", "/wb/audit", "/wb/lists", "/wb/entity/un-KPe.050"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/wb/login?next=")
    assert client.get("/wb/search?q=x", headers={"HX-Request": "true"}).status_code == 401
    assert client.get("/wb/audit.csv", follow_redirects=False).status_code == 303


def test_login_flow_and_cookie_flags(client: TestClient, bench: Bench) -> None:
    form = client.get("/wb/login")
    assert "wl_login_csrf" in form.headers["set-cookie"]
    bad = client.post("/wb/login", data={"username": "ana", "password": "wrong password",
                                         "csrf_token": csrf_of(form.text)})
    assert bad.status_code == 401 and "Wrong user name or password" in bad.text
    no_csrf = client.post("/wb/login", data={"username": "ana", "password": "correct horse battery"})
    assert no_csrf.status_code == 403
    ok = client.post("/wb/login", data={"username": "ana", "password": "correct horse battery",
                                        "csrf_token": csrf_of(client.get("/wb/login").text), "next": "/wb/lists"},
                     follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == "/wb/lists"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
    assert [r.action for r in bench.cases.audit_log(actor="ana")] == ["login", "login.failed"]
    assert bench.cases.audit_log(action="login.failed")[0].actor == "ana"


def test_https_cookie_is_secure_with_host_prefix(bench: Bench) -> None:
    client = TestClient(bench.app, base_url="https://testserver")
    form = client.get("/wb/login")
    ok = client.post("/wb/login", data={"username": "ana", "password": "correct horse battery",
                                        "csrf_token": csrf_of(form.text)}, follow_redirects=False)
    cookie = ok.headers["set-cookie"]
    assert cookie.startswith("__Host-wl_session=") and "Secure" in cookie
    assert client.get("/wb/alerts").status_code == 200


def test_no_open_redirect_after_login(client: TestClient) -> None:
    form = client.get("/wb/login?next=//evil.example/x")
    assert 'value="//evil.example/x"' not in form.text
    ok = client.post("/wb/login", data={"username": "ana", "password": "correct horse battery",
                                        "csrf_token": csrf_of(form.text), "next": "//evil.example/x"},
                     follow_redirects=False)
    assert ok.headers["location"] == "/"


def test_search_mansudae(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/", params={"q": "Mansudae"})
    assert page.status_code == 200
    assert "MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES" in page.text
    assert "/wb/entity/un-KPe.050" in page.text and "DPRK" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    fragment = client.get("/wb/search", params={"q": "만수대해외개발회사그룹"})
    assert "<html" not in fragment.text and "un-KPe.050" in fragment.text
    assert "No listed entity" in client.get("/wb/search", params={"q": "Zzyzx Qwerty"}).text
    assert "not a date" in client.get("/wb/search", params={"q": "Kim", "birth_date": "someday"}).text


def test_entity_page_shows_everything_and_history(client: TestClient) -> None:
    login(client, "ana")
    page = client.get("/wb/entity/un-KPe.050").text
    for text in ("만수대해외개발회사그룹", "original script", "2016-11-30", "Mansudae Art Studio", "DPRK",
                 "https://main.un.org/securitycouncil/en/sanctions/1718", "changed: notes", "first seen"):
        assert text in page, text
    assert "PD836410105" in client.get("/wb/entity/un-KPi.066").text
    assert client.get("/wb/entity/un-nope").status_code == 404


def test_queue_filters_and_pages(client: TestClient, bench: Bench) -> None:
    alert = bench.cases.get_alert(bench.alert_id)
    from watchlist.cases import AlertIn

    copies = [AlertIn(source="monitor", party_key=f"c-{n}", record={"name": f"Person {n}"}, entity_id=alert.entity_id,
                      entity_hash=alert.entity_hash, score=0.5 + n / 1000, datasets=("un",), programs=("DPRK",))
              for n in range(120)]
    bench.cases.add_alerts(copies)
    login(client, "ana")
    first = client.get("/wb/alerts", params={"source": "monitor"})
    assert "120 matching" in first.text and first.text.count('class="alert-link"') == 50
    second = client.get(first.text.split('id="next-page" href="')[0].rsplit('href="', 1)[-1].split('"')[0]
                        .replace("&amp;", "&"))
    assert second.status_code == 200 and second.text.count('class="alert-link"') == 50
    assert "1 matching" in client.get("/wb/alerts", params={"source": "batch"}).text
    assert "0 matching" in client.get("/wb/alerts", params={"program": "IRAN"}).text
    assert "35 matching" in client.get("/wb/alerts", params={"min_score": "0.585", "source": "monitor"}).text
    assert client.get("/wb/alerts", params={"min_score": "high"}).status_code == 400


def test_review_compares_fields(client: TestClient, bench: Bench) -> None:
    login(client, "ana")
    page = client.get(f"/wb/alerts/{bench.alert_id}").text
    assert 'class="mark-agree" data-field="Birth date"' in page
    assert 'class="mark-agree" data-field="Country"' in page
    assert 'class="mark-missing" data-field="Identifiers"' in page
    assert "KIM Jong Sik" in page and "customer-42" in page


def test_decisions_need_session_and_csrf(client: TestClient, bench: Bench) -> None:
    url = f"/wb/alerts/{bench.alert_id}/decide"
    form = {"outcome": "false_positive", "comment": "different person"}
    assert client.post(url, data=form).status_code == 401  # no session
    csrf = login(client, "ana")
    assert client.post(url, data=form).status_code == 403  # no CSRF token
    assert client.post(url, data={**form, "csrf_token": "forged"}).status_code == 403
    other = TestClient(bench.app)
    other_csrf = login(other, "bob")
    assert client.post(url, data={**form, "csrf_token": other_csrf}).status_code == 403  # someone else's token
    assert bench.cases.get_alert(bench.alert_id).status == "open"
    empty = client.post(url, data={"outcome": "false_positive", "comment": " ", "csrf_token": csrf})
    assert empty.status_code == 400 and "needs a comment" in empty.text
    done = client.post(url, data={**form, "csrf_token": csrf}, headers={"X-Requested-With": "x"})
    assert done.status_code == 200 and "Closed as" in done.text
    assert bench.cases.get_alert(bench.alert_id).status == "false_positive"


def test_true_match_four_eyes(client: TestClient, bench: Bench) -> None:
    alert = f"/wb/alerts/{bench.alert_id}"
    csrf = login(client, "ana")
    client.post(f"{alert}/decide", data={"outcome": "true_match", "comment": "passport matches", "csrf_token": csrf})
    assert bench.cases.get_alert(bench.alert_id).status == "pending_approval"
    page = client.get(alert).text
    assert "awaits a supervisor" in page and 'id="approve"' not in page
    refused = client.post(f"{alert}/approve", data={"comment": "fine by me", "csrf_token": csrf})
    assert refused.status_code == 403 and "supervisor" in refused.text
    assert bench.cases.get_alert(bench.alert_id).status == "pending_approval"

    sue = TestClient(bench.app)
    sue_csrf = login(sue, "sue")
    assert 'id="approve"' in sue.get(alert).text
    sue.post(f"{alert}/approve", data={"comment": "checked the passport copy", "csrf_token": sue_csrf})
    assert bench.cases.get_alert(bench.alert_id).status == "true_match"
    actions = [(r.actor, r.action) for r in bench.cases.audit_log(action="decision")]
    assert actions == [("sue", "decision.approve"), ("ana", "decision.true_match")]


def test_supervisor_cannot_approve_own_proposal(client: TestClient, bench: Bench) -> None:
    csrf = login(client, "sue")
    alert = f"/wb/alerts/{bench.alert_id}"
    client.post(f"{alert}/decide", data={"outcome": "true_match", "comment": "same person", "csrf_token": csrf})
    assert "another supervisor must approve" in client.get(alert).text
    assert client.post(f"{alert}/approve", data={"comment": "ok", "csrf_token": csrf}).status_code == 403
    sam = TestClient(bench.app)
    sam_csrf = login(sam, "sam")
    sam.post(f"{alert}/reject", data={"comment": "birth year differs", "csrf_token": sam_csrf})
    assert bench.cases.get_alert(bench.alert_id).status == "open"


def test_manual_alert_from_search(client: TestClient, bench: Bench) -> None:
    csrf = login(client, "ana")
    response = client.post("/wb/alerts/new", data={"entity_id": "un-KPe.050", "q": "Mansudae Overseas",
                                                   "country": "kp", "csrf_token": csrf})
    assert response.status_code == 200 and "Alert #" in response.text
    (alert,) = bench.cases.alerts(AlertFilter(source="manual"), PageRequest()).alerts
    assert alert.record == {"name": "Mansudae Overseas", "country": "kp"}
    assert alert.party_key == "manual:mansudae overseas" and alert.entity_id == "un-KPe.050"


def test_audit_page_and_csv(client: TestClient, bench: Bench) -> None:
    csrf = login(client, "ana")
    client.post(f"/wb/alerts/{bench.alert_id}/decide",
                data={"outcome": "escalate", "comment": "ask compliance", "csrf_token": csrf})
    page = client.get("/wb/audit").text
    assert "decision.escalate" in page and "ask compliance" in page and "List updates" in page
    export = client.get("/wb/audit.csv")
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert any(r["action"] == "decision.escalate" and r["actor"] == "ana" for r in rows)
    assert any(r["log"] == "lists" and r["action"] == "lists.load" for r in rows)
    assert "decision.escalate" not in client.get("/wb/audit", params={"actor": "sue"}).text


def test_lists_page_and_reload(client: TestClient, bench: Bench) -> None:
    csrf = login(client, "ana")
    page = client.get("/wb/lists").text
    assert "Last update of un" in page and "PAK Il Su" in page and "notes" in page
    assert "Reload index" not in page
    assert client.post("/wb/lists/reload", data={"csrf_token": csrf}).status_code == 403
    root = TestClient(bench.app)
    root_csrf = login(root, "root")
    assert root.post("/wb/lists/reload", data={"csrf_token": root_csrf}).status_code == 200
    assert bench.cases.audit_log(action="reload")[0].actor == "root"


def test_logout_ends_the_session(client: TestClient) -> None:
    csrf = login(client, "ana")
    stolen = dict(client.cookies)
    client.post("/wb/logout", data={"csrf_token": csrf})
    replay = TestClient(client.app, cookies=stolen)
    assert replay.get("/wb/alerts", follow_redirects=False).status_code == 303


def test_static_files(client: TestClient) -> None:
    js = client.get("/wb/static/workbench.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/wb/static/..%2Froutes.py").status_code == 404
    assert client.get("/wb/static/nope.js").status_code == 404
