"""Encryption at rest: no plaintext on disk, tampering detected, key rotation."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from django.utils import translation

from backoffice.core.enums import Classification, Role
from backoffice.core.models import AuditEvent
from backoffice.records import selectors
from backoffice.records.models import DocumentVersion, WrappingKey
from backoffice.records.services import keys_rotate
from backoffice.records.storage import DocumentUnreadable
from backoffice.records.tests.conftest import stored_files
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db

CANARY = "CCCD-079123456789 lương 45.000.000 ₫"


@pytest.fixture
def officer(company_a, make_user):
    return person(make_user, company_a, Role.COMPLIANCE_OFFICER)


def _path(records_home, version):
    return records_home / version.storage_name


def test_confidential_and_secret_files_hold_no_plaintext(officer, company_a, records_home):
    for cls in (Classification.CONFIDENTIAL, Classification.SECRET):
        doc = attach(officer, company_a, "x.txt", CANARY, classification=cls)
        version = doc.versions.get()
        raw = _path(records_home, version).read_bytes()
        assert version.encrypted
        assert version.wrapped_key
        assert version.key_id
        assert CANARY.encode() not in raw
        assert b"079123456789" not in raw
        _d, _v, data = selectors.document_open(user=officer, company=company_a,
                                               public_id=doc.public_id)  # fmt: skip
        assert data.decode() == CANARY


def test_public_and_internal_files_are_stored_plain(officer, company_a, records_home):
    doc = attach(officer, company_a, "x.txt", CANARY, classification=Classification.PUBLIC)
    version = doc.versions.get()
    assert not version.encrypted
    assert _path(records_home, version).read_bytes() == CANARY.encode()


def test_a_flipped_byte_fails_with_a_clean_error(officer, company_a, records_home):
    doc = attach(officer, company_a, "x.txt", CANARY, classification=Classification.SECRET)
    path = _path(records_home, doc.versions.get())
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0x01
    path.write_bytes(bytes(raw))
    with pytest.raises(DocumentUnreadable) as exc, translation.override("en"):
        selectors.document_open(user=officer, company=company_a, public_id=doc.public_id)
    assert exc.value.code == "document_unreadable"
    assert "integrity" in exc.value.message


def test_a_tampered_wrapped_key_fails_cleanly(officer, company_a):
    doc = attach(officer, company_a, "x.txt", CANARY, classification=Classification.SECRET)
    version = doc.versions.get()
    other = attach(officer, company_a, "y.txt", "khác", classification=Classification.SECRET)
    # Swapping in another file's (valid) wrapped key is refused too: keys are bound to files.
    DocumentVersion.objects.filter(pk=version.pk).update(
        wrapped_key=other.versions.get().wrapped_key
    )
    with pytest.raises(DocumentUnreadable):
        selectors.document_open(user=officer, company=company_a, public_id=doc.public_id)


def test_rotation_rewraps_the_keys_without_rewriting_files(officer, company_a, records_home):
    docs = [attach(officer, company_a, f"{i}.txt", f"{CANARY} {i}",
                   classification=Classification.CONFIDENTIAL) for i in range(3)]  # fmt: skip
    plain = attach(officer, company_a, "p.txt", "công khai", classification=Classification.PUBLIC)
    before = {v.pk: (v.key_id, v.wrapped_key, _path(records_home, v).read_bytes())
              for v in DocumentVersion.objects.filter(encrypted=True)}  # fmt: skip
    result = keys_rotate(actor="test")
    assert result["rewrapped"] == 3
    assert result["from"] != result["to"]
    for v in DocumentVersion.objects.filter(encrypted=True):
        old_key, old_wrapped, old_bytes = before[v.pk]
        assert v.key_id == result["to"] != old_key
        assert v.wrapped_key != old_wrapped
        assert _path(records_home, v).read_bytes() == old_bytes  # the file is not rewritten
    assert WrappingKey.objects.filter(retired_at__isnull=True).get().key_id == result["to"]
    for i, doc in enumerate(docs):
        _d, _v, data = selectors.document_open(user=officer, company=company_a,
                                               public_id=doc.public_id)  # fmt: skip
        assert data.decode() == f"{CANARY} {i}"
    selectors.document_open(user=officer, company=company_a, public_id=plain.public_id)
    # New uploads use the new key; a second rotation works from there.
    fresh = attach(officer, company_a, "n.txt", "mới", classification=Classification.SECRET)
    assert fresh.versions.get().key_id == result["to"]
    assert keys_rotate(actor="test")["rewrapped"] == 4
    assert AuditEvent.objects.filter(event_type="RECORDS_KEYS_ROTATED").count() == 2


def test_rotate_keys_command(officer, company_a):
    from backoffice.cli import main

    attach(officer, company_a, "x.txt", CANARY, classification=Classification.SECRET)
    result = CliRunner().invoke(main, ["records", "rotate-keys"])
    assert result.exit_code == 0, result.output
    assert "1 data keys re-wrapped" in result.output


def test_changing_the_classification_reseals_the_file(
    officer, company_a, records_home, django_capture_on_commit_callbacks
):
    from backoffice.records.services import document_update

    doc = attach(officer, company_a, "x.txt", CANARY, classification=Classification.INTERNAL)
    old_path = _path(records_home, doc.versions.get())
    with django_capture_on_commit_callbacks(execute=True):
        document_update(actor=officer, document=doc, classification=Classification.SECRET)
    version = doc.versions.get()
    assert version.encrypted
    assert CANARY.encode() not in _path(records_home, version).read_bytes()
    assert not old_path.exists()  # the plain copy is gone
    assert len(stored_files(records_home)) == 1
    _d, _v, data = selectors.document_open(user=officer, company=company_a,
                                           public_id=doc.public_id)  # fmt: skip
    assert data.decode() == CANARY
