"""Consistent online backup and verified restore of an installation (SPEC §4).

One archive (``.tar.gz``) holds:

- ``database/backoffice.sqlite3`` (SQLite, copied with the online backup API:
  one read transaction, so a consistent snapshot while the site runs) or
  ``database/backoffice.pgdump`` (PostgreSQL, ``pg_dump -Fc`` run inside an
  exported REPEATABLE READ snapshot, the same snapshot the row counts of the
  manifest are taken from);
- ``documents/...``: every regular file under ``config.documents_dir()``;
- ``audit-head``: the audit chain's saved head, if there is one (read before
  the database snapshot, so it never points past the copied chain);
- ``manifest.json`` (last): format version, creation time, app version,
  database vendor, per-table row counts, applied migrations, and the size and
  SHA-256 of every other member.

``backup_verify`` refuses an archive whose members are not exactly the files
of its manifest with matching size and digest, and any absolute, ``..``,
link or special member. ``backup_restore`` verifies first, stages everything
and checks it again while staging, and only then replaces the database, the
documents and the audit anchor; it records ``BACKUP_RESTORED`` in the audit
log and re-anchors the chain. Stop the web server and the job worker before a
restore: they would keep using the replaced database files.

Not in the archive: the secret key and the master key (a backup must not
carry the key that protects its encrypted fields). The manifest records a
fingerprint of the master key, and a restore into an installation with a
different one is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db import DatabaseError, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice import config
from backoffice.core.exceptions import ApplicationError, BackupInvalid
from backoffice.core.jobs import job_kind

if TYPE_CHECKING:
    import psycopg
    from psycopg.abc import Query

FORMAT = "backoffice-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ANCHOR = "audit-head"
DOCUMENTS = "documents"
DB_SQLITE = "database/backoffice.sqlite3"
DB_PGDUMP = "database/backoffice.pgdump"
_MAX_MANIFEST = 64 * 1024 * 1024
_CHUNK = 1024 * 1024
# libpq settings that may sit in DATABASES OPTIONS -> their environment variable.
_PG_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}

Progress = Callable[[int, int, str], None] | None


def _applied_migrations(counts: dict[str, int], execute: Callable[[str], Any]) -> list[str]:
    """``app.name`` of every applied migration, read through either database's API."""
    if "django_migrations" not in counts:
        return []
    rows = execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [f"{app}.{name}" for app, name in rows]


class BackupFailed(ApplicationError):
    code = "backup_failed"
    status = 500


class RestoreFailed(BackupFailed):
    code = "restore_failed"


# --- helpers -----------------------------------------------------------------------


def _app_version() -> str:
    try:
        from importlib.metadata import version

        return version("backoffice")
    except Exception:  # not installed as a distribution (source checkout)
        return "unknown"


def _db_settings() -> dict[str, Any]:
    return connections["default"].settings_dict


def _vendor() -> str:
    return connections["default"].vendor


def _is_file_sqlite(name: Any) -> bool:
    name = str(name or "")
    return bool(name) and name != ":memory:" and "mode=memory" not in name


def _master_key_fingerprint() -> str | None:
    """A digest of the master key, or None if this installation has none yet.

    Read without creating one (config.master_key() would generate a key)."""
    key = os.environ.get("BACKOFFICE_MASTER_KEY")
    if not key:
        path = config.home() / "master_key"
        if not path.exists():
            return None
        key = path.read_text().strip()
    return hashlib.sha256(b"backoffice-master-key-fingerprint:" + key.encode()).hexdigest()[:32]


class _HashingReader(io.RawIOBase):
    """Wraps a file; hashes exactly the bytes tarfile copies into the archive."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        data = self.fh.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def _add_file(tar: tarfile.TarFile, src: Path, arcname: str, size: int) -> dict[str, Any]:
    """Add ``size`` bytes of ``src``; the digest is of what was written, so a
    file that changes meanwhile still yields a self-consistent archive."""
    info = tarfile.TarInfo(arcname)
    info.size = size
    info.mode = 0o600
    info.mtime = int(src.stat().st_mtime)
    info.type = tarfile.REGTYPE
    with open(src, "rb") as fh:
        reader = _HashingReader(fh)
        tar.addfile(info, reader)
    return {"name": arcname, "size": reader.size, "sha256": reader.digest.hexdigest()}


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _add_bytes(tar: tarfile.TarFile, data: bytes, arcname: str) -> dict[str, Any]:
    info = tarfile.TarInfo(arcname)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))
    return {"name": arcname, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _iter_documents(root: Path) -> Iterator[tuple[Path, str]]:
    """Regular files under root (links are not followed), sorted, with their
    archive-relative POSIX names."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            found.append((path, path.relative_to(root).as_posix()))
    return iter(found)


