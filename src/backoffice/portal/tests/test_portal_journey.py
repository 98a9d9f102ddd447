"""The issue's journey at the Django-client level: HR hires an employee with a
portal account, the person sets a password from the invitation e-mail, logs in
to the portal, requests leave; their line manager approves it on the team page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_hire_invite_login_request_leave_manager_approves(
    client, hr_org, portal_login, django_capture_on_commit_callbacks
):
    from backoffice.hr.models import Employee, LeaveRequest, LeaveType
    from backoffice.hr.services.onboarding import employee_hire

    unpaid = LeaveType.objects.create(company=hr_org.company, code="KL", name="Nghỉ không lương",
                                      category="unpaid", paid=False)  # fmt: skip
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        employee_hire(
            actor=hr_org.hr_officer, company=hr_org.company, start_date=today,
            full_name="Phạm Văn Mới", email="moi@a.vn", department=hr_org.sales,
            position=hr_org.dev, manager=hr_org.manager_emp,
        )  # fmt: skip
    emp = Employee.objects.get(full_name="Phạm Văn Mới")
    assert emp.user is not None
    assert not emp.user.is_staff

    # The invitation carries a one-time token the portal's set-password page accepts.
    (invite,) = [m for m in mail.outbox if "moi@a.vn" in m.to]
    uid, token = re.search(r"/password/set/([\w-]+)/([\w-]+)/", invite.body).groups()
    page = client.get(reverse("portal:password_set", args=[uid, token]), follow=True)
    assert 'name="new_password1"' in page.content.decode()
    client.post(page.redirect_chain[-1][0],
                {"new_password1": "Mat-khau-moi-2026!", "new_password2": "Mat-khau-moi-2026!"})  # fmt: skip
    response = client.post(reverse("portal:login"),
                           {"username": "moi@a.vn", "password": "Mat-khau-moi-2026!"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    assert client.get(reverse("portal:home")).status_code == 200

    start = today + dt.timedelta(days=14 - today.weekday())  # a Monday
    response = client.post(reverse("portal:leave"), {
        "leave_type": str(unpaid.public_id), "start_date": start.isoformat(),
        "end_date": start.isoformat(), "reason": "Việc gia đình",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[-3000:]
    req = LeaveRequest.objects.get(employee=emp)
    assert req.state == "pending"
    client.post(reverse("portal:logout"))

    portal_login(client, hr_org.manager, hr_org.company)
    body = client.get(reverse("portal:team")).content.decode()
    assert "Phạm Văn Mới" in body
    assert "Việc gia đình" in body
    approval = re.search(r"/portal/team/approvals/([0-9a-f-]{36})/", body).group(1)
    client.post(reverse("portal:team_decide", args=[approval]), {"decision": "approve"})
    req.refresh_from_db()
    assert req.state == "approved"
