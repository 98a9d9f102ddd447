"""Every portal page renders for the people it is for, and refuses the others."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from backoffice.core.enums import Role

pytestmark = pytest.mark.django_db

EMPLOYEE_PAGES = ["home", "profile", "profile_edit", "leave", "attendance", "tasks", "documents"]
COLLABORATOR_PAGES = ["home", "profile", "profile_edit", "tasks", "documents", "agreement",
                      "worklogs"]  # fmt: skip


def test_anonymous_is_sent_to_the_portal_login_then_back(client):
    response = client.get(reverse("portal:leave"))
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/?next=/portal/leave/"


def test_portal_login_accepts_an_employee_without_desk_access(client, hr_org, make_user,
                                                               make_employee):  # fmt: skip
    user = make_user(hr_org.company, roles=[Role.EMPLOYEE], email="moi@a.vn", is_staff=False)
    make_employee(hr_org.company, user=user, full_name="Người Mới")
    page = client.get(reverse("portal:login"))
    assert page.status_code == 200
    assert page["Content-Language"] == "vi"
    response = client.post(
        reverse("portal:login") + "?next=/portal/leave/",
        {"username": "moi@a.vn", "password": "Kh0ng-doan-duoc!", "next": "/portal/leave/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/leave/"
    home = client.get(reverse("portal:home"))
    assert home.status_code == 200
    assert "Người Mới" in home.content.decode()
    # The desk stays closed to them.
    assert client.get("/desk/").status_code == 302


def test_wrong_password_is_refused(client, hr_org):
    response = client.post(reverse("portal:login"),
                           {"username": "nv@a.vn", "password": "sai-mat-khau-roi"})  # fmt: skip
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", EMPLOYEE_PAGES)
def test_each_page_renders_for_an_employee(staff_client, hr_org, name):
    response = staff_client.get(reverse(f"portal:{name}"))
    assert response.status_code == 200, name
    body = response.content.decode()
    assert 'name="viewport"' in body
    assert "portal/portal.css" in body
    assert "unfold/js/htmx/htmx.js" in body  # served by us, never a CDN (CSP)
    assert "https://" not in body.split("<main>")[0]


@pytest.mark.parametrize("name", COLLABORATOR_PAGES)
def test_each_page_renders_for_a_collaborator(client, portal_login, hr_org, collaborator, name):
    portal_login(client, collaborator["user"], hr_org.company)
    assert client.get(reverse(f"portal:{name}")).status_code == 200, name


@pytest.mark.parametrize("name", ["leave", "attendance", "team"])
def test_a_collaborator_cannot_open_employee_pages(client, portal_login, hr_org, collaborator,
                                                   name):  # fmt: skip
    portal_login(client, collaborator["user"], hr_org.company)
    assert client.get(reverse(f"portal:{name}")).status_code == 404


@pytest.mark.parametrize("name", ["agreement", "worklogs"])
def test_an_employee_cannot_open_collaborator_pages(staff_client, name):
    assert staff_client.get(reverse(f"portal:{name}")).status_code == 404


def test_collaborator_whose_agreement_ended_is_refused(client, portal_login, hr_org,
                                                       collaborator):  # fmt: skip
    contract = collaborator["contract"]
    contract.start_date = dt.date(2025, 1, 1)
    contract.end_date = dt.date(2025, 6, 30)
    contract.state = "ended"
    contract.save()
    from backoffice.hr.models import WorkLog

    log = WorkLog.objects.create(company=hr_org.company, employee=collaborator["employee"],
                                 contract=contract, date=dt.date(2025, 6, 2),
                                 description="Bản dịch chương 1")  # fmt: skip
    portal_login(client, collaborator["user"], hr_org.company)
    for name in (*COLLABORATOR_PAGES, "payments"):
        response = client.get(reverse(f"portal:{name}"))
        assert response.status_code == 403, name
        assert "Dịch tài liệu" not in response.content.decode()
    # Writes are refused too: no new log, the draft stays a draft.
    response = client.post(reverse("portal:worklogs"),
                           {"date": "2025-06-03", "description": "Sau hạn", "hours": "2"})  # fmt: skip
    assert response.status_code == 403
    assert client.post(reverse("portal:worklog_submit", args=[log.public_id])).status_code == 403
    assert list(WorkLog.objects.filter(employee=collaborator["employee"])) == [log]
    log.refresh_from_db()
    assert log.state == "draft"


def test_agreement_shows_scope_rate_and_dates(client, portal_login, hr_org, collaborator):
    portal_login(client, collaborator["user"], hr_org.company)
    body = client.get(reverse("portal:agreement")).content.decode()
    c = collaborator["contract"]
    assert "Dịch tài liệu kỹ thuật" in body
    assert "250.000 ₫" in body
    assert c.end_date.strftime("%d/%m/%Y") in body


def test_user_without_a_person_record_is_refused(client, portal_login, hr_org):
    portal_login(client, hr_org.hr_officer, hr_org.company)
    assert client.get(reverse("portal:home")).status_code == 403


def test_a_person_who_left_is_refused(staff_client, hr_org):
    hr_org.staff_emp.status = "left"
    hr_org.staff_emp.save()
    assert staff_client.get(reverse("portal:home")).status_code == 403


def test_team_page_only_for_people_who_lead_someone(client, portal_login, hr_org):
    portal_login(client, hr_org.staff, hr_org.company)
    assert client.get(reverse("portal:team")).status_code == 403
    client.logout()
    portal_login(client, hr_org.manager, hr_org.company)
    response = client.get(reverse("portal:team"))
    assert response.status_code == 200
    assert "Nguyễn Thị Lan" in response.content.decode()  # the team calendar


def test_team_calendar_shows_team_leave_not_others(client, portal_login, hr_org, make_employee):
    from backoffice.hr.models import LeaveRequest, LeaveType

    lt = LeaveType.objects.create(company=hr_org.company, code="PN", name="Phép năm",
                                  category="annual", uses_balance=True)  # fmt: skip
    it_person = make_employee(hr_org.company, full_name="Người Phòng IT", department=hr_org.it)
    for emp in (hr_org.staff_emp, it_person):
        LeaveRequest.objects.create(company=hr_org.company, employee=emp, leave_type=lt,
                                    start_date=dt.date(2026, 11, 9), end_date=dt.date(2026, 11, 10),
                                    days=Decimal(2), state="approved")  # fmt: skip
    portal_login(client, hr_org.manager, hr_org.company)
    body = client.get(reverse("portal:team") + "?month=2026-11").content.decode()
    assert "09/11/2026" in body
    assert "Nguyễn Thị Lan" in body
    assert "Người Phòng IT" not in body
    assert "11/2026" in body


def test_home_shows_tasks_and_leave(staff_client, hr_org):
    from backoffice.workflow.models import Task

    Task.objects.create(company=hr_org.company, title="Nộp bản sao CCCD", assignee=hr_org.staff,
                        created_by=hr_org.hr_officer, due_date=dt.date(2026, 12, 1))  # fmt: skip
    body = staff_client.get(reverse("portal:home")).content.decode()
    assert "Nộp bản sao CCCD" in body
    assert "01/12/2026" in body


def test_portal_speaks_english_when_asked(staff_client):
    from django.conf import settings

    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = staff_client.get(reverse("portal:home"))
    assert response["Content-Language"] == "en"
    assert "Tasks due" in response.content.decode()


def test_salary_roles_need_two_factor_in_the_portal_too(client, portal_login, hr_org,
                                                        make_employee, totp_for):  # fmt: skip
    make_employee(hr_org.company, user=hr_org.hr_manager, full_name="Trần Văn Hùng")
    portal_login(client, hr_org.hr_manager, hr_org.company)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/setup/")
    totp_for(hr_org.staff)
    client.logout()
    portal_login(client, hr_org.staff, hr_org.company)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/2fa/verify/")


def test_password_set_link_lets_an_invited_person_choose_a_password(client, hr_org, make_user,
                                                                    make_employee):  # fmt: skip
    from backoffice.portal.views.auth import password_set_url

    user = make_user(hr_org.company, roles=[Role.EMPLOYEE], email="moi2@a.vn", is_staff=False,
                     password=None)  # fmt: skip
    make_employee(hr_org.company, user=user, full_name="Người Được Mời")
    url = password_set_url(None, user)
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert 'name="new_password1"' in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Mat-khau-moi-2026!",
                                      "new_password2": "Mat-khau-moi-2026!"})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == "/portal/login/"
    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026!")


def test_forgot_password_sends_a_portal_link(client, hr_org):
    from django.core import mail

    hr_org.staff.set_unusable_password()  # invited, never set one: still gets a link
    hr_org.staff.save()
    response = client.post(reverse("portal:password_reset"), {"email": "NV@a.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/portal/password/set/" in mail.outbox[0].body
    response = client.post(reverse("portal:password_reset"), {"email": "khong-co@a.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_deactivated_membership_closes_the_portal(client, portal_login, hr_org, collaborator):
    from backoffice.core.models import Membership

    Membership.objects.filter(user=collaborator["user"]).update(is_active=False)
    portal_login(client, collaborator["user"], hr_org.company)
    response = client.get(reverse("portal:agreement"))
    assert response.status_code == 403
    assert "Dịch tài liệu" not in response.content.decode()


def test_leads_someone_agrees_with_the_team_rule(hr_org, make_employee):
    from backoffice.portal.access import Me
    from backoffice.portal.selectors import leads_someone, team_ids

    make_employee(hr_org.company, full_name="Báo Cáo Trực Tiếp", manager=hr_org.staff_emp)
    people = [(hr_org.manager, hr_org.manager_emp), (hr_org.staff, hr_org.staff_emp)]
    other = hr_org.other_manager
    people.append((other, other.employee_records.get()))
    for user, emp in people:
        me = Me(user=user, company=hr_org.company, employee=emp)
        assert leads_someone(me) == bool(team_ids(me)), user.email
    me = Me(user=hr_org.staff, company=hr_org.company, employee=hr_org.staff_emp)
    assert leads_someone(me)  # a direct report makes a line manager


def test_team_calendar_queries_do_not_grow_with_the_team(client, portal_login, hr_org,
                                                         make_employee):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from backoffice.hr.models import LeaveRequest, LeaveType

    lt = LeaveType.objects.create(company=hr_org.company, code="PN", name="Phép năm",
                                  category="annual", uses_balance=True)  # fmt: skip
    portal_login(client, hr_org.manager, hr_org.company)
    url = reverse("portal:team") + "?month=2026-11"

    def add_leave(emp, day):
        LeaveRequest.objects.create(company=hr_org.company, employee=emp, leave_type=lt,
                                    start_date=dt.date(2026, 11, day),
                                    end_date=dt.date(2026, 11, day), days=Decimal(1),
                                    state="approved")  # fmt: skip

    add_leave(hr_org.staff_emp, 9)
    client.get(url)  # warm the caches (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(4):
        emp = make_employee(hr_org.company, full_name=f"Thành viên {i}", department=hr_org.sales,
                            manager=hr_org.manager_emp)  # fmt: skip
        add_leave(emp, 10 + i)
    with CaptureQueriesContext(connection) as five:
        body = client.get(url).content.decode()
    assert "Thành viên 3" in body
    assert len(five) == len(one)
