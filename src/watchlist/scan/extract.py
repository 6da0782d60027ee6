"""Text extraction: plain text, HTML, PDF, DOCX -> one string. Spans in a report index into this string.

Each format is an `Extractor` (a Protocol: `name`, `sniff`, `extract`), chosen by
content first and file suffix second. pypdf loads only when a PDF is read. A file that
cannot be read raises ExtractionError naming the file and what to do.

Every expansion is bounded while reading (`watchlist.limits.Limits`: document bytes,
decompressed archive bytes, XML elements, PDF pages and bytes per page, characters per
page and per document) and the whole extraction runs under a time budget
(`max_document_seconds`); going past one raises LimitError naming the limit.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchlist.decoding import bom_encoding, decode_text
from watchlist.delimited import sniff_delimiter
from watchlist.errors import WatchlistError
from watchlist.limits import DEFAULT_LIMITS, Budget, Limits

MAX_BYTES = DEFAULT_LIMITS.max_document_bytes  # the default; `Limits.max_document_bytes` is the setting


class ExtractionError(WatchlistError):
    """A document that cannot be read (missing, unsupported, corrupt, encrypted)."""

    status = 422


class TextCounter:
    """Counts extracted characters against `max_document_chars`."""

    def __init__(self, limits: Limits, origin: str) -> None:
        self.limits = limits
        self.origin = origin
        self.chars = 0

    def add(self, n: int) -> None:
        self.chars += n
        if self.chars > self.limits.max_document_chars:
            raise self.limits.exceeded("max_document_chars", self.origin, "the extracted text runs")



@dataclass(frozen=True, slots=True)
class Document:
    name: str  # the file name as given, or '-' for stdin
    kind: str  # text | html | pdf | docx
    text: str


class Extractor(Protocol):
    name: str
    suffixes: tuple[str, ...]

    def sniff(self, head: bytes) -> bool:
        """Does this content look like the format? (`head` is the whole file; most look at the start.)"""
        ...

    def extract(self, data: bytes, origin: str, limits: Limits, budget: Budget) -> str: ...


class PdfExtractor:
    name: str = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return head[:1024].lstrip()[:5] == b"%PDF-"

    def extract(self, data: bytes, origin: str, limits: Limits, budget: Budget) -> str:
        from watchlist.scan.pdf_text import pdf_text

        return pdf_text(data, origin, limits, budget)


class DocxExtractor:
    name: str = "docx"
    suffixes: tuple[str, ...] = (".docx",)

    def sniff(self, head: bytes) -> bool:
        if head[:4] != b"PK\x03\x04":
            return False
        from zipfile import BadZipFile, ZipFile

        try:
            with ZipFile(io.BytesIO(head)) as archive:
                return "word/document.xml" in archive.namelist()
        except (BadZipFile, OSError, ValueError):
            return b"word/" in head[:65536]

    def extract(self, data: bytes, origin: str, limits: Limits, budget: Budget) -> str:
        from watchlist.scan.docx_text import docx_text

        return docx_text(data, origin, limits, budget)


class HtmlExtractor:
    name: str = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")
    _HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)

    def sniff(self, head: bytes) -> bool:
        return bool(self._HEAD.match(head[:4096].lstrip(b"\xef\xbb\xbf")))

    def extract(self, data: bytes, origin: str, limits: Limits, budget: Budget) -> str:
        import lxml.html
        from lxml.etree import ParserError

        tags = data.count(b"<")  # an upper bound on the elements, counted before building the tree
        if tags > limits.max_html_elements:
            raise limits.exceeded("max_html_elements", origin, f"the HTML has up to {tags:,} tags,")
        try:
            root = lxml.html.document_fromstring(data)
        except (ParserError, ValueError) as exc:
            raise ExtractionError(f"{origin}: not readable HTML ({exc})") from exc
        for bad in root.xpath("//script|//style|//noscript|//template|//head"):
            bad.drop_tree()
        for block in root.xpath("//p|//div|//br|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6|//td|//th|//section"):
            block.tail = ("\n\n" if block.tag in ("p", "div", "li", "tr", "section") or block.tag.startswith("h")
                          else "\n" if block.tag == "br" else " ") + (block.tail or "")
        budget.check(origin)
        text = root.text_content()
        TextCounter(limits, origin).add(len(text))
        text = re.sub(r"[ \t\r\f\v]+", " ", text)
        text = re.sub(r" *\n *", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


class TableExtractor:
    """A CSV or TSV file: each row a line, its cells apart by tabs (a name never runs on from one cell
    into the next: '1,KIM YONG CHOL,Master' is three cells), a line break inside a quoted cell a space."""

    name: str = "table"
    suffixes: tuple[str, ...] = (".csv", ".tsv")

    def sniff(self, head: bytes) -> bool:
        return False  # told by the suffix alone: any text may hold commas

    def extract(self, data: bytes, origin: str, limits: Limits, budget: Budget) -> str:
        if b"\x00" in data[:4096] and bom_encoding(data) is None:
            raise ExtractionError(f"{origin}: binary content that is not PDF or DOCX; cannot scan it")
        text = decode_text(data)
        TextCounter(limits, origin).add(len(text))
        first = text.lstrip("\ufeff").split("\n", 1)[0]
        delimiter = sniff_delimiter(first, Path(origin).suffix)
        if delimiter not in first:
            return text  # one column: the text as it is
        rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            return "\n".join("\t".join(" ".join(cell.split()) for cell in row) for row in rows)
        except csv.Error as exc:
            raise ExtractionError(f"{origin}: not a readable {delimiter!r}-separated table ({exc})") from exc


class PlainTextExtractor:
    name: str = "text"
    suffixes: tuple[str, ...] = (".txt", ".text", ".md", ".eml", ".log", "")

    def sniff(self, head: bytes) -> bool:
        return b"\x00" not in head[:4096]

    def extract(self, data: bytes, origin: str, limits: Limits, budget: Budget) -> str:
        text = decode_text(data)
        TextCounter(limits, origin).add(len(text))
        return text


EXTRACTORS: tuple[Extractor, ...] = (PdfExtractor(), DocxExtractor(), HtmlExtractor(), TableExtractor(),
                                     PlainTextExtractor())


def choose(data: bytes, name: str) -> Extractor:
    head = data
    suffix = Path(name).suffix.lower()
    for extractor in EXTRACTORS[:-1]:
        if extractor.sniff(head):
            return extractor
    if head[:4] == b"PK\x03\x04" or suffix in (".doc", ".xls", ".xlsx", ".pptx", ".odt", ".rtf", ".zip"):
        raise ExtractionError((f"{name}: not a readable DOCX (damaged, or another kind of ZIP); " if suffix == ".docx"
                               else f"{name}: {suffix or 'this'} files are not supported; ")
                              + "scan text, HTML, PDF or DOCX (save the file as one of those)")
    for extractor in EXTRACTORS:
        if suffix in extractor.suffixes and extractor.name != "text":
            return extractor  # e.g. a .html fragment without <html>
    text = EXTRACTORS[-1]
    if not text.sniff(head) and bom_encoding(data) is None:
        raise ExtractionError(f"{name}: binary content that is not PDF or DOCX; cannot scan it")
    return text


def extract_bytes(
    data: bytes, name: str = "document", limits: Limits = DEFAULT_LIMITS, budget: Budget | None = None
) -> Document:
    """The text of one document, within `limits` and `budget` (default: `max_document_seconds` from now)."""
    if len(data) > limits.max_document_bytes:
        raise limits.exceeded("max_document_bytes", name, f"{len(data):,} bytes is")
    budget = budget or Budget(limits.max_document_seconds, limits=limits)
    extractor = choose(data, name)
    return Document(name, extractor.name, extractor.extract(data, name, limits, budget))


def extract_path(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and extract one file; '-' reads standard input."""
    if str(path) == "-":
        return extract_bytes(sys.stdin.buffer.read(limits.max_document_bytes + 1), "-", limits)
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_document_bytes:
            raise limits.exceeded("max_document_bytes", str(path), f"{size:,} bytes is")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ExtractionError(f"{path}: is a folder; name the files to scan") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read it ({exc.strerror})") from exc
    return extract_bytes(data, str(path), limits)
