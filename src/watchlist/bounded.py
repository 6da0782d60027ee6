"""Bounded reading of zip archives and XML: every byte and element counted as it comes.

`BoundedZip` hands out an archive member as a stream of chunks, refusing it up front when
its declared size is over `Limits.max_member_bytes` (or the archive's running total over
`max_archive_bytes`) and again while decompressing (a member can lie about its size).
`xml_events` parses those chunks with a pull parser that never resolves entities, reaches
the network or lifts libxml2's own caps (no huge_tree: nesting 256, one text node 10 MB);
hitting one of those caps is a LimitError too. Callers count the elements they see and clear
them as they go, so memory stays flat however long the part is.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator

from lxml import etree

from watchlist.errors import LimitError
from watchlist.limits import DEFAULT_LIMITS, Budget, Limits

CHUNK = 1 << 20  # bytes decompressed per read: big enough that lxml and zlib, not Python, do the work
_LIBXML_CAPS = ("excessive depth", "huge text node", "huge input lookup", "amplification", "too long")


class BoundedZip:
    """Members of one zip archive, read through the archive's limits."""

    def __init__(
        self, archive: zipfile.ZipFile, origin: str, limits: Limits = DEFAULT_LIMITS, budget: Budget | None = None
    ) -> None:
        self.archive = archive
        self.origin = origin
        self.limits = limits
        self.budget = budget
        self.total = 0  # decompressed bytes handed out so far, all members together

    def names(self) -> list[str]:
        return self.archive.namelist()

    def chunks(self, name: str, size: int = CHUNK) -> Iterator[bytes]:
        """The member's decompressed bytes, chunk by chunk (KeyError when there is no such member)."""
        info = self.archive.getinfo(name)
        limits = self.limits
        if info.file_size > limits.max_member_bytes:
            raise limits.exceeded("max_member_bytes", self.origin, f"{name} expands to {info.file_size:,} bytes,")
        if self.total + info.file_size > limits.max_archive_bytes:
            raise limits.exceeded(
                "max_archive_bytes", self.origin, f"the archive expands to over {self.total + info.file_size:,} bytes,"
            )
        read = 0
        with self.archive.open(info) as fh:
            while chunk := fh.read(size):
                read += len(chunk)
                self.total += len(chunk)
                if read > limits.max_member_bytes:
                    raise limits.exceeded("max_member_bytes", self.origin, f"{name} expands")
                if self.total > limits.max_archive_bytes:
                    raise limits.exceeded("max_archive_bytes", self.origin, "the archive expands")
                if self.budget is not None:
                    self.budget.check(self.origin)
                yield chunk

    def read(self, name: str) -> bytes:
        """A whole (small) member, within the same limits."""
        return b"".join(self.chunks(name))


def check_declared_sizes(archive: zipfile.ZipFile, origin: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an archive whose central directory already announces a bomb (no member is read)."""
    total = 0
    for info in archive.infolist():
        if info.file_size > limits.max_member_bytes:
            raise limits.exceeded(
                "max_member_bytes", origin, f"{info.filename[:200]} expands to {info.file_size:,} bytes,"
            )
        total += info.file_size
    if total > limits.max_archive_bytes:
        raise limits.exceeded("max_archive_bytes", origin, f"the archive expands to {total:,} bytes,")


def xml_parser(events: tuple[str, ...] = ("end",), tag: str | list[str] | None = None) -> etree.XMLPullParser:
    """A pull parser for untrusted XML: no entities resolved, no DTD loaded, no network, libxml2's caps on."""
    return etree.XMLPullParser(
        events=events, tag=tag, resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )


def xml_events(
    chunks: Iterable[bytes], origin: str, events: tuple[str, ...] = ("end",), tag: str | list[str] | None = None
) -> Iterator[tuple[str, etree._Element]]:
    """(event, element) pairs from XML arriving in chunks. libxml2's own caps become LimitError;
    other syntax errors stay `etree.XMLSyntaxError` for the caller to name."""
    parser = xml_parser(events, tag)
    try:
        for chunk in chunks:
            parser.feed(chunk)
            yield from parser.read_events()
        parser.close()
        yield from parser.read_events()
    except etree.XMLSyntaxError as exc:
        if any(cap in str(exc).lower() for cap in _LIBXML_CAPS):
            raise LimitError(f"{origin}: the XML is past libxml2's safety limits ({_first_line(exc)}); refused") from exc
        raise


def release_element(el: etree._Element) -> None:
    """Free an ended element and the siblings before it (the iterparse idiom: memory stays flat)."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
