"""What every list parser produces: a ParsedList, i.e. one published list's entities.

A parser streams (lxml iterparse for XML), never writes, and raises SourceError
naming the file, the record or line, and what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from watchlist.model import Entity

# The official sources. Each published list is one source; FtM files are loaded
# under their own name (the file stem, e.g. 'yente_t1_entities').
SOURCE_NAMES = ("un", "ofac-sdn", "ofac-cons", "eu", "uk")
DEFAULT_TIMEOUT = 60.0  # seconds without data before a download is abandoned
DEFAULT_RETRIES = 3  # further tries after the first, for network errors, 5xx and 429


@dataclass
class ParsedList:
    """One published list, ready for the store.

    `entities` is a zero-argument callable returning a fresh iterator, so the
    store can stream it (and parse again if it must) without holding every
    entity in memory.
    """

    source: str  # 'un', 'ofac-sdn', 'ofac-cons', 'eu', 'uk', or an FtM collection name
    format: str  # 'un-xml', 'ofac-csv', 'ofac-xml', 'eu-xml', 'eu-csv', 'uk-fcdo-xml', ...
    files: tuple[Path, ...]
    entities: Callable[[], Iterator[Entity]]
    published: str | None = None  # ISO date (or datetime) stated in the file
    source_url: str | None = None  # the official publication URL
    notes: list[str] = field(default_factory=list)  # warnings worth showing the user
