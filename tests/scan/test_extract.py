"""Text extraction: every format through one contract, and clear errors naming the file."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests import bombs
from tests.scan.scan_helpers import DOCS

from watchlist.decoding import BOMS, decode_text
from watchlist.errors import LimitError
from watchlist.limits import Budget, BudgetSpent, Limits
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
    return bombs.pdf_file(objects)


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
    "table": ("rows.csv", b"note,place\r\nWorkers went to North Korea.,Pyongyang\r\n"),
}


@pytest.mark.parametrize("kind", [e.name for e in EXTRACTORS])
def test_every_extractor_reads_its_format(kind: str) -> None:
    name, data = SAMPLES[kind]
    document = extract_bytes(data, name)
    assert document.kind == kind
    assert "Workers went to North Korea." in document.text


@pytest.mark.parametrize("kind", [e.name for e in EXTRACTORS if e.name != "table"])  # a table: by its suffix
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


# --- hostile documents (issue 21): each refused or read within its limits, never a traceback ---

SMALL = Limits(max_member_bytes=1 << 20, max_archive_bytes=2 << 20, max_xml_elements=20_000,
               max_pdf_page_bytes=1 << 20, max_page_chars=2_000, max_document_chars=5_000)


def test_docx_that_expands_past_the_member_limit_is_refused_from_its_size() -> None:
    data = bombs.docx_whitespace_bomb(8 << 20)
    with pytest.raises(LimitError, match="bomb.docx: word/document.xml expands to .*WATCHLIST_MAX_MEMBER_BYTES"):
        extract_bytes(data, "bomb.docx", SMALL)
    assert "Workers went" in extract_bytes(data, "bomb.docx", replace(SMALL, max_member_bytes=9 << 20,
                                                                      max_archive_bytes=9 << 20)).text


def test_docx_of_many_empty_paragraphs_stops_at_the_element_limit() -> None:
    data = bombs.docx_empty_paragraphs(50_000)
    with pytest.raises(LimitError, match="word/document.xml has elements past the limit of 20,000 elements "
                                         r"\(WATCHLIST_MAX_XML_ELEMENTS\)"):
        extract_bytes(data, "paras.docx", SMALL)


_CHILD = """
import resource, sys
from tests import bombs
from watchlist.errors import LimitError
from watchlist.scan.extract import extract_bytes
data = {make}
try:
    outcome = "read %d characters" % len(extract_bytes(data, "bomb").text)
