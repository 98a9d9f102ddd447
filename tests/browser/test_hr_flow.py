"""Hiring to first leave in a real browser (issue 5): HR hires an employee from
the desk, the onboarding tasks appear for IT, the new employee sets a password
from the invitation e-mail, logs into the portal and requests leave, and their
manager approves it from the portal's team page.

Same setup as the other browser tests: Debian's chromium through Playwright
against pytest-django's ``live_server``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kh0ng-doan-duoc!"
NEW_PASSWORD = "Mat-khau-moi-2026"


@pytest.fixture
def company(make_company, make_user):
    from backoffice.core import hooks
    from backoffice.core.enums import Role
    from backoffice.core.models import Department, Membership, Position
    from backoffice.hr.models import Employee

    a = make_company("HRCO", name="Công ty TNHH Hoa Sen")
    # what `company create` installs: leave types, approval policies, checklists ...
    hooks.company_created(company=a, actor=None)
    hr = make_user(a, roles=[Role.HR_OFFICER], email="ns@hoasen.vn", full_name="Lê Thị Nhân Sự")
    it = make_user(a, roles=[Role.IT_OFFICER], email="it@hoasen.vn", full_name="Đỗ Công Nghệ")
    manager = make_user(a, roles=[Role.EMPLOYEE], email="tp@hoasen.vn", full_name="Trần Trưởng")
    sales = Department.objects.create(company=a, code="KD", name="Phòng Kinh doanh",
                                      manager=manager)  # fmt: skip
    Position.objects.create(company=a, code="NVKD", name="Nhân viên kinh doanh",
                            department=sales)  # fmt: skip
    Membership.objects.filter(user=manager).update(department=sales)
    boss = Employee.objects.create(company=a, user=manager, code="NV00001",
                                   full_name="Trần Trưởng", department=sales,
                                   hire_date=dt.date(2019, 4, 1))  # fmt: skip
    return {"a": a, "hr": hr, "it": it, "manager": manager, "sales": sales, "boss": boss}


def shot(page, name: str) -> None:
    """Screenshots for the user guide: BACKOFFICE_SCREENSHOTS=docs/user-guide/img."""
    import os

    folder = os.environ.get("BACKOFFICE_SCREENSHOTS")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def desk_log_in(page, user) -> None:
    page.goto("/desk/login/")
    page.fill("#login-form input[name=username]", user.email)
    page.fill("#login-form input[name=password]", PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/desk/$"))


def portal_log_in(page, email, password) -> None:
    page.goto("/portal/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.locator("form button").first.click()
    page.wait_for_url(re.compile(r"/portal/$"))


def a_working_day(company, after: dt.date) -> dt.date:
    from backoffice.hr.services.calendar import day_kind

    day = after
    while day_kind(company, day) != "working":
        day += dt.timedelta(days=1)
    return day


def test_hire_onboard_portal_leave_and_manager_approves(new_page, company, mailoutbox):
    from backoffice.hr.models import CaseTask, Employee, LeaveRequest

    a, hr, it, manager = company["a"], company["hr"], company["it"], company["manager"]
    start = dt.date.today()

    # Given the HR officer on the desk's hire page
    page = new_page()
    desk_log_in(page, hr)
    page.goto("/desk/hr/hire/")
    # when they enter the person, the department, the manager and the start date
    form = page.locator("#bo-hire-form")
    form.locator("input[name=full_name]").fill("Phạm Minh Châu")
    form.locator("input[name=email]").fill("chau.pham@hoasen.vn")
    form.locator("select[name=department]").select_option(label=str(company["sales"]))
    form.locator("select[name=manager]").select_option(label=str(company["boss"]))
    form.locator("input[name=start_date]").fill(start.isoformat())
    shot(page, "hr-hire")
    form.locator("button[type=submit]").click()

    # then the person exists with an onboarding case whose tasks went to HR and IT
    page.wait_for_load_state()
    assert "Phạm Minh Châu" in page.locator("body").inner_text()
    shot(page, "hr-onboarding-case")
    hired = Employee.objects.get(company=a, full_name="Phạm Minh Châu")
    assert hired.status == "onboarding"
    it_tasks = CaseTask.objects.filter(case__employee=hired, area="it")
    assert it_tasks.exists()
    assert {t.task.assignee_id for t in it_tasks} == {it.pk}

    # When the IT officer opens "My work", the onboarding tasks wait for them
    page_it = new_page()
    desk_log_in(page_it, it)
    page_it.goto("/desk/workflow/mytask/overview/")
    body = page_it.locator("body").inner_text()
    shot(page_it, "hr-it-tasks")
    for case_task in it_tasks:
        assert case_task.task.title in body

    # When the new employee follows the invitation e-mail and chooses a password
    invitation = next(m for m in mailoutbox if "chau.pham@hoasen.vn" in m.to)
    link = re.search(r"https?://\S+?(/portal/password/set/\S+/)", invitation.body).group(1)
    page_emp = new_page(width=390, height=844)  # a phone
    page_emp.goto(link)
    page_emp.fill("input[name=new_password1]", NEW_PASSWORD)
    page_emp.fill("input[name=new_password2]", NEW_PASSWORD)
    page_emp.locator("form button").first.click()
    page_emp.wait_for_load_state()
    # they log into the portal and ask for a day of unpaid leave
    portal_log_in(page_emp, "chau.pham@hoasen.vn", NEW_PASSWORD)
    page_emp.goto("/portal/leave/")
    day = a_working_day(a, start + dt.timedelta(days=7))
    leave_form = page_emp.locator("form", has=page_emp.locator("select[name=leave_type]"))
    leave_form.locator("select[name=leave_type]").select_option(label="Nghỉ không hưởng lương")
    leave_form.locator("input[name=start_date]").fill(day.isoformat())
    leave_form.locator("input[name=end_date]").fill(day.isoformat())
    leave_form.locator("input[name=reason]").fill("Việc gia đình")
    leave_form.locator("button").click()
    page_emp.wait_for_load_state()
    shot(page_emp, "portal-leave")
    request = LeaveRequest.objects.get(employee=hired)
    assert request.state == "pending"
    assert request.days == 1
    assert day.strftime("%d/%m/%Y") in page_emp.locator("body").inner_text()

    # When the manager opens the portal's team page, the request waits for them
    from django.contrib.contenttypes.models import ContentType

    from backoffice.workflow.models import ApprovalRequest

    approval = ApprovalRequest.objects.get(
        subject_type=ContentType.objects.get_for_model(LeaveRequest), subject_id=request.pk
    )
    page_mgr = new_page(width=390, height=844)
    manager.set_password(NEW_PASSWORD)
    manager.save()
    portal_log_in(page_mgr, manager.email, NEW_PASSWORD)
    page_mgr.goto("/portal/team/")
    row = page_mgr.locator(f"#ap-{approval.public_id}")
    assert "Phạm Minh Châu" in row.inner_text()
    shot(page_mgr, "portal-team")
    # and they approve it
    row.locator("button[value=approve]").click()
    page_mgr.wait_for_selector(f"#ap-{approval.public_id} .badge")

    # then the request is approved
    request.refresh_from_db()
    assert request.state == "approved"
