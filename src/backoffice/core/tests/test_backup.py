"""backup_verify refuses anything but an intact archive; restore verifies first."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from backoffice.core.backup import backup_create, backup_job, backup_restore, backup_verify
from backoffice.core.exceptions import BackupInvalid
from backoffice.core.jobs import Progress, registered_kinds

DOC = "documents/2026/hợp-đồng-lao-động.pdf"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private BACKOFFICE_HOME with two documents and an audit anchor."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("BACKOFFICE_HOME", str(home))
    docs = home / "documents"
    (docs / "2026").mkdir(parents=True)
    (docs / "2026" / "hợp-đồng-lao-động.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * 40)
    (docs / "note.txt").write_text("Biên bản bàn giao\n")
    (home / "audit-head").write_text(f"0 {'0' * 64}\n")
    return home


@pytest.fixture
def archive(db, home, company_a, tmp_path) -> Path:
    path = tmp_path / "backup.tar.gz"
    calls = []
    manifest = backup_create(path, progress=lambda d, t, m: calls.append((d, t)))
    assert calls
    assert calls[-1][0] == calls[-1][1] == len(manifest["files"])
    return path


def _members(path: Path) -> list[tuple[tarfile.TarInfo, bytes | None]]:
    with tarfile.open(path, "r:gz") as tar:
        return [(m, tar.extractfile(m).read() if m.isfile() else None) for m in tar.getmembers()]


def _write(path: Path, members) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            info = tarfile.TarInfo(info) if isinstance(info, str) else info
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    return path


def _manifest(members) -> dict:
    return json.loads(next(d for m, d in members if m.name == "manifest.json"))


def _with_manifest(members, manifest: dict):
    data = json.dumps(manifest).encode()
    return [(m, data if m.name == "manifest.json" else d) for m, d in members]


def _refused(path: Path) -> BackupInvalid:
    with pytest.raises(BackupInvalid) as info:
        backup_verify(path)
    assert info.value.code == "backup_invalid"
    assert info.value.message
    return info.value


def test_backup_verifies_and_describes_its_content(archive, home):
    manifest = backup_verify(archive)
    assert manifest["format"] == "backoffice-backup"
    assert manifest["format_version"] == 1
    assert manifest["created_at"]
    assert manifest["app_version"]
    from django.db import connection

    assert manifest["database"]["vendor"] == connection.vendor
    assert "core_company" in manifest["database"]["tables"]
    assert "core.0001_initial" in manifest["database"]["migrations"]
    files = {f["name"]: f for f in manifest["files"]}
    doc = (home / DOC).read_bytes()
    assert files[DOC]["sha256"] == hashlib.sha256(doc).hexdigest()
    assert files[DOC]["size"] == len(doc)
    assert {"documents/note.txt", "audit-head", manifest["database"]["file"]} <= set(files)
    assert manifest["documents"] == 2


def test_backup_does_not_follow_links_out_of_the_documents(db, home, tmp_path):
    secret = tmp_path / "outside.txt"
    secret.write_text("not a document")
    (home / "documents" / "link.txt").symlink_to(secret)
    manifest = backup_create(tmp_path / "b.tar.gz")
    assert "documents/link.txt" not in {f["name"] for f in manifest["files"]}


def test_changed_byte_in_a_document_is_refused(archive, tmp_path):
    members = _members(archive)
    members = [(m, (d[:10] + b"X" + d[11:]) if m.name == DOC else d) for m, d in members]
    err = _refused(_write(tmp_path / "t.tar.gz", members))
    assert DOC in err.message


def test_changed_byte_in_the_database_is_refused(archive, tmp_path):
    members = _members(archive)
    db_name = _manifest(members)["database"]["file"]
    tampered = []
    for m, d in members:
        if m.name == db_name:
            d = d[:-1] + bytes([d[-1] ^ 1])
        tampered.append((m, d))
    _refused(_write(tmp_path / "t.tar.gz", tampered))


def test_changed_byte_in_the_compressed_file_is_refused(archive, tmp_path):
    raw = bytearray(archive.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path = tmp_path / "flipped.tar.gz"
    path.write_bytes(bytes(raw))
    _refused(path)


def test_truncated_archive_is_refused(archive, tmp_path):
    raw = archive.read_bytes()
    path = tmp_path / "short.tar.gz"
    path.write_bytes(raw[: len(raw) * 2 // 3])
    _refused(path)


def test_missing_file_is_refused(archive, tmp_path):
    members = [(m, d) for m, d in _members(archive) if m.name != "documents/note.txt"]
    err = _refused(_write(tmp_path / "t.tar.gz", members))
    assert "documents/note.txt" in err.message


def test_missing_manifest_is_refused(archive, tmp_path):
    members = [(m, d) for m, d in _members(archive) if m.name != "manifest.json"]
    _refused(_write(tmp_path / "t.tar.gz", members))


def test_unlisted_extra_file_is_refused(archive, tmp_path):
    members = [*_members(archive), ("documents/extra.txt", b"smuggled")]
    _refused(_write(tmp_path / "t.tar.gz", members))


@pytest.mark.parametrize(
    "name",
    [
        "documents/../../evil.txt",
        "../evil.txt",
        "/etc/cron.d/evil",
        "documents/./x/../../evil.txt",
        "documents\\..\\evil.txt",
    ],
)
def test_path_traversal_names_are_refused(archive, tmp_path, name):
    """Even when the manifest lists the bad name with the right checksum."""
    members = _members(archive)
    payload = b"* * * * * root rm -rf /\n"
    manifest = _manifest(members)
    manifest["files"].append(
        {
            "name": name,
            "size": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "role": "document",
        }
    )
    members = [*_with_manifest(members, manifest), (name, payload)]
    _refused(_write(tmp_path / "t.tar.gz", members))


@pytest.mark.parametrize("kind", [tarfile.SYMTYPE, tarfile.LNKTYPE])
def test_links_are_refused(archive, tmp_path, kind):
    link = tarfile.TarInfo("documents/passwd")
    link.type = kind
    link.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else "documents/note.txt"
    members = [*_members(archive), (link, None)]
    _refused(_write(tmp_path / "t.tar.gz", members))


def test_not_an_archive_and_missing_file_are_refused(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not a backup\n" * 100)
    _refused(junk)
    _refused(tmp_path / "does-not-exist.tar.gz")


def test_restore_of_a_tampered_archive_changes_nothing(archive, home, tmp_path):
    from backoffice.core.models import Company

    members = _members(archive)
    members = [(m, (d[:5] + b"!" + d[6:]) if m.name == DOC else d) for m, d in members]
    tampered = _write(tmp_path / "t.tar.gz", members)
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    companies = list(Company.objects.values_list("code", flat=True))
    with pytest.raises(BackupInvalid) as info:
        backup_restore(tampered)
    assert info.value.code == "backup_invalid"
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before
    assert list(Company.objects.values_list("code", flat=True)) == companies


def test_restore_with_another_master_key_is_refused_before_anything_changes(db, home, tmp_path):
    (home / "master_key").write_text("the-original-installation-key")
    archive = tmp_path / "b.tar.gz"
    assert backup_create(archive)["master_key_fingerprint"]
    (home / "master_key").write_text("a-new-installation-key")
    before = {p: p.read_bytes() for p in home.rglob("*") if p.is_file()}
    with pytest.raises(BackupInvalid) as info:
        backup_restore(archive)
    assert "master_key" in info.value.message
    assert {p: p.read_bytes() for p in home.rglob("*") if p.is_file()} == before


def test_restore_into_another_database_vendor_is_refused(archive, tmp_path):
    from django.db import connection

    other, other_file = (
        ("postgresql", "database/backoffice.pgdump")
        if connection.vendor == "sqlite"
        else ("sqlite", "database/backoffice.sqlite3")
    )
    members = _members(archive)
    manifest = _manifest(members)
    current_file = manifest["database"]["file"]
    manifest["database"].update(vendor=other, file=other_file)
    for entry in manifest["files"]:
        if entry["name"] == current_file:
            entry["name"] = other_file
    renamed = []
    for m, d in _with_manifest(members, manifest):
        if m.name == current_file:
            m.name = other_file
        renamed.append((m, d))
    path = _write(tmp_path / "other.tar.gz", renamed)
    assert backup_verify(path)["database"]["vendor"] == other
    with pytest.raises(BackupInvalid) as info:
        backup_restore(path)
    assert other in info.value.message


def test_backup_inside_the_documents_folder_is_refused(db, home):
    with pytest.raises(BackupInvalid):
        backup_create(home / "documents" / "b.tar.gz")
    assert not list((home / "documents").glob("*.tar.gz"))


def test_backup_is_a_job_kind_writing_into_home(db, home, company_a):
    assert "core.backup" in registered_kinds()
    result = backup_job(progress=Progress(), company=company_a, actor=None)
    path = Path(result["file"])
    assert path.parent == home / "backups"
    assert path.name.startswith("backup-")
    assert path.name.endswith(".tar.gz")
    assert backup_verify(path)["documents"] == 2


def test_admin_of_one_company_only_cannot_back_up_the_installation(company_a, company_b, make_user):
    from backoffice.core.enums import Role
    from backoffice.core.selectors import may_back_up_installation

    partial = make_user(company_a, roles=[Role.ADMIN])
    both = make_user(company_a, roles=[Role.ADMIN])
    from backoffice.core.models import Membership

    Membership.objects.create(user=both, company=company_b, role=Role.ADMIN)
    assert not may_back_up_installation(user=partial)
    assert may_back_up_installation(user=both)


def test_desk_backup_button_needs_the_admin_role_in_every_company(
    client, company_a, company_b, make_user, desk_login
):
    from backoffice.core.enums import Role
    from backoffice.core.models import Membership

    admin = make_user(company_a, roles=[Role.ADMIN])
    desk_login(client, admin, company_a)
    assert client.get("/desk/core/job/start-backup/").status_code == 403
    Membership.objects.create(user=admin, company=company_b, role=Role.ADMIN)
    page = client.get("/desk/core/job/start-backup/")
    assert page.status_code == 200
    assert 'id="bo-confirm-form"' in page.content.decode()
