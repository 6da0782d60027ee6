"""Reading a customer's delimited text file as it comes: any encoding a byte-order mark announces,
gzip, a comma, semicolon, tab or pipe between fields, a header written in any case.

Every way such a file can go wrong is one `ConfigError` naming the file and the line (a file in
another encoding, a binary file, an empty file, a header that names a column twice, a quote
that is never closed), or a warning on the row it concerns (a byte that is not UTF-8 in an
otherwise UTF-8 file, a row with more fields than the header): never a traceback, and never a
row that silently vanishes into another.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from watchlist.decoding import bom_stream_encoding, repair_stray_bytes
from watchlist.delimited import sniff_delimiter
from watchlist.errors import ConfigError

GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 1 << 16  # checked for UTF-8 before the first row is read
FIELD_LIMIT = 16 * 1024 * 1024  # one CSV field (csv's own default, 128 KiB, stops a run on one long cell)
# What a file that is not text at all begins with, and what to say about it.
_BINARY = ((b"PK\x03\x04", "a ZIP archive (XLSX, DOCX...)"), (b"%PDF", "a PDF"), (b"PAR1", "a Parquet file"),
           (b"\xd0\xcf\x11\xe0", "an old Office file (XLS, DOC)"), (b"SQLite format 3", "an SQLite database"))
_CONTROL = (*range(0x09), *range(0x0E, 0x20))  # control bytes no text file holds many of
_HEADER_SPACE = re.compile(r"[\s\-]+")


def _raw(path: Path) -> IO[bytes]:
    try:
        fh: IO[bytes] = path.open("rb")
        if fh.read(2) == GZIP_MAGIC:
            fh.close()
            return gzip.GzipFile(path, "rb")  # type: ignore[return-value]  # a binary IO in all but name
        fh.seek(0)
        return fh
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _head(path: Path) -> bytes:
    with _raw(path) as fh:
        try:
            return fh.read(SNIFF_BYTES)
        except (OSError, EOFError) as exc:  # a truncated or corrupt gzip stream
            raise ConfigError(f"cannot read {path}: {exc}") from exc


def choose_encoding(path: Path, head: bytes, given: str | None = None) -> tuple[str, str]:
    """The (encoding, error handler) to read `path` with, from its first bytes; a file that is
    neither text in `given` nor UTF-8 nor marked by a byte-order mark is a ConfigError."""
    marked = bom_stream_encoding(head)
    if marked is not None:
        return marked, "replace"
    if given:
        try:
            codecs.lookup(given)
        except LookupError as exc:
            raise ConfigError(f"unknown --encoding {given!r}: use e.g. utf-8, cp1252, latin-1 or cp1251") from exc
        return given, "replace"
    for magic, what in _BINARY:
        if head.startswith(magic):
            raise ConfigError(f"{path} is {what}, not delimited text: save it as CSV (UTF-8)")
    start = head[:4096]
    if sum(start.count(bytes([c])) for c in _CONTROL) > max(8, len(start) // 100):  # a stray NUL is not yet binary
        raise ConfigError(f"{path} is binary, not delimited text: save it as CSV (UTF-8)")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4 or len(head) < SNIFF_BYTES:  # not a character cut by the sample's end
            line = head[: exc.start].count(b"\n") + 1
            raise ConfigError(
                f"{path} line {line} is not UTF-8 (byte 0x{head[exc.start]:02x}): save the file as UTF-8, "
                "or name its encoding with --encoding (e.g. cp1252, latin-1, cp1251)") from exc
    return "utf-8", "surrogateescape"


def text_encoding(path: Path, given: str | None = None) -> str:
    """The encoding `open_text` reads `path` with (a ConfigError where it would refuse the file)."""
    return choose_encoding(path, _head(path), given)[0]


@contextmanager
def open_text(path: Path, encoding: str | None = None) -> Iterator[IO[str]]:
    """`path` as text (see `choose_encoding`); gzip is read through. Bytes that are not UTF-8 past the
    part checked up front come through as U+DC80..U+DCFF: `watchlist.decoding.repair_stray_bytes` reads them."""
    head = _head(path)
    chosen, errors = choose_encoding(path, head, encoding)
    raw = _raw(path)
    try:
        yield io.TextIOWrapper(raw, encoding=chosen, errors=errors, newline="")
    except (OSError, EOFError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    finally:
        raw.close()


def header_key(column: str) -> str:
    """How a header cell compares with a field name: 'Birth Date ' and 'birth-date' are 'birth_date'."""
    return _HEADER_SPACE.sub("_", column.strip().lstrip("\ufeff").lower())


def resolve_columns(available: list[str], wanted: dict[str, str], where: Path) -> dict[str, str]:
    """For each wanted column (field -> column name), the header cell that holds it: the exact name, else
    the one cell equal to it but for case, spaces and hyphens. A wanted column written twice is an error
    (which of the two would be screened?)."""
    resolved: dict[str, str] = {}
    for field, column in wanted.items():
        exact = [i for i, cell in enumerate(available) if cell == column]
        found = exact or [i for i, cell in enumerate(available) if header_key(cell) == header_key(column)]
        if len(found) > 1:
            places = " and ".join(str(i + 1) for i in found)
            raise ConfigError(f"{where}: the header has column {column!r} {len(found)} times (columns {places}): "
                              f"rename all but one, or map {field} to another with --map {field}=COLUMN")
        if found:
            resolved[field] = available[found[0]]
    return resolved


Row = tuple[int, list[str], list[str]]  # line number, cells, warnings about the row


def csv_rows(fh: IO[str], path: Path) -> tuple[list[str], Iterator[Row]]:
    """The header and, lazily, each row as (line number, cells, warnings about the row)."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    first = fh.readline()
    fh.seek(0)
    suffix = Path(path.stem).suffix if path.suffix.lower() == ".gz" else path.suffix
    reader = csv.reader(fh, delimiter=sniff_delimiter(first, suffix))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ConfigError(f"{path} line 1: {exc}") from exc
    if header is None:
        raise ConfigError(f"{path} is empty: expected a header row naming the columns (at least 'name')")
    header = [repair_stray_bytes(h)[0] for h in header]
    return header, _rows(reader, header, path)


