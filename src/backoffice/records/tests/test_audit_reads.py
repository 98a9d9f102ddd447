"""Reads of confidential and secret documents are audited, on every channel."""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.core.enums import Classification, Role
from backoffice.core.models import AuditEvent
from backoffice.records import selectors
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db


def reads():
    return AuditEvent.objects.filter(event_type="DOCUMENT_READ")


@pytest.fixture
def docs(company_a, make_user):
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER)
    return officer, {
        cls: attach(officer, company_a, f"{cls}.txt", "nội dung", classification=cls)
        for cls in Classification.values
    }


def test_confidential_and_secret_reads_write_an_audit_event(docs, company_a):
    officer, by_class = docs
    for cls, doc in by_class.items():
        before = reads().count()
        selectors.document_open(user=officer, company=company_a, public_id=doc.public_id)
        audited = reads().count() - before
        assert audited == (1 if cls in ("confidential", "secret") else 0), cls
    event = reads().filter(object_id=str(by_class["secret"].public_id)).get()
    assert event.actor == officer
    assert event.company == company_a
    assert event.after == {"version": 1, "classification": "secret"}


def test_desk_and_api_downloads_are_audited_with_the_ip(docs, company_a, desk_login, api_token):
    officer, by_class = docs
    doc = by_class["confidential"]
    client = desk_login(Client(), officer, company_a)
    assert client.get(f"/desk/files/documents/{doc.public_id}/download/",
                      REMOTE_ADDR="10.1.2.3").status_code == 200  # fmt: skip
    token = api_token(officer, company_a)
    response = Client().get(f"/api/v1/records/documents/{doc.public_id}/download",
                            HTTP_AUTHORIZATION=f"Bearer {token}", REMOTE_ADDR="10.1.2.4")  # fmt: skip
    assert response.status_code == 200
    assert sorted(reads().values_list("ip_address", flat=True)) == ["10.1.2.3", "10.1.2.4"]
