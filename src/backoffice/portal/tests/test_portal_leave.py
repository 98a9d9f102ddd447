"""Leave from the portal: request + submit through hr.services.leave, the
manager decides on the team page (workflow.services.approval_decide), cancel;
scoping by person and company."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def annual(hr_org):
    from backoffice.hr.models import LeaveEntry, LeaveType

    lt = LeaveType.objects.create(company=hr_org.company, code="PN", name="Phép năm",
                                  category="annual", uses_balance=True)  # fmt: skip
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        LeaveEntry.objects.create(company=hr_org.company, employee=hr_org.staff_emp,
                                  leave_type=lt, year=year, date=dt.date(year, 1, 1),
                                  kind="accrual", days=Decimal(12))  # fmt: skip
    return lt


def _next_monday(weeks: int = 2) -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=(7 - today.weekday()) + 7 * (weeks - 1))


def _request(client, lt, start, end, **extra):
    data = {"leave_type": str(lt.public_id), "start_date": start.strftime("%d/%m/%Y"),
            "end_date": end.isoformat(), "reason": "Về quê", **extra}  # fmt: skip
    return client.post(reverse("portal:leave"), data)


def test_leave_page_shows_balance(staff_client, annual):
    body = staff_client.get(reverse("portal:leave")).content.decode()
    assert "Phép năm" in body
    assert ">12<" in body


def test_request_reaches_the_managers_pending_approvals_and_is_approved(
    client, portal_login, hr_org, annual
):
    from backoffice.hr.models import LeaveEntry, LeaveRequest

    start = _next_monday()
    portal_login(client, hr_org.staff, hr_org.company)
    response = _request(client, annual, start, start + dt.timedelta(days=1))
    assert response.status_code == 302, response.content.decode()[:2000]
    req = LeaveRequest.objects.get(employee=hr_org.staff_emp)
    assert (req.state, req.days) == ("pending", Decimal(2))
    body = client.get(reverse("portal:leave")).content.decode()
    assert start.strftime("%d/%m/%Y") in body
    detail = client.get(reverse("portal:leave_detail", args=[req.public_id]))
    assert detail.status_code == 200
    assert "Hoàng Trưởng Phòng" in detail.content.decode()  # the approver of the step
    client.logout()

    portal_login(client, hr_org.manager, hr_org.company)
    body = client.get(reverse("portal:team")).content.decode()
    assert "Nguyễn Thị Lan" in body
    assert "Về quê" in body
    from backoffice.portal.access import Me
    from backoffice.portal.selectors import team_pending_leave

    me = Me(user=hr_org.manager, company=hr_org.company, employee=hr_org.manager_emp)
    (row,) = team_pending_leave(me)
    url = reverse("portal:team_decide", args=[row["approval"].public_id])
    response = client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.state == "approved"
    taken = LeaveEntry.objects.filter(employee=hr_org.staff_emp, kind="taken")
    assert sum(e.days for e in taken) == Decimal(-2)
    # Decided: it no longer waits, and cannot be decided twice.
    assert client.post(url, {"decision": "approve"}).status_code == 404


def test_reject_needs_a_comment(client, portal_login, hr_org, annual):
    from backoffice.hr.models import LeaveRequest

    start = _next_monday(3)
    portal_login(client, hr_org.staff, hr_org.company)
    _request(client, annual, start, start)
    client.logout()
    portal_login(client, hr_org.manager, hr_org.company)
    from backoffice.portal.access import Me
    from backoffice.portal.selectors import team_pending_leave

    me = Me(user=hr_org.manager, company=hr_org.company, employee=hr_org.manager_emp)
    (row,) = team_pending_leave(me)
    url = reverse("portal:team_decide", args=[row["approval"].public_id])
    response = client.post(url, {"decision": "reject"}, HTTP_HX_REQUEST="true")
    assert "error" in response.content.decode()
    assert LeaveRequest.objects.get().state == "pending"
    client.post(url, {"decision": "reject", "comment": "Dự án gấp"})
    assert LeaveRequest.objects.get().state == "rejected"


def test_another_manager_cannot_decide(client, portal_login, hr_org, annual):
    start = _next_monday()
    portal_login(client, hr_org.staff, hr_org.company)
    _request(client, annual, start, start)
    from backoffice.workflow.models import ApprovalRequest

    approval = ApprovalRequest.objects.get(request_type="leave")
    client.logout()
    portal_login(client, hr_org.other_manager, hr_org.company)
    assert client.get(reverse("portal:team")).status_code == 403  # IT has nobody else
    url = reverse("portal:team_decide", args=[approval.public_id])
    assert client.post(url, {"decision": "approve"}).status_code == 404
    approval.refresh_from_db()
    assert approval.state == "pending"


def test_overlapping_request_is_refused_with_the_reason(staff_client, annual):
    start = _next_monday()
    _request(staff_client, annual, start, start)
    response = _request(staff_client, annual, start, start)
    assert response.status_code == 422
    from backoffice.hr.models import LeaveRequest

    assert LeaveRequest.objects.count() == 1


def test_cancel_a_pending_request(staff_client, hr_org, annual):
    from backoffice.hr.models import LeaveRequest

    start = _next_monday()
    _request(staff_client, annual, start, start)
    req = LeaveRequest.objects.get()
    response = staff_client.post(reverse("portal:leave_cancel", args=[req.public_id]))
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state in ("withdrawn", "cancelled")


def test_another_employees_request_is_not_found(client, portal_login, hr_org, annual):
    from backoffice.hr.models import LeaveRequest

    theirs = LeaveRequest.objects.create(company=hr_org.company, employee=hr_org.manager_emp,
                                         leave_type=annual, start_date=dt.date(2026, 12, 1),
                                         end_date=dt.date(2026, 12, 1), days=1,
                                         state="pending")  # fmt: skip
    portal_login(client, hr_org.staff, hr_org.company)
    assert client.get(reverse("portal:leave_detail", args=[theirs.public_id])).status_code == 404
    assert client.post(reverse("portal:leave_cancel", args=[theirs.public_id])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == "pending"
    assert "01/12/2026" not in client.get(reverse("portal:leave")).content.decode()


def test_another_companys_user_sees_nothing(client, portal_login, hr_org, annual, make_user,
                                            make_employee):  # fmt: skip
    from backoffice.core.enums import Role
    from backoffice.hr.models import LeaveRequest

    mine = LeaveRequest.objects.create(company=hr_org.company, employee=hr_org.staff_emp,
                                       leave_type=annual, start_date=dt.date(2026, 12, 7),
                                       end_date=dt.date(2026, 12, 7), days=1)  # fmt: skip
    b = hr_org.other_company
    user_b = make_user(b, roles=[Role.EMPLOYEE], email="nv@b.vn", is_staff=False)
    make_employee(b, user=user_b, full_name="Nhân Viên Bê")
    portal_login(client, user_b, b)
    assert client.get(reverse("portal:leave_detail", args=[mine.public_id])).status_code == 404
    body = client.get(reverse("portal:leave")).content.decode()
    assert "Phép năm" not in body
    assert "07/12/2026" not in body
    assert client.get(reverse("portal:team")).status_code == 403
    # Asking for company A in the session does not help: no role there.
    from backoffice.core.middleware import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = hr_org.company.pk
    session.save()
    body = client.get(reverse("portal:home")).content.decode()
    assert "Nhân Viên Bê" in body
    assert "Nguyễn Thị Lan" not in body
