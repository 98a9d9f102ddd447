"""Leave: types, the ledger (``leave_ledger``), requests (``leave_requests``),
balances and the leave liability. Other areas import from here."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, NotFound, ValidationFailed
from backoffice.core.models import Company
from backoffice.core.money import round_half_up
from backoffice.core.selectors import require_perm
from backoffice.core.services import snapshot
from backoffice.hr.enums import (
    EmployeeStatus,
    LeaveCategory,
    LeaveEntryKind,
    LeaveRequestState,
    PersonKind,
)
from backoffice.hr.models import Employee, LeaveEntry, LeaveType
from backoffice.hr.services.leave_ledger import (
    days_sum,
    entry_add,
    leave_accrue,
    leave_adjust,
    leave_balance,
    leave_payout,
    today,
)
from backoffice.hr.services.leave_requests import (
    REQUEST_LABEL,
    REQUEST_TYPE,
    approval_of,
    leave_policy_ensure,
    leave_request_cancel,
    leave_request_create,
    leave_request_submit,
    on_approved,
    on_rejected,
    on_withdrawn,
    pending_days,
    request_days,
)

__all__ = [
    "REQUEST_LABEL", "REQUEST_TYPE", "approval_of", "entry_add", "leave_accrue", "leave_adjust",
    "leave_balance", "leave_balances", "leave_liability", "leave_payout", "leave_policy_ensure",
    "leave_request_cancel", "leave_request_create", "leave_request_submit", "leave_type_save",
    "leave_types_default_create", "on_approved", "on_rejected", "on_withdrawn", "pending_days",
    "request_days", "today",
]  # fmt: skip

DEFAULT_TYPES = Path(__file__).resolve().parent.parent / "data" / "leave_types.csv"
TYPE_FIELDS = [
    "code", "name", "category", "paid", "uses_balance", "allow_negative", "calendar_days",
    "max_days_per_request", "carry_over_max_days", "carry_over_expiry_months",
    "monthly_accrual", "is_active",
]  # fmt: skip
DAILY_DIVISOR = 26  # working days of a month for the daily wage (company practice)


def _default_rows() -> list[dict[str, Any]]:
    with DEFAULT_TYPES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:
        out.append(
            {
                "code": r["code"], "name": r["name"], "category": r["category"],
                "paid": r["paid"] == "1", "uses_balance": r["uses_balance"] == "1",
                "allow_negative": r["allow_negative"] == "1",
                "calendar_days": r["calendar_days"] == "1",
                "max_days_per_request": Decimal(r["max_days_per_request"])
                if r["max_days_per_request"] else None,
                "carry_over_max_days": Decimal(r["carry_over_max_days"] or 0),
                "carry_over_expiry_months": int(r["carry_over_expiry_months"] or 0),
                "monthly_accrual": r["monthly_accrual"] == "1",
            }
        )  # fmt: skip
    return out


def leave_types_default_create(*, company: Company, actor: Any = None) -> list[LeaveType]:
    """The default leave types (``hr/data/leave_types.csv``) for a company; idempotent."""
    made = []
    for row in _default_rows():
        lt, created = LeaveType.objects.get_or_create(
            company=company, code=row.pop("code"), defaults=row
        )
        if created:
            made.append(lt)
    if made:
        audit_record(
            event_type="LEAVE_TYPES_CREATED",
            actor=actor if actor is not None else "system",
            company=company,
            object_type="hr.leavetype",
            after={"codes": [lt.code for lt in made]},
        )
    return made


@transaction.atomic
def leave_type_save(
    *, actor: Any, company: Company, leave_type: LeaveType | None = None, **values: Any
) -> LeaveType:
    require_perm(actor, "hr.manage_leave")
    before = None
    if leave_type is None:
        leave_type = LeaveType(company=company)
    else:
        if leave_type.company_id != company.pk:
            raise NotFound(_("Leave type not found."))
        before = snapshot(leave_type, TYPE_FIELDS)
    for key, value in values.items():
        if key not in TYPE_FIELDS:
            raise ValidationFailed(_("Unknown field: %(f)s.") % {"f": key}, code="unknown_field")
        setattr(leave_type, key, value)
    if leave_type.category not in LeaveCategory.values:
        raise ValidationFailed(_("Unknown leave category."), code="invalid_category")
    if not (leave_type.code or "").strip() or not (leave_type.name or "").strip():
        raise ValidationFailed(_("A code and a name are required."), code="code_required")
    if leave_type.carry_over_max_days < 0 or (
        leave_type.max_days_per_request is not None and leave_type.max_days_per_request <= 0
    ):
        raise ValidationFailed(_("Days cannot be negative."), code="invalid_days")
    try:
        with transaction.atomic():
            leave_type.save()
    except IntegrityError as exc:
        raise Conflict(_("This code is used by another leave type."), code="code_taken") from exc
    audit_record(
        event_type="LEAVE_TYPE_UPDATED" if before else "LEAVE_TYPE_CREATED",
        actor=actor,
        company=company,
        target=leave_type,
        before=before,
        after=snapshot(leave_type, TYPE_FIELDS),
    )
    return leave_type


# --- balances and liability (pure reads: callers check who may see them) -----------------------
def leave_balances(employee: Employee, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Per leave type with a balance: the year's granted, taken, expired days,
    the balance (sum of rows), days waiting for approval and what is available."""
    on = on or today()
    year = on.year
    types = LeaveType.objects.filter(company_id=employee.company_id, uses_balance=True)
    sums = {
        (t, k): days_sum(s)
        for t, k, s in LeaveEntry.objects.filter(employee=employee, year=year)
        .values_list("leave_type_id", "kind")
        .annotate(s=Sum("days"))
    }
    out = []
    for lt in types.filter(Q(is_active=True) | Q(entries__employee=employee)).distinct():

        def part(*kinds: str, lt=lt) -> Decimal:
            return sum((sums.get((lt.pk, k), Decimal(0)) for k in kinds), Decimal(0))

        balance = part(*LeaveEntryKind.values)
        pending = pending_days(employee, lt, year)
        out.append(
            {
                "leave_type": lt, "code": lt.code, "name": lt.name, "year": year,
                "granted": part(LeaveEntryKind.ACCRUAL, LeaveEntryKind.CARRY_OVER,
                                LeaveEntryKind.ADJUSTMENT),
                "taken": -part(LeaveEntryKind.TAKEN, LeaveEntryKind.RESTORED),
                "expired": -part(LeaveEntryKind.EXPIRY, LeaveEntryKind.PAYOUT),
                "balance": balance, "pending": pending, "available": balance - pending,
            }
        )  # fmt: skip
    return out


