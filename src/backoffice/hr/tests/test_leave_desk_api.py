"""Leave on the desk and through the API: the same scoping (another company,
another department's manager) and the same refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from backoffice.hr.models import LeaveRequest, LeaveType
from backoffice.hr.services import leave

pytestmark = pytest.mark.django_db
BASE = "/api/v1/hr/leave"
D = dt.date


@pytest.fixture
def org(hr_org):
    from backoffice.hr.setup.leave import company_defaults

    company_defaults(company=hr_org.company)
    company_defaults(company=hr_org.other_company)
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 1, 1))
    return hr_org


def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


def _pn(org):
    return LeaveType.objects.get(company=org.company, code="PN")


def test_request_through_the_api_and_manager_approves(org, api_token):
    staff = _api(api_token, org.staff, org.company)
    types = staff.get(f"{BASE}/types").json()["items"]
    pn = next(t for t in types if t["code"] == "PN")
    r = staff.post(f"{BASE}/requests", {"leave_type_id": pn["id"], "start_date": "2026-02-12",
                   "end_date": "2026-02-25", "reason": "Về quê ăn Tết"},
                   content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["days"], body["state"]) == ("5.00", "pending")
    bal = next(b for b in staff.get(f"{BASE}/balances?on=2026-03-01").json() if b["code"] == "PN")
    assert (bal["balance"], bal["pending"], bal["available"]) == ("12.00", "5.00", "7.00")
    # The sales manager approves through the workflow API.
    manager = _api(api_token, org.manager, org.company)
    pending = manager.get("/api/v1/workflow/requests/pending").json()
    assert len(pending) == 1
    r = manager.post(f"/api/v1/workflow/requests/{pending[0]['id']}/decide", {"approve": True},
                     content_type="application/json")  # fmt: skip
    assert r.status_code == 200, r.content
    assert staff.get(f"{BASE}/requests/{body['id']}").json()["state"] == "approved"
    entries = staff.get(f"{BASE}/entries?year=2026").json()["items"]
    assert sorted(e["kind"] for e in entries) == ["accrual", "taken"]
    # Another department's manager: not in the list, 404 on the detail, not an approver.
    other = _api(api_token, org.other_manager, org.company)
    assert other.get(f"{BASE}/requests").json()["count"] == 0
    assert other.get(f"{BASE}/requests/{body['id']}").status_code == 404
    assert other.get("/api/v1/workflow/requests/pending").json() == []


def test_api_refusals(org, api_token):
    staff = _api(api_token, org.staff, org.company)
    pn = str(_pn(org).public_id)
    r = staff.post(f"{BASE}/requests", {"leave_type_id": pn, "start_date": "2026-02-14",
                   "end_date": "2026-02-22"}, content_type="application/json")  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "no_working_days")
    r = staff.post(f"{BASE}/requests", {"leave_type_id": pn, "start_date": "2026-03-02",
                   "end_date": "2026-03-31"}, content_type="application/json")  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "insufficient_balance")
    r = staff.post(f"{BASE}/requests", {"employee_id": str(org.manager_emp.public_id),
                   "leave_type_id": pn, "start_date": "2026-03-02", "end_date": "2026-03-02"},
                   content_type="application/json")  # fmt: skip
    assert r.status_code == 404  # not among the people the staff member may see
    r = staff.post(f"{BASE}/adjustments", {"employee_id": str(org.staff_emp.public_id),
                   "leave_type_id": pn, "year": 2026, "days": "5", "note": "x"},
                   content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    r = staff.post(f"{BASE}/accrue", {"year": 2026}, content_type="application/json")
    assert r.status_code == 403


def test_other_company_sees_nothing_in_the_api(org, api_token):
    req = leave.leave_request_create(actor=org.staff, company=org.company, employee=org.staff_emp,
                                     leave_type=_pn(org), start_date=D(2026, 3, 2),
                                     end_date=D(2026, 3, 2))  # fmt: skip
    outsider = _api(api_token, org.outsider_hr, org.other_company)
    assert outsider.get(f"{BASE}/requests").json()["count"] == 0
    assert outsider.get(f"{BASE}/requests/{req.public_id}").status_code == 404
    assert outsider.post(f"{BASE}/requests/{req.public_id}/cancel", {},
                         content_type="application/json").status_code == 404  # fmt: skip
    assert outsider.get(f"{BASE}/entries").json()["count"] == 0
    codes = {t["code"] for t in outsider.get(f"{BASE}/types").json()["items"]}
    assert codes == {"PN", "OM", "KL", "TS", "KH", "CKH", "TANG"}
    ids = {t["id"] for t in outsider.get(f"{BASE}/types").json()["items"]}
    assert str(_pn(org).public_id) not in ids
    r = outsider.get(f"{BASE}/balances?employee_id={org.staff_emp.public_id}")
    assert r.status_code == 404


def test_hr_adjusts_and_accrues_through_the_api(org, api_token):
    hr = _api(api_token, org.hr_officer, org.company)
    r = hr.post(f"{BASE}/adjustments", {"employee_id": str(org.staff_emp.public_id),
                "leave_type_id": str(_pn(org).public_id), "year": 2026, "days": "2",
                "note": "Thưởng ngày phép"}, content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    assert leave.leave_balance(org.staff_emp, _pn(org), 2026) == 14
    r = hr.post(f"{BASE}/accrue", {"year": 2026}, content_type="application/json")
    assert r.status_code == 200
    assert r.json()["year"] == 2026
    holidays = hr.get(f"{BASE}/holidays?year=2026").json()
    assert {"date": "2026-11-24", "name": "Ngày Văn hóa Việt Nam"} in holidays
    cal = hr.get(f"{BASE}/calendar?month=2026-02").json()
    assert len(cal["rows"]) == 3
    assert len(cal["holidays"]) == 5


# --- desk -----------------------------------------------------------------------------------
def test_desk_calendar_and_lists_are_scoped(org, client, desk_login):
    req = leave.leave_request_create(actor=org.staff, company=org.company, employee=org.staff_emp,
                                     leave_type=_pn(org), start_date=D(2026, 2, 12),
                                     end_date=D(2026, 2, 13))  # fmt: skip
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    desk_login(client, org.manager, org.company)
    r = client.get("/desk/hr/leave/calendar/?month=2026-02")
    assert r.status_code == 200
    assert "Nguyễn Thị Lan" in r.content.decode()
    assert "Giao thừa" in r.content.decode()  # the Tết holidays are listed
    r = client.get("/desk/hr/leaverequest/")
    assert r.status_code == 200
    assert "Nguyễn Thị Lan" in r.content.decode()
    # Another department's manager: not in the calendar, not in the list, no detail.
    other = Client()
    desk_login(other, org.other_manager, org.company)
    r = other.get("/desk/hr/leave/calendar/?month=2026-02")
    assert r.status_code == 200
    assert "Nguyễn Thị Lan" not in r.content.decode()
    r = other.get("/desk/hr/leaverequest/")
    assert "Nguyễn Thị Lan" not in r.content.decode()
    r = other.get(f"/desk/hr/leaverequest/{req.pk}/change/")
    assert r.status_code in (302, 404)
    # Another company's HR: nothing.
    outsider = Client()
    desk_login(outsider, org.outsider_hr, org.other_company)
    assert (
        "Nguyễn Thị Lan"
        not in outsider.get("/desk/hr/leave/calendar/?month=2026-02").content.decode()
    )
    assert outsider.get(f"/desk/hr/leaverequest/{req.pk}/change/").status_code in (302, 404)
    assert outsider.get("/desk/hr/leave/balances/").status_code == 200


def test_desk_request_form_submit_and_approve(org, client, desk_login):
    desk_login(client, org.staff, org.company)
    r = client.post("/desk/hr/leaverequest/add/", {
        "leave_type": _pn(org).pk, "start_date": "02/03/2026", "end_date": "04/03/2026",
        "reason": "Nghỉ ngơi",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:3000]
    req = LeaveRequest.objects.get(employee=org.staff_emp)
    assert req.days == 3
    r = client.post(f"/desk/hr/leaverequest/{req.pk}/change/", {"_wf_op": "submit"})
    req.refresh_from_db()
    assert req.state == "pending"
    manager = Client()
    desk_login(manager, org.manager, org.company)
    manager.post(f"/desk/hr/leaverequest/{req.pk}/change/", {"_wf_op": "approve"})
    req.refresh_from_db()
    assert req.state == "approved"
    assert leave.leave_balance(org.staff_emp, _pn(org), 2026) == 9


def test_desk_balances_page_for_hr_only(org, client, desk_login):
    desk_login(client, org.hr_officer, org.company)
    r = client.get("/desk/hr/leave/balances/")
    assert r.status_code == 200
    assert "Nguyễn Thị Lan" in r.content.decode()
    client.post("/desk/hr/leave/balances/", {
        "op": "adjust", "employee": str(org.staff_emp.public_id),
        "leave_type": str(_pn(org).public_id), "year": "2026", "days": "1", "note": "Bù",
    })  # fmt: skip
    assert leave.leave_balance(org.staff_emp, _pn(org), 2026) == 13
    staff = Client()
    desk_login(staff, org.staff, org.company)
    assert staff.get("/desk/hr/leave/balances/").status_code == 403
    assert staff.get("/desk/hr/leavetype/").status_code == 403


def test_desk_screens_open_for_hr(org, client, desk_login):
    req = leave.leave_request_create(actor=org.staff, company=org.company, employee=org.staff_emp,
                                     leave_type=_pn(org), start_date=D(2026, 12, 1),
                                     end_date=D(2026, 12, 2))  # fmt: skip
    desk_login(client, org.hr_manager, org.company)
    for url in (
        "/desk/hr/leavetype/",
        "/desk/hr/leavetype/add/",
        "/desk/hr/holidayoverride/",
        "/desk/hr/holidayoverride/add/",
        "/desk/hr/leaverequest/",
        "/desk/hr/leaverequest/add/",
        "/desk/hr/leaveentry/",
        f"/desk/hr/leaverequest/{req.pk}/change/",
        "/desk/hr/leave/calendar/",
        "/desk/hr/leave/calendar/?month=bad",
        "/desk/hr/leave/calendar/?month=0001-01",
    ):
        assert client.get(url).status_code == 200, url  # fmt: skip
    body = client.get(f"/desk/hr/leaverequest/{req.pk}/change/").content.decode()
    assert 'id="wf-submit"' in body
    assert 'id="leave-cancel"' in body  # a draft can be cancelled
    r = client.post("/desk/hr/holidayoverride/add/", {"date": "13/02/2026",
                    "name": "Nghỉ bù Tết", "is_day_off": "on"})  # fmt: skip
    assert r.status_code == 302
    from backoffice.hr.services.calendar import day_kind

    assert day_kind(org.company, D(2026, 2, 13)) == "holiday"
    client.post(f"/desk/hr/leaverequest/{req.pk}/change/", {"_wf_op": "cancel"})
    req.refresh_from_db()
    assert req.state == "cancelled"
