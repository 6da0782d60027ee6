"""A small, fast streaming reader for the first sheet of an XLSX workbook.

openpyxl's read_only mode is the reference (`read_rows_openpyxl`); this reader
parses the sheet XML with lxml iterparse and is several times faster. Both yield
(row number, [cell text or None, ...]); a test checks they agree on the OFSI file.
Numbers come back as text ('12' for 12.0); date-formatted numbers are not
converted (the lists we read store dates as text).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from lxml import etree

from watchlist.errors import SourceError

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
Row = tuple[int, list[str | None]]


def read_rows(path: Path) -> Iterator[Row]:
    """(1-based row number, cells) for every row of the first sheet; cells as text."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{path.name}: unreadable XLSX workbook ({exc})") from exc
    with zf:
        try:
            shared = _shared_strings(zf)
            sheet = _first_sheet(zf)
            # One read of the (compressed) sheet is much faster than lxml pulling
            # small chunks through zipfile; the XML itself is still parsed as a stream.
            yield from _rows(io.BytesIO(zf.read(sheet)), shared)
        except (KeyError, etree.XMLSyntaxError, zipfile.BadZipFile) as exc:
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


def _first_sheet(zf: zipfile.ZipFile) -> str:
    workbook = etree.fromstring(zf.read("xl/workbook.xml"))
    sheet = workbook.find(f"{{{_NS_MAIN}}}sheets/{{{_NS_MAIN}}}sheet")
    if sheet is None:
        raise KeyError("no sheet in xl/workbook.xml")
    rel_id = sheet.get(f"{{{_NS_REL}}}id")
    rels = etree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target") or ""
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    raise KeyError(f"sheet relationship {rel_id} not found")


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    out: list[str] = []
    with zf.open("xl/sharedStrings.xml") as fh:
        for _, si in etree.iterparse(fh, tag=f"{{{_NS_MAIN}}}si"):
            out.append("".join(t.text or "" for t in si.iter(f"{{{_NS_MAIN}}}t") if _not_phonetic(t)))
            si.clear()
    return out


def _not_phonetic(t: etree._Element) -> bool:
    parent = t.getparent()
    return parent is None or parent.tag != f"{{{_NS_MAIN}}}rPh"


_COLUMNS: dict[str, int] = {}


def _col_index(ref: str) -> int:
    letters = ref.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        n = 0
        for ch in letters:
            n = n * 26 + (ord(ch) - 64)
        index = _COLUMNS[letters] = n - 1
    return index


def _rows(fh: IO[bytes], shared: list[str]) -> Iterator[Row]:
    v_tag, is_tag, t_tag = (f"{{{_NS_MAIN}}}{x}" for x in ("v", "is", "t"))
    expected = 0
    for _, row in etree.iterparse(fh, tag=f"{{{_NS_MAIN}}}row"):
        number = int(row.get("r") or expected + 1)
        expected = number
        cells: list[str | None] = []
        for c in row:
            ref = c.get("r")
            index = _col_index(ref) if ref else len(cells)
            kind = c.get("t")
            value: str | None = None
            if kind == "inlineStr":
                node = c.find(is_tag)
                value = "".join(t.text or "" for t in node.iter(t_tag)) if node is not None else None
            else:
                raw = next((x.text for x in c if x.tag == v_tag), None)
                if raw is None:
                    value = None
                elif kind == "s":
                    value = shared[int(raw)]
                elif kind in ("str", "e", "b") or kind is None and not _is_number(raw):
                    value = raw
                else:
                    value = _number(raw)
            if index >= len(cells):
                cells.extend([None] * (index - len(cells) + 1))
            cells[index] = value if value != "" else None
        row.clear()
        parent = row.getparent()
        if parent is not None:
            while row.getprevious() is not None:
                del parent[0]
        yield number, cells


def _is_number(raw: str) -> bool:
    try:
        float(raw)
    except ValueError:
        return False
    return True


def _number(raw: str) -> str:
    number = float(raw)
    return str(int(number)) if number.is_integer() else raw
