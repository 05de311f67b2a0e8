"""Small real documents for `/Uploads/files/...`, written by hand: PDFs with a text layer, a scanned PDF (one
image, no text), a DOCX (WordprocessingML in a zip); their bytes are fixed by their content.

The PDFs' text is shown in a Type0 font (`Identity-H`, not embedded) whose character codes are the text's UTF-16
code units, with a `ToUnicode` map, so that Vietnamese text extracts as written; content streams are not
compressed.
"""

import unicodedata
import zipfile
from collections.abc import Sequence
from io import BytesIO
from textwrap import wrap
from xml.sax.saxutils import escape

from replica.images import jpeg

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_A4 = "[0 0 595 842]"
_LINE_CHARS = 80


def _stream(head: str, data: bytes) -> bytes:
    return f"<< {head} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"


def _pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF file of `objects` (object 1 the catalog), with its cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _utf16(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode(characters: set[str]) -> bytes:
    """A CMap mapping each character's code (its UTF-16 code unit) to itself."""
    chars = sorted(characters)
    chunks = [chars[i : i + 100] for i in range(0, len(chars), 100)]  # at most 100 entries a block
    maps = "".join(
        f"{len(chunk)} beginbfchar\n" + "".join(f"<{_utf16(c)}> <{_utf16(c)}>\n" for c in chunk) + "endbfchar\n"
        for chunk in chunks
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS "
        "def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{maps}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


def pdf(paragraphs: Sequence[str]) -> bytes:
    """A one-page A4 PDF showing `paragraphs` (NFC, wrapped at 80 characters) in its text layer."""
    lines = [
        line for paragraph in paragraphs for line in [*wrap(unicodedata.normalize("NFC", paragraph), _LINE_CHARS), ""]
    ]
    shown = "".join(f"<{_utf16(line)}> Tj T*\n" for line in lines)
    content = f"BT\n/F1 11 Tf 15 TL 56 790 Td\n{shown}ET".encode()
    return _pdf(
        (
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox {_A4} /Resources << /Font << /F1 5 0 R >> >> "
            "/Contents 4 0 R >>".encode(),
            _stream("", content),
            b"<< /Type /Font /Subtype /Type0 /BaseFont /TimesNewRoman /Encoding /Identity-H "
            b"/DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TimesNewRoman /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 500 /CIDToGIDMap /Identity >>",
            _stream("", _to_unicode(set("".join(lines)))),
            b"<< /Type /FontDescriptor /FontName /TimesNewRoman /Flags 34 /FontBBox [-568 -307 2000 1007] "
            b"/ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 82 >>",
        )
    )


def scanned_pdf(key: str) -> bytes:
    """A one-page PDF that is only an image (a scan, no text layer); `key` picks the image."""
    image = jpeg(key)
    return _pdf(
        (
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox {_A4} /Resources << /XObject << /Im1 5 0 R >> >> "
            "/Contents 4 0 R >>".encode(),
            _stream("", b"q 595 0 0 842 0 0 cm /Im1 Do Q"),
            _stream(
                "/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 "
                "/Filter /DCTDecode",
                image,
            ),
        )
    )


def broken_pdf(paragraphs: Sequence[str]) -> bytes:
    """A PDF cut off inside its page tree, as an interrupted upload leaves it: a header and nothing readable."""
    whole = pdf(paragraphs)
    return whole[: whole.index(b"/Kids")]


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)


def docx(paragraphs: Sequence[str]) -> bytes:
    """A Word document (a zip of WordprocessingML parts) of `paragraphs`, the first in bold."""
    runs = [
        f'<w:p><w:r>{"<w:rPr><w:b/></w:rPr>" if i == 0 else ""}<w:t xml:space="preserve">{escape(text)}</w:t>'
        "</w:r></w:p>"
        for i, text in enumerate(paragraphs)
    ]
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f'{"".join(runs)}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    )
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _RELS),
            ("word/document.xml", document),
        ):
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text.encode(), zipfile.ZIP_DEFLATED)
    return out.getvalue()
