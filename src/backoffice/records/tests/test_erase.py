"""Erasing one document at once (a legal duty to delete personal data): the
bytes are gone from disk and cannot be opened, the row stays as an audited
tombstone, a document on legal hold is refused and kept."""

from __future__ import annotations

import pytest

from backoffice.core.enums import Classification, Role
from backoffice.core.exceptions import Conflict, NotFound
from backoffice.core.models import AuditEvent
from backoffice.records import selectors, services
from backoffice.records.models import DocumentStatus
from backoffice.records.retention import document_erase
from backoffice.records.tests.conftest import stored_files
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db(transaction=True)


def test_erase_deletes_the_bytes_and_keeps_an_audited_tombstone(company_a, make_user, records_home):
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER, email="co@x.vn")
    doc = attach(officer, company_a, "cv.txt", "Hồ sơ ứng viên Nguyễn Văn Bình",
                 title="CV", classification=Classification.CONFIDENTIAL)  # fmt: skip
    assert stored_files(records_home)
    document_erase(actor="system", document=doc, reason="consent expired")
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.DISPOSED
    assert doc.search_text == ""
    assert stored_files(records_home) == []
    with pytest.raises(NotFound):
        selectors.document_open(user=officer, company=company_a, public_id=doc.public_id)
    event = AuditEvent.objects.get(event_type="DOCUMENT_ERASED")
    assert event.after["reason"] == "consent expired"
    # erasing again changes nothing and writes nothing
    document_erase(actor="system", document=doc, reason="again")
    assert AuditEvent.objects.filter(event_type="DOCUMENT_ERASED").count() == 1


def test_erase_refuses_a_document_on_legal_hold(company_a, make_user, records_home):
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER, email="co@x.vn")
    doc = attach(officer, company_a, "cv.txt", "Hồ sơ đang tranh chấp", title="CV")
    services.document_set_legal_hold(actor=officer, document=doc, hold=True, reason="Vụ kiện")
    with pytest.raises(Conflict):
        document_erase(actor="system", document=doc, reason="consent expired")
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.ACTIVE
    assert len(stored_files(records_home)) == 1
