"""Text extraction: every format through one contract, and clear errors naming the file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.scan.scan_helpers import DOCS

from watchlist.scan.extract import EXTRACTORS, ExtractionError, extract_bytes, extract_path


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF with a text layer, written by hand (pypdf only reads)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Consignee"
    table.rows[0].cells[1].text = "Sevastopol port"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


SAMPLES = {
    "text": ("memo.txt", b"Workers went to North Korea."),
    "html": ("page.html", b"<html><body><p>Workers went to North Korea.</p></body></html>"),
    "pdf": ("scan.pdf", minimal_pdf("Workers went to North Korea.")),
    "docx": ("memo.docx", docx_bytes(["Workers went to North Korea."])),
}


@pytest.mark.parametrize("kind", [e.name for e in EXTRACTORS])
def test_every_extractor_reads_its_format(kind: str) -> None:
    name, data = SAMPLES[kind]
    document = extract_bytes(data, name)
    assert document.kind == kind
    assert "Workers went to North Korea." in document.text


@pytest.mark.parametrize("kind", [e.name for e in EXTRACTORS])
def test_format_is_sniffed_from_content_not_name(kind: str) -> None:
    _, data = SAMPLES[kind]
    assert extract_bytes(data, "upload.bin").kind == kind


def test_html_drops_script_and_style() -> None:
    text = extract_path(DOCS / "crimea_invoice.html").text
    assert "Sevastopol" in text and "Excavator spare parts" in text
    assert "North Korea diesel" not in text and "color" not in text


def test_docx_tables_are_read() -> None:
    assert "Sevastopol port" in extract_bytes(SAMPLES["docx"][1], "x.docx").text


def test_latin1_text_falls_back() -> None:
    assert extract_bytes("Caf\u00e9 Pyongyang".encode("latin-1"), "x.txt").text == "Caf\u00e9 Pyongyang"


def test_utf8_bom_is_dropped() -> None:
    assert extract_bytes(b"\xef\xbb\xbfHello", "x.txt").text == "Hello"


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"%PDF-1.4 garbage", "broken.pdf", "broken.pdf: not a readable PDF"),
        (b"PK\x03\x04garbage", "sheet.xlsx", "sheet.xlsx: .xlsx files are not supported"),
        (b"\x00\x01\x02\x03binary", "blob.bin", "blob.bin: binary content"),
        (minimal_pdf(""), "empty.pdf", "empty.pdf: the PDF has no text layer"),
    ],
)
def test_unreadable_documents_name_the_file(data: bytes, name: str, message: str) -> None:
    with pytest.raises(ExtractionError, match=message):
        extract_bytes(data, name)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ExtractionError, match="nope.txt: no such file"):
        extract_path(tmp_path / "nope.txt")
    with pytest.raises(ExtractionError, match="is a folder"):
        extract_path(tmp_path)
