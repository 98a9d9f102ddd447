"""The leave ledger: every change of a balance is a ``LeaveEntry`` row; a
balance is the sum of its rows (database triggers refuse UPDATE/DELETE).

* :func:`entry_add` is the one write path: it refuses a row that would take a
  balance below zero unless the leave type allows it, and a ``key`` makes the
  row idempotent (the accrual, a request's TAKEN/RESTORED rows);
* :func:`leave_accrue` grants the year (Labour Code Art. 113/114), carries
  over and expires days; safe to run as often as you like.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.models import Company
from backoffice.core.selectors import require_perm
from backoffice.hr.calculations import leave as calc
from backoffice.hr.enums import LeaveCategory, LeaveEntryKind, PersonKind
from backoffice.hr.models import Employee, LeaveEntry, LeaveType
from backoffice.hr.rules import rule

ZERO = Decimal(0)


def today() -> dt.date:
    return timezone.localdate()


def days_sum(value: Any) -> Decimal:
    """An aggregated sum of days, exact to the hundredth (SQLite sums decimals
    as floating point)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def leave_balance(employee: Employee, leave_type: LeaveType, year: int) -> Decimal:
    """The balance of one leave year: the sum of its rows."""
    total = LeaveEntry.objects.filter(
        employee=employee, leave_type=leave_type, year=year
    ).aggregate(s=Sum("days"))["s"]
    return days_sum(total)


def entry_add(
    *,
    company: Company,
    employee: Employee,
    leave_type: LeaveType,
    year: int,
    date: dt.date,
    kind: str,
    days: Decimal,
    actor: Any = None,
    request: Any = None,
    note: str = "",
    key: str = "",
) -> LeaveEntry | None:
    """Append one row (inside the caller's transaction). Returns None when a row
    with the same ``key`` exists already."""
    if employee.company_id != company.pk or leave_type.company_id != company.pk:
        raise NotFound(_("Employee not found."))
    days = Decimal(days)
    if kind not in LeaveEntryKind.values:
        raise ValidationFailed(_("Unknown ledger entry kind."), code="invalid_entry_kind")
    if (
        key
        and LeaveEntry.objects.filter(employee=employee, leave_type=leave_type, key=key).exists()
    ):
        return None
    # One writer per person at a time, so two approvals cannot both spend the last day.
    Employee.objects.select_for_update().filter(pk=employee.pk).first()
    if (
        days < 0
        and not leave_type.allow_negative
        and leave_balance(employee, leave_type, year) + days < 0
    ):
        raise ValidationFailed(
            _("Not enough %(type)s left for %(year)s.") % {"type": leave_type.name, "year": year},
            code="insufficient_balance",
        )
    user = actor if getattr(actor, "pk", None) and hasattr(actor, "is_authenticated") else None
    try:
        with transaction.atomic():
            return LeaveEntry.objects.create(
                company=company, employee=employee, leave_type=leave_type, year=year, date=date,
                kind=kind, days=days, request=request, note=note[:300], key=key, created_by=user,
            )  # fmt: skip
    except IntegrityError:
        if key:
            return None  # written by a concurrent run
        raise


@transaction.atomic
def leave_adjust(
    *,
    actor: Any,
    company: Company,
    employee: Employee,
    leave_type: LeaveType,
    year: int,
    days: Decimal | int | str,
    note: str,
    date: dt.date | None = None,
    kind: str = LeaveEntryKind.ADJUSTMENT,
) -> LeaveEntry:
    """HR corrects a balance with a new row (+ or −); the reason is required."""
    require_perm(actor, "hr.manage_leave")
    try:
        days = Decimal(str(days)).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise ValidationFailed(_("Enter a number of days."), code="invalid_days") from exc
    if not 1900 <= int(year) <= 2200:
        raise ValidationFailed(_("Choose a year between 1900 and 2200."), code="invalid_year")
    if days == 0 or abs(days) > 400:
        raise ValidationFailed(_("Enter a number of days other than zero."), code="invalid_days")
    if not (note or "").strip():
        raise ValidationFailed(_("Say why the balance changes."), code="note_required")
    if kind not in (LeaveEntryKind.ADJUSTMENT, LeaveEntryKind.PAYOUT):
        raise ValidationFailed(_("Unknown ledger entry kind."), code="invalid_entry_kind")
    if kind == LeaveEntryKind.PAYOUT and days > 0:
        raise ValidationFailed(_("A payout takes days out (negative)."), code="invalid_days")
    entry = entry_add(
        company=company, employee=employee, leave_type=leave_type, year=int(year),
        date=date or today(), kind=kind, days=days, actor=actor, note=note.strip(),
    )  # fmt: skip
    assert entry is not None
    audit_record(
        event_type="LEAVE_BALANCE_ADJUSTED",
        actor=actor,
        company=company,
        target=entry,
        after={
            "employee": employee.code, "type": leave_type.code, "year": entry.year,
            "kind": kind, "days": str(days), "note": entry.note,
        },
    )  # fmt: skip
    return entry


