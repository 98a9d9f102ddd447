"""Desk screens: upload, refusal on the form, new version, search, legal hold,
disposal, retention rules, export, and the attachments inline for other apps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin import AdminSite
from django.test import Client, RequestFactory

from backoffice.core.enums import Classification, Role
from backoffice.core.models import AuditEvent, Department
from backoffice.records import selectors, services
from backoffice.records.admin import AttachmentsInline
from backoffice.records.models import DisposalBatch, Document, RetentionRule
from backoffice.records.tests.conftest import PNG, stored_files, upload
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(company_a, make_user):
    return person(make_user, company_a, Role.COMPLIANCE_OFFICER, email="co@x.vn")


@pytest.fixture
def desk(officer, company_a, desk_login):
    return desk_login(Client(), officer, company_a)


def _add_form(**extra):
    data = {"title": "", "classification": "confidential", "doc_type": "contract",
            "department": "", "tags": "hợp đồng, thuê", "document_date": "27/11/2026",
            "_save": "1", "versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"}  # fmt: skip
    data.update(extra)
    return data


def test_upload_from_the_desk(desk, company_a, records_home):
    response = desk.post("/desk/records/document/add/",
                         _add_form(file=upload("thue-nha.txt", "Hợp đồng thuê nhà")))  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = Document.objects.get()
    assert doc.title == "thue-nha.txt"
    assert doc.classification == "confidential"
    assert doc.tag_list == ["hợp đồng", "thuê"]
    assert doc.company == company_a
    assert doc.versions.get().encrypted
    page = desk.get("/desk/records/document/?q=hop+dong+thue").content.decode()
    assert "thue-nha.txt" in page
    assert f"/desk/files/documents/{doc.public_id}/download/" in page


def test_a_refused_upload_shows_the_reason_and_stores_nothing(desk, records_home):
    response = desk.post("/desk/records/document/add/", _add_form(file=upload("a.pdf", PNG)))
    assert response.status_code == 200
    assert (
        "does not match" in response.content.decode() or "không khớp" in response.content.decode()
    )
    assert Document.objects.count() == 0
    assert stored_files(records_home) == []


def test_new_version_from_the_change_page(desk, officer, company_a, records_home):
    doc = attach(officer, company_a, "a.txt", "bản một", classification=Classification.SECRET)
    url = f"/desk/records/document/{doc.pk}/change/"
    page = desk.get(url).content.decode()
    assert "bản một" not in page  # content is never inlined in the page
    data = {"title": doc.title, "classification": "secret", "doc_type": "", "department": "",
            "tags": "", "document_date": doc.document_date.strftime("%d/%m/%Y"), "_save": "1",
            "new_version": upload("a.txt", "bản hai"),
            "versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1",
            "versions-0-id": doc.versions.get().pk, "versions-0-document": doc.pk}  # fmt: skip
    response = desk.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    doc.refresh_from_db()
    assert doc.current_version == 2
    _d, _v, data = selectors.document_open(user=officer, company=company_a, public_id=doc.public_id)
    assert data.decode() == "bản hai"
    assert len(stored_files(records_home)) == 2  # the trial run of the form left nothing


def test_the_desk_cannot_delete_documents(desk, officer, company_a):
    doc = attach(officer, company_a, "a.txt", "x")
    desk.post(f"/desk/records/document/{doc.pk}/delete/", {"post": "yes"})
    assert Document.objects.filter(pk=doc.pk).exists()


def test_export_carries_metadata_only(desk, officer, company_a):
    doc = attach(officer, company_a, "a.txt", "NỘI-DUNG-MẬT", classification=Classification.SECRET)
    from import_export.formats.base_formats import CSV

    from backoffice.records.admin import DocumentAdmin

    fmt = next(i for i, f in enumerate(DocumentAdmin(Document, AdminSite()).get_export_formats())
               if f is CSV)  # fmt: skip
    response = desk.post("/desk/records/document/export/", {"format": str(fmt), "resource": "0"})
    body = response.content.decode()
    assert str(doc.public_id) in body
    assert "NOI-DUNG-MAT" not in body.upper()
    assert "wrapped" not in body
    assert "search" not in body


def test_legal_hold_and_disposal_from_the_desk(desk, officer, company_a, desk_login, make_user):
    services.retention_defaults_install(company=company_a)
    old = dt.date(dt.date.today().year - 12, 1, 1)
    doc = attach(officer, company_a, "pc.txt", "phiếu", doc_type="accounting_voucher",
                 document_date=old)  # fmt: skip
    changelist = "/desk/records/document/"
    assert "pc.txt" in desk.get(changelist + "?retention=due").content.decode()
    desk.post(changelist, {"action": "set_legal_hold", "_selected_action": [doc.pk]})
    doc.refresh_from_db()
    assert doc.legal_hold
    desk.post(changelist, {"action": "propose_disposal", "_selected_action": [doc.pk]})
    assert not DisposalBatch.objects.exists()  # on hold: refused
    desk.post(changelist, {"action": "release_legal_hold", "_selected_action": [doc.pk]})
    desk.post(changelist, {"action": "propose_disposal", "_selected_action": [doc.pk]})
    batch = DisposalBatch.objects.get()
    # The proposer's approval is refused; a second person approves.
    desk.post("/desk/records/disposalbatch/", {"action": "approve", "_selected_action": [batch.pk]})
    batch.refresh_from_db()
    assert batch.status == "pending"
    ops = person(make_user, company_a, Role.OPERATIONS_MANAGER, email="ops@x.vn")
    second = desk_login(Client(), ops, company_a)
    second.post(
        "/desk/records/disposalbatch/", {"action": "approve", "_selected_action": [batch.pk]}
    )
    batch.refresh_from_db()
    assert batch.status == "disposed"
    assert AuditEvent.objects.filter(event_type="DOCUMENT_DISPOSED").count() == 1


def test_retention_rules_are_edited_in_the_desk(desk, company_a):
    response = desk.post("/desk/records/retentionrule/add/", {
        "doc_type": "insurance", "name": "Hồ sơ bảo hiểm", "years": "10",
        "legal_basis": "Quy chế", "is_active": "on", "_save": "1"})  # fmt: skip
    assert response.status_code == 302
    rule = RetentionRule.objects.get(company=company_a, doc_type="insurance")
    assert AuditEvent.objects.filter(event_type="RETENTION_RULE_CREATED",
                                     object_id=str(rule.public_id)).exists()  # fmt: skip


def test_roles_see_the_screens_they_may(company_a, make_user, desk_login):
    accountant = person(make_user, company_a, Role.ACCOUNTANT)
    client = desk_login(Client(), accountant, company_a)
    assert client.get("/desk/records/document/").status_code == 200
    assert client.get("/desk/records/document/add/").status_code == 200
    assert client.get("/desk/records/retentionrule/").status_code == 403
    assert client.get("/desk/records/disposalbatch/").status_code == 403


# --- the attachments inline ----------------------------------------------------------


def _request(user, company):
    request = RequestFactory().get("/")
    request.user, request.company = user, company
    return request


def test_attachments_inline_lists_visible_documents_and_uploads(company_a, make_user, officer):
    hr = Department.objects.create(company=company_a, code="NS", name="NS")
    owner = Department.objects.create(company=company_a, code="KD", name="Kinh doanh")
    attach(officer, company_a, "open.txt", "x", owner=owner)
    attach(officer, company_a, "secret.txt", "x", owner=owner, classification=Classification.SECRET,
           department=hr)  # fmt: skip
    attach(officer, company_a, "elsewhere.txt", "x", owner=hr)
    accountant = person(make_user, company_a, Role.ACCOUNTANT)
    inline = AttachmentsInline(Department, AdminSite())
    request = _request(accountant, company_a)
    FormSet = inline.get_formset(request, owner)
    formset = FormSet(instance=owner, queryset=inline.get_queryset(request))
    assert sorted(f.instance.title for f in formset.initial_forms) == ["open.txt"]
    prefix = formset.prefix
    data = {f"{prefix}-TOTAL_FORMS": "2", f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": formset.initial_forms[0].instance.pk,
            f"{prefix}-0-title": "open.txt", f"{prefix}-0-classification": "internal",
            f"{prefix}-1-title": "Biên nhận", f"{prefix}-1-classification": "internal"}  # fmt: skip
    files = {f"{prefix}-1-upload": upload("bien-nhan.png", PNG)}
    formset = FormSet(data, files, instance=owner, queryset=inline.get_queryset(request))
    assert formset.is_valid(), formset.errors
    formset.save()
    docs = selectors.documents_for_owner(user=accountant, company=company_a, owner=owner)
    assert sorted(d.title for d in docs) == ["Biên nhận", "open.txt"]
    new = Document.objects.get(title="Biên nhận")
    assert new.owner == owner
    assert new.uploaded_by == accountant