# --- database snapshot ------------------------------------------------------------


def _sqlite_snapshot(dest: Path) -> dict[str, Any]:
    """Copy the live SQLite database into ``dest`` (one consistent snapshot)."""
    name = _db_settings()["NAME"]
    if _is_file_sqlite(name):
        live = Path(name).resolve()
        if not live.is_file():
            raise BackupInvalid(_("There is no database at %(path)s to back up.") % {"path": live})
        # mode=rw: never create an empty database by accident.
        src = sqlite3.connect(f"{live.as_uri()}?mode=rw", uri=True, timeout=30)
        dst = sqlite3.connect(dest)
        try:
            # One read transaction over the whole copy (pages=-1): a snapshot.
            src.backup(dst)
        finally:
            src.close()
    else:
        # In-memory (tests): the backup API would wait forever on a connection
        # that holds a write transaction, so take an image of Django's own.
        conn = connections["default"]
        conn.ensure_connection()
        dest.write_bytes(conn.connection.serialize())
        dst = sqlite3.connect(dest)
    try:
        # Make the copy one self-contained file, not WAL + main file.
        dst.execute("PRAGMA journal_mode=DELETE")
        tables = [
            r[0]
            for r in dst.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {t: dst.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608  # nosec B608 - names from sqlite_master
        migrations = _applied_migrations(counts, dst.execute)
    finally:
        dst.close()
    return {"tables": counts, "migrations": migrations}


def _pg_params() -> dict[str, str]:
    s = _db_settings()
    params = {
        "dbname": s.get("NAME") or "",
        "user": s.get("USER") or "",
        "password": s.get("PASSWORD") or "",
        "host": s.get("HOST") or "",
        "port": str(s.get("PORT") or ""),
    }
    for key in _PG_ENV:
        if (s.get("OPTIONS") or {}).get(key) not in (None, ""):
            params[key] = str(s["OPTIONS"][key])
    return {k: v for k, v in params.items() if v}


def _pg_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    names = {
        "dbname": "PGDATABASE",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        "host": "PGHOST",
        "port": "PGPORT",
        **_PG_ENV,
    }
    for key, value in _pg_params().items():
        env[names[key]] = value
    return env


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupFailed(
            _("The PostgreSQL tool %(tool)s is not installed on this machine.") % {"tool": name}
        )
    return path


def _scalar(conn: psycopg.Connection[Any], query: Query) -> Any:
    """The first column of the one row ``query`` returns."""
    row = conn.execute(query).fetchone()
    assert row is not None  # a function call or an aggregate always returns a row
    return row[0]


def _pg_snapshot(dest: Path) -> dict[str, Any]:
    """``pg_dump -Fc`` into ``dest`` from an exported snapshot; row counts and
    migrations are read in that same snapshot."""
    import psycopg
    from psycopg import sql

    pg_dump = _pg_tool("pg_dump")
    params: dict[str, Any] = _pg_params()
    with psycopg.connect(**params, autocommit=False) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        snapshot = _scalar(conn, "SELECT pg_export_snapshot()")
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "ORDER BY tablename"
            )
        ]
        counts = {
            t: _scalar(conn, sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(t)))
            for t in tables
        }
        migrations = _applied_migrations(counts, conn.execute)
        proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [pg_dump, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(dest)],
            env=_pg_env(),
            capture_output=True,
            text=True,
            check=False,
        )
        conn.rollback()
    if proc.returncode != 0:
        raise BackupFailed(_("pg_dump failed: %(detail)s") % {"detail": proc.stderr.strip()[-500:]})
    return {"tables": counts, "migrations": migrations}


# --- create -----------------------------------------------------------------------


