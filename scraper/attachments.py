"""The text of documents attached to articles: PDF with pypdf, DOCX with python-docx; pure functions over bytes.

pypdf rather than pdfminer.six: both are maintained and read the portal's text layers (Type0 fonts with a
ToUnicode map) alike, but pypdf is one pure-Python package without dependencies and reads a page in a fraction of
pdfminer's time (`bench/whole_portal.py`), which matters for a portal of thousands of decisions. python-docx is the
maintained reader of WordprocessingML. Other types (`.doc`, `.xls`, archives) are kept, not read.
"""

from __future__ import annotations

import io
import logging
import unicodedata
import zipfile
from dataclasses import dataclass

import docx
import pypdf
from pypdf.errors import PyPdfError

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken file is reported once, as a crawl error

TEXT, SCANNED, NOT_READ = "text", "scanned: no text layer", "not read: not a PDF or DOCX"


class AttachmentError(ValueError):
    """The file does not read as the document its name says; the message says why."""


@dataclass(frozen=True)
class AttachmentText:
    """What reading a document gave: its text (None when it has none) and `status`, one of `TEXT`, `SCANNED`
    (a PDF whose pages are images) or `NOT_READ` (a type this archive keeps without reading)."""

    text: str | None
    status: str


def attachment_text(filename: str, body: bytes) -> AttachmentText:
    """The text of a document, by its file name's type. Raises AttachmentError for a broken file."""
    name = filename.lower()
    if name.endswith(".pdf"):
        text = pdf_text(body)
    elif name.endswith(".docx"):
        text = docx_text(body)
    else:
        return AttachmentText(None, NOT_READ)
    return AttachmentText(text, TEXT) if text else AttachmentText(None, SCANNED)


def pdf_text(body: bytes) -> str:
    """A PDF's text layer, page by page (NFC; empty for a scan)."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(body), strict=False)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise AttachmentError(f"unreadable PDF: {type(error).__name__}: {error}") from error
    return _paragraphs("\n\n".join(pages))


def docx_text(body: bytes) -> str:
    """A Word document's paragraphs, separated by blank lines (NFC)."""
    try:
        document = docx.Document(io.BytesIO(body))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise AttachmentError(f"unreadable DOCX: {type(error).__name__}: {error}") from error
    return _paragraphs("\n\n".join(paragraph.text for paragraph in document.paragraphs))


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in unicodedata.normalize("NFC", text).splitlines())
    return "\n".join(line for line in lines if line).strip()