except LimitError as exc:
    outcome = "refused: " + exc.message
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, outcome)
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    "make, outcome",
    [
        ("bombs.docx_whitespace_bomb()", "refused: bomb: word/document.xml expands to 1,153,"),  # 1.1 GB
        ("bombs.docx_empty_paragraphs()", "read 28 characters"),  # 1.7 million paragraphs
        ("bombs.pdf_stream_bomb(pages=2)", "refused: bomb: a content stream on page 1 decodes past"),
        ("bombs.pdf_stream_bomb(7 << 20)", "refused: bomb: the content of page 1 runs past the limit of 500,000"),
        ("b'<html><body>' + b'<p>x' * 990_000", "read 2969998 characters"),
    ],
)
def test_bombs_are_read_or_refused_under_1_gb_with_default_limits(make: str, outcome: str) -> None:
    """Each bomb in its own process (the issue's files, default limits): peak RSS under 1 GB."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", _CHILD.format(make=make)], cwd=root, check=False,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    peak_mb, said = result.stdout.strip().split(" ", 1)
    assert said.startswith(outcome), said
    assert int(peak_mb) < 1024, f"{make}: peak RSS {peak_mb} MB"


def test_docx_text_past_the_document_limit_is_refused() -> None:
    with pytest.raises(LimitError, match="WATCHLIST_MAX_DOCUMENT_CHARS"):
        extract_bytes(bombs.docx_long_text(20_000), "long.docx", SMALL)
    assert len(extract_bytes(bombs.docx_long_text(4_000), "long.docx", SMALL).text) > 4_000 - 10


def test_docx_keeps_document_order_tabs_breaks_and_cells() -> None:
    body = (b'<w:p><w:r><w:t>Before</w:t><w:tab/><w:t>tab</w:t><w:br/><w:t>line</w:t></w:r></w:p>'
            b'<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Consignee</w:t></w:r></w:p></w:tc>'
            b'<w:tc><w:p><w:r><w:t>Sevastopol</w:t></w:r></w:p><w:p><w:r><w:t>port</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
            b'<w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:delText>gone</w:delText>'
            b'<w:t>After</w:t></w:r></w:p>')
    text = extract_bytes(bombs.docx(iter([body])), "order.docx").text
    assert text == ("Before\ttab\nline\n\nConsignee\tSevastopol\nport\n\nAfter\n\nWorkers went to North Korea.")


def test_docx_entities_are_not_expanded() -> None:
    head = b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    data = bombs.docx(iter([b"<w:p><w:r><w:t>&b;</w:t></w:r></w:p>"]))
    import zipfile as zf

    with zf.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml")
    out = io.BytesIO()
    with zf.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", xml.replace(b"?><w:document", b"?>" + head + b"<w:document", 1))
    try:
        text = extract_bytes(out.getvalue(), "ent.docx").text
    except ExtractionError:
        return  # refusing it is fine too
    assert "aaaa" not in text


@pytest.mark.parametrize("expanded", [74_000_000, 80 * bombs.MB])
def test_pdf_stream_bombs_are_refused_at_the_page_byte_limit(expanded: int) -> None:
    data = bombs.pdf_stream_bomb(expanded, pages=2)
    assert len(data) < 400_000
    with pytest.raises(LimitError, match="page 1 decodes past the limit of .*WATCHLIST_MAX_PDF_PAGE_BYTES"):
        extract_bytes(data, "bomb.pdf")


def test_pdf_text_is_counted_per_page_per_document_and_pages_are_capped() -> None:
    page = bombs.pdf_stream_bomb(300 * len(bombs.TEXT_OP))  # 300 x "Kim Jong Un": 3,300 characters
    with pytest.raises(LimitError, match="page 1 has text past the limit of 2,000 chars"):
        extract_bytes(page, "dense.pdf", SMALL)
    two = bombs.pdf_stream_bomb(150 * len(bombs.TEXT_OP), pages=4)
    with pytest.raises(LimitError, match="WATCHLIST_MAX_DOCUMENT_CHARS"):
        extract_bytes(two, "long.pdf", SMALL)
    with pytest.raises(LimitError, match="the PDF has 4 pages, past the limit of 3 pages"):
        extract_bytes(two, "long.pdf", replace(SMALL, max_pdf_pages=3))
    assert extract_bytes(two, "long.pdf", replace(SMALL, max_document_chars=10_000)).text.count("Kim Jong Un") == 600
    with pytest.raises(LimitError, match=r"content of page 1 runs past the limit of 1,000 tokens \(WATCHLIST_MAX_PDF_PAGE_TOKENS\)"):
        extract_bytes(page, "dense.pdf", replace(SMALL, max_pdf_page_tokens=1_000))


def test_spent_or_cancelled_budget_abandons_extraction() -> None:
    data = bombs.pdf_stream_bomb(300 * len(bombs.TEXT_OP))
    with pytest.raises(LimitError, match="WATCHLIST_MAX_DOCUMENT_SECONDS"):
        extract_bytes(data, "slow.pdf", budget=Budget(0.0))
    gone = Budget(60.0)
    gone.cancel("the client disconnected")
    with pytest.raises(BudgetSpent, match="abandoned: the client disconnected"):
        extract_bytes(bombs.docx_long_text(2_000), "x.docx", budget=gone)


def test_document_bytes_and_html_elements_are_capped() -> None:
    with pytest.raises(LimitError, match="WATCHLIST_MAX_DOCUMENT_BYTES"):
        extract_bytes(b"x" * 101, "big.txt", Limits(max_document_bytes=100))
    with pytest.raises(LimitError, match="WATCHLIST_MAX_HTML_ELEMENTS"):
        extract_bytes(b"<html><body>" + b"<p>x" * 30_000, "many.html", replace(SMALL, max_html_elements=20_000))
    with pytest.raises(LimitError, match="WATCHLIST_MAX_DOCUMENT_CHARS"):
        extract_bytes(b"Pyongyang " * 1_000, "long.txt", SMALL)


@pytest.mark.parametrize("bom, encoding", BOMS)
def test_every_bom_is_honoured(bom: bytes, encoding: str) -> None:
    assert extract_bytes(bom + "Kim Jong Un, 김정은".encode(encoding), "x.txt").text == "Kim Jong Un, 김정은"


def test_odd_utf16_mixed_encodings_and_nuls_are_read_not_raised() -> None:
    assert extract_bytes(b"\xff\xfeK\x00i\x00m\x00!", "odd.txt").text == "Kim\ufffd"
    assert extract_bytes(b"\xfe\xff\x00K\xd8\x00\x00!", "lone.txt").text == "K\ufffd!"
    assert decode_text("Café ".encode() + "Café \u201cquoted\u201d".encode("cp1252")) == "Café Café \u201cquoted\u201d"
    assert extract_bytes(b"Kim" + b" " * 5000 + b"\x00Jong", "nul.txt").text.endswith("\x00Jong")
    with pytest.raises(ExtractionError, match="binary content"):
        extract_bytes("Kim Jong Un".encode("utf-16-le"), "nobom.txt")


@given(st.binary(max_size=300))
def test_decoded_text_is_always_valid_unicode(data: bytes) -> None:
    decode_text(data).encode("utf-8")  # never a lone surrogate, never an error


def test_docx_nested_past_libxml2_depth_is_a_limit_error() -> None:
    deep = b"<w:p>" + b"<w:r>" * 300 + b"</w:r>" * 300 + b"</w:p>"
    with pytest.raises(LimitError, match="deep.docx: the XML is past libxml2's safety limits .*depth"):
        extract_bytes(bombs.docx(iter([deep])), "deep.docx")
    shallow = b"<w:p>" + b"<w:r>" * 100 + b"<w:t>ok</w:t>" + b"</w:r>" * 100 + b"</w:p>"
    assert extract_bytes(bombs.docx(iter([shallow])), "ok.docx").text.startswith("ok")
