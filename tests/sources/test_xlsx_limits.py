"""XLSX bombs through `fetch --from` and downloads (issue 21, finding 7): refused fast, memory flat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests import bombs
from tests.sources.fetch_server import base_url, serve

from watchlist.errors import FetchError, LimitError, SourceError
from watchlist.limits import Limits
from watchlist.sources.fetch import fetch
from watchlist.sources.xlsx import read_rows

SMALL = Limits(max_member_bytes=1 << 20, max_archive_bytes=2 << 20, max_xml_elements=10_000)
ROW = b'<row><c t="inlineStr"><is><t>KIM</t></is></c></row>'


def test_sheet_past_the_member_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = bombs.xlsx_sheet_bomb(tmp_path / "sheet.xlsx", 4 << 20)
    with pytest.raises(LimitError, match=r"sheet.xlsx: xl/worksheets/sheet1.xml expands to 4,194,\d+ bytes, "
                                         r"past the limit of 1,048,576 bytes \(WATCHLIST_MAX_MEMBER_BYTES\)"):
        next(read_rows(path, SMALL))


def test_shared_strings_past_the_member_limit_are_refused(tmp_path: Path) -> None:
    path = bombs.xlsx_shared_strings_bomb(tmp_path / "shared.xlsx", 3 << 20)
    with pytest.raises(LimitError, match="xl/sharedStrings.xml expands .*WATCHLIST_MAX_MEMBER_BYTES"):
        next(read_rows(path, SMALL))


def test_elements_are_counted_even_within_one_row(tmp_path: Path) -> None:
    one_row = b"<row>" + b'<c t="inlineStr"><is><t>K</t></is></c>' * 20_000 + b"</row>"
    path = bombs.xlsx(tmp_path / "wide.xlsx", iter([one_row]))
    with pytest.raises(LimitError, match=r"the sheet has elements past the limit of 10,000 elements"):
        list(read_rows(path, SMALL))
    path = bombs.xlsx(tmp_path / "rows.xlsx", iter([ROW * 3]))
    assert [cells for _, cells in read_rows(path, SMALL)] == [["KIM"]] * 3


def test_a_column_past_xfd_is_damage_not_a_wider_row(tmp_path: Path) -> None:
    path = bombs.xlsx(tmp_path / "far.xlsx", iter([b'<row r="1"><c r="ZZZZZZZZZZ1"><v>1</v></c></row>']))
    with pytest.raises(SourceError, match="far.xlsx: damaged XLSX workbook .*past column XFD"):
        list(read_rows(path, SMALL))


# Runs the command in a child of its own and prints that child's peak RSS: the test process's own
# RUSAGE_CHILDREN holds the largest of every child the suite has run so far.
_PEAK_OF_ONE_CHILD = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(f'peak_kb={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _fetch_from(path: Path, home: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """`watchlist fetch --from PATH` in a child process: its result and the child's peak RSS in MB."""
    env = {**os.environ, "WATCHLIST_HOME": str(home)}
    command = [sys.executable, "-m", "watchlist.cli.main", "fetch", "--from", str(path)]
    result = subprocess.run([sys.executable, "-c", _PEAK_OF_ONE_CHILD, *command],
                            check=False, capture_output=True, text=True, env=env, timeout=120)
    peak_kb = int(result.stderr.rstrip().rsplit("peak_kb=", 1)[1])
    return result, peak_kb / 1024


@pytest.mark.slow
@pytest.mark.parametrize("make", [bombs.xlsx_sheet_bomb, bombs.xlsx_shared_strings_bomb])
def test_fetch_from_an_xlsx_bomb_is_one_line_exit_2_in_bounded_memory(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "ConList.xlsx")
    assert path.stat().st_size < 5 << 20
    result, peak_mb = _fetch_from(path, tmp_path / "home")
    assert result.returncode == 2, result.stderr
    assert "WATCHLIST_MAX_MEMBER_BYTES" in result.stderr and "Traceback" not in result.stderr
    assert peak_mb < 1024


def test_download_of_a_workbook_bomb_is_refused(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror" / "uk"
    mirror.mkdir(parents=True)
    bombs.xlsx_sheet_bomb(mirror / "ConList.xlsx", 4 << 20)
    with serve(tmp_path / "mirror") as server:  # type: ThreadingHTTPServer
        url = base_url(server) + "/uk/ConList.xlsx"
        with pytest.raises(FetchError, match="ConList.xlsx: xl/worksheets/sheet1.xml expands to .*past the limit"):
            fetch(["uk"], tmp_path / "dest", urls={"uk": url}, backoff=0.0, timeout=10.0, limits=SMALL)
        paths = fetch(["uk"], tmp_path / "dest", urls={"uk": url}, backoff=0.0, timeout=10.0,
                      limits=Limits(max_member_bytes=8 << 20))
    assert [p.name for p in paths] == ["ConList.xlsx"]


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHLIST_MAX_MEMBER_BYTES", "1_000")
    monkeypatch.setenv("WATCHLIST_MAX_DOCUMENT_SECONDS", "2.5")
    limits = Limits.from_env()
    assert limits.max_member_bytes == 1000 and limits.max_document_seconds == 2.5
    monkeypatch.setenv("WATCHLIST_MAX_PDF_PAGES", "many")
    with pytest.raises(Exception, match="WATCHLIST_MAX_PDF_PAGES='many' is not a number"):
        Limits.from_env()
