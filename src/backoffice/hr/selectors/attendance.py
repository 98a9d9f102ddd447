"""Attendance reads: who sees which records, the monthly summary payroll reads,
the overtime-cap report and the timesheet grid.

Who sees what: ``hr.view_attendance`` (HR, payroll) the whole company; a line
manager their team (``team_employee_ids``); everyone their own records. Another
company's rows are never visible (every query is scoped to the active company).
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from backoffice.core.exceptions import PermissionDenied, ValidationFailed
from backoffice.core.selectors import _get, require_perm, scope_to_company
from backoffice.hr.calculations.attendance import (
    HOLIDAY,
    HUNDREDTH,
    WORKING,
    ZERO,
    CapCheck,
    ScheduleSpec,
)
from backoffice.hr.enums import EmployeeStatus
from backoffice.hr.models import AttendanceRecord, Employee, WorkSchedule
from backoffice.hr.rules import rule
from backoffice.hr.selectors.access import employee_for_user, team_employee_ids

VIEW = "hr.view_attendance"
OT_FIELDS = ("ot_weekday", "ot_rest_day", "ot_holiday")
SUM_FIELDS = ("worked_hours", "night_hours", *OT_FIELDS, "ot_night")


# --- schedules and caps -------------------------------------------------------------------


def default_schedule(company: Any) -> WorkSchedule | None:
    qs = WorkSchedule.objects.filter(company=company)
    return qs.filter(is_default=True).first() or qs.order_by("pk").first()


def schedule_for(employee: Employee, default: Any = ...) -> WorkSchedule | None:
    """The employee's schedule, else the company default (pass ``default`` to
    avoid a query per person)."""
    if employee.work_schedule_id:
        return employee.work_schedule
    return default_schedule(employee.company_id) if default is ... else default


def legal(key: str, on: dt.date, company: Any) -> Decimal:
    """``hr.rules.rule`` for a date the rule table covers (Labour Code 2019 onwards)."""
    try:
        return rule(key, on, company)
    except KeyError:
        raise ValidationFailed(
            _("No Labour Code parameter %(k)s in force on %(d)s.")
            % {"k": key, "d": on.strftime("%d/%m/%Y")},
            code="no_rule",
        ) from None


def overtime_year_cap(company: Any, on: dt.date) -> Decimal:
    """200 h, or 300 h for the sectors of Art. 107.3 (company setting)."""
    section = (getattr(company, "settings", None) or {}).get("hr_attendance") or {}
    key = "overtime_max_hours_year_extended" if section.get("extended_overtime") else (
        "overtime_max_hours_year")  # fmt: skip
    return legal(key, on, company)


def overtime_month_cap(company: Any, on: dt.date) -> Decimal:
    return legal("overtime_max_hours_month", on, company)


def schedule_list(*, user: Any, company: Any) -> QuerySet[WorkSchedule]:
    require_perm(user, VIEW)
    return scope_to_company(WorkSchedule.objects.all(), company)


def schedule_get_for_user(*, user: Any, company: Any, public_id: Any) -> WorkSchedule:
    return _get(schedule_list(user=user, company=company), public_id, _("Work schedule"))


# --- records --------------------------------------------------------------------------------


def visible_employee_ids(*, user: Any, company: Any) -> set[int] | None:
    """None: every person of the company (HR, payroll); else the ids the user may
    see (their team and themself). Empty set: nobody."""
    if company is None:
        return set()
    if user.has_perm(VIEW):
        return None
    ids = team_employee_ids(user=user, company=company)
    me = employee_for_user(user=user, company=company)
    if me is not None:
        ids.add(me.pk)
    return ids


def attendance_list(*, user: Any, company: Any) -> QuerySet[AttendanceRecord]:
    qs = scope_to_company(
        AttendanceRecord.objects.select_related("employee", "employee__department"), company
    )
    ids = visible_employee_ids(user=user, company=company)
    if ids is None:
        return qs
    if not ids:
        raise PermissionDenied(_("You do not have permission to do this."), extra={"perm": VIEW})
    return qs.filter(employee_id__in=ids)


def attendance_get_for_user(*, user: Any, company: Any, public_id: Any) -> AttendanceRecord:
    return _get(attendance_list(user=user, company=company), public_id, _("Attendance record"))


def timesheet_employees(*, user: Any, company: Any,
                        department: Any = None) -> QuerySet[Employee]:  # fmt: skip
    """People on the timesheet: HR sees the company, a manager their team, a person themself."""
    qs = scope_to_company(Employee.objects.select_related("department", "work_schedule"), company)
    ids = visible_employee_ids(user=user, company=company)
    if ids is not None:
        if not ids:
            raise PermissionDenied(_("You do not have permission to do this."))
        qs = qs.filter(pk__in=ids)
    if department is not None:
        qs = qs.filter(department=department)
    return qs.exclude(status=EmployeeStatus.LEFT).order_by("department__name", "full_name")


# --- month summary (payroll) -------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not (1 <= month <= 12) or not (1900 <= year <= 2999):
        raise ValidationFailed(_("Not a valid month."), code="bad_month")
    return dt.date(year, month, 1), dt.date(year, month, _calendar.monthrange(year, month)[1])


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def day_kinds(company: Any, schedule: Any, first: dt.date, last: dt.date) -> dict[dt.date, str]:
    from backoffice.hr.services.attendance import day_kind_function

    kind_of = day_kind_function()
    if getattr(kind_of, "__module__", "") == "backoffice.hr.services.calendar":
        from backoffice.hr.services.calendar import CompanyCalendar

        calendar = CompanyCalendar(company, first, last, schedule)  # loaded once
        return {d: calendar.day_kind(d) for d in _days(first, last)}
    return {d: kind_of(company, d, schedule=schedule) for d in _days(first, last)}


def _day_weight(spec: ScheduleSpec, day: dt.date) -> Decimal:
    """A full working day is 1, a morning-only day its share of a full day."""
    full = spec.normal_minutes(dt.date(2026, 1, 5)) or 1
    weight = Decimal(spec.normal_minutes(day)) / Decimal(full)
    return weight.quantize(HUNDREDTH)


def _leave_days(employee: Employee, kinds: dict[dt.date, str], first: dt.date,
                last: dt.date, spec: ScheduleSpec) -> tuple[Decimal, Decimal]:  # fmt: skip
    """(paid, unpaid) approved leave falling on working days of the month."""
    from backoffice.hr.enums import LeaveRequestState
    from backoffice.hr.models import LeaveRequest

    paid = unpaid = ZERO
    requests = LeaveRequest.objects.filter(
        employee=employee, state=LeaveRequestState.APPROVED,
        start_date__lte=last, end_date__gte=first,
    ).select_related("leave_type")  # fmt: skip
    for req in requests:
        days = ZERO
        for day in _days(max(first, req.start_date), min(last, req.end_date)):
            if kinds.get(day) != WORKING:
                continue
            weight = _day_weight(spec, day)
            if (day == req.start_date and req.start_half) or (day == req.end_date and req.end_half):
                weight = min(weight, Decimal("0.5"))
            days += weight
        if req.leave_type.paid:
            paid += days
        else:
            unpaid += days
    return paid, unpaid


def _daily_cap_hits(records: list[dict[str, Any]], spec: ScheduleSpec, company: Any) -> int:
    from backoffice.hr.services.attendance import limits_on

    hits = 0
    for rec in records:
        limits = limits_on(company, rec["date"])
        cap = (
            (spec.hours_per_day * limits.ot_percent_daily / 100).quantize(HUNDREDTH)
            if rec["ot_weekday"]
            else limits.rest_day_max_hours
        )
        if rec["ot_weekday"] + rec["ot_rest_day"] + rec["ot_holiday"] > cap:
            hits += 1
    return hits


def month_summary(*, company: Any, employee: Employee, year: int, month: int) -> dict[str, Any]:
    """One person's month for payroll: standard working days, paid holidays,
    worked days, approved leave, hours by kind, overtime by kind and cap flags.
    A pure read: the caller checks who may see it."""
    first, last = month_bounds(year, month)
    schedule = schedule_for(employee)
    spec = ScheduleSpec.of(schedule)
    kinds = day_kinds(company, schedule, first, last)
    start = max(first, employee.hire_date)
    end = min(last, employee.termination_date or last)
    employed = [d for d in _days(first, last) if start <= d <= end]
    standard = sum((_day_weight(spec, d) for d in employed if kinds[d] == WORKING), ZERO)
    holidays = sum(
        (_day_weight(spec, d) for d in employed if kinds[d] == HOLIDAY and spec.works_on(d)), ZERO
    )
    rows = list(
        AttendanceRecord.objects.filter(employee=employee, date__range=(first, last)).values(
            "date", *SUM_FIELDS
        )
    )
    totals = {f: sum((r[f] for r in rows), ZERO) for f in SUM_FIELDS}
    hpd = spec.hours_per_day or Decimal(8)
    worked_days = (totals["worked_hours"] / hpd).quantize(HUNDREDTH)
    paid_leave, unpaid_leave = _leave_days(employee, kinds, start, end, spec)
    month_ot = sum((totals[f] for f in OT_FIELDS), ZERO)
    year_ot = AttendanceRecord.objects.filter(
        employee=employee, date__range=(dt.date(year, 1, 1), last)
    ).aggregate(**{f: Sum(f) for f in OT_FIELDS})
    caps = CapCheck(
        month_hours=month_ot,
        year_hours=sum((year_ot[f] or ZERO for f in OT_FIELDS), ZERO),
        month_cap=overtime_month_cap(company, last),
        year_cap=overtime_year_cap(company, last),
        days_over_daily_cap=_daily_cap_hits(
            [r for r in rows if any(r[f] for f in OT_FIELDS)], spec, company
        ),  # fmt: skip
    )
    return {
        "employee": employee.code,
        "year": year,
        "month": month,
        "schedule": schedule.name if schedule else "",
        "hours_per_day": hpd,
        "standard_days": standard,
        "paid_holidays": holidays,
        "days_present": sum(1 for r in rows if r["worked_hours"] or any(r[f] for f in OT_FIELDS)),
        "worked_days": worked_days,
        "paid_leave_days": paid_leave,
        "unpaid_leave_days": unpaid_leave,
        "paid_days": worked_days + holidays + paid_leave,
        "hours": {"normal": totals["worked_hours"], "night": totals["night_hours"]},
        "overtime": {
            "weekday": totals["ot_weekday"],
            "rest_day": totals["ot_rest_day"],
            "holiday": totals["ot_holiday"],
            "night": totals["ot_night"],
            "total": month_ot,
        },  # fmt: skip
        "caps": caps.as_dict(),
    }


# --- overtime-cap report ----------------------------------------------------------------


def overtime_report(company: Any, year: int, month: int,
                    employee_ids: set[int] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Every person with overtime this year up to the month: the month's and the
    year's hours by kind against the caps (40 h / 200 or 300 h / 50 % a day).
    Rows over a cap first. A pure read: the caller scopes ``employee_ids``."""
    first, last = month_bounds(year, month)
    qs = AttendanceRecord.objects.filter(company=company, date__range=(dt.date(year, 1, 1), last))
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=employee_ids)
    in_month = Q(date__gte=first)
    agg = {f"year_{f}": Sum(f) for f in OT_FIELDS}
    agg |= {f"month_{f}": Sum(f, filter=in_month) for f in (*OT_FIELDS, "ot_night")}
    agg["month_days"] = Count("pk", filter=in_month & (Q(ot_weekday__gt=0) | Q(
        ot_rest_day__gt=0) | Q(ot_holiday__gt=0)))  # fmt: skip
    per = list(
        qs.filter(Q(ot_weekday__gt=0) | Q(ot_rest_day__gt=0) | Q(ot_holiday__gt=0))
        .values("employee_id").annotate(**agg)
    )  # fmt: skip
    if not per:
        return []
    people = {
        e.pk: e
        for e in Employee.objects.filter(pk__in=[p["employee_id"] for p in per]).select_related(
            "department", "work_schedule"
        )
    }
    default = default_schedule(company)
    month_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for rec in (
        qs.filter(in_month)
        .filter(Q(ot_weekday__gt=0) | Q(ot_rest_day__gt=0) | Q(ot_holiday__gt=0))
        .values("employee_id", "date", *OT_FIELDS)
    ):
        month_rows[rec["employee_id"]].append(rec)
    month_cap, year_cap = overtime_month_cap(company, last), overtime_year_cap(company, last)
    out = []
    for p in per:
        emp = people[p["employee_id"]]
        spec = ScheduleSpec.of(schedule_for(emp, default))
        month = {f: p[f"month_{f}"] or ZERO for f in (*OT_FIELDS, "ot_night")}
        caps = CapCheck(
            month_hours=sum((month[f] for f in OT_FIELDS), ZERO),
            year_hours=sum((p[f"year_{f}"] or ZERO for f in OT_FIELDS), ZERO),
            month_cap=month_cap, year_cap=year_cap,
            days_over_daily_cap=_daily_cap_hits(month_rows.get(emp.pk, []), spec, company),
        )  # fmt: skip
        out.append({
            "employee": emp, "code": emp.code, "name": emp.full_name,
            "department": emp.department.name if emp.department_id else "",
            "month": {"weekday": month["ot_weekday"], "rest_day": month["ot_rest_day"],
                      "holiday": month["ot_holiday"], "night": month["ot_night"]},
            "days_with_overtime": p["month_days"],
            **caps.as_dict(),
        })  # fmt: skip
    out.sort(key=lambda r: (not r["flags"], -r["year_hours"], r["name"]))
    return out
