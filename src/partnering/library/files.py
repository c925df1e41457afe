"""Attachments checked by what they are, not what they are called: a PDF must start with
``%PDF-`` and open in pypdf (which also counts its pages); ODT and ODS are ZIPs whose first entry
``mimetype`` names the OpenDocument type; DOCX and XLSX are ZIPs with ``[Content_Types].xml`` and
their main part (``word/document.xml``, ``xl/workbook.xml``); CSV is UTF-8 text without control
characters that the csv module can read. Anything else, or anything over the size limit, is
refused with a message."""

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass

from partnering.core.errors import DomainError

from .errors import LibraryError as E
from .models import FileKind

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ZIP_MEMBERS = 5000
ACCEPTED = "PDF, ODT, ODS, DOCX, XLSX or CSV"

CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.ODT: "application/vnd.oasis.opendocument.text",
    FileKind.ODS: "application/vnd.oasis.opendocument.spreadsheet",
    FileKind.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.CSV: "text/csv",
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": FileKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileKind.ODS,
}


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    content_type: str
    size_bytes: int
    page_count: int | None
    sha256: str
    filename: str


def _refuse(message: str, code: E = E.FILE_TYPE, field: str = "file") -> DomainError:
    return DomainError(code, message, field)


def _pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError):
        raise _refuse(
            f"The file is not a PDF that can be opened: it must be a {ACCEPTED} file"
        ) from None


def _zip_kind(data: bytes) -> FileKind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                raise _refuse("The file has too many parts to be a document")
            names = {info.filename for info in infos}
            if infos and infos[0].filename == "mimetype":
                declared = archive.read("mimetype").strip()
                if declared in ODF_TYPES and "content.xml" in names:
                    return ODF_TYPES[declared]
            if "[Content_Types].xml" in names:
                if "word/document.xml" in names:
                    return FileKind.DOCX
                if "xl/workbook.xml" in names:
                    return FileKind.XLSX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError, ValueError):
        pass
    raise _refuse(f"The file must be a {ACCEPTED} file: this one is a ZIP archive of another kind")


def _is_csv(data: bytes) -> bool:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    if any(ch < " " and ch not in "\t\r\n" for ch in text):
        return False
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error:
        return False
    return bool(rows) and any(len(row) > 1 for row in rows[:50])


def file_check(data: bytes, filename: str) -> CheckedFile:
    """What the file is (by its content), its size and (for PDFs) its page count; DomainError
    for an empty file, one over 10 MB, or one that is not a PDF, ODT, ODS, DOCX, XLSX or CSV."""
    name = (filename or "attachment").replace("\x00", "").strip()[-200:] or "attachment"
    if not data:
        raise _refuse("The selected file is empty", E.FILE_EMPTY)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise _refuse("The selected file must be smaller than 10 MB", E.FILE_TOO_LARGE)
    pages = None
    if data.startswith(b"%PDF-"):
        kind = FileKind.PDF
        pages = _pdf_pages(data)
    elif data.startswith(b"PK\x03\x04"):
        kind = _zip_kind(data)
    elif _is_csv(data):
        kind = FileKind.CSV
    else:
        raise _refuse(f"The selected file must be a {ACCEPTED} file")
    return CheckedFile(
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size_bytes=len(data),
        page_count=pages,
        sha256=hashlib.sha256(data).hexdigest(),
        filename=name,
    )


def human_size(size: int) -> str:
    """GOV.UK style: "245 KB", "1.2 MB"."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
