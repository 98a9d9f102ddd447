"""Versions: a new upload is a new version; the history stays readable."""

from __future__ import annotations

import pytest

from backoffice.core.enums import Classification, Role
from backoffice.core.exceptions import NotFound, PermissionDenied
from backoffice.core.models import AuditEvent
from backoffice.records import selectors
from backoffice.records.services import document_add_version
from backoffice.records.tests.conftest import upload
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db


def test_new_versions_keep_the_history(company_a, make_user):
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER)
    doc = attach(officer, company_a, "quy-che.txt", "bản 1", classification=Classification.SECRET)
    v2 = document_add_version(
        actor=officer, document=doc, uploaded_file=upload("quy-che-v2.txt", "bản 2")
    )
    v3 = document_add_version(
        actor=officer, document=doc, uploaded_file=upload("quy-che.txt", "bản 3")
    )
    doc.refresh_from_db()
    assert (v2.number, v3.number, doc.current_version) == (2, 3, 3)
    assert [v.number for v in selectors.document_versions(document=doc)] == [3, 2, 1]
    for number, text in ((None, "bản 3"), (1, "bản 1"), (2, "bản 2"), (3, "bản 3")):
        _d, ver, data = selectors.document_open(user=officer, company=company_a,
                                                public_id=doc.public_id, version=number)  # fmt: skip
        assert data.decode() == text
    assert ver.original_name == "quy-che.txt"
    with pytest.raises(NotFound):
        selectors.document_open(user=officer, company=company_a, public_id=doc.public_id, version=4)
    assert AuditEvent.objects.filter(event_type="DOCUMENT_VERSION_ADDED").count() == 2


def test_a_user_who_cannot_see_the_document_cannot_add_a_version(company_a, make_user):
    from backoffice.core.models import Department

    hr = Department.objects.create(company=company_a, code="NS", name="NS")
    manager = person(make_user, company_a, Role.HR_MANAGER, hr)
    doc = attach(manager, company_a, "luong.txt", "lương", classification=Classification.SECRET,
                 department=hr)  # fmt: skip
    it = person(make_user, company_a, Role.IT_OFFICER)
    with pytest.raises(PermissionDenied):
        document_add_version(actor=it, document=doc, uploaded_file=upload("luong.txt", "sửa"))
    doc.refresh_from_db()
    assert doc.current_version == 1
