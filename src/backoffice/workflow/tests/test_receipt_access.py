"""Receipts of an expense claim: the approving manager (employee role only) sees
and downloads them on the desk and through the API; colleagues and other
companies do not; a secret document attached to the claim stays secret."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from backoffice.core.enums import Classification, Role
from backoffice.core.models import AuditEvent, Membership
from backoffice.records import selectors as records
from backoffice.records.services import document_attach
from backoffice.workflow import services
from backoffice.workflow.tests.conftest import act

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_home")]

DOCS = "/api/v1/records/documents"
CLAIMS = "/api/v1/workflow/expense-claims"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pdf(name="hoa-don.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def claim(org):
    c = services.expense_claim_create(
        actor=org.staff, company=org.company, title="Công tác Đà Nẵng",
        lines=[{"description": "Khách sạn", "amount": 1_200_000}],
    )  # fmt: skip
    receipt = services.expense_receipt_attach(
        actor=org.staff, company=org.company, claim=c, uploaded_file=_pdf(),
        title="Hoá đơn khách sạn Đà Nẵng",
    )  # fmt: skip
    services.expense_claim_submit(actor=org.staff, company=org.company, claim=c)
    c.refresh_from_db()
    c.receipt = receipt
    return c


def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {d["id"] for d in response.json()["items"]}


def _download_url(doc) -> str:
    return reverse("records:document_download", args=[doc.public_id])


def test_the_receipt_is_confidential_and_not_for_the_employee_role_by_itself(org, claim):
    assert claim.receipt.classification == Classification.CONFIDENTIAL
    assert not org.manager.has_perm("records.view_document")
    assert not org.manager.has_perm("workflow.view_expenseclaim")


def test_the_approving_manager_lists_and_downloads_the_receipt_in_the_api(org, claim, api_token):
    doc_id = str(claim.receipt.public_id)
    manager = _api(api_token, org.manager, org.company)
    assert _ids(manager.get(DOCS)) == {doc_id}
    assert _ids(manager.get(DOCS, {"q": "khach san da nang"})) == {doc_id}
    assert manager.get(f"{DOCS}/{doc_id}").json()["title"] == "Hoá đơn khách sạn Đà Nẵng"
    receipts = manager.get(f"{CLAIMS}/{claim.public_id}/receipts")
    assert [r["id"] for r in receipts.json()] == [doc_id]
    before = AuditEvent.objects.filter(event_type="DOCUMENT_READ", actor=org.manager).count()
    r = manager.get(f"{DOCS}/{doc_id}/download")
    assert r.status_code == 200
    assert r.content == PDF
    assert r["Content-Disposition"].startswith("attachment")
    # A confidential read is audited, whoever the rule let in.
    event = AuditEvent.objects.filter(event_type="DOCUMENT_READ", actor=org.manager)
    assert event.count() == before + 1
    assert event.latest("id").object_id == doc_id


def test_the_approving_manager_downloads_the_receipt_on_the_desk(org, claim, desk_login):
    client = desk_login(Client(), org.manager, org.company)
    r = client.get(_download_url(claim.receipt))
    assert r.status_code == 200
    assert r.content == PDF
    assert AuditEvent.objects.filter(
        event_type="DOCUMENT_READ", actor=org.manager, object_id=str(claim.receipt.public_id)
    ).exists()


def test_the_manager_keeps_access_after_deciding(org, claim):
    services.approval_decide(
        actor=org.manager, company=org.company, request=claim.approval, approve=True
    )
    assert list(records.visible_documents(user=org.manager, company=org.company)) == [claim.receipt]


def test_a_colleague_sees_nothing(org, claim, api_token, desk_login):
    doc_id = claim.receipt.public_id
    colleague = _api(api_token, org.other, org.company)
    assert _ids(colleague.get(DOCS)) == set()
    assert _ids(colleague.get(DOCS, {"q": "khach san"})) == set()
    assert colleague.get(f"{DOCS}/{doc_id}").status_code == 404
    assert colleague.get(f"{DOCS}/{doc_id}/download").status_code == 404
    assert colleague.get(f"{CLAIMS}/{claim.public_id}/receipts").status_code == 404
    desk = desk_login(Client(), org.other, org.company)
    assert desk.get(_download_url(claim.receipt)).status_code == 404
    assert not AuditEvent.objects.filter(
        event_type="DOCUMENT_READ", actor=org.other, object_id=str(doc_id)
    ).exists()


def test_another_company_sees_nothing(org, claim, api_token, desk_login, company_b, make_user):
    # Every permission of its own company, none in ours.
    outsider = act(make_user(company_b, roles=[Role.OPERATIONS_MANAGER]), company_b)
    doc_id = claim.receipt.public_id
    client = _api(api_token, outsider, company_b)
    assert _ids(client.get(DOCS)) == set()
    assert _ids(client.get(DOCS, {"q": "khach san"})) == set()
    assert client.get(f"{DOCS}/{doc_id}").status_code == 404
    assert client.get(f"{DOCS}/{doc_id}/download").status_code == 404
    desk = desk_login(Client(), outsider, company_b)
    assert desk.get(_download_url(claim.receipt)).status_code == 404
    assert records.visible_documents(user=outsider, company=company_b).count() == 0


def test_a_secret_document_on_the_claim_stays_hidden_from_the_manager(org, claim, api_token):
    secret = document_attach(
        actor=org.chief, company=org.company, owner=claim, uploaded_file=_pdf("mat.pdf"),
        title="Biên bản mật", classification=Classification.SECRET,
    )  # fmt: skip
    manager = _api(api_token, org.manager, org.company)
    assert _ids(manager.get(DOCS)) == {str(claim.receipt.public_id)}
    assert manager.get(f"{DOCS}/{secret.public_id}").status_code == 404
    assert manager.get(f"{DOCS}/{secret.public_id}/download").status_code == 404
    receipts = manager.get(f"{CLAIMS}/{claim.public_id}/receipts").json()
    assert [r["id"] for r in receipts] == [str(claim.receipt.public_id)]
    # Nor does the claimant see it; its uploader (secret clearance) does.
    assert secret not in records.visible_documents(user=org.staff, company=org.company)
    assert secret in records.visible_documents(user=org.chief, company=org.company)


def test_an_active_delegate_of_an_approver_sees_the_receipt(org, claim, make_user):
    stand_in = act(make_user(org.company, roles=[Role.EMPLOYEE]), org.company)
    assert claim.receipt not in records.visible_documents(user=stand_in, company=org.company)
    today = services.today()
    services.delegation_create(
        actor=org.manager, company=org.company, to_user=stand_in,
        start_date=today, end_date=today + dt.timedelta(days=3),
    )  # fmt: skip
    assert claim.receipt in records.visible_documents(user=stand_in, company=org.company)
    # Once the delegation is over, so is the access.
    from backoffice.workflow.models import Delegation

    Delegation.objects.filter(to_user=stand_in).update(
        start_date=today - dt.timedelta(days=9), end_date=today - dt.timedelta(days=2)
    )
    assert claim.receipt not in records.visible_documents(user=stand_in, company=org.company)


def test_holders_of_the_see_all_claims_permission_see_the_receipt(org, claim, make_user):
    # An accountant of another department: the records department rule alone hides it.
    accountant = act(make_user(org.company, roles=[Role.ACCOUNTANT]), org.company)
    Membership.objects.filter(user=accountant).update(department=org.root)
    act(accountant, org.company)
    assert accountant.has_perm("workflow.view_expenseclaim")
    assert claim.receipt in records.visible_documents(user=accountant, company=org.company)
    # The same role without that workflow permission would not: the HR officer
    # (confidential clearance, same department) does not see it.
    hr = act(make_user(org.company, roles=[Role.HR_OFFICER]), org.company)
    Membership.objects.filter(user=hr).update(department=org.root)
    act(hr, org.company)
    assert claim.receipt not in records.visible_documents(user=hr, company=org.company)


def test_a_withdrawn_claim_is_still_visible_to_its_past_approvers_not_to_others(org, claim):
    services.expense_claim_withdraw(actor=org.staff, company=org.company, claim=claim)
    assert claim.receipt in records.visible_documents(user=org.manager, company=org.company)
    assert claim.receipt not in records.visible_documents(user=org.other, company=org.company)


def test_documents_of_a_purchase_request_follow_the_same_rule(org):
    pr = services.purchase_request_create(
        actor=org.staff, company=org.company, title="Máy in",
        items=[{"description": "Máy in laser", "quantity": 1, "estimated_price": 5_000_000}],
    )  # fmt: skip
    quote = document_attach(
        actor=org.staff, company=org.company, owner=pr, uploaded_file=_pdf("bao-gia.pdf"),
        classification=Classification.CONFIDENTIAL, department=org.sales,
    )  # fmt: skip
    assert quote not in records.visible_documents(user=org.manager, company=org.company)
    services.purchase_request_submit(actor=org.staff, company=org.company, pr=pr)
    assert quote in records.visible_documents(user=org.manager, company=org.company)
    assert quote not in records.visible_documents(user=org.other, company=org.company)


def test_the_desk_approval_page_shows_the_receipt_to_the_manager_only(org, claim, desk_login):
    url = f"/desk/workflow/myapprovalrequest/{claim.approval.pk}/change/"
    manager = desk_login(Client(), org.manager, org.company)
    page = manager.get(url)
    assert page.status_code == 200
    assert "Hoá đơn khách sạn Đà Nẵng" in page.content.decode()
    colleague = desk_login(Client(), org.other, org.company)
    page = colleague.get(url, follow=True)
    assert "Hoá đơn khách sạn Đà Nẵng" not in page.content.decode()
