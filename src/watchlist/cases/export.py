"""The audit log as CSV, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM(...)``). As
OWASP advises for CSV injection, such a text cell is prefixed with a single quote, which the
spreadsheet shows as text; numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from watchlist.cases.model import AuditRecord
from watchlist.store import Event

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER = ("log", "id", "at", "actor", "action", "target", "details")
_CHUNK = 64_000  # characters per piece of the streamed file


def csv_cell(value: Any) -> Any:
    """`value` as a CSV cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def audit_csv(records: Iterable[AuditRecord], events: Iterable[Event]) -> Iterator[str]:
    """The case store's audit lines, then the list store's events, as CSV text in pieces."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in _rows(records, events):
        writer.writerow([csv_cell(cell) for cell in row])
        if buffer.tell() > _CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _rows(records: Iterable[AuditRecord], events: Iterable[Event]) -> Iterator[tuple[Any, ...]]:
    for record in records:
        details = json.dumps(record.details, ensure_ascii=False, sort_keys=True)
        yield ("cases", record.id, record.at, record.actor, record.action, record.target or "", details)
    for event in events:
        details = json.dumps({"message": event.message, **event.details}, ensure_ascii=False, sort_keys=True)
        yield ("lists", event.id, event.at, "system", f"lists.{event.kind}", event.source or "", details)