def backup_create(path: str | os.PathLike[str], *, progress: Progress = None, actor: Any = None):
    """Write a consistent backup of the database and documents to ``path``.

    The archive is written to a temporary file next to ``path`` and renamed
    into place, so ``path`` is either the previous file or the complete new
    one. Returns the manifest.
    """
    target = Path(path).expanduser().absolute()
    if target.is_dir():
        raise BackupInvalid(_("%(path)s is a folder, not a file.") % {"path": target})
    if not target.parent.is_dir():
        raise BackupInvalid(_("The folder %(path)s does not exist.") % {"path": target.parent})
    docs_root = config.documents_dir().resolve()
    if docs_root == target.parent.resolve() or docs_root in target.parent.resolve().parents:
        raise BackupInvalid(
            _("Write the backup outside the documents folder %(path)s.") % {"path": docs_root}
        )
    vendor = _vendor()
    if vendor not in ("sqlite", "postgresql"):
        raise BackupInvalid(_("Backups of a %(v)s database are not supported.") % {"v": vendor})
    anchor_path = config.home() / ANCHOR
    # The anchor first: it must never point past the chain in the snapshot.
    anchor = anchor_path.read_bytes() if anchor_path.is_file() else None
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work,
        ):
            db_file = Path(work) / "db"
            if vendor == "sqlite":
                db_info, db_name = _sqlite_snapshot(db_file), DB_SQLITE
            else:
                db_info, db_name = _pg_snapshot(db_file), DB_PGDUMP
            # Documents after the snapshot: every file the copied rows refer to exists.
            documents = list(_iter_documents(docs_root))
            total = 1 + len(documents) + (1 if anchor is not None else 0)
            files = []
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                entry = _add_file(tar, db_file, db_name, db_file.stat().st_size)
                files.append({**entry, "role": "database"})
                done = 1
                if progress:
                    progress(done, total, _("database"))
                for src, rel in documents:
                    try:
                        entry = _add_file(tar, src, f"{DOCUMENTS}/{rel}", src.stat().st_size)
                    except FileNotFoundError:  # deleted meanwhile: not in the backup
                        total -= 1
                        continue
                    files.append({**entry, "role": "document"})
                    done += 1
                    if progress:
                        progress(done, total, rel)
                if anchor is not None:
                    files.append({**_add_bytes(tar, anchor, ANCHOR), "role": "anchor"})
                    done += 1
                    if progress:
                        progress(done, total, ANCHOR)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": datetime.now(UTC).isoformat(),
                    "app_version": _app_version(),
                    "database": {
                        "vendor": vendor,
                        "file": db_name,
                        "tables": db_info["tables"],
                        "migrations": db_info["migrations"],
                    },
                    "documents": sum(1 for f in files if f["role"] == "document"),
                    "master_key_fingerprint": _master_key_fingerprint(),
                    "files": files,
                }
                _add_bytes(
                    tar,
                    json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode(),
                    MANIFEST,
                )
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    _audit(
        "BACKUP_CREATED",
        actor=actor,
        after={
            "file": target.name,
            "files": len(files),
            "vendor": vendor,
            "tables": len(db_info["tables"]),
        },
    )
    return manifest


def _audit(event_type: str, *, actor: Any = None, before: Any = None, after: Any = None) -> None:
    from backoffice.core.audit import audit_record

    audit_record(
        event_type=event_type,
        actor=actor,
        object_type="core.backup",
        before=before,
        after=after,
    )


# --- verify -----------------------------------------------------------------------


def _safe_name(name: Any) -> str:
    """The member name if it is a plain relative path inside the archive."""
    if not isinstance(name, str) or not name or "\x00" in name or "\\" in name:
        raise BackupInvalid(_("The backup contains an invalid file name: %(n)r.") % {"n": name})
    pure = PurePosixPath(name)
    if pure.is_absolute() or name.startswith("/") or (":" in pure.parts[0]):
        raise BackupInvalid(
            _("The backup contains an absolute path: %(n)s. It was refused.") % {"n": name}
        )
    if any(part in ("..", ".", "") for part in name.split("/")):
        raise BackupInvalid(
            _("The backup contains a path leaving its folder: %(n)s. It was refused.") % {"n": name}
        )
    top = pure.parts[0]
    if not (
        name in (MANIFEST, ANCHOR, DB_SQLITE, DB_PGDUMP)
        or (top == DOCUMENTS and len(pure.parts) > 1)
    ):
        raise BackupInvalid(_("The backup contains an unexpected file: %(n)s.") % {"n": name})
    return name


