"""File bytes on disk, and their encryption at rest.

Layout: ``BACKOFFICE_HOME/documents/records/<company public id>/<2 hex>/<version public id>``
(backed up with the rest of the documents folder by ``core.backup``).

Confidential and secret versions: AES-256-GCM under a fresh random data key
per file (nonce 12 bytes, the version's public id as associated data); the data
key is itself sealed with AES-GCM by the records wrapping key of generation
``key_id``, derived from the installation master key by ``core.crypto``.
Rotation re-wraps the small data keys; the files are not rewritten.
"""

from __future__ import annotations

import base64
import hashlib
import os
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils.translation import gettext as _

from backoffice import config
from backoffice.core.crypto import derived_key
from backoffice.core.exceptions import ApplicationError

MAGIC = b"BOR1"
NONCE = 12


class DocumentUnreadable(ApplicationError):
    """The stored bytes fail their integrity check, or their key is not available."""

    code = "document_unreadable"
    status = 500


def root() -> Path:
    path = config.documents_dir() / "records"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(storage_name: str) -> Path:
    base = root().resolve()
    path = (base / storage_name).resolve()
    if base not in path.parents:
        raise DocumentUnreadable(_("The stored file could not be read."))
    return path


def storage_name_for(company_public_id: str, version_public_id: str) -> str:
    return f"{company_public_id}/{version_public_id[:2]}/{version_public_id}"


def write(storage_name: str, blob: bytes) -> str:
    """Write atomically (temp file + rename); returns the SHA-256 of the stored bytes."""
    path = _path(storage_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(blob)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return hashlib.sha256(blob).hexdigest()


def read(storage_name: str) -> bytes:
    try:
        return _path(storage_name).read_bytes()
    except OSError as exc:
        raise DocumentUnreadable(_("The stored file is missing.")) from exc


def delete(storage_name: str) -> None:
    _path(storage_name).unlink(missing_ok=True)


# --- keys ---------------------------------------------------------------------------


def _fingerprint() -> str:
    """Which master key a wrapping key comes from (never the key itself)."""
    return derived_key("records-kek-fingerprint")[:4].hex()


def new_key_id(generation: int) -> str:
    return f"v{generation}.{_fingerprint()}"


def _kek(key_id: str) -> bytes:
    generation, _sep, fingerprint = key_id.partition(".")
    if fingerprint != _fingerprint():
        raise DocumentUnreadable(
            _("The key that protects this file is not available (master key changed?).")
        )
    return derived_key(f"records-kek:{generation}")


def wrap_key(data_key: bytes, *, key_id: str, aad: str) -> str:
    nonce = os.urandom(NONCE)
    sealed = AESGCM(_kek(key_id)).encrypt(nonce, data_key, f"dek:{aad}".encode())
    return base64.b64encode(nonce + sealed).decode()


def unwrap_key(wrapped: str, *, key_id: str, aad: str) -> bytes:
    raw = base64.b64decode(wrapped.encode())
    try:
        return AESGCM(_kek(key_id)).decrypt(raw[:NONCE], raw[NONCE:], f"dek:{aad}".encode())
    except InvalidTag as exc:
        raise DocumentUnreadable(_("The key of this file failed its integrity check.")) from exc


def encrypt(data: bytes, *, key_id: str, aad: str) -> tuple[bytes, str]:
    """-> (stored bytes, wrapped data key)."""
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(NONCE)
    blob = MAGIC + nonce + AESGCM(data_key).encrypt(nonce, data, aad.encode())
    return blob, wrap_key(data_key, key_id=key_id, aad=aad)


def decrypt(blob: bytes, *, wrapped: str, key_id: str, aad: str) -> bytes:
    if not blob.startswith(MAGIC):
        raise DocumentUnreadable(_("The stored file failed its integrity check."))
    data_key = unwrap_key(wrapped, key_id=key_id, aad=aad)
    body = blob[len(MAGIC) :]
    try:
        return AESGCM(data_key).decrypt(body[:NONCE], body[NONCE:], aad.encode())
    except InvalidTag as exc:
        raise DocumentUnreadable(_("The stored file failed its integrity check.")) from exc
