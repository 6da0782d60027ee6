"""A small, fast streaming reader for the first sheet of an XLSX workbook.

openpyxl's read_only mode is the reference (`read_rows_openpyxl`); this reader
parses the sheet XML with lxml iterparse and is several times faster. Both yield
(row number, [cell text or None, ...]); a test checks they agree on the OFSI file.
Numbers come back as text ('12' for 12.0); date-formatted numbers are not
converted (the lists we read store dates as text).

Every part is decompressed through `watchlist.bounded.BoundedZip` and parsed as it
arrives: a part over `max_member_bytes` (or the workbook over `max_archive_bytes`) is
refused from its declared size before any of it is read, elements are counted
(`max_xml_elements`), and shared strings are counted as text (`max_document_chars` x 10):
a bomb is a LimitError in well under a second, with flat memory.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from watchlist.bounded import BoundedZip, release_element, xml_events
from watchlist.errors import SourceError, WatchlistError
from watchlist.limits import Limits

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
Row = tuple[int, list[str | None]]


def read_rows(path: Path, limits: Limits | None = None) -> Iterator[Row]:
    """(1-based row number, cells) for every row of the first sheet; cells as text.

    `limits` defaults to the WATCHLIST_* settings of this process (`Limits.from_env()`)."""
    limits = limits or Limits.from_env()
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path.name}: unreadable XLSX workbook ({exc})") from exc
    with zf:
        parts = BoundedZip(zf, path.name, limits)
        try:
            shared = _shared_strings(parts, limits)
            sheet = _first_sheet(parts)
            yield from _rows(parts.chunks(sheet), shared, parts.origin, limits)
        except WatchlistError:
            raise
        except (KeyError, IndexError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error,
                EOFError, NotImplementedError) as exc:
            raise SourceError(f"{path.name}: damaged XLSX workbook ({exc})") from exc


def read_rows_openpyxl(path: Path) -> Iterator[Row]:
    """The reference reader (openpyxl, read-only): slower, same output."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad workbook
        raise SourceError(f"{path.name}: unreadable XLSX workbook ({exc})") from exc
    try:
        for n, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            yield n, [_text(v) for v in row]
    finally:
        wb.close()


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())[:10]
    text = str(value)
    return text if text != "" else None


def _small_xml(parts: BoundedZip, name: str) -> etree._Element:
    """A small part (workbook, relationships) as a tree, read within the limits, entities unresolved."""
    root: etree._Element | None = None
    for _, el in xml_events(parts.chunks(name), parts.origin):
        root = el
    if root is None:
        raise KeyError(f"{name} is empty")
    return root


def _first_sheet(parts: BoundedZip) -> str:
    workbook = _small_xml(parts, "xl/workbook.xml")
    sheet = workbook.find(f"{{{_NS_MAIN}}}sheets/{{{_NS_MAIN}}}sheet")
    if sheet is None:
        raise KeyError("no sheet in xl/workbook.xml")
    rel_id = sheet.get(f"{{{_NS_REL}}}id")
    rels = _small_xml(parts, "xl/_rels/workbook.xml.rels")
    for rel in rels.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise KeyError(f"sheet relationship {rel_id} not found")


class _Counter:
    """Elements of one part, against `max_xml_elements`."""

    def __init__(self, limits: Limits, origin: str, part: str) -> None:
        self.limits, self.origin, self.part = limits, origin, part
        self.seen = 0

    def tick(self) -> None:
        self.seen += 1
        if self.seen > self.limits.max_xml_elements:
            raise self.limits.exceeded("max_xml_elements", self.origin, f"{self.part} has elements")


def _shared_strings(parts: BoundedZip, limits: Limits) -> list[str]:
    name = "xl/sharedStrings.xml"
    if name not in parts.names():
        return []
    out: list[str] = []
    counter = _Counter(limits, parts.origin, name)
    si_tag, t_tag = f"{{{_NS_MAIN}}}si", f"{{{_NS_MAIN}}}t"
    for _, el in xml_events(parts.chunks(name), parts.origin):
        counter.tick()
        if el.tag == si_tag:
            out.append("".join(t.text or "" for t in el.iter(t_tag) if _not_phonetic(t)))
            release_element(el)
    return out


def _not_phonetic(t: etree._Element) -> bool:
    parent = t.getparent()
    return parent is None or parent.tag != f"{{{_NS_MAIN}}}rPh"


_COLUMNS: dict[str, int] = {}
MAX_COLUMNS = 16_384  # Excel's own (XFD); a reference past it is damage, not a wider sheet


def _col_index(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        n = 0
        for ch in letters[:4]:
            n = n * 26 + (ord(ch) - 64)
        if not 0 < n <= MAX_COLUMNS or len(letters) > 3:
            raise ValueError(f"cell reference {ref[:20]!r} is past column XFD")
        index = _COLUMNS[letters] = n - 1
    return index


def _rows(chunks: Iterable[bytes], shared: list[str], origin: str, limits: Limits) -> Iterator[Row]:
    """Rows as they end; each cell is read and freed when it ends, so a row of a million cells
    costs a list of values, not a million elements. Every other element is freed as it ends too."""
    row_tag, c_tag = f"{{{_NS_MAIN}}}row", f"{{{_NS_MAIN}}}c"
    inside_cell = frozenset(f"{{{_NS_MAIN}}}{x}" for x in ("v", "is", "t", "r", "rPh", "f", "rPr"))
    cap = limits.max_xml_elements
    seen = 0
    expected = 0
    cells: list[str | None] = []
    for _, el in xml_events(chunks, origin):
        seen += 1
        tag = el.tag
        if tag in inside_cell:
            continue
        if seen > cap:
            raise limits.exceeded("max_xml_elements", origin, "the sheet has elements")
        if tag == c_tag:
            ref = el.get("r")
            index = _col_index(ref) if ref else len(cells)
            if index >= len(cells):
                cells.extend([None] * (index - len(cells) + 1))
            value = _cell_value(el, shared)
            cells[index] = value if value != "" else None
        elif tag == row_tag:
            expected = int(el.get("r") or expected + 1)
            yield expected, cells
            cells = []
        release_element(el)


def _cell_value(c: etree._Element, shared: list[str]) -> str | None:
    kind = c.get("t")
    if kind == "inlineStr":
        node = c.find(f"{{{_NS_MAIN}}}is")
        return "".join(t.text or "" for t in node.iter(f"{{{_NS_MAIN}}}t")) if node is not None else None
    v_tag = f"{{{_NS_MAIN}}}v"
    raw = next((x.text for x in c if x.tag == v_tag), None)
    if raw is None:
        return None
    if kind == "s":
        return shared[int(raw)]
    if kind in ("str", "e", "b") or kind is None and not _is_number(raw):
        return str(raw)
    return _number(raw)


def _is_number(raw: str) -> bool:
    try:
        float(raw)
    except ValueError:
        return False
    return True


def _number(raw: str) -> str:
    number = float(raw)
    return str(int(number)) if number.is_integer() else raw