@transaction.atomic
def leave_payout(
    *, actor: Any, company: Company, employee: Employee, on: dt.date | None = None
) -> list[LeaveEntry]:
    """On leaving (Labour Code Art. 113.3): the unused days of every annual-leave
    type of ``on``'s year are paid out — a PAYOUT row takes each balance to zero.
    Payroll pays the days (idempotent per person and year)."""
    require_perm(actor, "hr.manage_leave")
    if employee.company_id != company.pk:
        raise NotFound(_("Employee not found."))
    on = on or today()
    out = []
    for lt in LeaveType.objects.filter(
        company=company, uses_balance=True, category=LeaveCategory.ANNUAL
    ):
        left = leave_balance(employee, lt, on.year)
        if left <= 0:
            continue
        entry = entry_add(
            company=company, employee=employee, leave_type=lt, year=on.year, date=on,
            kind=LeaveEntryKind.PAYOUT, days=-left, actor=actor, key=f"payout:{on.year}",
            note=_("Unused leave paid out on leaving"),
        )  # fmt: skip
        if entry is not None:
            out.append(entry)
            audit_record(
                event_type="LEAVE_PAID_OUT", actor=actor, company=company, target=entry,
                after={"employee": employee.code, "type": lt.code, "days": str(left)},
            )  # fmt: skip
    return out


# --- accrual -------------------------------------------------------------------------------------
def _table(on: dt.date, company: Company) -> dict[str, Decimal]:
    try:
        return {
            "normal": rule("annual_leave_days_normal", on, company),
            "heavy": rule("annual_leave_days_heavy", on, company),
            "very_heavy": rule("annual_leave_days_very_heavy", on, company),
        }
    except KeyError as exc:
        raise ValidationFailed(
            _("No leave rules are recorded for %(y)s (the Labour Code 2019 applies from 2021).")
            % {"y": on.year},
            code="no_leave_rules",
        ) from exc


def _planned_rows(emp: Employee, lt: LeaveType, year: int, on: dt.date, ctx: dict) -> list[dict]:
    """The rows the accrual should have written by ``on`` (existing keys skipped later)."""
    rows: list[dict] = []
    start = emp.seniority_date or emp.hire_date
    per = ctx["years_per_day"]
    # Carry-over out of the previous year (only what it still holds).
    prev = ctx["balances"].get((emp.pk, lt.pk, year - 1), ZERO)
    if prev > 0:
        carried, expired = calc.carry_over(prev, lt.carry_over_max_days)
        end = dt.date(year - 1, 12, 31)
        if expired:
            rows.append(dict(year=year - 1, date=end, kind=LeaveEntryKind.EXPIRY, days=-expired,
                             key=f"yearend:{year - 1}", note=_("Not carried over")))  # fmt: skip
        if carried:
            rows.append(dict(year=year - 1, date=end, kind=LeaveEntryKind.CARRY_OVER,
                             days=-carried, key=f"carry-out:{year - 1}",
                             note=_("Carried into %(y)s") % {"y": year}))  # fmt: skip
            rows.append(dict(year=year, date=dt.date(year, 1, 1), kind=LeaveEntryKind.CARRY_OVER,
                             days=carried, key=f"carry-in:{year}",
                             note=_("Carried from %(y)s") % {"y": year - 1}))  # fmt: skip
    # The year's entitlement (Art. 113 + seniority earned by the grant date, Art. 114).
    grant = calc.yearly_grant(
        year=year, work_condition=emp.work_condition, hire_date=emp.hire_date,
        seniority_from=start, termination_date=emp.termination_date, table=ctx["table"],
        years_per_day=per,
    )  # fmt: skip
    grant_on = max(dt.date(year, 1, 1), emp.hire_date)
    if grant > 0:
        if not lt.monthly_accrual:
            rows.append(
                dict(
                    year=year,
                    date=grant_on,
                    kind=LeaveEntryKind.ACCRUAL,
                    days=grant,
                    key=f"grant:{year}",
                    note=_("Entitlement %(y)s") % {"y": year},
                )
            )
        else:
            months = calc.counted_months(year, emp.hire_date, emp.termination_date)
            for month, part in calc.monthly_amounts(grant, months).items():
                day = max(dt.date(year, month, 1), grant_on)
                if day <= on and part:
                    rows.append(
                        dict(
                            year=year,
                            date=day,
                            kind=LeaveEntryKind.ACCRUAL,
                            days=part,
                            key=f"month:{year}-{month:02d}",
                            note=_("Accrual %(m)02d/%(y)s") % {"m": month, "y": year},
                        )
                    )
    # A further seniority day ON each 5-year anniversary after the grant date.
    for day in calc.seniority_anniversaries(start, year, per):
        if grant_on < day <= on and (emp.termination_date is None or day <= emp.termination_date):
            rows.append(dict(year=year, date=day, kind=LeaveEntryKind.ACCRUAL, days=Decimal(1),
                             key=f"seniority:{day.isoformat()}",
                             note=_("Seniority: %(n)s years") % {
                                 "n": calc.full_years(start, day)}))  # fmt: skip
    # Carried days left unused when they expire.
    carried = ctx["balances_carry"].get((emp.pk, lt.pk), ZERO) + sum(
        (r["days"] for r in rows if r["key"] == f"carry-in:{year}"), ZERO
    )
    if carried > 0 and lt.carry_over_expiry_months:
        expires = calc.add_months(dt.date(year, 1, 1), lt.carry_over_expiry_months)
        if expires <= on:
            used = -ctx["used_before"].get((emp.pk, lt.pk, expires), ZERO)
            now = ctx["balances"].get((emp.pk, lt.pk, year), ZERO) + sum(
                (r["days"] for r in rows if r["year"] == year), ZERO
            )
            left = min(calc.carried_left(carried, used), max(now, ZERO))
            if left > 0:
                rows.append(dict(year=year, date=expires, kind=LeaveEntryKind.EXPIRY, days=-left,
                                 key=f"carry-expiry:{year}",
                                 note=_("Carried days expired")))  # fmt: skip
    return rows


