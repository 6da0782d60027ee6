"""Properties of watchlist.decoding: how a user's text file's bytes become text, for the scanner (a whole
document: `decode_text`) and the batch readers (a stream: `bom_stream_encoding`, `repair_stray_bytes`)."""

from __future__ import annotations

import io

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from watchlist.decoding import BOMS, bom_encoding, bom_stream_encoding, decode_text, repair_stray_bytes

_MARKED = st.sampled_from(BOMS)
# Windows-1252 characters outside ASCII, each followed by an ASCII one: as cp1252 bytes, never valid UTF-8.
_CP1252_HIGH = [c for c in map(chr, range(0x80, 0x100 + 0x2100)) if len(c.encode("cp1252", "ignore")) == 1]
_CP1252_TEXT = st.lists(st.tuples(st.sampled_from(_CP1252_HIGH), st.characters(max_codepoint=0x7F))).map(
    lambda pairs: "".join(high + ascii_ for high, ascii_ in pairs))


def _reads_as_utf32(text: str, encoding: str) -> bool:
    """UTF-16-LE's mark and a first character U+0000 are the bytes of UTF-32-LE's mark (FF FE 00 00), read
    as that: the likelier file."""
    return encoding == "utf-16-le" and text.startswith("\x00")


@given(st.text(), _MARKED)
def test_text_with_its_byte_order_mark_decodes_back_to_itself(text: str, marked: tuple[bytes, str]) -> None:
    bom, encoding = marked
    assume(not _reads_as_utf32(text, encoding))
    assert decode_text(bom + text.encode(encoding)) == text


@given(st.text(), _MARKED)
def test_a_stream_read_from_its_first_byte_drops_the_mark_and_reads_the_text(
    text: str, marked: tuple[bytes, str]
) -> None:
    bom, encoding = marked
    assume(not _reads_as_utf32(text, encoding))
    data = bom + text.encode(encoding)
    stream_encoding = bom_stream_encoding(data)
    assert stream_encoding is not None
    wrapper = io.TextIOWrapper(io.BytesIO(data), encoding=stream_encoding, errors="replace", newline="")
    assert wrapper.read() == text


@given(_MARKED, st.binary(max_size=64))
def test_a_marked_stream_and_a_marked_document_read_any_bytes_alike(marked: tuple[bytes, str], rest: bytes) -> None:
    data = marked[0] + rest
    stream_encoding = bom_stream_encoding(data)
    assert stream_encoding is not None
    assert data.decode(stream_encoding, errors="replace") == decode_text(data)


@pytest.mark.parametrize("bom, stream_encoding", [
    (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xfe\xff", "utf-16"), (b"\xff\xfe", "utf-16"),
])
def test_the_stream_encoding_names_the_codec_that_reads_the_mark(bom: bytes, stream_encoding: str) -> None:
    assert bom_stream_encoding(bom + b"x") == stream_encoding  # batch.spark compares this name with 'utf-8-sig'
    assert bom_encoding(bom + b"x") == (dict(BOMS)[bom], len(bom))


@given(st.binary(max_size=300))
def test_decoding_never_raises_and_never_returns_a_lone_surrogate(data: bytes) -> None:
    decode_text(data).encode("utf-8")
    repair_stray_bytes(data.decode("utf-8", errors="surrogateescape"))[0].encode("utf-8")


@given(st.text().filter(lambda t: not t.startswith("\ufeff")))
def test_utf8_without_a_mark_decodes_to_itself(text: str) -> None:
    assert bom_encoding(text.encode("utf-8")) is None
    assert decode_text(text.encode("utf-8")) == text


@given(st.binary(max_size=200))
def test_only_bytes_that_are_not_utf8_are_repaired(data: bytes) -> None:
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    escaped = data.decode("utf-8", errors="surrogateescape")
    repaired, had_stray = repair_stray_bytes(escaped)
    assert had_stray == (not valid)
    assert (repaired == escaped) == valid


@given(st.text(max_size=20, alphabet=st.characters(max_codepoint=0x7F)), _CP1252_TEXT)
def test_windows_1252_bytes_in_utf8_text_read_as_windows_1252(utf8: str, cp1252: str) -> None:
    assert decode_text((utf8 + "é").encode("utf-8") + cp1252.encode("cp1252")) == utf8 + "é" + cp1252
    assert repair_stray_bytes(cp1252.encode("cp1252").decode("utf-8", errors="surrogateescape")) == (
        cp1252, cp1252 != "")


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_a_byte_windows_1252_leaves_undefined_reads_as_latin1(byte: int) -> None:
    assert decode_text(b"Kim " + bytes([byte]) + b" Jong") == f"Kim {chr(byte)} Jong"
