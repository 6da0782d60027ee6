"""`watchlist scan`: terminal, --json and --html output; stdin; clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import LISTS
from tests.scan.scan_helpers import DOCS
from typer.testing import CliRunner

from watchlist.cli.main import app

runner = CliRunner()


def test_json_report_has_the_documented_shape(home: Path) -> None:
    result = runner.invoke(app, ["scan", "--no-parties", "--json", str(DOCS / "dprk_shipping_memo.txt")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"document", "parties", "places", "red_flags"} <= set(data)
    assert {p["code"] for p in data["places"]} == {"KP"}
    flag = data["red_flags"][0]
    assert {"code", "rule", "evidence", "span"} <= set(flag)
    text = (DOCS / "dprk_shipping_memo.txt").read_text(encoding="utf-8")
    assert text[flag["span"][0] : flag["span"][1]] == flag["evidence"]


def test_stdin(home: Path) -> None:
    result = runner.invoke(app, ["scan", "--no-parties", "--json", "-"], input="Workers from Pyongyang arrived.")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["document"] == "-" and data["red_flags"][0]["code"] == "dprk-overseas-labour"


def test_terminal_report(home: Path) -> None:
    result = runner.invoke(app, ["scan", "--no-parties", str(DOCS / "crimea_invoice.html")])
    assert result.exit_code == 0, result.output
    assert "sanctioned-region" in result.output and "Sevastopol" in result.output


def test_html_report_highlights_findings(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["scan", "--no-parties", "--html", "-o", str(out), str(DOCS / "factory_audit.txt")])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "forced-labour-indicator" in page
    assert "class='evidence" in page and "ILO" in page


def test_several_documents_as_json_list(home: Path) -> None:
    files = [str(DOCS / "fuel_prices_news.txt"), str(DOCS / "factory_audit.txt")]
    result = runner.invoke(app, ["scan", "--no-parties", "--json", *files])
    assert [d["document"] for d in json.loads(result.output)] == files


def test_missing_file_is_a_clear_error(home: Path) -> None:
    result = runner.invoke(app, ["scan", "--no-parties", "nope.pdf"])
    assert result.exit_code != 0
    assert "nope.pdf: no such file" in str(result.exception)


def test_without_lists_the_error_says_how_to_load_them(home: Path) -> None:
    result = runner.invoke(app, ["scan", str(DOCS / "factory_audit.txt")])
    assert result.exit_code != 0
    assert "watchlist fetch" in str(result.exception)


@pytest.mark.integration
def test_scan_with_lists_in_the_store(home: Path) -> None:
    from watchlist.engine import Engine
    from watchlist.settings import Settings

    engine = Engine.open(Settings.from_env())
    engine.load_paths([LISTS / "un" / "consolidated.xml"])
    engine.close()
    result = runner.invoke(app, ["scan", "--json", str(DOCS / "dprk_shipping_memo.txt")])
    assert result.exit_code == 0, result.output
    found = {p["entity_id"] for p in json.loads(result.output)["parties"]}
    assert {"un-KPe.001", "un-KPe.025"} <= found  # KOMID, Korea Kwangson Banking Corp

    result = runner.invoke(app, ["scan", "--alerts", str(DOCS / "dprk_shipping_memo.txt")])
    assert result.exit_code == 0, result.output
    from watchlist.cases import open_case_store

    cases = open_case_store(Settings.from_env())
    alerts = cases.alerts().alerts
    cases.close()
    assert {a.entity_id for a in alerts} == found and {a.source for a in alerts} == {"scan"}
    assert all(a.record["document"].endswith("dprk_shipping_memo.txt") for a in alerts)


def test_a_document_bomb_is_one_line_and_exit_2(home: Path, tmp_path: Path) -> None:
    """Issue 21: the CLI printed an lxml traceback at 2.3 GB; now the limit (from its WATCHLIST_* setting) is named."""
    import os
    import subprocess
    import sys

    from tests import bombs

    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(bombs.docx_whitespace_bomb(4 << 20))
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"\xff\xfeK\x00i\x00m\x00!")
    env = {**os.environ, "WATCHLIST_MAX_MEMBER_BYTES": "1000000", "WATCHLIST_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "watchlist.cli.main", "scan", "--no-parties", str(bomb)],
                            check=False, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "(WATCHLIST_MAX_MEMBER_BYTES)" in result.stderr
    read = subprocess.run([sys.executable, "-m", "watchlist.cli.main", "scan", "--no-parties", "--json", str(odd)],
                          check=False, capture_output=True, text=True, env=env, timeout=120)
    assert read.returncode == 0, read.stderr