def _context(company: Company, types: list[LeaveType], year: int, on: dt.date) -> dict:
    entries = LeaveEntry.objects.filter(company=company, year__in=[year - 1, year])
    balances: dict[tuple, Decimal] = {}
    for emp, lt, yr, s in entries.values_list("employee_id", "leave_type_id", "year").annotate(
        s=Sum("days")
    ):
        balances[(emp, lt, yr)] = days_sum(s)
    keys = set(entries.exclude(key="").values_list("employee_id", "leave_type_id", "key"))
    carry = {
        (e, t): Decimal(d)
        for e, t, d in entries.filter(year=year, key=f"carry-in:{year}").values_list(
            "employee_id", "leave_type_id", "days"
        )
    }
    used: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for lt in types:
        if not lt.carry_over_expiry_months:
            continue
        expires = calc.add_months(dt.date(year, 1, 1), lt.carry_over_expiry_months)
        for emp, s in (
            entries.filter(
                year=year, leave_type=lt, date__lt=expires,
                kind__in=[LeaveEntryKind.TAKEN, LeaveEntryKind.RESTORED],
            ).values_list("employee_id").annotate(s=Sum("days"))
        ):  # fmt: skip
            used[(emp, lt.pk, expires)] = days_sum(s)
    return {
        "balances": balances, "keys": keys, "balances_carry": carry, "used_before": used,
        "table": _table(on, company),
        "years_per_day": int(rule("seniority_leave_years_per_day", on, company)),
    }  # fmt: skip


def accrual_employees(company: Company, year: int, on: dt.date):
    return Employee.objects.filter(
        company=company, kind=PersonKind.EMPLOYEE, hire_date__lte=on
    ).exclude(termination_date__lt=dt.date(year, 1, 1))


@transaction.atomic
def leave_accrue(*, actor: Any, company: Company, year: int, on: dt.date | None = None) -> int:
    """Grant ``year``'s annual leave up to ``on`` (default today; a past year is
    done to 31 December), carry over from the year before and expire carried
    days. Idempotent: returns the number of rows written by this run. ``actor``
    None is the system (CLI, job)."""
    if actor is not None:
        require_perm(actor, "hr.manage_leave")
    if not 1900 <= int(year) <= 2200:
        raise ValidationFailed(_("Choose a year between 1900 and 2200."), code="invalid_year")
    on = min(on or today(), dt.date(year, 12, 31))
    if on < dt.date(year, 1, 1):
        return 0
    types = list(
        LeaveType.objects.filter(
            company=company, is_active=True, uses_balance=True, category=LeaveCategory.ANNUAL
        )
    )
    if not types:
        return 0
    ctx = _context(company, types, year, on)
    user = actor if getattr(actor, "pk", None) else None
    new: list[LeaveEntry] = []
    for emp in accrual_employees(company, year, on).iterator():
        for lt in types:
            for row in _planned_rows(emp, lt, year, on, ctx):
                if (emp.pk, lt.pk, row["key"]) in ctx["keys"]:
                    continue
                new.append(LeaveEntry(company=company, employee=emp, leave_type=lt,
                                      created_by=user, **row))  # fmt: skip
    LeaveEntry.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    audit_record(
        event_type="LEAVE_ACCRUED",
        actor=actor if actor is not None else "hr.leave_accrue",
        company=company,
        object_type="hr.leaveentry",
        object_id=str(year),
        after={"year": year, "on": on.isoformat(), "rows": len(new)},
    )
    return len(new)
