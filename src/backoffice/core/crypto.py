"""Encryption at rest: AES-256-GCM with a key derived from the master key.

``encrypt_text`` / ``decrypt_text`` protect small secrets (TOTP keys, PII
fields). The ciphertext carries its key generation (``v1:`` = generation 1,
``v2:<n>:`` later ones): ``core.keys.rotate_field_keys`` starts a new
generation and re-seals every encrypted field under it; a flipped byte fails
authentication.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from backoffice import config

_VERSION = "v1"


def derived_key(purpose: str) -> bytes:
    """A 256-bit key for one purpose, derived from the master key."""
    # The derivation is cached, keyed on the master key itself; which key applies is
    # checked on every call (the environment and BACKOFFICE_HOME may change, in tests).
    return _derive(_master_key(), purpose)


_KEY_FILE_CACHE: dict[tuple[str, str, int, int, int], bytes] = {}


def _master_key() -> bytes:
    """``config.master_key()``; the key file is re-read only when it is another file
    or has changed (same path from the same directory, inode, size, mtime)."""
    if os.environ.get("BACKOFFICE_MASTER_KEY"):
        return config.master_key().encode()
    home = os.environ.get("BACKOFFICE_HOME", "./var")
    try:
        path = os.path.join(os.path.expanduser(home), "master_key")
        st = os.stat(path)
        marker = (os.getcwd(), path, st.st_ino, st.st_size, st.st_mtime_ns)
    except OSError:
        return config.master_key().encode()
    key = _KEY_FILE_CACHE.get(marker)
    if key is None:
        key = config.master_key().encode()
        if len(_KEY_FILE_CACHE) > 16:
            _KEY_FILE_CACHE.clear()
        _KEY_FILE_CACHE[marker] = key
    return key


@functools.lru_cache(maxsize=32)
def _derive(master: bytes, purpose: str) -> bytes:
    return hashlib.sha256(b"backoffice:" + purpose.encode() + b":" + master).digest()


def _generation_key(purpose: str, generation: int) -> bytes:
    # Generation 1 is the original derivation, so values written before rotation
    # existed stay readable without migration.
    return derived_key(purpose if generation == 1 else f"{purpose}#g{generation}")


def encrypt_text(plaintext: str, *, purpose: str, generation: int = 1) -> str:
    """Seal ``plaintext`` for ``purpose`` under key generation ``generation``."""
    nonce = os.urandom(12)
    key = _generation_key(purpose, generation)
    sealed = AESGCM(key).encrypt(nonce, plaintext.encode(), purpose.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).decode()
    return f"{_VERSION}:{body}" if generation == 1 else f"v2:{generation}:{body}"


def token_generation(token: str) -> int:
    """The key generation a ciphertext was sealed under (1 for the original format)."""
    version, _, rest = token.partition(":")
    if version == _VERSION:
        return 1
    if version == "v2":
        return int(rest.partition(":")[0])
    raise ValueError("unknown ciphertext version")


def decrypt_text(token: str, *, purpose: str) -> str:
    generation = token_generation(token)
    body = token.partition(":")[2]
    if generation != 1:
        body = body.partition(":")[2]
    raw = base64.urlsafe_b64decode(body.encode())
    key = _generation_key(purpose, generation)
    return AESGCM(key).decrypt(raw[:12], raw[12:], purpose.encode()).decode()
