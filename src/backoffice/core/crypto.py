"""Encryption at rest: AES-256-GCM with a key derived from the master key.

``encrypt_text`` / ``decrypt_text`` protect small secrets (TOTP keys, PII
fields). The ciphertext carries a key id so that a future rotation can
re-encrypt under a new master key; a flipped byte fails authentication.
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
    # The master key is looked up on every call (BACKOFFICE_HOME may change, in tests);
    # only the derivation is cached, keyed on the master key itself.
    return _derive(config.master_key().encode(), purpose)


@functools.lru_cache(maxsize=32)
def _derive(master: bytes, purpose: str) -> bytes:
    return hashlib.sha256(b"backoffice:" + purpose.encode() + b":" + master).digest()


def encrypt_text(plaintext: str, *, purpose: str) -> str:
    nonce = os.urandom(12)
    sealed = AESGCM(derived_key(purpose)).encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"{_VERSION}:" + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt_text(token: str, *, purpose: str) -> str:
    version, _, body = token.partition(":")
    if version != _VERSION:
        raise ValueError("unknown ciphertext version")
    raw = base64.urlsafe_b64decode(body.encode())
    return AESGCM(derived_key(purpose)).decrypt(raw[:12], raw[12:], purpose.encode()).decode()