def _salaries(employee_ids: list[int], on: dt.date) -> dict[int, Decimal]:
    from backoffice.hr.services.employees import salaries_on

    return salaries_on(employee_ids, on)


def leave_liability(
    company: Company,
    on: dt.date | None = None,
    *,
    with_amount: bool = False,
    user: Any = None,
) -> list[dict[str, Any]]:
    """Unused annual leave on ``on`` per employee (rows dated up to ``on`` of
    that year): code, full name, department, leave type, days and amount. The
    amount (days x monthly salary / 26, rounded to the đồng) is filled only with
    ``with_amount=True`` or for a ``user`` holding ``core.view_salary``; else None."""
    on = on or today()
    if user is not None:
        with_amount = with_amount or bool(user.has_perm("core.view_salary"))
    types = list(LeaveType.objects.filter(company=company, category=LeaveCategory.ANNUAL,
                                          uses_balance=True))  # fmt: skip
    rows = (
        LeaveEntry.objects.filter(company=company, leave_type__in=types, year=on.year, date__lte=on)
        .values_list("employee_id", "leave_type_id")
        .annotate(s=Sum("days"))
    )
    by_emp: dict[int, dict[int, Decimal]] = {}
    for emp, lt, s in rows:
        by_emp.setdefault(emp, {})[lt] = days_sum(s)
    people = (
        Employee.objects.filter(company=company, pk__in=by_emp, kind=PersonKind.EMPLOYEE)
        .exclude(status=EmployeeStatus.LEFT, termination_date__lt=on)
        .select_related("department")
        .order_by("code")
    )
    names = {lt.pk: lt for lt in types}
    people = list(people)
    salaries = _salaries([e.pk for e in people], on) if with_amount else {}
    out = []
    for emp in people:
        for lt_id, days in sorted(by_emp[emp.pk].items()):
            if days == 0:
                continue
            row = {
                "code": emp.code, "full_name": emp.full_name,
                "department": emp.department.name if emp.department_id else "",
                "leave_type": names[lt_id].code, "days": days, "amount": None,
            }  # fmt: skip
            if with_amount:
                salary = salaries.get(emp.pk)
                if salary is not None:
                    row["amount"] = round_half_up(days * Decimal(salary) / DAILY_DIVISOR)
            out.append(row)
    return out


def request_is_open(state: str) -> bool:
    return state in (LeaveRequestState.DRAFT, LeaveRequestState.PENDING)