def _rows(reader: Any, header: list[str], path: Path) -> Iterator[Row]:
    width = len(header)
    parsed = _parsed_rows(reader, path)
    ahead = next(parsed, None)
    while ahead is not None:
        line, spanned, cells = ahead
        ahead = next(parsed, None)
        # A quoted line break leaves the row whole; a quote never closed swallows the rows after it, to the
        # end of the file when no other quote closes it (the row is then as wide as the header).
        if spanned and (len(cells) != width or ahead is None):
            _check_quotes(cells, width, reader.dialect.delimiter, line, path)
        warnings: list[str] = []
        for i, cell in enumerate(cells):
            cells[i], repaired = repair_stray_bytes(cell)
            if repaired:
                column = header[i] if i < width else f"field {i + 1}"
                warnings.append(f"{column} has bytes that are not UTF-8 (line {line}); read them as Windows-1252")
        yield line, cells, warnings


def _parsed_rows(reader: Any, path: Path) -> Iterator[tuple[int, bool, list[str]]]:
    """Each row that is not blank: its first line, whether it spans several, and its cells."""
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            raise ConfigError(f"{path} line {line}: {exc}") from exc
        if cells is None:
            return
        if cells:
            yield line, reader.line_num > line, cells


def _check_quotes(cells: list[str], width: int, delimiter: str, line: int, path: Path) -> None:
    """A row read over several lines is a quoted field with line breaks (Excel writes them), or a quote
    never closed that swallowed the rows after it: those rows' lines hold the header's fields."""
    if width < 2:
        return  # one column: nothing tells a swallowed row from a line break
    for cell in cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        swallowed = [part for part in cell.splitlines()[1:] if part.count(delimiter) >= max(width - 1, 1)]
        if swallowed:
            raise ConfigError(f"{path} line {line}: a quote opened here is not closed, so the rows after it would "
                              "be read as one field; close or remove the quote")
