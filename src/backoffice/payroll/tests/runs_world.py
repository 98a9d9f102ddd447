"""Fixtures of the payroll-run tests (H2): a company with its books (tt99 or
tt133), the fiscal year 2026, payroll staff, aggregates-only roles, an
employee with a portal account, and helpers to hire people with a salary
history, attendance, leave and dependants.

March 2026 is used throughout: 22 working days (Mon-Fri), no public holiday.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from backoffice.core.enums import Role

D = Decimal
YEAR, MONTH = 2026, 3
_codes = itertools.count(1)


def act(user: Any, company: Any) -> Any:
    user.active_company = company
    user.__dict__.pop("_company_perm_cache", None)
    return user


@dataclass
class PayWorld:
    company: Any
    sales: Any
    admin_dept: Any
    payroll: Any  # payroll officer
    hr_manager: Any
    accountant: Any  # chief accountant (aggregates only)
    analyst: Any
    hr_officer: Any
    staff: Any  # an employee with a portal account
    other_company: Any
    other_payroll: Any


def books(code: str, chart: str = "tt99") -> Any:
    from backoffice.accounting import services as acc
    from backoffice.core.services import company_create

    company = company_create(actor="test", code=code, name=f"Công ty {code}", chart=chart)
    from backoffice.accounting.models import FiscalYear

    if not FiscalYear.objects.filter(company=company, start=dt.date(2026, 1, 1)).exists():
        acc.fiscal_year_create(actor="test", company=company, start=dt.date(2026, 1, 1))
    return company


def build_world(make_user: Any, chart: str = "tt99", code: str = "PAY") -> PayWorld:
    from backoffice.core.models import Department

    c = books(code, chart)
    other = books(code + "X", chart)
    sales = Department.objects.create(company=c, code="KD", name="Phòng Kinh doanh")
    admin_dept = Department.objects.create(company=c, code="HC", name="Phòng Hành chính")
    mk = lambda comp, role, email: act(make_user(comp, roles=[role], email=email), comp)  # noqa: E731
    return PayWorld(
        company=c, sales=sales, admin_dept=admin_dept,
        payroll=mk(c, Role.PAYROLL_OFFICER, f"luong@{code}.vn"),
        hr_manager=mk(c, Role.HR_MANAGER, f"tpns@{code}.vn"),
        accountant=mk(c, Role.CHIEF_ACCOUNTANT, f"ktt@{code}.vn"),
        analyst=mk(c, Role.DATA_ANALYST, f"pt@{code}.vn"),
        hr_officer=mk(c, Role.HR_OFFICER, f"ns@{code}.vn"),
        staff=mk(c, Role.EMPLOYEE, f"nv@{code}.vn"),
        other_company=other,
        other_payroll=mk(other, Role.PAYROLL_OFFICER, f"luong@{code}x.vn"),
    )  # fmt: skip


@pytest.fixture
def world(db, make_user) -> PayWorld:
    return build_world(make_user)


def hire(company: Any, salary: Any, *, dept: Any = None, hired: dt.date = dt.date(2024, 1, 2),
         left: dt.date | None = None, name: str = "Nguyễn Văn An", **kw: Any) -> Any:  # fmt: skip
    from backoffice.hr.models import Employee, JobChange

    emp = Employee.objects.create(
        company=company, code=kw.pop("code", f"NV{next(_codes):05d}"), full_name=name,
        hire_date=hired, termination_date=left, department=dept, **kw,
    )  # fmt: skip
    JobChange.objects.create(
        company=company, employee=emp, kind="hire", effective_date=hired, department=dept,
        salary=D(salary),
    )  # fmt: skip
    return emp


def raise_salary(emp: Any, salary: Any, on: dt.date) -> None:
    from backoffice.hr.models import JobChange

    JobChange.objects.create(
        company_id=emp.company_id, employee=emp, kind="salary", effective_date=on,
        department=emp.department, salary=D(salary),
    )  # fmt: skip


def leave(emp: Any, code: str, start: dt.date, end: dt.date) -> Any:
    from backoffice.hr.models import LeaveRequest, LeaveType

    lt = LeaveType.objects.get(company_id=emp.company_id, code=code)
    return LeaveRequest.objects.create(
        company_id=emp.company_id, employee=emp, leave_type=lt, start_date=start, end_date=end,
        state="approved",
    )  # fmt: skip


def dependant(emp: Any, start: dt.date, end: dt.date | None = None) -> Any:
    from backoffice.hr.models import Dependant

    return Dependant.objects.create(
        company_id=emp.company_id, employee=emp, full_name="Nguyễn Con", relationship="con",
        registered_from=start, registered_to=end,
    )  # fmt: skip


def attend(emp: Any, day: dt.date, hours: Any = 8, ot_weekday: Any = 0, **kw: Any) -> Any:
    from backoffice.hr.models import AttendanceRecord

    return AttendanceRecord.objects.create(
        company_id=emp.company_id, employee=emp, date=day, worked_hours=D(hours),
        ot_weekday=D(ot_weekday), **kw,
    )  # fmt: skip


def weekdays(year: int = YEAR, month: int = MONTH) -> list[dt.date]:
    day, out = dt.date(year, month, 1), []
    while day.month == month:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def approve(run: Any, approver: Any, ok: bool = True) -> None:
    """Decide the run's pending request as ``approver`` (the workflow engine)."""
    from backoffice.payroll.services.runs_approval import approval_of
    from backoffice.workflow.services import approval_decide

    approval_decide(
        actor=approver, company=run.company, request=approval_of(run), approve=ok, comment="OK"
    )


def to_approved(w: PayWorld, run: Any) -> Any:
    from backoffice.payroll.services import runs as svc

    svc.run_compute(actor=w.payroll, run=run)
    svc.run_submit(actor=w.payroll, run=run)
    approve(run, w.hr_manager)
    run.refresh_from_db()
    return run
