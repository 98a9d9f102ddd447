"""Upload checks: name, size, type by content (not only by extension), zip bombs.

A refused upload raises :class:`UploadRefused` before anything is written.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed
from backoffice.records.text import decode_text

DEFAULT_MAX_UPLOAD_MB = 20
# Office files are zip archives: limits checked on the directory before anything is unpacked.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 5000

# extension -> (kind, MIME type served on download)
ALLOWED = {
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "png": ("png", "image/png"),
    "jpg": ("jpg", "image/jpeg"),
    "jpeg": ("jpg", "image/jpeg"),
    "txt": ("txt", "text/plain; charset=utf-8"),
    "csv": ("csv", "text/csv; charset=utf-8"),
}
# filetype's answer -> our kind
_SNIFFED = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpg": "jpg", "zip": "zip"}
_EXECUTABLE_MAGIC = (
    b"MZ",  # PE (Windows .exe/.dll)
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal / Java class
    b"#!",  # scripts
)
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe",
           b"<object", b"<embed", b"<meta", b"javascript:")  # fmt: skip


class UploadRefused(ValidationFailed):
    code = "upload_refused"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def max_upload_bytes() -> int:
    mb = getattr(settings, "BACKOFFICE", {}).get("RECORDS_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)
    return int(mb) * 1024 * 1024


def _refuse(message: str, reason: str) -> UploadRefused:
    return UploadRefused(message, extra={"reason": reason})


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or "\x00" in name or "/" in name or "\\" in name or ".." in name:
        raise _refuse(_("The file name is not allowed."), "bad_name")
    if any(ord(c) < 32 for c in name) or len(name) > 200 or name.startswith("."):
        raise _refuse(_("The file name is not allowed."), "bad_name")
    return name


def read_upload(uploaded_file) -> bytes:
    """Read at most the size limit (+1 byte to notice an oversized file)."""
    limit = max_upload_bytes()
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > limit:
        raise _too_big(limit)
    buf = bytearray()
    if hasattr(uploaded_file, "seek"):
        with contextlib.suppress(OSError, ValueError):
            uploaded_file.seek(0)
    chunks = uploaded_file.chunks() if hasattr(uploaded_file, "chunks") else [uploaded_file.read()]
    for chunk in chunks:
        buf += chunk
        if len(buf) > limit:
            raise _too_big(limit)
    return bytes(buf)


def _too_big(limit: int) -> UploadRefused:
    return _refuse(
        _("The file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
        "too_large",
    )


def check_upload(uploaded_file) -> CheckedFile:
    name = check_name(getattr(uploaded_file, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED:
        raise _refuse(
            _("This type of file is not accepted. Accepted: PDF, DOCX, XLSX, PNG, JPEG, TXT, CSV."),
            "type_not_allowed",
        )
    data = read_upload(uploaded_file)
    if not data:
        raise _refuse(_("The file is empty."), "empty")
    kind, content_type = ALLOWED[ext]
    head = data[:4096]
    if head.startswith(_EXECUTABLE_MAGIC) or _is_executable(head):
        raise _refuse(_("Programs and scripts are not accepted."), "executable")
    sniffed = filetype.guess(head if kind not in ("docx", "xlsx") else data)
    sniffed_kind = _SNIFFED.get(sniffed.extension) if sniffed else None
    if kind in ("txt", "csv"):
        _check_text(data)
    elif sniffed_kind != kind:
        raise _refuse(
            _("The file content does not match its extension .%(ext)s.") % {"ext": ext},
            "content_mismatch",
        )
    if _has_markup(head[:1024]):
        raise _refuse(_("Files containing web page or SVG markup are not accepted."), "markup")
    if kind in ("docx", "xlsx"):
        _check_office_zip(data, kind)
    return CheckedFile(name=name, kind=kind, content_type=content_type, data=data)


def _is_executable(head: bytes) -> bool:
    guess = filetype.guess(head)
    return bool(guess and guess.extension in {"exe", "elf", "dll", "msi", "dex", "swf", "class"})


def _has_markup(head: bytes) -> bool:
    lowered = head.lower()
    return any(marker in lowered for marker in _MARKUP)


def _check_text(data: bytes) -> None:
    text = decode_text(data)
    if text is None or "\x00" in text:
        raise _refuse(_("A text file must be UTF-8 encoded text."), "content_mismatch")
    if _has_markup(data[:65536]):
        raise _refuse(_("Files containing web page or SVG markup are not accepted."), "markup")


def _check_office_zip(data: bytes, kind: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(_("The file is damaged."), "damaged") from exc
    total = 0
    bomb = _refuse(_("The archive expands to an unsafe size (zip bomb)."), "zip_bomb")
    if len(members) > MAX_MEMBERS:
        raise bomb
    names = set()
    for info in members:
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise bomb
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise bomb
        if info.filename.startswith("/") or ".." in info.filename.split("/"):
            raise _refuse(_("The file is damaged."), "damaged")
        names.add(info.filename)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise _refuse(_("Documents with macros are not accepted."), "macro")
    marker = "word/document.xml" if kind == "docx" else "xl/workbook.xml"
    if "[Content_Types].xml" not in names or marker not in names:
        raise _refuse(
            _("The file content does not match its extension .%(ext)s.") % {"ext": kind},
            "content_mismatch",
        )
