"""Terminal output at 80 columns: a line per finding or list with details beneath, no columns folded
into ribbons, and every count in the right number."""

from __future__ import annotations

import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BOX = re.compile("[│┃┏┡└]")
WRONG_PLURAL = re.compile(r"(?<![\d,.])1 (mentions|findings|rules|entities|rows|hits|matches|alerts|pairs)\b")


def readable(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines and not BOX.search(text), text
    assert max(len(line) for line in lines) <= 80, [line for line in lines if len(line) > 80]
    assert not WRONG_PLURAL.search(text), WRONG_PLURAL.search(text)
    return lines


def test_scan_report(home: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("scan", "--no-parties", str(EXAMPLES / "article.txt"))
    assert result.code == 0, result.err
    lines = readable(result.out)
    assert "Listed parties: none" in lines
    heading = next(line for line in lines if line.startswith("Red flags: "))
    assert re.fullmatch(r"Red flags: \d+ findings?, \d+ rules?", heading)
    flag = lines.index(heading) + 1
    assert re.fullmatch(r"  [a-z0-9-]+  \d+ findings?", lines[flag])
    assert lines[flag + 1].startswith("      ") and lines[flag + 2].startswith("      [")  # rule, evidence
    assert any(re.fullmatch(r"  North Korea \(KP\): \d+ mentions? at .*", line) for line in lines)


def test_sources_and_fetch_report(mini_lists: Path, cli) -> None:  # type: ignore[no-untyped-def]
    lines = readable(cli("sources").out)
    assert lines[1].split() == ["mini", "snapshot", "1", "(ftm-json)"]
    assert lines[3].strip() == "3 entities: 1 Company, 1 Person, 1 Vessel"
    result = cli("fetch", "--from", str(mini_lists.parent / "mini.ftm.json"))
    lines = readable(result.out)
    assert lines[1].split()[:2] == ["mini", "unchanged,"]
