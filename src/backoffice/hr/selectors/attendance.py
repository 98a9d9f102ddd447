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

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.lookups import GreaterThan
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


def _leave_days_bulk(
    company: Any, people: dict[int, tuple[dt.date, dt.date, ScheduleSpec, dict[dt.date, str]]],
    first: dt.date, last: dt.date,
) -> dict[int, tuple[Decimal, Decimal]]:  # fmt: skip
    """employee id -> (paid, unpaid) approved leave on working days of the
    employed part of the month; one query for everyone."""
    from backoffice.hr.enums import LeaveRequestState
    from backoffice.hr.models import LeaveRequest

    out: dict[int, tuple[Decimal, Decimal]] = {}
    requests = _for_people(
        LeaveRequest.objects.filter(
            company=company, state=LeaveRequestState.APPROVED,
            start_date__lte=last, end_date__gte=first,
        ), people,
    ).select_related("leave_type")  # fmt: skip
    for req in requests:
        if req.employee_id not in people:
            continue
        start, end, spec, kinds = people[req.employee_id]
        days = ZERO
        for day in _days(max(start, req.start_date), min(end, req.end_date)):
            if kinds.get(day) != WORKING:
                continue
            weight = _day_weight(spec, day)
            if (day == req.start_date and req.start_half) or (day == req.end_date and req.end_half):
                weight = min(weight, Decimal("0.5"))
            days += weight
        paid, unpaid = out.get(req.employee_id, (ZERO, ZERO))
        out[req.employee_id] = (paid + days, unpaid) if req.leave_type.paid else (
            paid, unpaid + days)  # fmt: skip
    return out


