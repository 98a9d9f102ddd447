"""Where an installation keeps its state: BACKOFFICE_HOME and DATABASE_URL (SPEC §4).

Every entry point (CLI, WSGI, tests) resolves these the same way, so two
installations never share state by accident.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def home() -> Path:
    """The installation's state folder (secret key, SQLite file, documents)."""
    path = Path(os.environ.get("BACKOFFICE_HOME", "./var")).expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    return url or f"sqlite:///{home() / 'backoffice.sqlite3'}"


def documents_dir() -> Path:
    path = home() / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_file(name: str, nbytes: int) -> str:
    """Read a secret from BACKOFFICE_HOME, generating it (mode 0600) on first use."""
    path = home() / name
    if not path.exists():
        value = secrets.token_urlsafe(nbytes)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
    return path.read_text().strip()


def secret_key() -> str:
    return os.environ.get("SECRET_KEY") or _secret_file("secret_key", 50)


def master_key() -> str:
    """Key-encryption key for data at rest (TOTP secrets, PII, confidential files)."""
    return os.environ.get("BACKOFFICE_MASTER_KEY") or _secret_file("master_key", 32)
