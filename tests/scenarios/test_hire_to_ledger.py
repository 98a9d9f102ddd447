"""Hire to ledger, across the apps (issue 6): HR hires a person and signs the
contract, the time clock records a month, the payroll officer creates,
computes and submits the month's run, the HR manager approves it in the
approval engine, the officer marks it paid and posts it, and the trial balance
shows the salary accounts the law makes us expect.

The figures are computed by hand from VN-RULES.md for October 2026 (tax period
2026, region I, base salary 2,530,000 from 01/07/2026):

  gross (22 of 22 working days)           30,000,000
  employee SI 8 % / HI 1.5 % / UI 1 %      2,400,000 /   450,000 / 300,000  = 3,150,000
  family deduction 15,500,000 + 1 x 6,200,000                              = 21,700,000
  taxable income 30,000,000 - 3,150,000 - 21,700,000                       =  5,150,000
  PIT, first bracket of the 5-bracket scale: 5 % x 5,150,000               =    257,500
  net 30,000,000 - 3,150,000 - 257,500                                     = 26,592,500
  employer SI 17 % + accident fund 0.5 % / HI 3 % / UI 1 %: 5,250,000 / 900,000 / 300,000
  trade-union fund 2 %                                                     =    600,000

Ledger (Circular 99 accounts; UI on 3386):
  334  credit 30,000,000 - 3,150,000 - 257,500 = 26,592,500, then 0 after payment
  3383 credit 2,400,000 + 5,250,000 = 7,650,000
  3384 credit   450,000 +   900,000 = 1,350,000
  3386 credit   300,000 +   300,000 =   600,000
  3382 credit 600,000;  3335 credit 257,500
  expense (6xx) debit 30,000,000 + 6,450,000 + 600,000 = 37,050,000;  bank (112x) credit 26,592,500
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.core.enums import Role

pytestmark = pytest.mark.django_db

YEAR, MONTH = 2026, 10
SALARY = Decimal(30_000_000)


def act(user, company):
    user.active_company = company
    user.__dict__.pop("_company_perm_cache", None)
    return user


@pytest.fixture
def org(make_user):
    from backoffice.accounting.models import FiscalYear
    from backoffice.accounting.services import fiscal_year_create
    from backoffice.core import services
    from backoffice.core.models import Department

    # What `backoffice company create` does: books (Circular 99), approval
    # policies, leave types, checklists, work schedule ...
    company = services.company_create(actor="test", code="SENVANG", name="Công ty TNHH Sen Vàng")
    if not FiscalYear.objects.filter(company=company, start__year=YEAR).exists():
        fiscal_year_create(actor="test", company=company, start=dt.date(YEAR, 1, 1))
    sales = Department.objects.create(company=company, code="KD", name="Phòng Kinh doanh")
    people = {
        "hr": make_user(company, roles=[Role.HR_OFFICER], email="ns@senvang.vn"),
        "payroll": make_user(company, roles=[Role.PAYROLL_OFFICER], email="luong@senvang.vn"),
        "hr_manager": make_user(company, roles=[Role.HR_MANAGER], email="tpns@senvang.vn"),
        "chief": make_user(company, roles=[Role.CHIEF_ACCOUNTANT], email="ktt@senvang.vn"),
    }
    for user in people.values():
        act(user, company)
    return {"company": company, "sales": sales, **people}


def hire(org, *, name: str, email: str, start: dt.date, salary: Decimal, dependants: int = 0):
    """HR: hire, sign an indefinite contract, register dependants, then the time
    clock records every working day from the start to the end of the month."""
    from backoffice.hr.enums import ContractType, EmployeeStatus
    from backoffice.hr.services import contracts, employees
    from backoffice.hr.services.attendance import attendance_record
    from backoffice.hr.services.calendar import working_days
    from backoffice.hr.services.employees_family import dependant_create
    from backoffice.hr.services.onboarding_people import employee_hire

    company, hr = org["company"], org["hr"]
    emp = employee_hire(
        actor=hr, company=company, start_date=start, full_name=name, email=email,
        department=org["sales"], salary=salary,
        contract={"contract_type": ContractType.INDEFINITE, "salary": salary},
    )  # fmt: skip
    contracts.contract_sign(
        actor=hr, company=company, contract=emp.contracts.get(), signed_on=start
    )
    emp = employees.employee_status_set(
        actor=hr, company=company, employee=emp, status=EmployeeStatus.ACTIVE
    )
    for k in range(dependants):
        dependant_create(
            actor=hr, company=company, employee=emp, full_name=f"Con {k + 1}",
            relationship="Con", date_of_birth=dt.date(2019, 3, 8), registered_from=start,
        )  # fmt: skip
    for day in working_days(company, start, dt.date(YEAR, MONTH, 31)):
        attendance_record(
            actor=hr, company=company, employee=emp, date=day,
            check_in=dt.time(8, 0), check_out=dt.time(17, 0),
        )  # fmt: skip
    return emp


def hire_and_work_a_month(org) -> object:
    """Trần Thị Mai: 30,000,000 from 01/10, one dependant, 22 days on the clock."""
    from backoffice.hr.services.calendar import working_days

    assert (
        len(working_days(org["company"], dt.date(YEAR, MONTH, 1), dt.date(YEAR, MONTH, 31))) == 22
    )
    return hire(
        org, name="Trần Thị Mai", email="mai.tran@senvang.vn", start=dt.date(YEAR, MONTH, 1),
        salary=SALARY, dependants=1,
    )  # fmt: skip


def approve_in_the_engine(org, run) -> None:
    from django.contrib.contenttypes.models import ContentType

    from backoffice.payroll.models import PayrollRun
    from backoffice.workflow.models import ApprovalRequest
    from backoffice.workflow.selectors import pending_steps_for
    from backoffice.workflow.services import approval_decide

    request = ApprovalRequest.objects.get(
        company=org["company"],
        subject_type=ContentType.objects.get_for_model(PayrollRun),
        subject_id=run.pk,
    )
    assert request.state == "pending"

    # the request waits in the HR manager's queue, not in the officer's
    def waiting(user):
        return {step.request_id for step in pending_steps_for(user=user, company=org["company"])}

    assert request.pk in waiting(org["hr_manager"])
    assert request.pk not in waiting(org["payroll"])
    approval_decide(
        actor=org["hr_manager"], company=org["company"], request=request, approve=True,
        comment="Đồng ý",
    )  # fmt: skip


def balances(company, on: dt.date) -> dict[str, Decimal]:
    """Closing balance per account code: credit positive, debit negative."""
    from backoffice.accounting.reports import trial_balance

    tb = trial_balance(company=company, date_from=dt.date(YEAR, 1, 1), date_to=on)
    return {
        row.code: row.closing_credit - row.closing_debit
        for row in tb.rows
        if not row.is_total and (row.closing_credit or row.closing_debit)
    }


def test_hire_attendance_run_approval_payment_posting_trial_balance(org):
    from backoffice.payroll.models import PayrollRun
    from backoffice.payroll.services import runs

    company, officer = org["company"], org["payroll"]
    emp = hire_and_work_a_month(org)

    # The payroll officer creates and computes October's run: one payslip, the exact figures.
    run = runs.run_create(actor=officer, company=company, year=YEAR, month=MONTH)
    run = runs.run_compute(actor=officer, run=run) or run
    run.refresh_from_db()
    assert run.state == "computed"
    slip = run.payslips.get()
    assert slip.employee_id == emp.pk
    assert (slip.standard_days, slip.paid_days) == (Decimal(22), Decimal(22))
    from backoffice.payroll.selectors.runs import payslip_data

    result = payslip_data(slip)["result"]
    assert Decimal(result["gross"]) == Decimal("30000000")
    assert {k: Decimal(v) for k, v in result["insurance"].items()} == {
        "social": Decimal("2400000"), "health": Decimal("450000"),
        "unemployment": Decimal("300000"), "total": Decimal("3150000"),
    }  # fmt: skip
    assert Decimal(result["family_deduction"]) == Decimal("21700000")
    assert Decimal(result["taxable_income"]) == Decimal("5150000")
    assert Decimal(result["pit"]) == Decimal("257500")
    assert Decimal(result["net"]) == Decimal("26592500")
    employer = {k: Decimal(v) for k, v in result["employer"].items()}
    assert employer["social"] == Decimal("5250000")
    assert employer["health"] == Decimal("900000")
    assert employer["unemployment"] == Decimal("300000")
    assert employer["union_fund"] == Decimal("600000")
    assert employer["total_cost"] == Decimal("37050000")

    # Submitted to the approval engine; the HR manager approves.
    run = runs.run_submit(actor=officer, run=run) or run
    run.refresh_from_db()
    assert run.state == "pending"
    approve_in_the_engine(org, run)
    run.refresh_from_db()
    assert run.state == "approved"

    # Paid on 05/11, posted: the ledger holds the accrual and the payment.
    run = runs.run_mark_paid(actor=officer, run=run, paid_on=dt.date(YEAR, 11, 5)) or run
    run = runs.run_post(actor=officer, run=run) or run
    run = PayrollRun.objects.get(pk=run.pk)
    assert run.state == "posted"
    assert run.accrual_entry is not None
    assert run.accrual_entry.state == "posted"

    # Before the payment (end of October): 334 owes the net pay.
    october = balances(company, dt.date(YEAR, MONTH, 31))
    assert october.get("334") == Decimal("26592500")
    # After the payment: 334 is settled, the liabilities to the funds and the State remain.
    after = balances(company, dt.date(YEAR, 11, 30))
    assert after.get("334", Decimal(0)) == 0
    assert after["3383"] == Decimal("7650000")
    assert after["3384"] == Decimal("1350000")
    assert after["3386"] == Decimal("600000")
    assert after["3382"] == Decimal("600000")
    assert after["3335"] == Decimal("257500")
    expense = sum((-v for code, v in after.items() if code.startswith("6")), Decimal(0))
    assert expense == Decimal("37050000")
    bank = sum((v for code, v in after.items() if code.startswith("112")), Decimal(0))
    assert bank == Decimal("26592500")


def test_a_raise_on_the_16th_and_a_joiner_on_the_16th_are_paid_pro_rata(org):
    """October 2026 has 11 working days before the 16th and 11 from it: a raise
    from 20,000,000 to 24,000,000 on the 16th pays 10,000,000 + 12,000,000; a
    person who starts on the 16th at 24,000,000 is paid 11 of 22 days."""
    from backoffice.hr.services.employees import job_change_record
    from backoffice.payroll.selectors.runs import payslip_data
    from backoffice.payroll.services import runs

    company, officer = org["company"], org["payroll"]
    mid = dt.date(YEAR, MONTH, 16)
    raised = hire(org, name="Lê Văn Hải", email="hai@senvang.vn", start=dt.date(YEAR, MONTH, 1),
                  salary=Decimal(20_000_000))  # fmt: skip
    job_change_record(
        actor=org["hr_manager"], company=company, employee=raised, kind="salary",
        effective_date=mid, salary=Decimal(24_000_000), note="Tăng lương",
    )  # fmt: skip
    joiner = hire(org, name="Phạm Thu Trang", email="trang@senvang.vn", start=mid,
                  salary=Decimal(24_000_000))  # fmt: skip

    run = runs.run_create(actor=officer, company=company, year=YEAR, month=MONTH)
    run = runs.run_compute(actor=officer, run=run) or run
    slips = {slip.employee_id: slip for slip in run.payslips.all()}
    assert set(slips) == {raised.pk, joiner.pk}
    assert slips[raised.pk].paid_days == Decimal(22)
    assert slips[joiner.pk].paid_days == Decimal(11)
    raised_result = payslip_data(slips[raised.pk])["result"]
    joiner_result = payslip_data(slips[joiner.pk])["result"]
    assert Decimal(raised_result["base_pay"]) == Decimal("22000000")
    assert Decimal(joiner_result["base_pay"]) == Decimal("12000000")
    assert Decimal(raised_result["gross"]) == Decimal("22000000")
    assert Decimal(joiner_result["gross"]) == Decimal("12000000")
