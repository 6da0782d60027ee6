"""Which list format is this file? Decided from its content, not its name.

`sniff(path)` returns a `Detected(format, detail)`; anything it cannot place
raises SourceError naming the file and what it found instead.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from watchlist.errors import SourceError
from watchlist.sources import ofac_csv

HEAD_BYTES = 16384

# XML root element (local name) -> format
XML_ROOTS = {
    "CONSOLIDATED_LIST": "un-xml",
    "sdnList": "ofac-xml",
    "export": "eu-xml",
    "Designations": "uk-fcdo-xml",
}
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")
_XML_SKIP = re.compile(rb"\s*(<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.DOTALL)


@dataclass(frozen=True)
class Detected:
    format: str  # 'un-xml', 'ofac-csv', 'eu-xml', 'eu-csv', 'uk-xlsx', 'uk-csv', 'uk-fcdo-xml', ...
    head: bytes
    role: str | None = None  # OFAC CSV: primary/address/alias/comments


def sniff(path: Path) -> Detected:
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the file ({exc.strerror})") from exc
    name = path.name
    if not head.strip(b" \t\r\n\x1a\xef\xbb\xbf"):
        raise SourceError(f"{name}: the file is empty")
    if head.startswith(b"PK\x03\x04"):
        return Detected(_sniff_zip(path), head)
    text_head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text_head.startswith(b"<"):
        return Detected(_sniff_xml(name, text_head), head)
    if b"\x00" in head[:4096] or _looks_binary(head):
        raise SourceError(f"{name}: binary data, not a list file (first bytes {head[:8]!r})")
    if text_head.startswith(b"{"):
        if b'"schema"' in text_head[:4096] and b'"id"' in text_head[:4096]:
            return Detected("ftm-json", head)
        raise SourceError(f"{name}: JSON, but not FollowTheMoney entity lines (no 'id'/'schema')")
    first_lines = text_head.decode("utf-8", "replace").splitlines()[:3]
    first = first_lines[0] if first_lines else ""
    second = first_lines[1] if len(first_lines) > 1 else ""
    if "Entity_LogicalId" in first and ";" in first:
        return Detected("eu-csv", head)
    if first.startswith("Last Updated") and "Group ID" in second:
        return Detected("uk-csv", head)
    if "Unique ID" in first + second and "Name 6" in first + second:
        return Detected("uk-fcdo-csv", head)
    role = ofac_csv.sniff_role(path, text_head)
    if role is not None:
        return Detected("ofac-csv", head, role)
    raise SourceError(
        f"{name}: unknown format; expected UN/OFAC/EU/UK XML, OFAC/EU/UK CSV, the OFSI XLSX "
        f"or FollowTheMoney JSON lines (first line: {first[:80]!r})"
    )


def _looks_binary(head: bytes) -> bool:
    sample = head[:4096]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 26)
    return controls > len(sample) // 20


def _sniff_xml(name: str, head: bytes) -> str:
    pos = 0
    while m := _XML_SKIP.match(head, pos):
        pos = m.end()
    m = _XML_ROOT.match(head.lstrip(), 0) if pos == 0 else _XML_ROOT.match(head[pos:].lstrip())
    if m is None:
        raise SourceError(f"{name}: XML without a readable root element")
    root = m.group(2).decode("ascii", "replace")
    found = XML_ROOTS.get(root)
    if found is None:
        known = ", ".join(f"<{r}>" for r in XML_ROOTS)
        raise SourceError(f"{name}: XML root <{root}> is not a known list format (expected {known})")
    return found


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            members = set(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path.name}: a damaged ZIP/XLSX file ({exc})") from exc
    if "xl/workbook.xml" in members:
        return "uk-xlsx"
    raise SourceError(f"{path.name}: a ZIP archive, not an XLSX workbook; unpack it first")
