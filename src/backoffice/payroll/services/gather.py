"""The HR data of a company-month, read in bulk for a payroll run.

A constant number of queries per run, whatever the headcount: employees,
job history (salary segments, department and position at the month's end),
dependants, attendance and leave (``hr.selectors.attendance.month_summaries``),
pay items in force and the run's one-off items. Everything is turned into the
pure calculation's :class:`MonthInput` plus a JSON-able record of the inputs
kept on the payslip.

Choices (documented in docs/modules/payroll-runs.md):

* Who is paid: people of kind "employee" hired on or before the month's end
  and not gone before its start (collaborators are paid by collaborator
  payments, not runs).
* Standard days: the month's working days by the person's schedule, public
  holidays on working days included, over the whole month (a joiner is paid
  for part of a full month).
* Paid days: with attendance records in the month, worked days + paid
  holidays + paid leave; without (no time tracking), the employed working
  days + holidays - unpaid leave. Never more than the standard days.
* A salary change in the month splits it into segments; the paid days are
  shared between segments in proportion to the payable days of each.
* No insurance for the month when unpaid leave reaches 14 working days
  (VN-RULES §3.1).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from backoffice.core.models import Company, Department, Position
from backoffice.core.money import round_half_up
from backoffice.hr.enums import PersonKind
from backoffice.hr.models import Dependant, Employee, JobChange
from backoffice.hr.selectors.attendance import (
    month_bounds,
    month_summaries,
    payable_day_weights,
    schedules_of,
)
from backoffice.payroll.calculations.types import (
    Item,
    MonthInput,
    Overtime,
    SalarySegment,
)
from backoffice.payroll.models import PayItem, RunItem
from backoffice.payroll.services.settings import payroll_settings

ZERO = Decimal(0)
HUNDREDTH = Decimal("0.01")
UNPAID_DAYS_NO_INSURANCE = Decimal(14)  # Law 41/2024 Art. 33.5
_IN_LIMIT = 500
History = tuple[dt.date, Any, Any, Any]  # date, department id, position id, salary
_EMPLOYEE_FIELDS = (
    "id", "company_id", "code", "full_name", "kind", "hire_date", "termination_date",
    "nationality", "is_resident", "is_union_member", "wage_region", "work_schedule_id",
    "department_id", "position_id", "user_id",
)  # fmt: skip
_PAY_ITEM_FIELDS = (
    "employee_id", "name", "amount", "category", "tax_treatment", "insurable", "prorate",
)  # fmt: skip


@dataclass
class Person:
    """One employee's month, ready for ``compute_month``."""

    employee: Employee
    department: Department | None
    position: Position | None
    inp: MonthInput
    inputs: dict[str, Any] = field(default_factory=dict)

    def snapshot(self) -> dict[str, str]:
        return {
            "code": self.employee.code,
            "name": self.employee.full_name,
            "department": self.department.name if self.department else "",
            "department_code": self.department.code if self.department else "",
            "position": self.position.name if self.position else "",
        }


def _scoped(qs: Any, ids: set[int] | None) -> Any:
    return qs.filter(employee_id__in=list(ids)) if ids is not None and len(ids) <= _IN_LIMIT else qs


def employees_to_pay(company: Company, year: int, month: int,
                     employee_ids: Iterable[int] | None = None) -> list[Employee]:  # fmt: skip
    first, last = month_bounds(year, month)
    qs = (
        Employee.objects.filter(company=company, kind=PersonKind.EMPLOYEE, hire_date__lte=last)
        .exclude(termination_date__lt=first)
        .only(*_EMPLOYEE_FIELDS)
        .order_by("code")
    )
    if employee_ids is not None:
        qs = qs.filter(pk__in=list(employee_ids))
    return list(qs)


def _history(company: Company, last: dt.date, ids: set[int]) -> dict[int, list[History]]:
    """employee id -> [(date, department id, position id, salary or None)], oldest first."""
    rows = _scoped(
        JobChange.objects.filter(company=company, effective_date__lte=last), ids
    ).order_by("employee_id", "effective_date", "id")
    out: dict[int, list[History]] = defaultdict(list)
    for emp_id, day, dept, pos, salary in rows.values_list(
        "employee_id", "effective_date", "department_id", "position_id", "salary"
    ):
        if emp_id in ids:
            out[emp_id].append((day, dept, pos, salary))
    return out


