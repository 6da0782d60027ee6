"""Reading a user's text file's bytes as text: the encoding a byte-order mark announces, and bytes
that are not UTF-8 in an otherwise UTF-8 file read as Windows-1252. Shared by the batch readers
(customer files, read as a stream) and the scanner (a document, read whole), which stand beside each
other in the layers."""

from __future__ import annotations

import codecs
import re
from typing import Final

# Byte-order marks, longest first (a UTF-32-LE mark begins with the UTF-16-LE one), each with the codec
# that reads the bytes after the mark.
BOMS: Final[tuple[tuple[bytes, str], ...]] = (
    (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# The codec that reads the mark itself and drops it: what a text stream opened at the first byte needs.
_MARK_READING: Final = {"utf-32-be": "utf-32", "utf-32-le": "utf-32", "utf-8": "utf-8-sig",
                        "utf-16-be": "utf-16", "utf-16-le": "utf-16"}

# A byte that is not part of valid UTF-8 comes back from "surrogateescape" as U+DC80..U+DCFF;
# it is read as Windows-1252 (Latin-1 where that has no character), one character per byte.
_STRAY: Final = re.compile("[\udc80-\udcff]")


def _stray_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


STRAY_AS_CP1252: Final = {0xDC00 + b: _stray_byte(b) for b in range(0x80, 0x100)}


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte-order mark at the start of `data` announces and the mark's length, or None."""
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def bom_stream_encoding(head: bytes) -> str | None:
    """The codec that reads a file whose first bytes are `head` from its first byte, the mark included
    ('utf-8-sig', 'utf-16', 'utf-32'), where a byte-order mark begins it; else None."""
    marked = bom_encoding(head)
    return _MARK_READING[marked[0]] if marked is not None else None


def repair_stray_bytes(value: str) -> tuple[str, bool]:
    """A value with bytes that were not UTF-8 (decoded with "surrogateescape") read as Windows-1252
    instead, and whether it had any."""
    if value.isascii() or not _STRAY.search(value):
        return value, False
    return value.translate(STRAY_AS_CP1252), True


def decode_text(data: bytes) -> str:
    """Text in any encoding a BOM announces (UTF-8, UTF-16, UTF-32; a broken unit becomes U+FFFD),
    else UTF-8 where it is valid and Windows-1252 byte by byte where it is not. Never fails, and
    never returns a lone surrogate."""
    marked = bom_encoding(data)
    if marked is not None:
        encoding, skip = marked
        return data[skip:].decode(encoding, errors="replace")
    return repair_stray_bytes(data.decode("utf-8", errors="surrogateescape"))[0]
