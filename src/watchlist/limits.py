"""Limits on every expansion of untrusted input, and a time budget per piece of work.

A document, list file or request can expand far beyond its size on the wire: a zip member
inflates a thousandfold, an XML file nests or repeats elements, a PDF stream decompresses,
text multiplies when extracted. Each limit below is a named setting with a safe default,
read from `WATCHLIST_<FIELD NAME IN CAPITALS>` (e.g. `WATCHLIST_MAX_MEMBER_BYTES`), and is
enforced while reading, never after. Exceeding one raises `LimitError` (HTTP 413, CLI exit 2)
with a one-line message naming the limit and its setting.

`Budget` is the time side: a deadline, and a flag an API request sets when its client has gone.
Long loops call `budget.check(origin)` now and then; it raises once either has happened.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, fields, replace

from watchlist.errors import ConfigError, LimitError

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    # documents (scan) and list files (fetch --from)
    max_document_bytes: int = 50 * MIB  # one document as sent or read from disk
    max_member_bytes: int = 128 * MIB  # one archive member (DOCX, XLSX part) once decompressed
    max_archive_bytes: int = 256 * MIB  # all members read from one archive, decompressed
    max_xml_elements: int = 5_000_000  # elements in one XML part (depth: libxml2's own 256 without huge_tree)
    max_html_elements: int = 1_000_000  # tags in an HTML page, which is parsed as a tree (~500 bytes a tag)
    max_pdf_pages: int = 2_000
    max_pdf_page_bytes: int = 8 * MIB  # one page's content stream once decoded
    max_pdf_page_tokens: int = 500_000  # operators and operands parsed from one content stream
    max_page_chars: int = 200_000  # text extracted from one PDF page
    max_document_chars: int = 5_000_000  # text extracted from one document (the /scan text limit)
    max_document_seconds: float = 30.0  # wall-clock time to extract one document
    max_download_bytes: int = 1 << 30  # one downloaded list file, after any HTTP decompression
    # HTTP API
    api_heavy_workers: int = 2  # /scan, /scan/file and large /match requests running at once
    api_heavy_queue: int = 32  # heavy requests waiting for a worker; more are told to retry (503)
    api_heavy_body_bytes: int = 64 * 1024  # a /match body above this size counts as heavy
    api_request_seconds: float = 60.0  # wall-clock budget of one heavy request, waiting included

    @staticmethod
    def env_name(field_name: str) -> str:
        return "WATCHLIST_" + field_name.upper()

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, each overridden by its WATCHLIST_* variable when set."""
        changes: dict[str, float | int] = {}
        for spec in fields(cls):
            raw = os.environ.get(cls.env_name(spec.name), "").strip()
            if not raw:
                continue
            kind = float if spec.type in ("float", float) else int
            try:
                value = kind(raw.replace("_", ""))
            except ValueError as exc:
                raise ConfigError(f"{cls.env_name(spec.name)}={raw!r} is not a number") from exc
            if value <= 0:
                raise ConfigError(f"{cls.env_name(spec.name)}={raw!r} must be above zero")
            changes[spec.name] = value
        return replace(cls(), **changes)  # type: ignore[arg-type]

    def exceeded(self, field_name: str, origin: str, what: str) -> LimitError:
        """The error for `what` (e.g. 'word/document.xml expands') going past the limit `field_name`."""
        value = getattr(self, field_name)
        shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
        unit = field_name.rsplit("_", 1)[-1]
        return LimitError(
            f"{origin}: {what} past the limit of {shown} {unit} ({self.env_name(field_name)}); "
            "the input is refused"
        )


DEFAULT_LIMITS = Limits()


class Budget:
    """A deadline and a cancel flag for one piece of work; `check` raises once either is spent."""

    def __init__(self, seconds: float, setting: str = "max_document_seconds", limits: Limits = DEFAULT_LIMITS):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.setting = setting
        self.limits = limits
        self._cancelled = threading.Event()
        self.reason = ""

    def cancel(self, reason: str) -> None:
        self.reason = reason
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self, origin: str) -> None:
        if self._cancelled.is_set():
            raise BudgetSpent(f"{origin}: work abandoned: {self.reason}")
        if time.monotonic() > self.deadline:
            raise self.limits.exceeded(self.setting, origin, f"the work ran {self.seconds:g} seconds,")


class BudgetSpent(LimitError):
    """Work abandoned because its client went away (nobody reads the answer)."""

    status = 499
