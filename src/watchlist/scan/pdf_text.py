"""The text layer of a PDF, page by page, within the document's limits.

pypdf decodes each content stream with its output capped at `max_pdf_page_bytes` and parses at
most `max_pdf_page_tokens` operators and operands from it (its own `LimitReachedError` becomes
our LimitError naming the setting), at most `max_pdf_pages`
pages are read, and text is counted as pypdf produces it, per page (`max_page_chars`) and
per document (`max_document_chars`). The time budget is checked between content-stream
operators, so a page that would take minutes to extract is abandoned within the budget.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

from watchlist.errors import WatchlistError
from watchlist.limits import Budget, Limits
from watchlist.scan.extract import ExtractionError, TextCounter

_CHECK_EVERY = 1024  # content-stream operators between two looks at the clock
_TOKEN_CAP = "stream_parsing_work_maximum_count"  # pypdf's parse budget per content stream
_OUTPUT_CAPS = (  # pypdf Configuration fields capping one decoded stream
    "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
    "array_based_stream_maximum_output_length", "brotli_maximum_output_length",
)


@contextlib.contextmanager
def _capped_streams(limits: Limits) -> Iterator[None]:
    """pypdf's decoders stop at `max_pdf_page_bytes` (pypdf >= 6 has per-context configuration)."""
    try:
        from pypdf import apply_configuration, get_configuration
    except ImportError:  # older pypdf: its module-wide 75 MB caps, and our check after decoding
        yield
        return
    current = get_configuration()
    caps = {name: limits.max_pdf_page_bytes for name in _OUTPUT_CAPS if hasattr(current, name)}
    if hasattr(current, _TOKEN_CAP):
        caps[_TOKEN_CAP] = limits.max_pdf_page_tokens
    with apply_configuration(None, **caps):
        yield


class _PageWatch:
    """pypdf visitor callbacks: counts operators (clock) and text (page and document limits)."""

    def __init__(self, limits: Limits, budget: Budget, counter: TextCounter, origin: str) -> None:
        self.limits, self.budget, self.counter, self.origin = limits, budget, counter, origin
        self.operators = 0
        self.page_chars = 0
        self.page = 0

    def new_page(self, number: int) -> None:
        self.page = number
        self.page_chars = 0
        self.budget.check(self.origin)

    def operator(self, *_: Any) -> None:
        self.operators += 1
        if self.operators % _CHECK_EVERY == 0:
            self.budget.check(self.origin)

    def text(self, text: Any, *_: Any) -> None:
        n = len(text) if isinstance(text, str) else 0
        self.page_chars += n
        if self.page_chars > self.limits.max_page_chars:
            raise self.limits.exceeded("max_page_chars", self.origin, f"page {self.page} has text")
        self.counter.add(n)


def pdf_text(data: bytes, origin: str, limits: Limits, budget: Budget) -> str:
    """The text of every page, pages separated by a blank line."""
    try:
        from pypdf import PdfReader
        from pypdf import errors as pdf_errors
    except ImportError as exc:  # pragma: no cover - pypdf is a core dependency
        raise ExtractionError(f"{origin}: reading PDF needs pypdf: pip install pypdf") from exc
    limit_reached = getattr(pdf_errors, "LimitReachedError", ())
    watch = _PageWatch(limits, budget, TextCounter(limits, origin), origin)
    try:
        with _capped_streams(limits):
            reader = PdfReader(io.BytesIO(data))
            _decrypt(reader, origin)
            count = len(reader.pages)
            if count > limits.max_pdf_pages:
                raise limits.exceeded("max_pdf_pages", origin, f"the PDF has {count:,} pages,")
            pages = [_page_text(reader, number, watch, limits, origin) for number in range(count)]
    except WatchlistError:
        raise
    except limit_reached as exc:
        if "token" in str(exc).lower():
            raise limits.exceeded("max_pdf_page_tokens", origin, f"the content of page {watch.page} runs") from exc
        raise limits.exceeded("max_pdf_page_bytes", origin, f"a content stream on page {watch.page} decodes") from exc
    except (pdf_errors.PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            ArithmeticError, RecursionError, NotImplementedError, OSError, EOFError) as exc:
        raise ExtractionError(f"{origin}: not a readable PDF ({_first_line(exc)})") from exc
    text = "\n\n".join(p for p in pages if p)
    if not text.strip():
        raise ExtractionError(f"{origin}: the PDF has no text layer (a scan?); run OCR on it first")
    return text


def _decrypt(reader: Any, origin: str) -> None:
    if not reader.is_encrypted:
        return
    try:
        reader.decrypt("")
    except Exception as exc:  # pypdf raises many types for a wrong password or an unknown cipher
        raise ExtractionError(f"{origin}: the PDF is encrypted; save an unprotected copy") from exc


def _page_text(reader: Any, index: int, watch: _PageWatch, limits: Limits, origin: str) -> str:
    watch.new_page(index + 1)
    page = reader.pages[index]
    contents = page.get_contents()
    if contents is not None:
        size = len(contents.get_data())  # decoded within pypdf's cap; this checks an older pypdf too
        if size > limits.max_pdf_page_bytes:
            raise limits.exceeded("max_pdf_page_bytes", origin, f"page {index + 1}'s content decodes to {size:,} bytes,")
    text = page.extract_text(visitor_operand_before=watch.operator, visitor_text=watch.text) or ""
    return str(text).strip()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
