"""The desk: an expense claim from the add form to the approval panel; who may
see and decide what (list, detail, export), and the My work / workload pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backoffice.core.enums import Role
from backoffice.core.models import AuditEvent
from backoffice.workflow import services
from backoffice.workflow.models import ApprovalRequest, DocState, ExpenseClaim

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _login(desk_login, user, company):
    return desk_login(Client(), user, company)


def _claim_post(title, receipt=None):
    data = {
        "title": title,
        "department": "",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-date": "03/11/2026",
        "lines-0-description": "Taxi sân bay",
        "lines-0-category": "transport",
        "lines-0-amount": "350000",
        "lines-0-vat_rate": "",
        "lines-0-vat_amount": "0",
        "lines-0-invoice_number": "",
        "lines-1-date": "04/11/2026",
        "lines-1-description": "Khách sạn",
        "lines-1-category": "travel",
        "lines-1-amount": "1000000",
        "lines-1-vat_rate": "8",
        "lines-1-vat_amount": "0",
        "lines-1-invoice_number": "0001234",
    }
    if receipt is not None:
        data["receipt"] = receipt
    return data


def test_expense_claim_end_to_end_in_the_desk(org, desk_login):
    staff = _login(desk_login, org.staff, org.company)
    receipt = SimpleUploadedFile("hoa-don.pdf", PDF, content_type="application/pdf")
    r = staff.post("/desk/workflow/myexpenseclaim/add/", _claim_post("Công tác Đà Nẵng", receipt))
    assert r.status_code == 302, r.content.decode()[:3000]
    claim = ExpenseClaim.objects.get(title="Công tác Đà Nẵng")
    assert claim.requester == org.staff
    assert claim.department == org.sales
    assert claim.total == Decimal(350_000 + 1_000_000 + 80_000)
    assert [ln.vat_amount for ln in claim.lines.all()] == [Decimal(0), Decimal(80_000)]
    page = staff.get(f"/desk/workflow/myexpenseclaim/{claim.pk}/change/").content.decode()
    assert "wf-submit" in page
    assert "1.430.000 ₫" in page
    from backoffice.records.models import Document

    doc = Document.objects.get(owner_id=str(claim.pk))
    assert doc.doc_type == "receipt"
    assert doc.classification == "confidential"
    assert "EXPENSE_RECEIPT_ATTACHED" in AuditEvent.objects.values_list("event_type", flat=True)

    r = staff.post(f"/desk/workflow/myexpenseclaim/{claim.pk}/change/", {"_wf_op": "submit"})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.state == DocState.SUBMITTED
    # The claim cannot be edited while it waits.
    staff.post(f"/desk/workflow/myexpenseclaim/{claim.pk}/change/", _claim_post("Sửa"))
    claim.refresh_from_db()
    assert claim.title == "Công tác Đà Nẵng"

    req = claim.approval
    # The claimant sees the request but may not decide it.
    page = staff.get(f"/desk/workflow/myapprovalrequest/{req.pk}/change/").content.decode()
    assert "Taxi sân bay" in page
    assert "wf-approve" not in page
    staff.post(f"/desk/workflow/myapprovalrequest/{req.pk}/change/", {"_wf_op": "approve"})
    req.refresh_from_db()
    assert req.state == "pending"
    assert not req.decisions.exists()

    manager = _login(desk_login, org.manager, org.company)
    listing = manager.get("/desk/workflow/myapprovalrequest/").content.decode()
    assert "Công tác Đà Nẵng" in listing
    page = manager.get(f"/desk/workflow/myapprovalrequest/{req.pk}/change/").content.decode()
    assert "wf-approve" in page
    assert "Taxi sân bay" in page
    manager.post(f"/desk/workflow/myapprovalrequest/{req.pk}/change/",
                 {"_wf_op": "approve", "comment": "Đồng ý"})  # fmt: skip
    chief = _login(desk_login, org.chief, org.company)
    # A rejection without a comment changes nothing.
    chief.post(f"/desk/workflow/myapprovalrequest/{req.pk}/change/", {"_wf_op": "reject"})
    req.refresh_from_db()
    assert req.state == "pending"
    chief.post(f"/desk/workflow/myapprovalrequest/{req.pk}/change/",
               {"_wf_op": "reject", "comment": "Thiếu hóa đơn taxi"})  # fmt: skip
    req.refresh_from_db()
    claim.refresh_from_db()
    assert req.state == "rejected"
    assert claim.state == DocState.REJECTED
    assert list(req.decisions.values_list("comment", flat=True)) == ["Đồng ý", "Thiếu hóa đơn taxi"]


def test_other_company_and_roles_cannot_see_or_decide(org, company_b, make_user, desk_login):
    claim = services.expense_claim_create(actor=org.staff, company=org.company,
                                          title="BÍ-MẬT-CLAIM",
                                          lines=[{"description": "x", "amount": 100}])  # fmt: skip
    services.expense_claim_submit(actor=org.staff, company=org.company, claim=claim)
    req = claim.approval
    outsider = make_user(company_b, roles=[Role.OPERATIONS_MANAGER, Role.ACCOUNTANT])
    colleague = org.other  # same company, not involved
    for user, company in ((outsider, company_b), (colleague, org.company)):
        c = _login(desk_login, user, company)
        for url in ("/desk/workflow/myapprovalrequest/", "/desk/workflow/myexpenseclaim/"):
            r = c.get(url)
            assert r.status_code == 200
            assert "BÍ-MẬT-CLAIM" not in r.content.decode()
        for url in (f"/desk/workflow/myapprovalrequest/{req.pk}/change/",
                    f"/desk/workflow/approvalrequest/{req.pk}/change/",
                    f"/desk/workflow/myexpenseclaim/{claim.pk}/change/",
                    f"/desk/workflow/expenseclaim/{claim.pk}/change/"):  # fmt: skip
            r = c.get(url, follow=True)
            assert "BÍ-MẬT-CLAIM" not in r.content.decode(), url
        c.post(f"/desk/workflow/myapprovalrequest/{req.pk}/change/", {"_wf_op": "approve"})
        c.post(f"/desk/workflow/approvalrequest/{req.pk}/change/", {"_wf_op": "approve"})
        r = c.post("/desk/workflow/expenseclaim/export/", {"format": "0", "resource": "0"})
        assert "BÍ-MẬT-CLAIM" not in r.content.decode()
    req.refresh_from_db()
    assert req.state == "pending"
    assert not req.decisions.exists()
    # The operations manager of A oversees every request of A.
    ops = make_user(org.company, roles=[Role.OPERATIONS_MANAGER])
    c = _login(desk_login, ops, org.company)
    assert "BÍ-MẬT-CLAIM" in c.get("/desk/workflow/approvalrequest/").content.decode()
    assert "BÍ-MẬT-CLAIM" in c.get("/desk/workflow/expenseclaim/").content.decode()


def test_my_work_and_workload_pages(org, desk_login):
    services.task_create(actor=org.manager, company=org.company, assignee=org.staff,
                         title="Gọi khách hàng", estimated_hours=Decimal(2),
                         due_date=services.today())  # fmt: skip
    claim = services.expense_claim_create(actor=org.staff, company=org.company, title="Ăn trưa",
                                          lines=[{"description": "x", "amount": 100}])  # fmt: skip
    services.expense_claim_submit(actor=org.staff, company=org.company, claim=claim)
    staff = _login(desk_login, org.staff, org.company)
    page = staff.get("/desk/workflow/mytask/overview/").content.decode()
    assert "Gọi khách hàng" in page
    assert "Ăn trưa" in page
    page = staff.get("/desk/workflow/mytask/workload/").content.decode()
    assert "Nhân Viên" in page
    assert "Giám Đốc" not in page
    manager = _login(desk_login, org.manager, org.company)
    page = manager.get("/desk/workflow/mytask/overview/").content.decode()
    assert "Ăn trưa" in page  # waiting for the manager's decision
    page = manager.get("/desk/workflow/mytask/workload/").content.decode()
    assert "Nhân Viên" in page
    assert "Kinh doanh" in page


def test_policy_editing_is_for_admins(org, make_user, desk_login):
    admin_user = make_user(org.company, roles=[Role.ADMIN])
    c = _login(desk_login, admin_user, org.company)
    policy = org.company.approvalpolicy_set.get(request_type="expense")
    assert c.get(f"/desk/workflow/approvalpolicy/{policy.pk}/change/").status_code == 200
    staff = _login(desk_login, org.staff, org.company)
    assert staff.get(f"/desk/workflow/approvalpolicy/{policy.pk}/change/").status_code in (302, 403)
    assert ApprovalRequest.objects.count() == 0