def _dependants(company: Company, first: dt.date, last: dt.date, ids: set[int]) -> dict[int, int]:
    qs = _scoped(
        Dependant.objects.filter(company=company, registered_from__lte=last).filter(
            Q(registered_to__isnull=True) | Q(registered_to__gte=first)
        ),
        ids,
    )
    return {
        r["employee_id"]: r["n"]
        for r in qs.values("employee_id").order_by().annotate(n=Count("pk"))
    }


def _pay_items(
    company: Company, first: dt.date, last: dt.date, ids: set[int]
) -> dict[int, list[Any]]:
    """employee id -> their pay items in force in the month (rows with the
    attributes ``_item`` reads, the amount decrypted by its field), oldest first."""
    qs = _scoped(
        PayItem.objects.filter(company=company, valid_from__lte=last).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first)
        ),
        ids,
    ).order_by("employee_id", "valid_from", "id")
    out: dict[int, list[Any]] = defaultdict(list)
    for item in qs.values_list(*_PAY_ITEM_FIELDS, named=True):
        out[item.employee_id].append(item)
    return out


def _run_items(run_ids: Iterable[int], ids: set[int]) -> dict[int, list[RunItem]]:
    out: dict[int, list[RunItem]] = defaultdict(list)
    run_ids = list(run_ids)
    if not run_ids:
        return out
    for item in RunItem.objects.filter(run_id__in=run_ids).order_by("run_id", "id"):
        if item.employee_id in ids:
            out[item.employee_id].append(item)
    return out


def _segments(
    history: list[History], start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date, Decimal]]:
    """(from, to, monthly salary) pieces of the employed part of the month."""
    salary: Decimal | None = None
    changes: list[tuple[dt.date, Decimal]] = []
    for day, _d, _p, value in history:
        if value is None:
            continue
        if day <= start:
            salary = value
        elif day <= end:
            changes.append((day, value))
    pieces: list[tuple[dt.date, dt.date, Decimal]] = []
    begin, current = start, salary
    for day, value in changes:
        if current is not None and day > begin:
            pieces.append((begin, day - dt.timedelta(days=1), current))
        begin, current = day, value
    pieces.append((begin, end, current if current is not None else ZERO))
    # the same salary twice in a row is one piece
    merged: list[tuple[dt.date, dt.date, Decimal]] = []
    for piece in pieces:
        if merged and merged[-1][2] == piece[2]:
            merged[-1] = (merged[-1][0], piece[1], piece[2])
        else:
            merged.append(piece)
    return merged


