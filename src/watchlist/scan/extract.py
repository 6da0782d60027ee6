"""Text extraction: plain text, HTML, PDF, DOCX -> one string. Spans in a report index into this string.

Each format is an `Extractor` (a Protocol: `name`, `sniff`, `extract`), chosen by
content first and file suffix second. Optional libraries (pypdf, python-docx)
load only when a file of that kind is read. A file that cannot be read raises
ExtractionError naming the file and what to do.
"""

from __future__ import annotations

import io
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from watchlist.errors import WatchlistError

MAX_BYTES = 50 * 1024 * 1024


class ExtractionError(WatchlistError):
    """A document that cannot be read (missing, unsupported, corrupt, encrypted)."""

    status = 422


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

    def extract(self, data: bytes, origin: str) -> str: ...


class PdfExtractor:
    name: str = "pdf"
    suffixes: tuple[str, ...] = (".pdf",)

    def sniff(self, head: bytes) -> bool:
        return head[:1024].lstrip()[:5] == b"%PDF-"

    def extract(self, data: bytes, origin: str) -> str:
        try:
            from pypdf import PdfReader
            from pypdf.errors import PdfReadError
        except ImportError as exc:  # pragma: no cover - pypdf is a core dependency
            raise ExtractionError(f"{origin}: reading PDF needs pypdf: pip install pypdf") from exc
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                try:
                    reader.decrypt("")
                except Exception as exc:
                    raise ExtractionError(f"{origin}: the PDF is encrypted; save an unprotected copy") from exc
            pages = [(page.extract_text() or "").strip() for page in reader.pages]
        except (PdfReadError, ValueError, KeyError, TypeError) as exc:
            raise ExtractionError(f"{origin}: not a readable PDF ({exc})") from exc
        text = "\n\n".join(p for p in pages if p)
        if not text.strip():
            raise ExtractionError(f"{origin}: the PDF has no text layer (a scan?); run OCR on it first")
        return text


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

    def extract(self, data: bytes, origin: str) -> str:
        try:
            import docx
        except ImportError as exc:  # pragma: no cover - python-docx is a core dependency
            raise ExtractionError(f"{origin}: reading DOCX needs python-docx: pip install python-docx") from exc
        from zipfile import BadZipFile

        try:
            document = docx.Document(io.BytesIO(data))
        except (BadZipFile, KeyError, ValueError) as exc:
            raise ExtractionError(f"{origin}: not a readable DOCX file ({exc})") from exc
        blocks = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                blocks.append("\t".join(cell.text for cell in row.cells))
        return "\n\n".join(b for b in blocks if b.strip())


class HtmlExtractor:
    name: str = "html"
    suffixes: tuple[str, ...] = (".html", ".htm", ".xhtml")
    _HEAD = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)

    def sniff(self, head: bytes) -> bool:
        return bool(self._HEAD.match(head[:4096].lstrip(b"\xef\xbb\xbf")))

    def extract(self, data: bytes, origin: str) -> str:
        import lxml.html
        from lxml.etree import ParserError

        try:
            root = lxml.html.document_fromstring(data)
        except (ParserError, ValueError) as exc:
            raise ExtractionError(f"{origin}: not readable HTML ({exc})") from exc
        for bad in root.xpath("//script|//style|//noscript|//template|//head"):
            bad.drop_tree()
        for block in root.xpath("//p|//div|//br|//li|//tr|//h1|//h2|//h3|//h4|//h5|//h6|//td|//th|//section"):
            block.tail = ("\n\n" if block.tag in ("p", "div", "li", "tr", "section") or block.tag.startswith("h")
                          else "\n" if block.tag == "br" else " ") + (block.tail or "")
        text = root.text_content()
        text = re.sub(r"[ \t\r\f\v]+", " ", text)
        text = re.sub(r" *\n *", "\n", text)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


class PlainTextExtractor:
    name: str = "text"
    suffixes: tuple[str, ...] = (".txt", ".text", ".md", ".csv", ".eml", ".log", "")

    def sniff(self, head: bytes) -> bool:
        return b"\x00" not in head[:4096]

    def extract(self, data: bytes, origin: str) -> str:
        return decode_text(data)


EXTRACTORS: tuple[Extractor, ...] = (PdfExtractor(), DocxExtractor(), HtmlExtractor(), PlainTextExtractor())


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Latin-1 (never fails)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def choose(data: bytes, name: str) -> Extractor:
    head = data
    suffix = Path(name).suffix.lower()
    for extractor in EXTRACTORS[:-1]:
        if extractor.sniff(head):
            return extractor
    if head[:4] == b"PK\x03\x04" or suffix in (".doc", ".xls", ".xlsx", ".pptx", ".odt", ".rtf", ".zip"):
        raise ExtractionError(f"{name}: {suffix or 'this'} files are not supported; "
                              "scan text, HTML, PDF or DOCX (save the file as one of those)")
    for extractor in EXTRACTORS:
        if suffix in extractor.suffixes and extractor.name != "text":
            return extractor  # e.g. a .html fragment without <html>
    text = EXTRACTORS[-1]
    if not text.sniff(head) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError(f"{name}: binary content that is not PDF or DOCX; cannot scan it")
    return text


def extract_bytes(data: bytes, name: str = "document") -> Document:
    if len(data) > MAX_BYTES:
        raise ExtractionError(f"{name}: {len(data):,} bytes is over the {MAX_BYTES:,}-byte limit; split the file")
    extractor = choose(data, name)
    return Document(name, extractor.name, extractor.extract(data, name))


def extract_path(path: str | Path) -> Document:
    """Read and extract one file; '-' reads standard input."""
    if str(path) == "-":
        return extract_bytes(sys.stdin.buffer.read(), "-")
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ExtractionError(f"{path}: over the {MAX_BYTES:,}-byte limit; split the file")
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise ExtractionError(f"{path}: is a folder; name the files to scan") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read it ({exc.strerror})") from exc
    return extract_bytes(data, str(path))