def _daily_caps(spec: ScheduleSpec, day: dt.date, company: Any,
                memo: dict[Any, tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal]:  # fmt: skip
    """(overtime cap of a working day, of a rest day or holiday) in force on ``day``
    under ``spec``; ``memo`` keeps them per (schedule, day)."""
    key = (spec, day)
    if key not in memo:
        from backoffice.hr.services.attendance import limits_on

        lim = limits_on(company, day)
        memo[key] = (
            (spec.hours_per_day * lim.ot_percent_daily / 100).quantize(HUNDREDTH),
            lim.rest_day_max_hours,
        )
    return memo[key]


def _daily_cap_hits(records: list[dict[str, Any]], spec: ScheduleSpec, company: Any,
                    memo: dict[Any, tuple[Decimal, Decimal]] | None = None) -> int:  # fmt: skip
    """How many of the day ``records`` have more overtime than the daily cap."""
    hits = 0
    memo = memo if memo is not None else {}
    for rec in records:
        weekday_cap, rest_cap = _daily_caps(spec, rec["date"], company, memo)
        cap = weekday_cap if rec["ot_weekday"] else rest_cap
        if rec["ot_weekday"] + rec["ot_rest_day"] + rec["ot_holiday"] > cap:
            hits += 1
    return hits


_IN_LIMIT = 500  # above this many people, filter by company and drop the others in Python


def _for_people(qs: QuerySet[Any], ids: Any) -> QuerySet[Any]:
    return qs.filter(employee_id__in=list(ids)) if len(ids) <= _IN_LIMIT else qs


def month_summary(*, company: Any, employee: Employee, year: int, month: int) -> dict[str, Any]:
    """One person's month for payroll (see :func:`month_summaries`)."""
    return month_summaries(company, [employee], year, month)[employee.pk]


def schedules_of(company: Any, employees: list[Employee]) -> dict[int, WorkSchedule | None]:
    """employee id -> their work schedule, else the company default (two queries at most)."""
    ids = {e.work_schedule_id for e in employees if e.work_schedule_id}
    schedules = {s.pk: s for s in WorkSchedule.objects.filter(pk__in=ids)} if ids else {}
    default = default_schedule(company) if any(not e.work_schedule_id for e in employees) else None
    return {
        e.pk: schedules.get(e.work_schedule_id) if e.work_schedule_id else default
        for e in employees
    }


def month_summaries(
    company: Any, employees: Any, year: int, month: int
) -> dict[int, dict[str, Any]]:
    """Many people's months for payroll in a constant number of queries
    (grouped aggregates; one calendar per work schedule): employee id -> standard
    working days of the employed part (``standard_days``) and of the whole month
    incl. paid holidays on working days (``month_days``), paid holidays, worked
    days, approved leave, hours by kind, overtime by kind, cap flags and whether
    the person has any attendance record in the month (``has_attendance``).
    A pure read: the caller checks who may see it."""
    first, last = month_bounds(year, month)
    people = list(employees)
    if not people:
        return {}
    schedule_of = schedules_of(company, people)
    calendars: dict[Any, tuple[Any, ScheduleSpec, dict[dt.date, str], dict[dt.date, Decimal]]] = {}
    month_days = _days(first, last)
    ids = {e.pk for e in people}
    per: dict[int, tuple[dt.date, dt.date, ScheduleSpec, dict[dt.date, str]]] = {}
    cal_of: dict[int, Any] = {}
    day_hours: dict[Any, Decimal] = {}  # normal hours of a full day, per schedule
    for emp in people:
        schedule = schedule_of[emp.pk]
        key = getattr(schedule, "pk", None)
        if key not in calendars:
            spec = ScheduleSpec.of(schedule)
            kinds = day_kinds(company, schedule, first, last)
            weights = {d: _day_weight(spec, d) for d in month_days}
            calendars[key] = (schedule, spec, kinds, weights)
            day_hours[key] = spec.hours_per_day or Decimal(8)
        cal_of[emp.pk] = key
        start = max(first, emp.hire_date)
        end = min(last, emp.termination_date or last)
        per[emp.pk] = (start, end, calendars[key][1], calendars[key][2])
    sums = {f: Sum(f) for f in SUM_FIELDS}
    has_ot = Q(ot_weekday__gt=0) | Q(ot_rest_day__gt=0) | Q(ot_holiday__gt=0)
    month_qs = _for_people(
        AttendanceRecord.objects.filter(company=company, date__range=(first, last)), ids
    )
    # A day cannot be over its daily overtime cap with less overtime than the
    # month's lowest cap: the aggregate counts such days per person, and only
    # those days are read and checked against their own cap.
    caps_memo: dict[Any, tuple[Decimal, Decimal]] = {}
    lowest_cap = min(
        cap
        for cal in calendars.values()
        for day in month_days
        for cap in _daily_caps(cal[1], day, company, caps_memo)
    )
    maybe_over = Q(
        has_ot, GreaterThan(F("ot_weekday") + F("ot_rest_day") + F("ot_holiday"), lowest_cap)
    )
    totals_of = {
        r["employee_id"]: r
        for r in month_qs.values("employee_id").order_by().annotate(
            n=Count("pk"), present=Count("pk", filter=Q(worked_hours__gt=0) | has_ot),
            maybe_over=Count("pk", filter=maybe_over), **sums,
        )
    }  # fmt: skip
    ot_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    suspects = [pk for pk, r in totals_of.items() if r["maybe_over"]]
    if suspects:
        over_qs = _for_people(month_qs.filter(maybe_over), suspects)
        for rec in over_qs.values("employee_id", "date", *OT_FIELDS):
            ot_rows[rec["employee_id"]].append(rec)
    year_qs = _for_people(
        AttendanceRecord.objects.filter(company=company, date__range=(dt.date(year, 1, 1), last)),
        ids,
    )
    year_of = {
        r["employee_id"]: r
        for r in year_qs.filter(has_ot).values("employee_id").order_by().annotate(
            **{f: Sum(f) for f in OT_FIELDS})
    }  # fmt: skip
    leave = _leave_days_bulk(company, per, first, last)
    month_cap, year_cap = overtime_month_cap(company, last), overtime_year_cap(company, last)
    day_sums: dict[tuple[Any, dt.date, dt.date], tuple[Decimal, Decimal, Decimal]] = {}
    out: dict[int, dict[str, Any]] = {}
    for emp in people:
        schedule, spec, kinds, weights = calendars[cal_of[emp.pk]]
        start, end = per[emp.pk][:2]
        span = (cal_of[emp.pk], start, end)
        if span not in day_sums:  # most people share a schedule and the whole month
            standard = holidays = full = ZERO
            for d in month_days:
                kind = kinds[d]
                if kind == WORKING or (kind == HOLIDAY and spec.works_on(d)):
                    full += weights[d]
                    if start <= d <= end:
                        if kind == WORKING:
                            standard += weights[d]
                        else:
                            holidays += weights[d]
            day_sums[span] = (standard, holidays, full)
        standard, holidays, full = day_sums[span]
        row = totals_of.get(emp.pk) or {}
        totals = {f: Decimal(row.get(f) or 0).quantize(HUNDREDTH) for f in SUM_FIELDS}
        hpd = day_hours[cal_of[emp.pk]]
        worked_days = (totals["worked_hours"] / hpd).quantize(HUNDREDTH)
        paid_leave, unpaid_leave = leave.get(emp.pk, (ZERO, ZERO))
        month_ot = sum((totals[f] for f in OT_FIELDS), ZERO)
        year_row = year_of.get(emp.pk) or {}
        caps = CapCheck(
            month_hours=month_ot,
            year_hours=sum((Decimal(year_row.get(f) or 0) for f in OT_FIELDS), ZERO).quantize(
                HUNDREDTH
            ),
            month_cap=month_cap,
            year_cap=year_cap,
            days_over_daily_cap=_daily_cap_hits(ot_rows.get(emp.pk, []), spec, company, caps_memo),
        )
        out[emp.pk] = {
            "employee": emp.code,
            "year": year,
            "month": month,
            "schedule": schedule.name if schedule else "",
            "hours_per_day": hpd,
            "standard_days": standard,
            "month_days": full,
            "paid_holidays": holidays,
            "days_present": int(row.get("present") or 0),
            "has_attendance": bool(row.get("n")),
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
    return out


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


def payable_day_weights(
    company: Any, schedule: Any, year: int, month: int
) -> dict[dt.date, Decimal]:
    """Each day of the month -> its weight as a paid day under ``schedule`` (a
    working day or a public holiday on a day the schedule works: 1, a
    morning-only day its share; a rest day 0). Payroll splits a month at a
    salary change with it; one calendar read."""
    first, last = month_bounds(year, month)
    spec = ScheduleSpec.of(schedule)
    kinds = day_kinds(company, schedule, first, last)
    return {
        d: _day_weight(spec, d)
        if kinds[d] == WORKING or (kinds[d] == HOLIDAY and spec.works_on(d))
        else ZERO
        for d in _days(first, last)
    }
