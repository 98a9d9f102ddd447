"""Demo data of leave: default types and policy, last year's and this year's
entitlement (through the accrual), an approved leave history written in bulk
(requests + TAKEN ledger rows, fast for 10,000 people) and a few requests
waiting for their manager's approval (through the services)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum

from backoffice.hr.enums import LeaveEntryKind, LeaveRequestState, PersonKind
from backoffice.hr.models import LeaveEntry, LeaveRequest, LeaveType

REASONS = ["Việc gia đình", "Du lịch cùng gia đình", "Về quê", "Khám sức khỏe", "Nghỉ ngơi"]


def _history(company: Any, people: list[Any], lt: LeaveType, year: int, upto: dt.date,
             rng: Any, share: float) -> None:  # fmt: skip
    from backoffice.hr.services.calendar import CompanyCalendar

    start, end = dt.date(year, 1, 1), min(upto, dt.date(year, 12, 31))
    if end <= start:
        return
    days = CompanyCalendar(company, start, end).working_days(start, end)
    if len(days) < 5:
        return
    balances = {
        e: Decimal(str(s or 0))
        for e, s in LeaveEntry.objects.filter(company=company, leave_type=lt, year=year)
        .values_list("employee_id")
        .annotate(s=Sum("days"))
    }
    requests, plans = [], []
    for emp in people:
        if rng.random() > share:
            continue
        n = rng.choice([1, 1, 2, 2, 3, 5])
        first = rng.randrange(0, len(days) - n)
        if days[first] < emp.hire_date or balances.get(emp.pk, Decimal(0)) < n:
            continue
        requests.append(LeaveRequest(
            company=company, employee=emp, leave_type=lt, start_date=days[first],
            end_date=days[first + n - 1], days=Decimal(n), reason=rng.choice(REASONS),
            state=LeaveRequestState.APPROVED,
        ))  # fmt: skip
    LeaveRequest.objects.bulk_create(requests, batch_size=1000)
    for req in requests:
        plans.append(LeaveEntry(
            company=company, employee_id=req.employee_id, leave_type=lt, year=year,
            date=req.start_date, kind=LeaveEntryKind.TAKEN, days=-req.days, request=req,
            key=f"taken:{req.pk}", note="Demo",
        ))  # fmt: skip
    LeaveEntry.objects.bulk_create(plans, batch_size=1000)


def _pending(company: Any, people: list[Any], lt: LeaveType, today: dt.date, rng: Any) -> None:
    from backoffice.core.exceptions import ApplicationError
    from backoffice.hr.services.leave import leave_request_create, leave_request_submit

    made = 0
    for emp in people:
        if made >= 5 or emp.user_id is None or emp.manager_id is None and emp.department_id is None:
            continue
        start = today + dt.timedelta(days=rng.randrange(7, 40))
        end = start + dt.timedelta(days=rng.choice([0, 1, 2]))
        if start.year != today.year or end.year != today.year:
            continue
        try:
            with transaction.atomic():
                req = leave_request_create(
                    actor=emp.user, company=company, employee=emp, leave_type=lt,
                    start_date=start, end_date=end, reason=rng.choice(REASONS),
                )  # fmt: skip
                leave_request_submit(actor=emp.user, company=company, request=req)
            made += 1
        except ApplicationError:
            continue  # no manager to approve, a rest day only ...: try the next person


def demo(*, company: Any, employees: Any, rng: Any, fake: Any = None) -> None:
    from backoffice.hr.services.leave import leave_accrue, today
    from backoffice.hr.setup.leave import company_defaults

    company_defaults(company=company)
    lt = LeaveType.objects.filter(company=company, code="PN").first()
    if lt is None:
        return
    people = [e for e in employees if e.kind == PersonKind.EMPLOYEE]
    now = today()
    last = now.year - 1
    leave_accrue(actor=None, company=company, year=last, on=dt.date(last, 12, 31))
    _history(company, people, lt, last, dt.date(last, 12, 31), rng, share=0.6)
    leave_accrue(actor=None, company=company, year=now.year, on=now)
    _history(company, people, lt, now.year, now - dt.timedelta(days=1), rng, share=0.4)
    _pending(company, people, lt, now, rng)
