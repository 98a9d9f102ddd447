"""Job requisitions: states through the approval engine, refusals that change
nothing, the hire count, the desk pages, the API, the CLI and who sees what."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from django.test import Client

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.recruitment.enums import PostingState, RequisitionState
from backoffice.recruitment.models import JobRequisition
from backoffice.recruitment.services import requisitions as svc

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _new(org, **kw):
    data = dict(
        title="Kế toán tổng hợp", department=org.sales, position=org.dev,
        hiring_manager=org.manager, headcount=1, salary_min=Decimal(10_000_000),
        salary_max=Decimal(15_000_000), justification="Mở rộng phòng kinh doanh",
    )  # fmt: skip
    data.update(kw)
    return svc.requisition_create(actor=org.hr_officer, company=org.company, **data)


def _approval(req):
    return svc.approval_of(req)


def _decide(org, req, approve=True, comment=""):
    from backoffice.workflow.services import approval_decide

    return approval_decide(
        actor=org.hr_manager, company=org.company, request=_approval(req), approve=approve,
        comment=comment,
    )  # fmt: skip


def _events(target):
    from backoffice.core.models import AuditEvent

    return list(
        AuditEvent.objects.filter(object_id=str(target.public_id)).values_list(
            "event_type", flat=True
        )
    )


# --- services -------------------------------------------------------------------------------
def test_create_numbers_and_audits(hr_org):
    a = _new(hr_org)
    b = _new(hr_org, title="Nhân viên kinh doanh")
    assert a.state == RequisitionState.DRAFT
    assert a.number.startswith("YC")
    assert a.number.endswith("/0001")
    assert b.number.endswith("/0002")
    assert a.created_by == hr_org.hr_officer
    assert "RECRUITMENT_REQUISITION_CREATED" in _events(a)


def test_submit_approve_by_hr_manager(hr_org):
    req = _new(hr_org)
    svc.requisition_submit(actor=hr_org.hr_officer, requisition=req)
    req.refresh_from_db()
    assert req.state == RequisitionState.PENDING
    assert req.submitted_at
    approval = _approval(req)
    assert approval.request_type == "recruitment_requisition"
    assert approval.amount == Decimal(15_000_000)
    _decide(hr_org, req)
    req.refresh_from_db()
    assert req.state == RequisitionState.APPROVED
    assert req.approved_at
    assert "RECRUITMENT_REQUISITION_APPROVED" in _events(req)


def test_rejected_then_edited_and_submitted_again(hr_org):
    req = _new(hr_org)
    svc.requisition_submit(actor=hr_org.hr_officer, requisition=req)
    _decide(hr_org, req, approve=False, comment="Chưa có ngân sách")
    req.refresh_from_db()
    assert req.state == RequisitionState.REJECTED
    svc.requisition_update(actor=hr_org.hr_officer, requisition=req, headcount=2)
    svc.requisition_submit(actor=hr_org.hr_officer, requisition=req)
    req.refresh_from_db()
    assert req.state == RequisitionState.PENDING
    assert req.headcount == 2


def test_default_policy_is_created_once(hr_org):
    from backoffice.workflow.models import ApprovalPolicy

    svc.requisition_policy_ensure(company=hr_org.company)
    svc.requisition_policy_ensure(company=hr_org.company)
    policy = ApprovalPolicy.objects.get(company=hr_org.company, request_type=svc.REQUEST_TYPE)
    assert [s.role for s in policy.steps.all()] == ["hr_manager"]


def test_new_company_gets_policy_and_templates(hr_org):
    from backoffice.core import services as core_services
    from backoffice.recruitment.models import EmailTemplate
    from backoffice.workflow.models import ApprovalPolicy

    company = core_services.company_create(actor="cli", code="NEWCO", name="Công ty Mới")
    assert ApprovalPolicy.objects.filter(company=company, request_type=svc.REQUEST_TYPE).exists()
    kinds = set(EmailTemplate.objects.filter(company=company).values_list("kind", "language"))
    for kind in ("confirmation", "rejection", "interview", "offer", "stage"):
        assert (kind, "vi") in kinds
        assert (kind, "en") in kinds


def test_refusals_change_nothing(hr_org):
    req = _new(hr_org)
    before = JobRequisition.objects.filter(pk=req.pk).values().get()
    # no permission
    with pytest.raises(PermissionDenied):
        svc.requisition_update(actor=hr_org.staff, requisition=req, headcount=5)
    with pytest.raises(PermissionDenied):
        svc.requisition_submit(actor=hr_org.analyst, requisition=req)
    with pytest.raises(PermissionDenied):
        svc.requisition_create(actor=hr_org.staff, company=hr_org.company, title="X",
                               department=hr_org.sales)  # fmt: skip
    # invalid data
    with pytest.raises(ValidationFailed):
        svc.requisition_update(actor=hr_org.hr_officer, requisition=req,
                               salary_min=Decimal(20_000_000), salary_max=Decimal(1))  # fmt: skip
    with pytest.raises(ValidationFailed):
        svc.requisition_update(actor=hr_org.hr_officer, requisition=req, headcount=0)
    with pytest.raises(ValidationFailed):
        svc.requisition_update(actor=hr_org.hr_officer, requisition=req, title="  ")
    # another company's department
    from backoffice.core.models import Department

    foreign = Department.objects.create(company=hr_org.other_company, code="X", name="Ngoài")
    with pytest.raises(ValidationFailed):
        svc.requisition_update(actor=hr_org.hr_officer, requisition=req, department=foreign)
    # acting in another company
    with pytest.raises(PermissionDenied):
        svc.requisition_submit(actor=hr_org.outsider_hr, requisition=req)
    assert JobRequisition.objects.filter(pk=req.pk).values().get() == before
    assert _approval(req) is None
    # wrong state
    svc.requisition_submit(actor=hr_org.hr_officer, requisition=req)
    with pytest.raises(Conflict):
        svc.requisition_submit(actor=hr_org.hr_officer, requisition=req)
    with pytest.raises(Conflict):
        svc.requisition_update(actor=hr_org.hr_officer, requisition=req, headcount=3)
    req.refresh_from_db()
    assert req.headcount == 1
    assert req.state == RequisitionState.PENDING


def test_submit_refused_without_approver_changes_nothing(hr_org):
    """The HR manager cannot approve their own requisition: refused, still a draft."""
    req = svc.requisition_create(actor=hr_org.hr_manager, company=hr_org.company,
                                 title="Trưởng nhóm", department=hr_org.sales)  # fmt: skip
    with pytest.raises(ValidationFailed):
        svc.requisition_submit(actor=hr_org.hr_manager, requisition=req)
    req.refresh_from_db()
    assert req.state == RequisitionState.DRAFT
    assert req.submitted_at is None


def test_cancel_pending_withdraws_the_approval(hr_org):
    req = _new(hr_org)
    svc.requisition_submit(actor=hr_org.hr_officer, requisition=req)
    svc.requisition_cancel(actor=hr_org.hr_officer, requisition=req, reason="Đổi kế hoạch")
    req.refresh_from_db()
    assert req.state == RequisitionState.CANCELLED
    assert _approval(req).state == "withdrawn"
    with pytest.raises(Conflict):
        svc.requisition_cancel(actor=hr_org.hr_officer, requisition=req)


def test_cancel_approved_closes_postings(rec):
    svc.requisition_cancel(actor=rec.org.hr_officer, requisition=rec.requisition)
    rec.posting.refresh_from_db()
    assert rec.posting.state == PostingState.CLOSED


def test_hired_counts_and_fills(rec):
    req = svc.requisition_hired(requisition=rec.requisition)
    assert req.hired_count == 1
    assert req.state == RequisitionState.APPROVED
    rec.posting.refresh_from_db()
    assert rec.posting.state == PostingState.PUBLISHED
    req = svc.requisition_hired(requisition=rec.requisition)
    assert req.hired_count == 2
    assert req.state == RequisitionState.FILLED
    rec.posting.refresh_from_db()
    assert rec.posting.state == PostingState.CLOSED
    with pytest.raises(Conflict):
        svc.requisition_hired(requisition=rec.requisition)
    rec.requisition.refresh_from_db()
    assert rec.requisition.hired_count == 2


# --- desk -----------------------------------------------------------------------------------
def test_desk_create_submit_and_create_posting(hr_org, desk_login):
    c = desk_login(Client(), hr_org.hr_officer, hr_org.company)
    resp = c.get("/desk/recruitment/requisitions/new/", **EN)
    assert resp.status_code == 200
    assert b"requisition-form" in resp.content
    resp = c.post("/desk/recruitment/requisitions/new/", {
        "title": "Chuyên viên tuyển dụng", "department": hr_org.sales.pk, "headcount": 1,
        "employment_type": "full_time", "reason": "new_position", "salary_min": "9000000",
        "salary_max": "12000000", "hiring_manager": hr_org.manager.pk,
    }, **EN)  # fmt: skip
    assert resp.status_code == 302
    req = JobRequisition.objects.get(title="Chuyên viên tuyển dụng")
    url = f"/desk/recruitment/requisitions/{req.public_id}/"
    page = c.get(url, **EN).content.decode()
    assert "12.000.000 ₫" in page
    assert "requisition-submit" in page
    c.post(url, {"op": "submit"})
    req.refresh_from_db()
    assert req.state == RequisitionState.PENDING
    _decide(hr_org, req)
    page = c.get(url, **EN).content.decode()
    assert "requisition-create-posting" in page
    assert f"/desk/recruitment/postings/new/?requisition={req.public_id}" in page
    form = c.get(f"/desk/recruitment/postings/new/?requisition={req.public_id}", **EN)
    assert b'value="Chuy\xc3\xaan vi\xc3\xaan tuy\xe1\xbb\x83n d\xe1\xbb\xa5ng"' in form.content
    listing = c.get("/desk/recruitment/requisitions/", **EN).content.decode()
    assert req.number in listing


def test_desk_edit_errors_shown(hr_org, desk_login):
    req = _new(hr_org)
    c = desk_login(Client(), hr_org.hr_officer, hr_org.company)
    url = f"/desk/recruitment/requisitions/{req.public_id}/"
    resp = c.post(url, {"op": "save", "title": "Kế toán", "department": hr_org.sales.pk,
                        "headcount": 1, "employment_type": "full_time", "reason": "new_position",
                        "salary_min": "20000000", "salary_max": "1000000"}, **EN)  # fmt: skip
    assert resp.status_code == 200
    assert b"lowest salary" in resp.content
    req.refresh_from_db()
    assert req.salary_min == Decimal(10_000_000)


def test_desk_access(hr_org, desk_login):
    req = _new(hr_org)
    url = f"/desk/recruitment/requisitions/{req.public_id}/"
    # operations manager sees and manages
    c = desk_login(Client(), hr_org.director, hr_org.company)
    assert c.get(url).status_code == 200
    # a role without permission
    for user in (hr_org.accountant, hr_org.staff, hr_org.analyst):
        c = desk_login(Client(), user, hr_org.company)
        assert c.get("/desk/recruitment/requisitions/").status_code == 403
        resp = c.get(url)
        assert resp.status_code == 404
        assert req.title.encode() not in resp.content
        assert c.post(url, {"op": "submit"}).status_code == 404
        assert c.get("/desk/recruitment/requisitions/new/").status_code == 403
    # the hiring manager sees their own requisition, not the actions
    c = desk_login(Client(), hr_org.manager, hr_org.company)
    page = c.get(url).content.decode()
    assert req.title in page
    assert "requisition-submit" not in page
    # another company
    c = desk_login(Client(), hr_org.outsider_hr, hr_org.other_company)
    assert c.get(url).status_code == 404
    assert req.number not in c.get("/desk/recruitment/requisitions/").content.decode()
    req.refresh_from_db()
    assert req.state == RequisitionState.DRAFT


# --- API ------------------------------------------------------------------------------------
def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}", **EN)


def test_api_flow(hr_org, api_token):
    c = _api(api_token, hr_org.hr_officer, hr_org.company)
    resp = c.post("/api/v1/recruitment/requisitions", json.dumps({
        "title": "Lập trình viên", "department_id": str(hr_org.sales.public_id),
        "hiring_manager_id": str(hr_org.manager.public_id), "headcount": 2,
        "salary_min": 15000000, "salary_max": 25000000, "target_start": "2027-01-04",
    }), content_type="application/json")  # fmt: skip
    assert resp.status_code == 201, resp.content
    body = resp.json()
    rid = body["id"]
    assert body["state"] == "draft"
    assert body["salary_max"] == 25000000
    resp = c.patch(f"/api/v1/recruitment/requisitions/{rid}", json.dumps({"headcount": 3}),
                   content_type="application/json")  # fmt: skip
    assert resp.status_code == 200
    assert resp.json()["headcount"] == 3
    resp = c.patch(f"/api/v1/recruitment/requisitions/{rid}",
                   json.dumps({"salary_min": 30000000}), content_type="application/json")  # fmt: skip
    assert resp.status_code == 422
    assert resp.json()["code"] == "salary_range"
    resp = c.post(f"/api/v1/recruitment/requisitions/{rid}/submit")
    assert resp.status_code == 200
    assert resp.json()["state"] == "pending"
    resp = c.post(f"/api/v1/recruitment/requisitions/{rid}/submit")
    assert resp.status_code == 409
    listing = c.get("/api/v1/recruitment/requisitions?state=pending").json()
    assert [r["id"] for r in listing["items"]] == [rid]
    resp = c.post(f"/api/v1/recruitment/requisitions/{rid}/cancel", json.dumps({"reason": "x"}),
                  content_type="application/json")  # fmt: skip
    assert resp.json()["state"] == "cancelled"


def test_api_access(hr_org, api_token):
    req = _new(hr_org)
    url = f"/api/v1/recruitment/requisitions/{req.public_id}"
    for user, company in ((hr_org.accountant, hr_org.company),
                          (hr_org.outsider_hr, hr_org.other_company)):  # fmt: skip
        c = _api(api_token, user, company)
        assert c.get("/api/v1/recruitment/requisitions").json()["items"] == []
        assert c.get(url).status_code == 404
        assert c.post(f"{url}/submit").status_code == 404
        resp = c.patch(url, json.dumps({"headcount": 9}), content_type="application/json")
        assert resp.status_code == 404
    c = _api(api_token, hr_org.accountant, hr_org.company)
    resp = c.post("/api/v1/recruitment/requisitions", json.dumps({
        "title": "X", "department_id": str(hr_org.sales.public_id)}),
        content_type="application/json")  # fmt: skip
    assert resp.status_code == 403
    req.refresh_from_db()
    assert req.headcount == 1
    assert req.state == RequisitionState.DRAFT
    assert JobRequisition.objects.filter(company=hr_org.company).count() == 1


# --- CLI ------------------------------------------------------------------------------------
def test_cli_requisitions_list(rec):
    from backoffice.cli import main

    _new(rec.org)
    result = CliRunner().invoke(
        main, ["recruitment", "requisitions", "list", "--company", rec.company.code,
               "--state", "approved", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["number"] for r in rows] == [rec.requisition.number]
