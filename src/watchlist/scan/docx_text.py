"""The text of a DOCX file, streamed from `word/document.xml` within the document's limits.

The part is decompressed through `BoundedZip` and parsed by a pull parser, so neither a
member that inflates to gigabytes nor millions of empty paragraphs costs memory: each
paragraph and table row is freed once it has ended. Start tags are counted in every chunk
before the parser sees it (`max_xml_elements`, so no more than that many elements ever
exist), text is counted as it is taken (`max_document_chars`), and the time budget is
checked every chunk.

Blocks come in document order: each paragraph, and each table row as its cells joined by
tabs (a cell's paragraphs joined by newlines), as python-docx renders them; text boxes
become blocks of their own. Tabs and line breaks inside runs are kept.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from watchlist.bounded import BoundedZip, release_element, xml_events
from watchlist.errors import WatchlistError
from watchlist.limits import Budget, Limits
from watchlist.scan.extract import ExtractionError, TextCounter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT_PART = "word/document.xml"
_P, _T, _R, _TR, _TC = W + "p", W + "t", W + "r", W + "tr", W + "tc"
_IN_RUN = {W + "tab": "\t", W + "ptab": "\t", W + "br": "\n", W + "cr": "\n", W + "noBreakHyphen": "-"}


class _Walker:
    """Blocks of one document, built as paragraphs and table rows end."""

    def __init__(self, limits: Limits, budget: Budget, origin: str) -> None:
        self.limits, self.budget, self.origin = limits, budget, origin
        self.counter = TextCounter(limits, origin)
        self.blocks: list[str] = []
        self.elements = 0

    def count(self, chunk: bytes) -> bytes:
        """Counts a chunk's start tags (an upper bound on its elements) before the parser sees it."""
        self.elements += chunk.count(b"<") - chunk.count(b"</")
        if self.elements > self.limits.max_xml_elements:
            raise self.limits.exceeded("max_xml_elements", self.origin, f"{DOCUMENT_PART} has elements")
        self.budget.check(self.origin)
        return chunk

    def end(self, el: etree._Element) -> None:
        if el.tag == _TR:
            row = "\t".join("\n".join(self.paragraph(p) for p in tc.iterchildren(_P)) for tc in el.iterchildren(_TC))
            if row.strip():
                self.blocks.append(row)
            release_element(el)
        elif el.getparent().tag != _TC:  # a paragraph in a cell waits for its row
            text = self.paragraph(el)
            if text and not text.isspace():
                self.blocks.append(text)
            release_element(el)

    def paragraph(self, p: etree._Element) -> str:
        """python-docx's paragraph text: runs' text, tabs and breaks (text boxes were taken already)."""
        if not len(p):
            return ""
        parts: list[str] = []
        for node in p.iter():
            tag = node.tag
            if tag == _T:
                if node.text:
                    parts.append(node.text)
            elif tag in _IN_RUN:
                parent = node.getparent()
                if parent is not None and parent.tag == _R:
                    parts.append(_IN_RUN[tag])
        text = "".join(parts)
        self.counter.add(len(text))
        return text


def docx_text(data: bytes, origin: str, limits: Limits, budget: Budget) -> str:
    """The document's text; raises ExtractionError (unreadable) or LimitError (past a limit)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ExtractionError(f"{origin}: not a readable DOCX file ({exc})") from exc
    walker = _Walker(limits, budget, origin)
    with archive:
        members = BoundedZip(archive, origin, limits, budget)
        try:
            chunks = map(walker.count, members.chunks(DOCUMENT_PART))
            for _, el in xml_events(chunks, origin, tag=[_P, _TR]):
                walker.end(el)
        except WatchlistError:
            raise
        except KeyError as exc:
            raise ExtractionError(f"{origin}: not a readable DOCX file (no {DOCUMENT_PART})") from exc
        except (etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError,
                NotImplementedError, RuntimeError, ValueError) as exc:
            raise ExtractionError(f"{origin}: not a readable DOCX file ({_first_line(exc)})") from exc
    return "\n\n".join(walker.blocks)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
