"""Text extraction and Vietnamese folding for full-text search.

``fold`` makes "Hợp đồng" and "hop dong" the same string: Unicode NFD, combining
marks stripped, đ/Đ -> d, lower case. The index stores folded text and queries
are folded the same way, so a search works with or without diacritics.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

log = logging.getLogger("backoffice.records")

MAX_TEXT_CHARS = 1_000_000  # what is indexed per document
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).lower()


def query_terms(query: str) -> list[str]:
    """The folded words of a search box entry (only \\w characters: safe in FTS syntax)."""
    return _WORD.findall(fold(query))[:20]


def extract_text(data: bytes, kind: str) -> str:
    """Plain text of a validated file; an unreadable file gives "" (it is still stored)."""
    try:
        if kind == "pdf":
            return _pdf(data)
        if kind == "docx":
            return _docx(data)
        if kind == "xlsx":
            return _xlsx(data)
        if kind in ("txt", "csv"):
            return decode_text(data) or ""
    except Exception as exc:  # a third-party parser may fail on any odd file
        log.warning("text extraction failed (%s): %s", kind, exc)
    return ""


def decode_text(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts: list[str] = []
    size = 0
    for page in reader.pages:
        chunk = page.extract_text() or ""
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _docx(data: bytes) -> str:
    import docx

    doc = docx.Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _xlsx(data: bytes) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts: list[str] = []
    size = 0
    try:
        for ws in wb.worksheets:
            parts.append(ws.title)
            for row in ws.iter_rows(values_only=True):
                for value in row:
                    if value is not None:
                        parts.append(str(value))
                        size += len(parts[-1])
                if size > MAX_TEXT_CHARS:
                    return "\n".join(parts)
    finally:
        wb.close()
    return "\n".join(parts)


def index_text(*, title: str, tags: str, body: str) -> str:
    return fold(" ".join([title, tags.replace(",", " "), body]))[:MAX_TEXT_CHARS]
