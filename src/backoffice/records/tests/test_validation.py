"""Refused uploads: a clear error, and nothing stored (no row, no file)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from backoffice.core.enums import Classification, Role
from backoffice.records.models import Document, DocumentVersion
from backoffice.records.services import document_add_version
from backoffice.records.tests.conftest import (
    PNG,
    docx_bytes,
    pdf_bytes,
    stored_files,
    upload,
    xlsx_bytes,
    zip_bomb_docx,
)
from backoffice.records.tests.helpers import attach, person
from backoffice.records.validation import UploadRefused

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01" + b"\0" * 100
PE = b"MZ\x90\x00\x03" + b"\0" * 100
HTML_AS_TXT = "<!DOCTYPE html><html><script>alert(1)</script></html>"
SVG_AS_PNG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF_HTML_POLYGLOT = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"

REFUSALS = [
    ("program.exe", PE, "type_not_allowed"),
    ("program.pdf", PE, "executable"),
    ("elf.txt", ELF, "executable"),
    ("script.txt", "#!/bin/sh\nrm -rf /\n", "executable"),
    ("page.html", HTML_AS_TXT, "type_not_allowed"),
    ("page.txt", HTML_AS_TXT, "markup"),
    ("image.svg", SVG_AS_PNG, "type_not_allowed"),
    ("image.png", SVG_AS_PNG, "content_mismatch"),
    ("polyglot.pdf", PDF_HTML_POLYGLOT, "markup"),
    ("bomb.docx", zip_bomb_docx(), "zip_bomb"),
    ("scan.pdf", PNG, "content_mismatch"),  # wrong extension
    ("report.docx", xlsx_bytes("x"), "content_mismatch"),
    ("sheet.xlsx", docx_bytes("x"), "content_mismatch"),
    ("../../etc/passwd.txt", "x", "bad_name"),
    ("..\\boot.txt", "x", "bad_name"),
    ("a\x00.pdf", pdf_bytes("x"), "bad_name"),
    ("noextension", "x", "type_not_allowed"),
    ("empty.txt", b"", "empty"),
    ("binary.csv", b"\xff\xfe\x00\x00\x01\x02garbage\x00", "content_mismatch"),
]


@pytest.fixture
def officer(company_a, make_user):
    return person(make_user, company_a, Role.COMPLIANCE_OFFICER)


@pytest.mark.parametrize(("name", "data", "reason"), REFUSALS, ids=[r[0] for r in REFUSALS])
@pytest.mark.parametrize("cls", [Classification.INTERNAL, Classification.SECRET])
def test_refused_uploads_leave_nothing(officer, company_a, records_home, name, data, reason, cls):
    with pytest.raises(UploadRefused) as exc:
        attach(officer, company_a, name, data, classification=cls)
    assert exc.value.extra["reason"] == reason
    assert exc.value.message  # a sentence for the user
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(records_home) == []


@override_settings(BACKOFFICE={"RECORDS_MAX_UPLOAD_MB": 1, "MFA_REQUIRED_PERMISSIONS": []})
def test_oversized_files_are_refused(officer, company_a, records_home):
    with pytest.raises(UploadRefused) as exc:
        attach(officer, company_a, "big.txt", "a" * (1024 * 1024 + 1))
    assert exc.value.extra["reason"] == "too_large"
    assert "1 MB" in exc.value.message
    assert Document.objects.count() == 0
    assert stored_files(records_home) == []
    attach(officer, company_a, "ok.txt", "a" * (1024 * 1024))  # exactly the limit is fine


def test_a_refused_new_version_keeps_the_document_as_it_was(officer, company_a, records_home):
    doc = attach(officer, company_a, "a.txt", "một")
    with pytest.raises(UploadRefused):
        document_add_version(actor=officer, document=doc, uploaded_file=upload("a.exe", PE))
    doc.refresh_from_db()
    assert doc.current_version == 1
    assert doc.versions.count() == 1
    assert len(stored_files(records_home)) == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.pdf", pdf_bytes("Xin chào")),
        ("a.docx", docx_bytes("Xin chào")),
        ("a.xlsx", xlsx_bytes("Xin chào")),
        ("a.png", PNG),
        ("a.JPG", b"\xff\xd8\xff\xe0" + b"\0" * 64),
        ("a.txt", "Xin chào"),
        ("a.csv", "ten,so\nAn,1\n"),
    ],  # fmt: skip
)
def test_accepted_types(officer, company_a, name, data):
    doc = attach(officer, company_a, name, data)
    assert doc.versions.get().original_name == name
