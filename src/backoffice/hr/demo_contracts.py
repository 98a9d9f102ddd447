"""Demo contracts: the history a Labour-Code-abiding company would have.

Each employee: a probation contract from the start date (60 days; 85 % of the
job's wage), a first fixed-term contract of 12 months, a second of 24 months,
then an indefinite-term contract (Art. 20.2.c) — as far as today or the last
working day reaches. Collaborators get a service agreement. Salaries follow the
job history helper A wrote (``JobChange``). Bulk-created (``demo --employees
10000`` stays fast); the expiry alerts run at the end.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from backoffice.hr.calculations.contracts import latest_end
from backoffice.hr.enums import ContractState, ContractType, JobLevel, PersonKind, RateUnit
from backoffice.hr.models import Contract, JobChange

PROBATION_DAYS = 60
TERMS = (12, 24)  # months of the two fixed-term contracts


def _salaries(company: Any) -> dict[int, list[tuple[dt.date, Decimal]]]:
    out: dict[int, list[tuple[dt.date, Decimal]]] = {}
    rows = JobChange.objects.filter(company=company).exclude(salary=None)
    for emp_id, on, salary in rows.values_list("employee_id", "effective_date", "salary"):
        out.setdefault(emp_id, []).append((on, Decimal(salary)))
    for changes in out.values():
        changes.sort()
    return out


def _salary_on(changes: list[tuple[dt.date, Decimal]], on: dt.date, default: Decimal) -> Decimal:
    value = changes[0][1] if changes else default
    for day, salary in changes:
        if day <= on:
            value = salary
    return Decimal(value)


def _level(emp: Any) -> str:
    level = getattr(getattr(emp, "position", None), "level", "") or ""
    return JobLevel.MANAGER if level == "manager" else JobLevel.COLLEGE


def demo(*, company: Any, employees: list[Any], rng: Any, fake: Any = None) -> int:
    today = timezone.localdate()
    salaries = _salaries(company)
    counters: dict[str, int] = {}
    rows: list[Contract] = []

    def number(prefix: str, start: dt.date) -> str:
        key = f"{prefix}-{start.year}"
        counters[key] = counters.get(key, 0) + 1
        return f"{key}-{counters[key]:04d}"

    def add(emp: Any, kind: str, start: dt.date, end: dt.date | None, **kw: Any) -> None:
        last_day = emp.termination_date
        state = ContractState.ENDED
        terminated_on = None
        if last_day and start <= last_day and (end is None or end >= last_day):
            state, terminated_on = ContractState.TERMINATED, last_day
        elif start <= today and (end is None or end >= today):
            state = ContractState.ACTIVE
        prefix = "HĐDV" if kind == ContractType.SERVICE else "HĐLĐ"
        rows.append(Contract(
            company=company, employee=emp, number=number(prefix, start), contract_type=kind,
            state=state, job_level=_level(emp), position=emp.position, department=emp.department,
            start_date=start, end_date=end, signed_on=start - dt.timedelta(days=rng.randint(1, 5)),
            terminated_on=terminated_on,
            termination_reason=emp.termination_reason if terminated_on else "",
            **kw,
        ))  # fmt: skip

    for emp in sorted(employees, key=lambda e: e.hire_date):
        changes = salaries.get(emp.pk, [])
        stop = min(today, emp.termination_date or today)
        if emp.kind == PersonKind.COLLABORATOR:
            end = latest_end(emp.hire_date, 6)
            add(
                emp,
                ContractType.SERVICE,
                emp.hire_date,
                end,
                scope="Cộng tác viết nội dung và dịch tài liệu theo yêu cầu",
                rate=Decimal(rng.choice([150_000, 200_000, 250_000])),
                rate_unit=RateUnit.HOUR,
            )
            continue
        start = emp.hire_date
        job = _salary_on(changes, start, Decimal(12_000_000))
        end = start + dt.timedelta(days=PROBATION_DAYS - 1)
        pay = (job * Decimal("0.85")).quantize(Decimal(1000))
        add(emp, ContractType.PROBATION, start, end, salary=pay, job_salary=job)
        for months in TERMS:
            start = end + dt.timedelta(days=1)
            if start > stop:
                break
            end = latest_end(start, months)
            add(emp, ContractType.FIXED_TERM, start, end,
                salary=_salary_on(changes, start, job))  # fmt: skip
        else:
            start = end + dt.timedelta(days=1)
            if start <= stop:
                add(emp, ContractType.INDEFINITE, start, None,
                    salary=_salary_on(changes, start, job))  # fmt: skip
    Contract.objects.bulk_create(rows, batch_size=1000)
    try:
        from backoffice.hr.services.contracts import contract_expiry_alerts

        contract_expiry_alerts(company=company, on=today)
    except Exception:  # noqa: BLE001 - alerts are a nicety of the demo, never its failure
        import logging

        logging.getLogger("backoffice.hr").warning("demo: contract alerts failed", exc_info=True)
    return len(rows)
