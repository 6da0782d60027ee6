"""The list CLI: fetch (download or --from), sources, diff, show. Store state is checked directly."""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import LISTS, make_entity
from tests.sources.fetch_server import base_url, serve
from typer.testing import CliRunner, Result

from watchlist.cli import main
from watchlist.cli.main import app
from watchlist.errors import FetchError, NotFoundError, SnapshotRejected, SourceError, WatchlistError
from watchlist.model import Schema
from watchlist.settings import Settings
from watchlist.sources.base import ParsedList
from watchlist.store import Store

runner = CliRunner()


def invoke(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def ok(*args: str) -> str:
    result = invoke(*args)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def open_store() -> Store:
    return Store.open(Settings.from_env().db_path)


def sources_json() -> dict[str, Any]:
    data = json.loads(ok("sources", "--json"))
    return {s["name"]: s for s in data["sources"]}


def _inline(source: str, entities: list[Any], published: str = "2024-01-01") -> ParsedList:
    return ParsedList(source, "test", (), lambda: iter(entities), published=published)


@pytest.fixture
def loaded(home: Path) -> Path:
    """Two snapshots of 'ofac-sdn' and one of 'ofac-cons', built inline."""
    old = [
        make_entity("ofac-1", "IVANOV, Ivan", datasets=("ofac-sdn",), birth_dates=("1970",)),
        make_entity("ofac-2", "ACME LLC", schema=Schema.ORGANIZATION, datasets=("ofac-sdn",)),
    ]
    new = [
        make_entity(
            "ofac-1", "IVANOV, Ivan", aliases=("Vanya",), datasets=("ofac-sdn",), birth_dates=("1971",)
        ),
        make_entity("ofac-3", "MV SEA STAR", schema=Schema.VESSEL, datasets=("ofac-sdn",)),
    ]
    with open_store() as store:
        store.load(_inline("ofac-sdn", old, "2024-01-01"))
        store.load(_inline("ofac-sdn", new, "2024-02-01"))
        store.load(_inline("ofac-cons", [make_entity("ofac-1", "IVANOV, Ivan", datasets=("ofac-cons",))]))
    return home


# -- unit ------------------------------------------------------------------------


def test_sources_empty(home: Path) -> None:
    assert "No lists loaded" in ok("sources")
    assert json.loads(ok("sources", "--json"))["sources"] == []


def test_sources_table_and_json(loaded: Path) -> None:
    out = ok("sources")
    assert "ofac-sdn" in out and "2024-02-01" in out and "1 Person, 1 Vessel" in out
    data = sources_json()
    assert data["ofac-sdn"]["counts"] == {"Person": 1, "Vessel": 1}
    assert data["ofac-sdn"]["published"] == "2024-02-01"
    assert data["ofac-sdn"]["snapshots_kept"] == 2
    assert {"version", "content_hash", "loaded_at", "format", "files", "entity_count"} <= set(
        data["ofac-sdn"]
    )


def test_diff_table_and_json(loaded: Path) -> None:
    out = ok("diff", "ofac-sdn")
    assert "+1 added" in out and "-1 removed" in out and "~1 changed" in out
    assert "MV SEA STAR" in out and "ACME LLC" in out and "alias, birthDate" in out
    data = json.loads(ok("diff", "ofac-sdn", "--json"))
    assert [e["id"] for e in data["added"]] == ["ofac-3"]
    assert [e["id"] for e in data["removed"]] == ["ofac-2"]
    assert data["changed"] == [
        {"id": "ofac-1", "schema": "Person", "caption": "IVANOV, Ivan", "properties": ["alias", "birthDate"]}
    ]


def test_diff_unknown_source(loaded: Path) -> None:
    result = invoke("diff", "eu")
    assert isinstance(result.exception, NotFoundError)
    assert "no snapshot of 'eu'" in result.exception.message


def test_show_merges_sources(loaded: Path) -> None:
    out = ok("show", "ofac-1")
    assert "IVANOV, Ivan" in out and "Vanya" in out and "ofac-cons, ofac-sdn" in out
    data = json.loads(ok("show", "ofac-1", "--json"))
    assert data["id"] == "ofac-1" and data["schema"] == "Person" and data["caption"] == "IVANOV, Ivan"
    assert set(data["datasets"]) == {"ofac_sdn", "ofac_cons"}  # FtM dataset names
    assert data["first_seen"] and len(data["first_seen"]) == 19
    assert data["properties"]["alias"] == ["Vanya"]
    assert data["record"]["names"][0] == {"value": "IVANOV, Ivan", "kind": "name"}
    assert {s["source"] for s in data["sources"]} == {"ofac-sdn", "ofac-cons"}


def test_show_history(loaded: Path) -> None:
    data = json.loads(ok("show", "ofac-2", "--json", "--history"))
    assert [h["listed"] for h in data["history"]] == [False, True]  # delisted in the newest snapshot


def test_show_unknown_is_one_line_and_exit_2(
    loaded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["watchlist", "show", "ofac-999"])
    monkeypatch.setenv("COLUMNS", "300")
    with pytest.raises(SystemExit) as info:
        main.run()
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: no entity 'ofac-999'") and "\n" not in err


# -- fetch (download, local server) ----------------------------------------------


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[ThreadingHTTPServer]:
    root = tmp_path / "mirror"
    (root / "un").mkdir(parents=True)
    shutil.copy(LISTS / "un" / "consolidated.xml", root / "un" / "consolidated.xml")
    (root / "ofac-cons").mkdir()
    for name in ("cons_prim.csv", "cons_add.csv", "cons_alt.csv", "cons_comments.csv"):
        shutil.copy(LISTS / "ofac" / "cons_2025-12" / name, root / "ofac-cons" / name)
    with serve(root) as server:
        yield server


@pytest.mark.integration
def test_fetch_downloads_and_loads(home: Path, mirror: ThreadingHTTPServer) -> None:
    base = base_url(mirror)
    out = ok("fetch", "un", "ofac-cons", "--base-url", base)
    assert "new snapshot" in out and "1,003" in out and "442" in out
    assert (home / "downloads" / "ofac-cons" / "cons_alt.csv").exists()
    again = json.loads(ok("fetch", "un", "ofac_cons", "--base-url", base, "--json"))  # either spelling
    assert [r["status"] for r in again] == ["unchanged", "unchanged"]
    assert sources_json()["un"]["entity_count"] == 1003


@pytest.mark.integration
def test_fetch_truncated_download_keeps_previous_snapshot(
    home: Path, mirror: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WATCHLIST_SOURCE_BASE_URL", base_url(mirror))
    ok("fetch", "un")
    before = sources_json()["un"]
    mirror.faults["/un/consolidated.xml"] = ["drop", "drop"]  # type: ignore[attr-defined]
    result = invoke("fetch", "un", "--retries", "1")
    assert isinstance(result.exception, WatchlistError) and "truncated" in result.exception.message
    assert sources_json()["un"] == before


def test_fetch_offline_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    with serve(tmp_path) as server:
        dead = base_url(server)  # nothing listens here once the server is closed
    result = invoke("fetch", "--base-url", dead, "--retries", "0")
    assert isinstance(result.exception, FetchError)
    assert result.exception.message == "no network? Nothing downloaded; load files: watchlist fetch --from PATH"
    assert len("error: " + result.exception.message) <= 80  # one line at 80 columns, as main.run prints it
    assert result.exception.__cause__ is not None and f"cannot reach {dead}" in str(result.exception.__cause__)


@pytest.mark.integration
def test_fetch_from_several_paths(home: Path) -> None:
    ok("fetch", "--from", str(LISTS / "un"), str(LISTS / "ofac" / "cons_2025-12"))
    assert set(sources_json()) == {"un", "ofac-cons"}
    result = invoke("fetch", "--from", str(LISTS / "un"), "no-such-dir")
    assert isinstance(result.exception, SourceError) and "no-such-dir" in result.exception.message


def test_fetch_from_an_empty_folder(home: Path, tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("nothing here")
    result = invoke("fetch", "--from", str(tmp_path))
    assert isinstance(result.exception, NotFoundError) and "no list files found" in result.exception.message


# -- integration: the shared list files --------------------------------------------


@pytest.fixture
def all_loaded(home: Path, shared_lists: Path) -> Path:
    ok("fetch", "--from", str(shared_lists))
    return home


@pytest.mark.integration
def test_loading_every_shared_file_matches_the_readme(all_loaded: Path) -> None:
    data = sources_json()
    assert data["un"]["counts"] == {"Person": 730, "Organization": 273}
    assert data["ofac-sdn"]["entity_count"] == 14965
    assert data["ofac-sdn"]["counts"] == {
        "Person": 6854,
        "Organization": 6884,
        "Vessel": 851,
        "Aircraft": 376,
    }
    assert data["ofac-cons"]["entity_count"] == 442
    assert data["uk"]["entity_count"] == 4686
    assert data["uk"]["counts"] == {"Person": 3662, "Organization": 1009, "Vessel": 15}
    assert data["uk"]["published"].startswith("2025-04-10")
    assert data["un"]["published"].startswith("2026-02-27")
    # the two OFAC SDN sets were loaded oldest first: the 2024 list is active, the 2021 one kept
    with open_store() as store:
        assert [s.entity_count for s in store.snapshots("ofac-sdn")] == [14965, 8976]
    out = ok("sources")
    assert "14,965" in out and "4,686" in out
    # the same folder again changes nothing
    version = json.loads(ok("sources", "--json"))["version"]
    again = json.loads(ok("fetch", "--from", str(LISTS), "--json"))
    assert {r["status"] for r in again} == {"unchanged", "kept"}
    assert json.loads(ok("sources", "--json"))["version"] == version


@pytest.mark.integration
def test_diff_ofac_2021_to_2024(home: Path, shared_lists: Path) -> None:
    ofac = shared_lists / "ofac"
    ok("fetch", "--from", str(ofac / "sdn_2021-07_watchman_bench"))
    ok("fetch", "--from", str(ofac / "sdn_2024-05-03" / "sdn.csv"))
    data = json.loads(ok("diff", "ofac-sdn", "--json"))
    added = {e["id"]: e for e in data["added"]}
    assert added["ofac-42073"]["caption"] == "KHUSNULLIN, Marat Shakirzyanovich"
    assert data["summary"]["removed"] > 0
    assert data["old"]["entity_count"] == 8976 and data["new"]["entity_count"] == 14965
    assert len(added) == 14965 - 8976 + data["summary"]["removed"]
    out = ok("diff", "ofac-sdn", "--limit", "100000")
    assert "KHUSNULLIN, Marat Shakirzyanovich" in out
    shown = json.loads(ok("show", "ofac-42073", "--json"))
    assert shown["properties"]["program"] == ["RUSSIA-EO14024"]


def _un_bytes() -> bytes:
    return (LISTS / "un" / "consolidated.xml").read_bytes()


def _missing_name() -> bytes:
    data = _un_bytes()
    cut = data.replace(b"<FIRST_NAME>ERIC</FIRST_NAME>", b"", 1).replace(
        b"<SECOND_NAME>BADEGE</SECOND_NAME>", b"", 1
    )
    assert cut != data
    return cut


BAD_INPUTS = {
    "truncated.xml": lambda: _un_bytes()[: len(_un_bytes()) * 6 // 10],
    "wrong-format.csv": lambda: b"name,country\nJohn Smith,GB\n",
    "other.xml": lambda: b'<?xml version="1.0"?><rss><channel/></rss>',
    "empty.xml": lambda: b"",
    "garbage.xml": lambda: bytes(range(256)) * 64,
    "missing-name.xml": _missing_name,
}


@pytest.mark.integration
@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_keeps_previous_snapshot(home: Path, tmp_path: Path, name: str) -> None:
    ok("fetch", "--from", str(LISTS / "un"))
    with open_store() as store:
        version, before = store.version(), store.sources()
    bad = tmp_path / "bad" / name
    bad.parent.mkdir()
    bad.write_bytes(BAD_INPUTS[name]())
    result = invoke("fetch", "--from", str(bad))
    assert result.exit_code != 0
    assert isinstance(result.exception, (SourceError, SnapshotRejected)), result.exception
    assert name in result.exception.message  # the error names the file
    assert "\n" not in result.exception.message
    with open_store() as store:
        assert store.version() == version
        assert store.sources() == before
        assert store.count(["un"]) == 1003
        assert store.get("un-CDi.001") is not None
