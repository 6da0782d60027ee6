"""fetch: downloads against a local HTTP server serving the shared list files. No real network."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.sources.fetch_server import base_url, serve

from watchlist.errors import FetchError
from watchlist.sources import fetch as fetch_mod
from watchlist.sources.fetch import BASE_URL_ENV, fetch, file_name, remote_files

LISTS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "lists"


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """A mirror laid out as <source>/<file name>, built from the shared files."""
    root = tmp_path / "mirror"
    (root / "un").mkdir(parents=True)
    shutil.copy(LISTS / "un" / "consolidated.xml", root / "un" / "consolidated.xml")
    (root / "ofac-sdn").mkdir()
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        shutil.copy(LISTS / "ofac" / "sdn_2021-07_watchman_bench" / name, root / "ofac-sdn" / name)
    (root / "garbage").mkdir()
    (root / "garbage" / "list.xml").write_bytes(b"\x00\x01\x02binary" * 100)
    return root


@pytest.fixture
def server(mirror: Path) -> Iterator[ThreadingHTTPServer]:
    with serve(mirror) as srv:
        yield srv


def _fetch(server: ThreadingHTTPServer, dest: Path, sources: list[str], **kw: object) -> list[Path]:
    kw.setdefault("base_url", base_url(server))
    kw.setdefault("backoff", 0.0)
    kw.setdefault("timeout", 10.0)
    return fetch(sources, dest, **kw)  # type: ignore[arg-type]


def test_registry_maps_a_source_to_one_or_more_urls() -> None:
    assert [f.name for f in remote_files("ofac-sdn", base_url="")] == [
        "sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv",
    ]  # fmt: skip
    [un] = remote_files("un", base_url="")
    assert un.url.startswith("https://") and un.name == "consolidated.xml"
    assert file_name("eu", "https://x/xmlFullSanctionsList_1_1/content?token=abc") == "eu.xml"


def test_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BASE_URL_ENV, "http://mirror.local/lists/")
    assert remote_files("ofac-cons")[0].url == "http://mirror.local/lists/ofac-cons/cons_prim.csv"
    assert remote_files("un", urls={"un": "http://x/un.xml"})[0].url == "http://x/un.xml"
    folder = remote_files("ofac-sdn", urls={"ofac-sdn": "http://x/ofac/"})
    assert [f.url for f in folder][1] == "http://x/ofac/add.csv"
    with pytest.raises(FetchError, match="unknown source 'nope'"):
        remote_files("nope")


def test_fetch_downloads_every_file_of_a_source(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    dest = tmp_path / "downloads"
    paths = _fetch(server, dest, ["un", "ofac-sdn"])
    assert [p.relative_to(dest).as_posix() for p in paths] == [
        "un/consolidated.xml", "ofac-sdn/sdn.csv", "ofac-sdn/add.csv", "ofac-sdn/alt.csv", "ofac-sdn/sdn_comments.csv",
    ]  # fmt: skip
    assert paths[0].read_bytes() == (LISTS / "un" / "consolidated.xml").read_bytes()
    assert not [p for p in dest.iterdir() if p.name.startswith(".")]  # no staging left


def test_retries_after_500(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    server.faults["/un/consolidated.xml"] = ["500", "500"]  # type: ignore[attr-defined]
    paths = _fetch(server, tmp_path, ["un"], retries=3)
    assert paths[0].stat().st_size == (LISTS / "un" / "consolidated.xml").stat().st_size
    assert server.requests.count("/un/consolidated.xml") == 3  # type: ignore[attr-defined]


def test_backoff_doubles(
    server: ThreadingHTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(fetch_mod, "_sleep", sleeps.append)
    server.faults["/un/consolidated.xml"] = ["500", "500", "500"]  # type: ignore[attr-defined]
    _fetch(server, tmp_path, ["un"], retries=3, backoff=0.5)
    assert sleeps == [0.5, 1.0, 2.0]


def test_gives_up_after_retries(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    server.faults["/un/consolidated.xml"] = ["500"] * 5  # type: ignore[attr-defined]
    with pytest.raises(FetchError, match=r"HTTP 500 \(after 3 tries\)"):
        _fetch(server, tmp_path, ["un"], retries=2)


def test_dropped_connection_is_retried_then_reported(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    dest = tmp_path / "dl"
    server.faults["/un/consolidated.xml"] = ["drop"]  # type: ignore[attr-defined]
    paths = _fetch(server, dest, ["un"], retries=1)  # second try succeeds
    assert paths[0].read_bytes() == (LISTS / "un" / "consolidated.xml").read_bytes()

    server.faults["/un/consolidated.xml"] = ["drop", "drop"]  # type: ignore[attr-defined]
    with pytest.raises(FetchError, match="truncated"):
        _fetch(server, dest, ["un"], retries=1)
    # the previous complete download is untouched
    assert paths[0].read_bytes() == (LISTS / "un" / "consolidated.xml").read_bytes()


def test_a_failed_file_keeps_the_whole_previous_set(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    first = _fetch(server, tmp_path, ["ofac-sdn"])
    before = {p.name: p.read_bytes() for p in first}
    server.faults["/ofac-sdn/alt.csv"] = ["404"]  # type: ignore[attr-defined]
    with pytest.raises(FetchError, match="alt.csv: the server answered HTTP 404"):
        _fetch(server, tmp_path, ["ofac-sdn"])
    assert {p.name: p.read_bytes() for p in first} == before


@pytest.mark.parametrize(
    ("fault", "message"),
    [("html", "not a list file"), ("empty", "empty file")],
)
def test_sanity_checks(server: ThreadingHTTPServer, tmp_path: Path, fault: str, message: str) -> None:
    server.faults["/un/consolidated.xml"] = [fault]  # type: ignore[attr-defined]
    with pytest.raises(FetchError, match=message):
        _fetch(server, tmp_path, ["un"])


def test_binary_garbage_is_rejected(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    url = base_url(server) + "/garbage/list.xml"
    with pytest.raises(FetchError, match="not a list file.*binary"):
        _fetch(server, tmp_path, ["un"], urls={"un": url})


def test_size_limit(server: ThreadingHTTPServer, tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="over the 1,000 byte limit"):
        _fetch(server, tmp_path, ["un"], max_bytes=1000)


def test_no_network_is_one_clear_line(tmp_path: Path) -> None:
    # a port nothing listens on: connection refused, as when offline
    with serve(tmp_path) as srv:
        url = base_url(srv)
    with pytest.raises(FetchError) as info:
        fetch(["un"], tmp_path / "dl", base_url=url, retries=1, backoff=0.0, timeout=5.0)
    message = info.value.message
    assert message.startswith(f"cannot reach {url}/un/consolidated.xml")
    assert "watchlist fetch --from PATH" in message
    assert "\n" not in message
