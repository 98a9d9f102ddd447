"""A month's payroll in a real browser (issue 6): the payroll officer creates and
computes October's run from the desk and sends it for approval; the HR
manager approves it from "My work"; the officer marks it paid and posts it to
the ledger; the employee logs into the portal on a phone and reads the payslip.

Same setup as the other browser tests (Debian's chromium through Playwright
against ``live_server``). With ``BACKOFFICE_SCREENSHOTS=1`` it refreshes the
payroll screenshots of the user guide, ``docs/user-guide/img/payroll-*.png``
and ``portal-payslip.png`` (any other value is taken as the folder).

The figures are those of tests/scenarios/test_hire_to_ledger.py: 30,000,000
a month, one dependant, 22 of 22 days: net 26,592,500.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Kh0ng-doan-duoc!"
IMG_DIR = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "img"
YEAR, MONTH = 2026, 10


def shot(page, name: str) -> None:
    folder = os.environ.get("BACKOFFICE_SCREENSHOTS")
    if not folder:
        return
    target = IMG_DIR if folder == "1" else Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"{name}.png"), full_page=True)


@pytest.fixture
def world(make_user, totp_for):
    """A company with its books and policies, a payroll officer, an HR manager
    and one employee with a contract, a dependant and October on the clock."""
    from backoffice.accounting.models import FiscalYear
    from backoffice.accounting.services import fiscal_year_create
    from backoffice.core import services
    from backoffice.core.enums import Role
    from backoffice.core.models import Department
    from backoffice.hr.enums import ContractState, ContractType
    from backoffice.hr.models import Contract, Dependant, Employee, JobChange
    from backoffice.hr.services.attendance import attendance_record
    from backoffice.hr.services.calendar import working_days

    company = services.company_create(actor="test", code="HOASEN", name="Công ty TNHH Hoa Sen")
    if not FiscalYear.objects.filter(company=company, start__year=YEAR).exists():
        fiscal_year_create(actor="test", company=company, start=dt.date(YEAR, 1, 1))
    sales = Department.objects.create(company=company, code="KD", name="Phòng Kinh doanh")
    officer = make_user(company, roles=[Role.PAYROLL_OFFICER], email="luong@hoasen.vn",
                        full_name="Vũ Thị Lan")  # fmt: skip
    manager = make_user(company, roles=[Role.HR_MANAGER], email="tpns@hoasen.vn",
                        full_name="Hoàng Văn Nam")  # fmt: skip
    hr = make_user(company, roles=[Role.HR_OFFICER], email="ns@hoasen.vn")
    staff = make_user(company, roles=[Role.EMPLOYEE], email="mai@hoasen.vn",
                      full_name="Trần Thị Mai", is_staff=False)  # fmt: skip
    start = dt.date(2024, 3, 1)
    salary = Decimal(30_000_000)
    emp = Employee.objects.create(
        company=company, code="NV00001", user=staff, full_name="Trần Thị Mai",
        email=staff.email, department=sales, hire_date=start, status="active",
    )  # fmt: skip
    JobChange.objects.create(company=company, employee=emp, kind="hire", effective_date=start,
                             department=sales, salary=salary)  # fmt: skip
    Contract.objects.create(
        company=company, employee=emp, number="HĐLĐ-2024-0001",
        contract_type=ContractType.INDEFINITE, state=ContractState.ACTIVE, department=sales,
        start_date=start, signed_on=start, salary=salary,
    )  # fmt: skip
    Dependant.objects.create(company=company, employee=emp, full_name="Trần Minh Khang",
                             relationship="Con", registered_from=start)  # fmt: skip
    hr.active_company = company
    for day in working_days(company, dt.date(YEAR, MONTH, 1), dt.date(YEAR, MONTH, 31)):
        attendance_record(actor=hr, company=company, employee=emp, date=day,
                          check_in=dt.time(8, 0), check_out=dt.time(17, 0))  # fmt: skip
    return {
        "company": company, "officer": officer, "manager": manager, "staff": staff,
        "keys": {officer.pk: totp_for(officer), manager.pk: totp_for(manager)},
    }  # fmt: skip


def test_officer_runs_manager_approves_employee_reads_payslip(new_page, world, log_in_with_mfa):
    from backoffice.payroll.models import PayrollRun

    company, officer, manager = world["company"], world["officer"], world["manager"]

    # Given the payroll officer on the runs page
    page = new_page()
    log_in_with_mfa(page, officer, world["keys"][officer.pk], PASSWORD)
    page.goto("/desk/payroll/runs/")
    # when they create October's run and compute it
    page.fill("input[name=month]", f"{YEAR}-{MONTH:02d}")
    page.locator("#run-create").click()
    page.wait_for_selector("#run-compute")
    page.locator("#run-compute").click()
    page.wait_for_selector("#run-payslips")
    # then the payslip table shows the person and the net pay
    table = page.locator("#run-payslips").inner_text()
    assert "Trần Thị Mai" in table
    assert "26.592.500" in table
    run = PayrollRun.objects.get(company=company, year=YEAR, month=MONTH)
    assert run.state == "computed"
    shot(page, "payroll-run-computed")
    # and they send it for approval
    page.locator("#run-submit").click()
    page.wait_for_load_state()
    run.refresh_from_db()
    assert run.state == "pending"
    assert page.locator("#run-pay").count() == 0  # nothing to pay before approval

    # When the HR manager opens "My work", the run waits for them; they approve it
    page2 = new_page()
    log_in_with_mfa(page2, manager, world["keys"][manager.pk], PASSWORD)
    page2.goto("/desk/workflow/mytask/overview/")
    page2.locator("a[href*='/myapprovalrequest/'][href$='/change/']").first.click()
    page2.wait_for_selector("#wf-decide-form")
    page2.fill("#wf-comment", "Đã kiểm tra, đồng ý")
    shot(page2, "payroll-approval")
    page2.locator("#wf-approve").click()
    page2.wait_for_selector("#wf-decisions")
    run.refresh_from_db()
    assert run.state == "approved"

    # When the officer marks the run paid on 05/11 and posts it
    page.goto(f"/desk/payroll/runs/{run.public_id}/")
    page.fill("input[name=paid_on]", f"{YEAR}-11-05")
    page.locator("#run-pay").click()
    page.wait_for_selector("#run-post")
    page.locator("#run-post").click()
    page.wait_for_selector("#run-entries")
    # then the run is posted with its two ledger entries
    run.refresh_from_db()
    assert run.state == "posted"
    entries = page.locator("#run-entries").inner_text()
    assert run.accrual_entry.number in entries
    assert run.payment_entry.number in entries
    shot(page, "payroll-run-posted")

    # When the employee logs into the portal on a phone
    staff = world["staff"]
    staff.set_password(PASSWORD)
    staff.save()
    phone = new_page(width=390, height=844)
    phone.goto("/portal/login/")
    phone.fill("input[name=username]", staff.email)
    phone.fill("input[name=password]", PASSWORD)
    phone.locator("form button").first.click()
    phone.wait_for_url(re.compile(r"/portal/$"))
    phone.goto("/portal/payslips/")
    phone.locator("a[href*='/portal/payslips/']").first.click()
    phone.wait_for_load_state()
    # then they read October's payslip with their net pay
    body = phone.locator("body").inner_text()
    assert "26.592.500" in body
    assert "10/2026" in body or "2026-10" in body
    shot(phone, "portal-payslip")
