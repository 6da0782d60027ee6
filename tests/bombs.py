"""Hostile documents, generated on the fly with little memory: zip bombs, XML floods, PDF stream bombs.

Each generator streams its payload through zlib in 1 MB pieces, so a file that expands to
1.5 GB costs the test a few megabytes and a second or two of compression.
"""

from __future__ import annotations

import io
import itertools
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MB = 1024 * 1024

_DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)

_DOCX_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def _repeat(piece: bytes, total: int) -> Iterator[bytes]:
    """`piece` repeated to `total` bytes, in ~1 MB chunks."""
    block = piece * max(1, MB // len(piece))
    left = total
    while left > 0:
        out = block[: min(left, len(block))]
        left -= len(out)
        yield out


def _zip_member(archive: zipfile.ZipFile, name: str, parts: Iterator[bytes]) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as fh:
        for part in parts:
            fh.write(part)


def docx(body: Iterator[bytes]) -> bytes:
    """A DOCX whose word/document.xml is `<w:document><w:body>` + body + the closing tags."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _DOCX_TYPES)
        archive.writestr("_rels/.rels", _DOCX_RELS)
        head = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode()
        tail = b"<w:p><w:r><w:t>Workers went to North Korea.</w:t></w:r></w:p></w:body></w:document>"
        _zip_member(archive, "word/document.xml", itertools.chain([head], body, [tail]))
    return out.getvalue()


def docx_whitespace_bomb(expanded: int = 1100 * MB) -> bytes:
    """~1 MB of DOCX whose document.xml is `expanded` bytes of whitespace inside <w:body> (finding 1)."""
    return docx(_repeat(b" ", expanded))


def docx_empty_paragraphs(count: int = 1_700_000) -> bytes:
    """A small DOCX of `count` empty paragraphs (finding 1: 55 s and 550 MB before)."""
    return docx(_repeat(b"<w:p/>", 6 * count))


def docx_long_text(chars: int) -> bytes:
    """A DOCX holding `chars` characters of real text, in paragraphs of 1,000."""
    paragraph = b"<w:p><w:r><w:t>" + b"Kim Jong Un met Choe Son Hui. " * 33 + b"abcdefghij</w:t></w:r></w:p>"
    return docx(_repeat(paragraph, (chars // 1000) * len(paragraph)))


def pdf(content_parts: Iterator[bytes], pages: int = 1) -> bytes:
    """A PDF of `pages` pages sharing one FlateDecode content stream made of `content_parts`."""
    compressor = zlib.compressobj(9)
    stream = b"".join(compressor.compress(part) for part in content_parts) + compressor.flush()
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>")
    objects.extend([page] * pages)
    return pdf_file(objects)


def pdf_file(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (numbered from 1, the catalog first), with its cross-reference table."""
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


TEXT_OP = b"BT /F1 12 Tf 72 720 Td (Kim Jong Un) Tj ET\n"


def pdf_stream_bomb(expanded: int = 74_000_000, pages: int = 1) -> bytes:
    """A small PDF whose content stream decodes to `expanded` bytes of text operators (findings 2, 4):
    the default is just under pypdf's own 75,000,000-byte cap."""
    return pdf(_repeat(TEXT_OP, expanded), pages)


def xlsx(path: Path, sheet_rows: Iterator[bytes], shared: Iterator[bytes] | None = None) -> Path:
    """An XLSX workbook at `path` with the given sheet rows (and shared strings) streamed in."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{S_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>',
        )
        head = f'<worksheet xmlns="{S_NS}"><sheetData>'.encode()
        _zip_member(archive, "xl/worksheets/sheet1.xml",
                    itertools.chain([head], sheet_rows, [b"</sheetData></worksheet>"]))
        if shared is not None:
            _zip_member(archive, "xl/sharedStrings.xml",
                        itertools.chain([f'<sst xmlns="{S_NS}">'.encode()], shared, [b"</sst>"]))
    return path


def xlsx_sheet_bomb(path: Path, expanded: int = 1500 * MB) -> Path:
    """A ~2 MB workbook whose sheet expands to `expanded` bytes of rows (finding 7)."""
    return xlsx(path, _repeat(b'<row><c t="inlineStr"><is><t>KIM</t></is></c></row>', expanded))


def xlsx_shared_strings_bomb(path: Path, expanded: int = 300 * MB) -> Path:
    """A workbook with `expanded` bytes of shared strings (finding 7: 3.6 GB and 3 min 43 s before)."""
    return xlsx(path, iter([b'<row><c t="s"><v>0</v></c></row>']), _repeat(b"<si><t>KIM JONG UN</t></si>", expanded))
