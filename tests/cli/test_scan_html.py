"""`scan --html FILE` (the README's form) and the published flag form `--html -o OUT`."""

from __future__ import annotations

from pathlib import Path

import pytest

from watchlist.cli.scan import html_flag_form

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ARTICLE = str(EXAMPLES / "article.txt")


def test_html_takes_the_report_file(home: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli("scan", "--no-parties", ARTICLE, "--html", "report.html")
    assert result.code == 0, result.err
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "ship-to-ship" in page
    assert result.out == ""


def test_the_flag_form_still_works(home: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    assert cli("scan", "--no-parties", "--html", "-o", str(out), ARTICLE).code == 0
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")
    result = cli("scan", "--no-parties", ARTICLE, "--html")
    assert result.code == 0 and result.out.startswith("<!doctype html>")
    result = cli("scan", "--no-parties", "--html", ARTICLE)  # an existing document: scanned, never overwritten
    assert result.code == 0 and result.out.startswith("<!doctype html>")
    assert (EXAMPLES / "article.txt").read_text(encoding="utf-8").startswith("Tanker crews")


def test_the_report_file_given_twice_is_an_error(home: Path, tmp_path: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("scan", "--no-parties", ARTICLE, f"--html={tmp_path / 'a.html'}", "-o", str(tmp_path / "b.html"))
    assert result.code == 2 and "--html FILE, or --html -o FILE" in result.err


def test_html_flag_form(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("text")
    assert html_flag_form(["a.txt", "--html", "r.html"]) == ["a.txt", "--html", "r.html"]
    assert html_flag_form(["a.txt", "--html"]) == ["a.txt", "--html="]
    assert html_flag_form(["--html", "-o", "r.html", "a.txt"]) == ["--html=", "-o", "r.html", "a.txt"]
    assert html_flag_form(["--html", "x.html", "--output=r.html"]) == ["--html=", "x.html", "--output=r.html"]
    assert html_flag_form(["--html", str(doc)]) == ["--html=", str(doc)]
    assert html_flag_form(["--html", "-"]) == ["--html=", "-"]
