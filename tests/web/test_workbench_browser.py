"""End-to-end: drive the workbench in headless Chromium (Debian's /usr/bin/chromium) with Playwright.

Screenshots of every page land in tests/artifacts/workbench/ (gitignored).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from workbench_helpers import PASSWORD, Bench, bench_fixture  # noqa: F401  (fixture)

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "workbench"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium at /usr/bin/chromium: run scripts/ci-system-deps.sh"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(bench: Bench) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(bench.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(browser: Any, server: str, name: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(server + "/")
    assert "/wb/login" in page.url
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    return page


def test_analyst_searches_reviews_decides_and_sees_the_audit(browser: Any, server: str, bench: Bench) -> None:
    page = log_in(browser, server, "ana")
    shot(page, "01-login")
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")

    page.locator("#search input[name=q]").press_sequentially("Mansudae", delay=30)  # search as you type
    hit = page.locator("a.entity-link", has_text="MANSUDAE OVERSEAS PROJECT GROUP OF COMPANIES")
    hit.wait_for()
    assert "q=Mansudae" in page.url
    shot(page, "02-search")

    hit.click()
    page.wait_for_url("**/wb/entity/un-KPe.050")
    assert page.locator("text=만수대해외개발회사그룹").is_visible()
    assert page.locator("table.history").is_visible()
    shot(page, "03-entity")

    page.click("nav >> text=Alerts")
    page.wait_for_url("**/wb/alerts")
    shot(page, "04-alerts")
    page.click(f"a.alert-link:text-is('{bench.alert_id}')")
    page.wait_for_url(f"**/wb/alerts/{bench.alert_id}")
    assert page.locator("tr[data-field='Birth date'] .mark-agree").is_visible()
    shot(page, "05-review")

    page.keyboard.press("f")  # shortcut: false positive, focus the comment
    assert page.locator("input[value=false_positive]").is_checked()
    page.keyboard.type("Customer born 1967-04-02 in Seoul per KYC file; listed person is a DPRK national.")
    page.keyboard.press("Control+Enter")
    page.locator("#alert-status", has_text="false positive").wait_for()
    shot(page, "06-decided")
    assert bench.cases.get_alert(bench.alert_id).status == "false_positive"

    page.click("nav >> text=Audit")
    page.wait_for_url("**/wb/audit")
    row = page.locator("table.audit tr", has_text="decision.false_positive")
    assert row.count() == 1 and "ana" in row.inner_text()
    shot(page, "07-audit")

    page.click("nav >> text=Lists")
    page.locator("text=Last update of un").wait_for()
    shot(page, "08-lists")


def test_true_match_needs_a_supervisor_in_the_browser(browser: Any, server: str, bench: Bench) -> None:
    ana = log_in(browser, server, "ana")
    ana.click("button[type=submit]")
    ana.goto(f"{server}/wb/alerts/{bench.alert_id}")
    ana.check("input[value=true_match]")
    ana.fill("#comment", "Passport number matches the listing.")
    ana.click("#submit-decision")
    ana.locator("#alert-status", has_text="pending approval").wait_for()
    assert ana.locator("#approve").count() == 0  # an analyst gets no approve button
    shot(ana, "09-pending-approval")

    sue = log_in(browser, server, "sue")
    sue.click("button[type=submit]")
    sue.goto(f"{server}/wb/alerts/{bench.alert_id}")
    sue.fill("#comment", "Checked against the passport copy: confirmed.")
    sue.click("#approve")
    sue.locator("#alert-status", has_text="true match").wait_for()
    shot(sue, "10-approved")
    assert bench.cases.get_alert(bench.alert_id).status == "true_match"


def test_linked_party_alert_on_a_phone(browser: Any, server: str, bench: Bench) -> None:
    """A party the UN and the UK both list is one alert: the queue fits 420 px, the review shows both records."""
    from test_workbench_parties import load_uk, raise_party_alert

    load_uk(bench)
    alert_id = raise_party_alert(bench)
    context = browser.new_context(viewport={"width": 420, "height": 860})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(server + "/")
    page.fill("input[name=username]", "ana")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/")
    page.goto(server + "/wb/alerts")
    page.locator(f"a.alert-link:text-is('{alert_id}')").wait_for()
    table_width = page.eval_on_selector("#queue", "t => t.getBoundingClientRect().right")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    shot(page, "11-alerts-420px")
    assert table_width <= 420 and page_width <= 420, (table_width, page_width)
    assert "un, uk" in page.locator("#queue tbody tr", has_text="MANSUDAE").first.inner_text()

    page.click(f"a.alert-link:text-is('{alert_id}')")
    page.wait_for_url(f"**/wb/alerts/{alert_id}")
    records = page.locator("#source-records")
    records.wait_for()
    assert records.locator("th[data-record='un-KPe.050']").is_visible()
    assert records.locator("th[data-record='uk-13538']").count() == 1
    assert "uk-13538" in page.locator("#decision-scope").inner_text()
    shot(page, "12-linked-party-review")
    context.close()