def _check_member(m: tarfile.TarInfo) -> None:
    name = m.name.rstrip("/") if m.isdir() else m.name
    if not (m.isdir() and name in (DOCUMENTS, "database")):
        _safe_name(name)
    if m.issym() or m.islnk():
        raise BackupInvalid(
            _("The backup contains a link (%(n)s). It was refused.") % {"n": m.name}
        )
    if not (m.isfile() or m.isdir()):
        raise BackupInvalid(
            _("The backup contains a special file (%(n)s). It was refused.") % {"n": m.name}
        )


def _check_manifest(manifest: Any) -> dict[str, Any]:
    bad = BackupInvalid(_("The backup's manifest is malformed."))
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupInvalid(_("This file is not a Back Office backup (no valid manifest)."))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise bad
    if version > FORMAT_VERSION:
        raise BackupInvalid(
            _("This backup has format %(v)s; this version of Back Office reads up to %(max)s.")
            % {"v": version, "max": FORMAT_VERSION}
        )
    files, db = manifest.get("files"), manifest.get("database")
    if (
        not isinstance(files, list)
        or not isinstance(db, dict)
        or not isinstance(manifest.get("created_at"), str)
    ):
        raise bad
    names = set()
    for entry in files:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
        ):
            raise bad
        name = _safe_name(entry.get("name"))
        if name == MANIFEST or name in names:
            raise bad
        names.add(name)
    if db.get("vendor") not in ("sqlite", "postgresql") or db.get("file") not in names:
        raise BackupInvalid(_("The backup's manifest names no database."))
    if db["file"] != (DB_SQLITE if db["vendor"] == "sqlite" else DB_PGDUMP):
        raise bad
    return manifest


@contextmanager
def _open_archive(path: str | os.PathLike[str]) -> Iterator[tarfile.TarFile]:
    p = Path(path)
    if not p.exists():
        raise BackupInvalid(_("No such backup file: %(path)s.") % {"path": path})
    if not p.is_file():
        raise BackupInvalid(_("%(path)s is not a file.") % {"path": path})
    try:
        with tarfile.open(p, mode="r:gz") as tar:
            yield tar
    except BackupInvalid:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeError) as exc:
        raise BackupInvalid(
            _("The backup file is damaged or is not a backup archive (%(detail)s).")
            % {"detail": exc}
        ) from exc


def _hash_stream(fh) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    while chunk := fh.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _drain(tar: tarfile.TarFile) -> None:
    """Read the compressed stream to its end: tarfile stops quietly at a damaged
    header, and only the end of the stream checks the gzip CRC."""
    while tar.fileobj.read(_CHUNK):
        pass


def _mismatch(name: str, what: str) -> BackupInvalid:
    return BackupInvalid(
        _("Checksum mismatch in the backup: %(n)s (%(what)s). The file was altered or damaged.")
        % {"n": name, "what": what}
    )


def _compare(manifest: dict[str, Any], seen: dict[str, tuple[str, int]]) -> None:
    listed = {f["name"]: f for f in manifest["files"]}
    for name, entry in listed.items():
        if name not in seen:
            raise BackupInvalid(_("The backup is incomplete: %(n)s is missing.") % {"n": name})
        digest, size = seen[name]
        if size != entry["size"]:
            raise _mismatch(name, _("size %(a)s, expected %(b)s") % {"a": size, "b": entry["size"]})
        if digest != entry["sha256"]:
            raise _mismatch(name, _("SHA-256 differs"))
    extra = sorted(set(seen) - set(listed))
    if extra:
        raise BackupInvalid(
            _("The backup contains files its manifest does not list: %(n)s.")
            % {"n": ", ".join(extra[:5])}
        )