def _share(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` split in proportion to ``weights`` (2 decimals; the last takes the rest)."""
    whole = sum(weights, ZERO)
    if len(weights) == 1 or whole == 0:
        return [ZERO] * (len(weights) - 1) + [total]
    parts = [(total * w / whole).quantize(HUNDREDTH) for w in weights[:-1]]
    return [*parts, total - sum(parts, ZERO)]


def _item(obj: Any, amount: Decimal, source: str) -> tuple[Item, dict[str, Any]]:
    item = Item(
        name=obj.name, amount=amount, category=obj.category, tax=obj.tax_treatment,
        insurable=obj.insurable,
    )  # fmt: skip
    record = {
        "name": obj.name, "amount": str(amount), "category": obj.category,
        "tax": obj.tax_treatment, "insurable": obj.insurable, "source": source,
    }  # fmt: skip
    return item, record


def gather_month(
    company: Company,
    year: int,
    month: int,
    *,
    employee_ids: Iterable[int] | None = None,
    item_runs: Iterable[int] = (),
) -> list[Person]:
    """Every person to pay for the month (or those of ``employee_ids``), with
    the one-off items of the runs ``item_runs``."""
    first, last = month_bounds(year, month)
    settings = payroll_settings(company)
    people = employees_to_pay(company, year, month, employee_ids)
    if not people:
        return []
    ids = {e.pk for e in people}
    history = _history(company, last, ids)
    dependants = _dependants(company, first, last, ids)
    pay_items = _pay_items(company, first, last, ids)
    run_items = _run_items(item_runs, ids)
    summaries = month_summaries(company, people, year, month)
    departments = {d.pk: d for d in Department.objects.filter(company=company)}
    positions = {p.pk: p for p in Position.objects.filter(company=company)}
    schedule_of: dict[int, Any] = {}
    weights_of: dict[Any, dict[dt.date, Decimal]] = {}
    out = []
    for emp in people:
        summary = summaries[emp.pk]
        rows = history.get(emp.pk, [])
        start = max(first, emp.hire_date)
        end = min(last, emp.termination_date or last)
        dept_id = next((r[1] for r in reversed(rows) if r[1]), None) or emp.department_id
        pos_id = next((r[2] for r in reversed(rows) if r[2]), None) or emp.position_id
        standard = summary["month_days"]
        unpaid = summary["unpaid_leave_days"]
        if summary["has_attendance"]:
            paid = summary["paid_days"]
        else:
            paid = max(ZERO, summary["standard_days"] + summary["paid_holidays"] - unpaid)
        paid = min(paid, standard)
        pieces = _segments(rows, start, end)
        if len(pieces) > 1:
            if not schedule_of:
                schedule_of = schedules_of(company, people)
            sched = schedule_of[emp.pk]
            key = getattr(sched, "pk", None)
            if key not in weights_of:
                weights_of[key] = payable_day_weights(company, sched, year, month)
            day_weights = weights_of[key]
            spans = [
                sum((w for d, w in day_weights.items() if a <= d <= b), ZERO) for a, b, _s in pieces
            ]
            shares = _share(paid, spans)
        else:
            shares = [paid]
        segments = tuple(
            SalarySegment(monthly_salary=s, paid_days=p)
            for (_a, _b, s), p in zip(pieces, shares, strict=True)
        )
        items: list[Item] = []
        records: list[dict[str, Any]] = []
        for pi in pay_items.get(emp.pk, []):
            amount = pi.amount or ZERO
            if pi.prorate and standard:
                amount = round_half_up(amount * paid / standard)
            item, rec = _item(pi, amount, "pay_item")
            items.append(item)
            records.append(rec)
        for ri in run_items.get(emp.pk, []):
            item, rec = _item(ri, ri.amount or ZERO, "run_item")
            items.append(item)
            records.append(rec)
        ot = summary["overtime"]
        overtime = Overtime(
            weekday=ot["weekday"], rest_day=ot["rest_day"], holiday=ot["holiday"],
            night=ot["night"], normal_night=summary["hours"]["night"],
        )  # fmt: skip
        insured = unpaid < UNPAID_DAYS_NO_INSURANCE
        inp = MonthInput(
            standard_days=standard,
            segments=segments,
            hours_per_day=Decimal(summary["hours_per_day"]),
            items=tuple(items),
            overtime=overtime,
            dependants=dependants.get(emp.pk, 0),
            region=int(emp.wage_region or settings["default_region"]),
            resident=emp.is_resident,
            foreign=(emp.nationality or "VN").upper() != "VN",
            union_member=emp.is_union_member,
            insured=insured,
        )
        inputs = {
            "standard_days": str(standard),
            "paid_days": str(paid),
            "worked_days": str(summary["worked_days"]),
            "paid_holidays": str(summary["paid_holidays"]),
            "paid_leave_days": str(summary["paid_leave_days"]),
            "unpaid_leave_days": str(unpaid),
            "time_tracked": summary["has_attendance"],
            "hours_per_day": str(summary["hours_per_day"]),
            "employed_from": start.isoformat(),
            "employed_to": end.isoformat(),
            "segments": [
                {"from": a.isoformat(), "to": b.isoformat(), "salary": str(s), "paid_days": str(p)}
                for (a, b, s), p in zip(pieces, shares, strict=True)
            ],
            "overtime": {k: str(v) for k, v in ot.items()},
            "night_hours": str(summary["hours"]["night"]),
            "dependants": inp.dependants,
            "region": inp.region,
            "resident": inp.resident,
            "foreign": inp.foreign,
            "union_member": inp.union_member,
            "insured": insured,
            "items": records,
        }
        out.append(
            Person(
                employee=emp,
                department=departments.get(dept_id) if dept_id else None,
                position=positions.get(pos_id) if pos_id else None,
                inp=inp,
                inputs=inputs,
            )  # fmt: skip
        )
    return out
