"""T15 backup/restore drill (QUALITY.md): the real ``backoffice`` CLI, in
subprocesses, against its own installation: a private BACKOFFICE_HOME and, on
PostgreSQL, a scratch database created for the drill and dropped after it.

migrate -> demo -> documents -> audit verify (anchor) -> backup -> change data
(a new company, a deleted and a new document, the anchor moved on) ->
restore --yes -> per-table row counts and row checksums, document checksums
and the audit chain must match the state the backup was taken in: 0
mismatches. A damaged or tampered file is refused and changes nothing.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.slow

# Variables that would make the child something else than a plain installation.
_SCRUB = (
    "BACKOFFICE_DEBUG",
    "BACKOFFICE_TESTING",
    "BACKOFFICE_MASTER_KEY",
    "DATABASE_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "PYTEST_CURRENT_TEST",
    "PYTEST_XDIST_WORKER",
)
AUDIT = "core_auditevent"


def _server_params() -> dict:
    from django.db import connection

    s = connection.settings_dict
    params = {
        "host": s.get("HOST"),
        "port": s.get("PORT"),
        "user": s.get("USER"),
        "password": s.get("PASSWORD"),
    }
    return {k: str(v) for k, v in params.items() if v}


@dataclass
class Installation:
    home: Path
    env: dict
    vendor: str
    pg_name: str | None = None
    archive: Path | None = None
    timings: dict = field(default_factory=dict)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "backoffice", *args],
            env=self.env,
            cwd=self.home.parent,
            capture_output=True,
            text=True,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
        self.timings[args[0]] = self.timings.get(args[0], 0) + time.monotonic() - started
        return proc

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "backoffice", *args],
            env=self.env,
            cwd=self.home.parent,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )

    def ok(self, *args: str) -> str:
        proc = self.run(*args)
        assert proc.returncode == 0, (
            f"backoffice {' '.join(args)} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
        )
        return proc.stdout

    # --- what the drill compares ------------------------------------------------

    @contextmanager
    def _connect(self):
        if self.vendor == "sqlite":
            conn = sqlite3.connect(self.home / "backoffice.sqlite3")
        else:
            import psycopg

            conn = psycopg.connect(dbname=self.pg_name, **_server_params())
        try:
            yield conn
        finally:
            conn.close()

    def db_state(self) -> dict[str, tuple[int, str]]:
        """table -> (row count, SHA-256 over its rows); the audit log in chain order."""
        state = {}
        with self._connect() as conn:
            if self.vendor == "sqlite":
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type='table' "
                        "AND name NOT LIKE 'sqlite_%'"
                    )
                ]
            else:
                tables = [
                    r[0]
                    for r in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    )
                ]
            for table in sorted(tables):
                state[table] = self._table_state(conn, table)
        return state

    @staticmethod
    def _rows(conn, table: str, order: str = "") -> list[str]:
        rows = conn.execute(f'SELECT * FROM "{table}" {order}').fetchall()
        return [repr(tuple(r)) for r in rows]

    def _table_state(self, conn, table: str) -> tuple[int, str]:
        rows = self._rows(conn, table)
        return len(rows), hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()

    def audit_rows(self) -> tuple[list[str], list[str]]:
        with self._connect() as conn:
            rows = self._rows(conn, AUDIT, "ORDER BY seq")
            types = [r[0] for r in conn.execute(f"SELECT event_type FROM {AUDIT} ORDER BY seq")]
        return rows, types

    def doc_state(self) -> dict[str, str]:
        root = self.home / "documents"
        return {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }

    def anchor(self) -> str | None:
        path = self.home / "audit-head"
        return path.read_text() if path.exists() else None

    def snapshot(self) -> dict:
        return {
            "db": self.db_state(),
            "audit": self.audit_rows(),
            "docs": self.doc_state(),
            "anchor": self.anchor(),
        }

    def backup(self) -> Path:
        if self.archive is None:
            self.archive = self.home.parent / "drill-backup.tar.gz"
            self.ok("backup", str(self.archive))
        return self.archive


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    from django.db import connection

    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        pytest.skip(f"no drill for {vendor}")
    home = tmp_path_factory.mktemp("t15") / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env["BACKOFFICE_HOME"] = str(home)
    inst = Installation(home=home, env=env, vendor=vendor)
    if vendor == "postgresql":
        import psycopg
        from psycopg import sql

        inst.pg_name = f"t15_drill_{uuid.uuid4().hex[:12]}"
        params = _server_params()
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(inst.pg_name)))
        auth = quote(params.get("user", "postgres"), safe="")
        if params.get("password"):
            auth += ":" + quote(params["password"], safe="")
        host = params.get("host", "127.0.0.1")
        host = f"[{host}]" if ":" in host else host
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{host}:{params.get('port', '5432')}/{inst.pg_name}"
        )
    try:
        # --skip-checks: the desk's system checks query tables that migrate creates.
        inst.ok("manage", "migrate", "--skip-checks", "-v0")
        inst.ok("demo", "--employees", "20")
        docs = home / "documents"
        (docs / "hr" / "2026").mkdir(parents=True)
        (docs / "hr" / "2026" / "hợp-đồng-lao-động-NV0001.pdf").write_bytes(
            b"%PDF-1.7\n" + os.urandom(200_000)
        )
        (docs / "bien-ban.txt").write_text("Biên bản bàn giao tài sản\n", encoding="utf-8")
        yield inst
    finally:
        if inst.pg_name:
            import psycopg
            from psycopg import sql

            with psycopg.connect(dbname="postgres", autocommit=True, **_server_params()) as c:
                c.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(inst.pg_name)
                    )
                )


def _manifest(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def _diff(before: dict, after: dict) -> list[str]:
    return [
        f"{key}: {before.get(key)} != {after.get(key)}"
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    ]


def test_t15_backup_restore_drill(installation, capsys):
    inst = installation
    started = time.monotonic()
    docs = inst.home / "documents"
    added = docs / "ke-toan" / "hoa-don-0001.xml"
    added.parent.mkdir(parents=True, exist_ok=True)
    added.write_text("<HDon><MST>0101234567</MST></HDon>\n", encoding="utf-8")
    inst.ok("audit", "verify")  # writes the chain head (anchor) to BACKOFFICE_HOME
    before = inst.snapshot()
    assert before["anchor"]

    archive = inst.backup()
    manifest = _manifest(archive)
    assert manifest["database"]["vendor"] == inst.vendor
    counts = {t: n for t, (n, _digest) in before["db"].items()}
    assert manifest["database"]["tables"] == counts
    in_archive = {
        f["name"].removeprefix("documents/"): f["sha256"]
        for f in manifest["files"]
        if f["name"].startswith("documents/")
    }
    assert in_archive == before["docs"]

    # Life goes on after the backup ...
    inst.ok("company", "create", "--code", "T15-AFTER", "--name", "Công ty Sau Sao Lưu")
    added.unlink()
    (docs / "after-backup.txt").write_text("written after the backup\n")
    inst.ok("audit", "verify")  # the anchor moves past the backed-up chain
    changed = inst.snapshot()
    assert changed["db"] != before["db"]
    assert changed["docs"] != before["docs"]
    assert changed["anchor"] != before["anchor"]

    # ... and the backup brings the installation back.
    out = inst.ok("restore", "--yes", str(archive))
    assert str(archive) in out
    after = inst.snapshot()
    verify = inst.ok("audit", "verify")

    mismatches = _diff(
        {k: v for k, v in before["db"].items() if k != AUDIT},
        {k: v for k, v in after["db"].items() if k != AUDIT},
    )
    rows_before, _types = before["audit"]
    rows_after, types_after = after["audit"]
    if rows_after[: len(rows_before)] != rows_before:
        mismatches.append(f"{AUDIT}: the restored chain differs from the backed-up one")
    if types_after[len(rows_before) :] != ["BACKUP_RESTORED"]:
        mismatches.append(f"{AUDIT}: after the restore: {types_after[len(rows_before) :]}")
    mismatches += [f"document {m}" for m in _diff(before["docs"], after["docs"])]
    assert "audit chain ok" in verify

    rows = sum(n for n, _digest in before["db"].values())
    with capsys.disabled():
        print(
            f"\nT15 backup drill ({inst.vendor}): tables={len(before['db'])} rows={rows} "
            f"documents={len(before['docs'])} archive={archive.stat().st_size // 1024}KiB "
            f"mismatches={len(mismatches)} audit=ok "
            f"backup={inst.timings.get('backup', 0):.1f}s "
            f"restore={inst.timings.get('restore', 0):.1f}s "
            f"drill={time.monotonic() - started:.1f}s"
        )
    assert mismatches == []


def _repack(archive: Path, dest: Path, change) -> Path:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(dest, "w:gz") as out:
        for m in src.getmembers():
            data = change(m.name, src.extractfile(m).read())
            m.size = len(data)
            out.addfile(m, io.BytesIO(data))
    return dest


def test_t15_restore_refuses_a_bad_file_and_changes_nothing(installation, tmp_path):
    inst = installation
    archive = inst.backup()
    before = inst.snapshot()
    raw = archive.read_bytes()
    # Each CLI run costs a Django start-up; the unit tests (core/tests/test_backup.py)
    # cover the other kinds of damage without one.
    bad = {
        "missing": tmp_path / "no-such-backup.tar.gz",
        "truncated": tmp_path / "truncated.tar.gz",
        "checksum-mismatch": tmp_path / "tampered.tar.gz",
    }
    bad["truncated"].write_bytes(raw[: len(raw) // 2])

    def tamper(name: str, data: bytes) -> bytes:
        return data.replace(b"\xc3", b"\xc4", 1) if name.endswith("bien-ban.txt") else data

    _repack(archive, bad["checksum-mismatch"], tamper)

    # The refusals only read: run them side by side.
    procs = {case: inst.start("restore", "--yes", str(path)) for case, path in bad.items()}
    for case, proc in procs.items():
        _out, err = proc.communicate(timeout=180)
        assert proc.returncode != 0, f"{case}: restore exited 0"
        if case == "missing":
            assert proc.returncode == 2
        assert err.startswith("error:"), f"{case}: {err[-2000:]}"
        assert "Traceback" not in err, f"{case}: {err[-2000:]}"
        assert str(bad[case]) in err, case
        if case == "checksum-mismatch":
            assert "bien-ban.txt" in err  # names the altered file

    assert inst.snapshot() == before