def backup_verify(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Check the archive completely; return its manifest or raise BackupInvalid."""
    seen: dict[str, tuple[str, int]] = {}
    manifest: dict[str, Any] | None = None
    with _open_archive(path) as tar:
        for m in tar:
            _check_member(m)
            if m.isdir():
                continue
            if m.name in seen or (m.name == MANIFEST and manifest is not None):
                raise BackupInvalid(
                    _("The backup contains %(n)s twice. It was refused.") % {"n": m.name}
                )
            fh = tar.extractfile(m)
            assert fh is not None  # _check_member() admits only files and folders
            if m.name == MANIFEST:
                if m.size > _MAX_MANIFEST:
                    raise BackupInvalid(_("The backup's manifest is malformed."))
                try:
                    manifest = json.loads(fh.read().decode("utf-8"))
                except (ValueError, UnicodeError) as exc:
                    raise BackupInvalid(_("The backup's manifest is malformed.")) from exc
                continue
            seen[m.name] = _hash_stream(fh)
        _drain(tar)
    if manifest is None:
        raise BackupInvalid(
            _(
                "The backup has no manifest.json: it is damaged, incomplete or not a "
                "Back Office backup."
            )
        )
    _check_manifest(manifest)
    _compare(manifest, seen)
    return manifest


# --- restore ----------------------------------------------------------------------


def _stage(path, manifest: dict[str, Any], staging: Path, db_dest: Path) -> dict[str, Path]:
    """Extract the archive's members into ``staging`` (and the database to
    ``db_dest``), checking each against the manifest on the way."""
    listed = {f["name"]: f for f in manifest["files"]}
    seen: dict[str, tuple[str, int]] = {}
    out: dict[str, Path] = {}
    docs_root = (staging / DOCUMENTS).resolve()
    docs_root.mkdir(parents=True)
    with _open_archive(path) as tar:
        for m in tar:
            _check_member(m)
            if m.isdir() or m.name == MANIFEST:
                continue
            if m.name in seen:
                raise BackupInvalid(
                    _("The backup contains %(n)s twice. It was refused.") % {"n": m.name}
                )
            if m.name == manifest["database"]["file"]:
                dest = db_dest
            elif m.name == ANCHOR:
                dest = staging / ANCHOR
            else:
                dest = (staging / m.name).resolve()
                if docs_root not in dest.parents:
                    raise BackupInvalid(
                        _("The backup contains a path leaving its folder: %(n)s. It was refused.")
                        % {"n": m.name}
                    )
                dest.parent.mkdir(parents=True, exist_ok=True)
            src = tar.extractfile(m)
            assert src is not None  # _check_member() admits only files and folders
            digest, size = hashlib.sha256(), 0
            with open(dest, "wb") as fh:
                while chunk := src.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    fh.write(chunk)
            seen[m.name] = (digest.hexdigest(), size)
            if m.name in listed:
                out[m.name] = dest
        _drain(tar)
    _compare(manifest, seen)
    return out


def _check_compatible(manifest: dict[str, Any]) -> None:
    vendor, current = manifest["database"]["vendor"], _vendor()
    if vendor != current:
        raise BackupInvalid(
            _(
                "This backup holds a %(backup)s database but this installation uses "
                "%(current)s; restore it into an installation of the same kind."
            )
            % {"backup": vendor, "current": current}
        )
    from django.db.migrations.loader import MigrationLoader

    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest["database"].get("migrations") or []) - known)
    if unknown:
        raise BackupInvalid(
            _(
                "This backup was made by a newer version of Back Office (unknown "
                "migrations: %(m)s); upgrade before restoring it."
            )
            % {"m": ", ".join(unknown[:5])}
        )
    want = manifest.get("master_key_fingerprint")
    if want and _master_key_fingerprint() != want:
        raise BackupInvalid(
            _(
                "This backup was made with a different master key: its encrypted fields "
                "would be unreadable here. Put the original installation's master_key "
                "file in %(home)s (or set BACKOFFICE_MASTER_KEY) and try again."
            )
            % {"home": config.home()}
        )
    if vendor == "sqlite" and not _is_file_sqlite(_db_settings()["NAME"]):
        raise BackupInvalid(_("Cannot restore into an in-memory database."))


def _audit_head() -> dict[str, Any] | None:
    try:
        from backoffice.core.models import AuditEvent

        last = AuditEvent.objects.order_by("-id").values("chain", "seq", "hash").first()
    except DatabaseError:  # an empty database (disaster recovery): no chain yet
        connections.close_all()
        return None
    if not last:
        return None
    return {"head_chain": last["chain"], "head_seq": last["seq"], "head_hash": last["hash"]}


def _replace_sqlite(staged: Path) -> None:
    live = Path(_db_settings()["NAME"])
    check = sqlite3.connect(staged)
    try:
        ok = check.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        ok = str(exc)
    finally:
        check.close()
    if ok != "ok":
        raise BackupInvalid(
            _("The database in the backup is damaged (%(detail)s).") % {"detail": ok}
        )
    connections.close_all()
    if live.exists():
        shutil.copymode(live, staged)
        # Empty the WAL first so nothing of the old database can be replayed
        # onto the new file between the rename and the removal below.
        conn = sqlite3.connect(live, timeout=30)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    os.replace(staged, live)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{live}{suffix}").unlink(missing_ok=True)


def _replace_postgresql(staged: Path) -> None:
    pg_restore = _pg_tool("pg_restore")
    connections.close_all()
    proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={_pg_params()['dbname']}",
            str(staged),
        ],
        env=_pg_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RestoreFailed(
            _("pg_restore failed; the database was left unchanged: %(detail)s")
            % {"detail": proc.stderr.strip()[-500:]}
        )


def _replace_documents(staged: Path) -> None:
    live = config.documents_dir()
    old = Path(tempfile.mkdtemp(dir=live.parent, prefix=f".{live.name}-old-"))
    try:
        os.replace(live, old)
    except OSError:  # a mount point or similar: replace the contents instead
        for child in list(live.iterdir()):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in list(staged.iterdir()):
            shutil.move(str(child), str(live / child.name))
        old.rmdir()
        return
    os.replace(staged, live)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(
    path: str | os.PathLike[str], *, manifest: dict[str, Any] | None = None, actor: Any = None
) -> dict[str, Any]:
    """Replace the database, the documents and the audit anchor with the backup.

    Nothing is replaced unless the whole archive verifies and stages cleanly.
    Returns a summary with the audit chain's state after the restore.
    """
    from backoffice.core.audit import audit_verify, write_anchor

    manifest = _check_manifest(manifest) if manifest is not None else backup_verify(path)
    _check_compatible(manifest)
    home = config.home()
    vendor = manifest["database"]["vendor"]
    db_parent = Path(_db_settings()["NAME"]).parent if vendor == "sqlite" else home
    previous = _audit_head()
    with (
        tempfile.TemporaryDirectory(dir=home, prefix=".restore-") as work,
        tempfile.TemporaryDirectory(dir=db_parent, prefix=".restore-db-") as dbwork,
    ):
        staging = Path(work)
        staged_db = Path(dbwork) / "db"
        staged = _stage(path, manifest, staging, staged_db)
        # From here on the current data is replaced: database first (it can fail
        # cleanly), then the documents and the anchor.
        if vendor == "sqlite":
            _replace_sqlite(staged_db)
        else:
            _replace_postgresql(staged_db)
        _replace_documents(staging / DOCUMENTS)
        anchor = home / ANCHOR
        if ANCHOR in staged:
            os.replace(staged[ANCHOR], anchor)
        else:
            anchor.unlink(missing_ok=True)
    _audit(
        "BACKUP_RESTORED",
        actor=actor,
        before=previous,
        after={
            "file": Path(path).name,
            "created_at": manifest["created_at"],
            "app_version": manifest.get("app_version"),
            "vendor": vendor,
            "files": len(manifest["files"]),
        },
    )
    result = audit_verify()
    if result.ok:
        write_anchor(result.heads)
    return {
        "manifest": manifest,
        "audit_ok": result.ok,
        "audit_events": result.checked,
        "audit_reason": result.reason,
        "audit_first_bad_seq": result.first_bad_seq,
    }


# --- background job ---------------------------------------------------------------


@job_kind("core.backup", permission="core.run_backup", label=gettext_lazy("Backup"))
def backup_job(progress, company, actor, **params) -> dict[str, Any]:
    """Back up the whole installation into BACKOFFICE_HOME/backups/ from the desk."""
    from backoffice.core.exceptions import PermissionDenied
    from backoffice.core.selectors import may_back_up_installation

    if actor is not None and not may_back_up_installation(user=actor):
        raise PermissionDenied(
            _(
                "A backup holds every company's data: only an administrator of all companies "
                "may start one."
            )
        )
    folder = config.home() / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    target = folder / f"backup-{stamp}.tar.gz"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"backup-{stamp}-{n}.tar.gz"

    last = [0.0]

    def report(done: int, total: int, message: str = "") -> None:
        # One UPDATE of the job row per file would be slow with many documents.
        now = time.monotonic()
        if done >= total or now - last[0] >= 0.5:
            last[0] = now
            progress.update(done, total, message)

    manifest = backup_create(target, progress=report, actor=actor)
    return {
        "file": str(target),
        "files": len(manifest["files"]),
        "size": target.stat().st_size,
        "created_at": manifest["created_at"],
    }
