"""Desk pages, API and CLI of onboarding and collaborators, and who may see what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from backoffice.core.enums import Role
from backoffice.hr.models import Employee, OnboardingCase, WorkLog
from backoffice.hr.services import collaborators as collab
from backoffice.hr.services import onboarding
from backoffice.hr.tests.conftest import act
from backoffice.hr.tests.test_onboarding_helpers import use_fallbacks

pytestmark = pytest.mark.django_db
API = "/api/v1/hr"
START = dt.date(2026, 12, 7)
AGREEMENT = {"scope": "Thiết kế", "rate": Decimal(500_000), "rate_unit": "deliverable",
             "start_date": dt.date(2026, 11, 2), "end_date": dt.date(2026, 12, 31)}  # fmt: skip


@pytest.fixture(autouse=True)
def _fallbacks(monkeypatch):
    return use_fallbacks(monkeypatch)


def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


def _hired(org):
    return onboarding.employee_hire(actor=org.hr_officer, company=org.company, start_date=START,
                                    full_name="ALPHA-HIRE Khoa", code="NV09001",
                                    email="khoa@a.vn", department=org.sales)  # fmt: skip


@pytest.fixture
def worklog(hr_org, make_user):
    make_user(hr_org.company, roles=[Role.HR_MANAGER], email="tpns2@a.vn")
    person = collab.collaborator_start(
        actor=hr_org.hr_manager, company=hr_org.company, full_name="Phan Thu Hà",
        email="ha.ctv@gmail.com", code="CTV00001", agreement=AGREEMENT,
    )  # fmt: skip
    user = act(person.user, hr_org.company)
    log = collab.worklog_create(actor=user, company=hr_org.company, employee=person,
                                date=dt.date(2026, 11, 20), description="ALPHA-WORKLOG logo",
                                quantity=2)  # fmt: skip
    return user, person, log


# --- desk ---------------------------------------------------------------------------------------
def test_hire_wizard_creates_the_person_and_shows_the_case(hr_org, desk_login):
    client = desk_login(Client(), hr_org.hr_officer, hr_org.company)
    assert client.get("/desk/hr/hire/").status_code == 200
    r = client.post("/desk/hr/hire/", {
        "full_name": "Lý Văn Bình", "code": "NV09100", "email": "binh@a.vn",
        "department": hr_org.sales.pk, "position": hr_org.dev.pk, "start_date": "2026-12-07",
        "contract_type": "indefinite", "job_level": "college", "salary": "20000000",
        "portal_account": "on",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    emp = Employee.objects.get(code="NV09100")
    case = OnboardingCase.objects.get(employee=emp)
    assert r["Location"] == f"/desk/hr/onboardingcase/{case.pk}/change/"
    page = client.get(r["Location"]).content.decode()
    assert "Lý Văn Bình" in page
    assert "Tạo tài khoản đăng nhập" in page
    assert "04/12/2026" in page
    assert "Lý Văn Bình" in client.get("/desk/hr/onboardingcase/").content.decode()
    # Refused by the service: shown on the form, nothing saved.
    r = client.post("/desk/hr/hire/", {"full_name": "X", "code": "NV09100", "job_level": "college",
                                       "start_date": "2026-12-07"})  # fmt: skip
    assert r.status_code == 200
    assert Employee.objects.filter(code="NV09100").count() == 1


def test_desk_pages_refuse_roles_without_permission_and_other_companies(hr_org, desk_login,
                                                                       worklog):  # fmt: skip
    emp = _hired(hr_org)
    case = OnboardingCase.objects.get(employee=emp)
    for user in (hr_org.it_officer, hr_org.staff, hr_org.accountant):
        c = desk_login(Client(), user, hr_org.company)
        assert c.get("/desk/hr/hire/").status_code == 403
        assert c.get(f"/desk/hr/offboarding/{emp.public_id}/").status_code == 403
        assert c.get("/desk/hr/onboardingcase/").status_code == 403
        assert c.get(f"/desk/hr/onboardingcase/{case.pk}/change/").status_code in (302, 403)
        assert c.get("/desk/hr/worklog/").status_code == 403
    outsider = desk_login(Client(), hr_org.outsider_hr, hr_org.other_company)
    assert "ALPHA-HIRE" not in outsider.get("/desk/hr/onboardingcase/").content.decode()
    assert outsider.get(f"/desk/hr/onboardingcase/{case.pk}/change/").status_code == 302
    assert "ALPHA-WORKLOG" not in outsider.get("/desk/hr/worklog/").content.decode()
    assert outsider.get(f"/desk/hr/offboarding/{emp.public_id}/").status_code == 404
    assert outsider.post(f"/desk/hr/close/{emp.public_id}/").status_code == 404
    assert "Phan Thu Hà" not in outsider.get("/desk/hr/collaborators/").content.decode()


def test_work_log_desk_list_hides_amounts_from_non_salary_roles(hr_org, desk_login, worklog):
    officer = desk_login(Client(), hr_org.hr_officer, hr_org.company).get("/desk/hr/worklog/")
    page = officer.content.decode()
    assert "ALPHA-WORKLOG" in page
    assert "1.000.000" not in page
    manager = desk_login(Client(), hr_org.hr_manager, hr_org.company).get("/desk/hr/worklog/")
    assert "1.000.000" in manager.content.decode()


def test_offboarding_and_close_pages(hr_org, desk_login):
    emp = _hired(hr_org)
    client = desk_login(Client(), hr_org.hr_officer, hr_org.company)
    r = client.post(f"/desk/hr/offboarding/{emp.public_id}/", {"last_day": "2026-12-31",
                                                               "reason": "Chuyển công tác"})  # fmt: skip
    assert r.status_code == 302
    page = client.get(f"/desk/hr/close/{emp.public_id}/").content.decode()
    assert "Thu hồi quyền truy cập và tài khoản" in page
    client.post(f"/desk/hr/close/{emp.public_id}/")
    emp.refresh_from_db()
    assert emp.status == "offboarding"  # refused: revoke tasks open
    from backoffice.workflow.models import Task

    for t in Task.objects.filter(hr_case__case__employee=emp, hr_case__blocks_close=True):
        t.state = "done"
        t.save()
    assert client.post(f"/desk/hr/close/{emp.public_id}/").status_code == 302
    emp.refresh_from_db()
    assert emp.status == "left"


def test_collaborators_page_and_start_form(hr_org, desk_login, worklog):
    client = desk_login(Client(), hr_org.hr_officer, hr_org.company)
    page = client.get("/desk/hr/collaborators/").content.decode()
    assert "Phan Thu Hà" in page
    assert "31/12/2026" in page
    r = client.post("/desk/hr/collaborators/new/", {
        "full_name": "Đinh Công Tuấn", "email": "tuan.ctv@gmail.com", "scope": "Viết bài",
        "rate": "300000", "rate_unit": "deliverable", "start_date": "2026-11-01",
        "end_date": "2027-01-31", "portal_account": "on",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:1500]
    person = Employee.objects.get(full_name="Đinh Công Tuấn")
    assert person.kind == "collaborator"
    assert person.user is not None
    # The list costs the same number of queries for one collaborator as for two.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/desk/hr/collaborators/").content.decode()
        counts.append(len(ctx))
        if _round == 0:
            assert "Đinh Công Tuấn" in page
            assert "31/01/2027" in page
            collab.collaborator_start(actor=hr_org.hr_officer, company=hr_org.company,
                                      full_name="Lý Thứ Ba", portal_account=False, agreement={
                "scope": "Dịch", "rate": Decimal(100000), "rate_unit": "deliverable",
                "start_date": dt.date(2026, 11, 1), "end_date": dt.date(2027, 2, 28)})  # fmt: skip
    assert "Lý Thứ Ba" in page
    assert "28/02/2027" in page
    assert counts[0] == counts[1], counts


# --- API ----------------------------------------------------------------------------------------
def test_api_hire_cases_offboarding_and_close(hr_org, api_token):
    hr = _api(api_token, hr_org.hr_officer, hr_org.company)
    r = hr.post(f"{API}/onboarding/hire", {
        "full_name": "Mai Anh", "code": "NV09200", "email": "maianh@a.vn", "start_date": "2026-12-07",
        "department_id": str(hr_org.sales.public_id),
    }, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["case"]["tasks_total"] == 9
    assert body["case"]["tasks_done"] == 0
    case_id, emp_id = body["case"]["id"], body["employee"]["id"]
    detail = hr.get(f"{API}/onboarding/cases/{case_id}").json()
    it_tasks = [t for t in detail["tasks"] if t["area"] == "it"]
    assert {(t["assignee"], t["due_date"]) for t in it_tasks} == {
        ("it@a.vn", "2026-12-04"), ("it@a.vn", "2026-12-07")}  # fmt: skip
    assert hr.get(f"{API}/onboarding/cases").json()["count"] == 1
    assert len(hr.get(f"{API}/onboarding/templates").json()["items"]) == 4
    r = hr.post(f"{API}/onboarding/people/{emp_id}/offboarding",
                {"last_day": "2026-12-31", "reason": "Thôi việc"},
                content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    r = hr.post(f"{API}/onboarding/people/{emp_id}/close")
    assert (r.status_code, r.json()["code"]) == (409, "revoke_tasks_open")


def test_api_cases_scoped_by_company_and_permission(hr_org, api_token):
    emp = _hired(hr_org)
    case = OnboardingCase.objects.get(employee=emp)
    outsider = _api(api_token, hr_org.outsider_hr, hr_org.other_company)
    assert outsider.get(f"{API}/onboarding/cases").json()["count"] == 0
    assert outsider.get(f"{API}/onboarding/cases/{case.public_id}").status_code == 404
    assert outsider.post(f"{API}/onboarding/cases/{case.public_id}/cancel").status_code == 404
    assert outsider.post(f"{API}/onboarding/people/{emp.public_id}/close").status_code == 404
    it = _api(api_token, hr_org.it_officer, hr_org.company)
    assert it.get(f"{API}/onboarding/cases").status_code == 403
    assert it.get(f"{API}/onboarding/cases/{case.public_id}").status_code == 403
    r = it.post(f"{API}/onboarding/hire", {"full_name": "X", "start_date": "2026-12-07"},
                content_type="application/json")  # fmt: skip
    assert r.status_code == 403


def test_api_work_logs_own_submit_and_scoping(hr_org, api_token, worklog, make_user):
    user, person, log = worklog
    me = _api(api_token, user, hr_org.company)
    r = me.post(f"{API}/worklogs", {"date": "2026-11-21", "description": "Banner", "quantity": 1},
                content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    assert (r.json()["amount"], r.json()["state"]) == ("500000", "draft")
    assert me.get(f"{API}/worklogs").json()["count"] == 2
    r = me.post(f"{API}/worklogs/{log.public_id}/submit")
    assert r.status_code == 200
    assert r.json()["state"] == "submitted"
    assert r.json()["approval_id"]
    officer = _api(api_token, hr_org.hr_officer, hr_org.company).get(f"{API}/worklogs").json()
    assert officer["count"] == 2
    assert {i["amount"] for i in officer["items"]} == {None}
    boss = _api(api_token, hr_org.hr_manager, hr_org.company).get(f"{API}/worklogs").json()
    assert {i["amount"] for i in boss["items"]} == {"1000000", "500000"}
    other = make_user(hr_org.company, roles=[Role.COLLABORATOR], email="ctv2@a.vn")
    for c in (_api(api_token, other, hr_org.company),
              _api(api_token, hr_org.staff, hr_org.company),
              _api(api_token, hr_org.outsider_hr, hr_org.other_company)):  # fmt: skip
        assert c.get(f"{API}/worklogs").json()["count"] == 0
        assert c.get(f"{API}/worklogs/{log.public_id}").status_code == 404
        assert c.post(f"{API}/worklogs/{log.public_id}/withdraw").status_code == 404
        r = c.post(f"{API}/worklogs", {"employee_id": str(person.public_id), "date": "2026-11-21",
                                       "description": "x", "quantity": 1},
                   content_type="application/json")  # fmt: skip
        assert r.status_code in (403, 404)
    assert WorkLog.objects.count() == 2


def test_api_collaborators_and_access(hr_org, api_token, worklog):
    hr = _api(api_token, hr_org.hr_officer, hr_org.company)
    body = hr.get(f"{API}/collaborators").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["has_access"] is True
    assert item["agreement"]["end_date"] == "2026-12-31"
    outsider = _api(api_token, hr_org.outsider_hr, hr_org.other_company)
    assert outsider.get(f"{API}/collaborators").json()["count"] == 0


def test_cli_collaborator_access_and_cases(hr_org, worklog):
    from click.testing import CliRunner

    from backoffice.cli import main

    runner = CliRunner()
    r = runner.invoke(main, ["hr", "collaborator-access", "--on", "2027-01-01",
                             "--format", "json"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert '"closed": 1' in r.output
    r = runner.invoke(main, ["hr", "onboarding-cases", "--company", hr_org.company.code,
                             "--format", "csv"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "CTV00001" in r.output
    r = runner.invoke(main, ["hr", "collaborator-access", "--company", "NOPE"])
    assert r.exit_code != 0


def test_checklist_template_edited_on_the_desk_is_audited(hr_org, desk_login):
    from backoffice.core.models import AuditEvent
    from backoffice.hr.models import ChecklistTemplate

    client = desk_login(Client(), hr_org.hr_officer, hr_org.company)
    r = client.post("/desk/hr/checklisttemplate/add/", {
        "name": "Tiếp nhận kinh doanh", "kind": "onboarding", "department": hr_org.sales.pk,
        "position": "", "is_active": "on",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-order": "1", "items-0-area": "it", "items-0-title": "Cấp tài khoản CRM",
        "items-0-assignee_role": "it_officer", "items-0-due_offset_days": "-2",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    t = ChecklistTemplate.objects.get(name="Tiếp nhận kinh doanh")
    assert t.company == hr_org.company
    assert list(t.items.values_list("title", "due_offset_days")) == [("Cấp tài khoản CRM", -2)]
    ev = AuditEvent.objects.filter(event_type="CHECKLIST_TEMPLATE_CREATED").latest("seq")
    assert ev.after["items"] == [[1, "it", "Cấp tài khoản CRM", "it_officer", -2, False]]
    payroll = desk_login(Client(), hr_org.payroll, hr_org.company)
    assert payroll.get("/desk/hr/checklisttemplate/").status_code == 403
    analyst = desk_login(Client(), hr_org.analyst, hr_org.company)
    assert analyst.get(f"/desk/hr/checklisttemplate/{t.pk}/change/").status_code in (302, 403)
