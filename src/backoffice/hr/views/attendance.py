"""Desk pages: the monthly timesheet grid (``/desk/hr/attendance/timesheet/``)
and the overtime-cap report (``/desk/hr/attendance/overtime/``).

The timesheet is open to HR/payroll (``hr.view_attendance``: the company) and to
line managers (their team only); the overtime report to ``hr.view_attendance``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError
from backoffice.core.models import Department
from backoffice.hr.calculations.attendance import HOLIDAY, REST, ZERO
from backoffice.hr.selectors import attendance as sel
from backoffice.hr.selectors.access import team_employee_ids

PAGE_ROWS = 100
EXPORT_ROWS = 5000


def may_open_timesheet(user: Any, company: Any) -> bool:
    if company is None or not getattr(user, "is_authenticated", False):
        return False
    if user.has_perm(sel.VIEW):
        return True
    return bool(team_employee_ids(user=user, company=company))


def _month(request: HttpRequest) -> tuple[int, int]:
    raw = request.GET.get("month") or ""
    try:
        year, month = (int(x) for x in raw.split("-", 1))
        sel.month_bounds(year, month)
        return year, month
    except (ValueError, ApplicationError):
        today = timezone.localdate()
        return today.year, today.month


def _shift(year: int, month: int, by: int) -> str:
    n = year * 12 + (month - 1) + by
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def _num(value: Decimal) -> str:
    if not value:
        return ""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _ctx(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "title": title, **extra}


def _leave_marks(employee_ids: list[int], first: dt.date, last: dt.date) -> dict:
    from backoffice.hr.enums import LeaveRequestState
    from backoffice.hr.models import LeaveRequest

    marks: dict[tuple[int, dt.date], str] = {}
    for req in LeaveRequest.objects.filter(
        employee_id__in=employee_ids, state=LeaveRequestState.APPROVED,
        start_date__lte=last, end_date__gte=first,
    ).select_related("leave_type"):  # fmt: skip
        day = max(first, req.start_date)
        while day <= min(last, req.end_date):
            marks[(req.employee_id, day)] = "P" if req.leave_type.paid else "KL"
            day += dt.timedelta(days=1)
    return marks


def _grid(company: Any, people: list[Any], first: dt.date, last: dt.date,
          default: Any = ...) -> tuple[list[dt.date], list[dict[str, Any]], dict]:  # fmt: skip
    """The timesheet's rows: one cell per day (text, css) and the totals."""
    if default is ...:
        default = sel.default_schedule(company)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    kinds_by_schedule: dict[Any, dict[dt.date, str]] = {}
    records: dict[tuple[int, dt.date], dict[str, Any]] = {}
    for rec in sel.scope_to_company(sel.AttendanceRecord.objects, company).filter(
        employee_id__in=[p.pk for p in people], date__range=(first, last)
    ).values("employee_id", "date", *sel.SUM_FIELDS):  # fmt: skip
        records[(rec["employee_id"], rec["date"])] = rec
    leave = _leave_marks([p.pk for p in people], first, last)
    rows = []
    for person in people:
        schedule = sel.schedule_for(person, default)
        key = getattr(schedule, "pk", None)
        if key not in kinds_by_schedule:
            kinds_by_schedule[key] = sel.day_kinds(company, schedule, first, last)
        kinds = kinds_by_schedule[key]
        cells, normal, overtime, present = [], ZERO, ZERO, 0
        for day in days:
            rec = records.get((person.pk, day))
            kind = kinds[day]
            text, css = "", kind
            if rec is not None:
                ot = sum((rec[f] for f in sel.OT_FIELDS), ZERO)
                normal += rec["worked_hours"]
                overtime += ot
                present += 1
                text = _num(rec["worked_hours"]) + (f"+{_num(ot)}" if ot else "")
                text = text.lstrip("+") if not rec["worked_hours"] else text
                css = f"{kind} worked"
            elif (person.pk, day) in leave:
                text, css = leave[(person.pk, day)], "leave"
            elif kind == HOLIDAY:
                text = "L"
            cells.append({"text": text, "css": css})
        rows.append({"person": person, "cells": cells, "normal": _num(normal),
                     "overtime": _num(overtime), "present": present,
                     "normal_value": normal, "overtime_value": overtime})  # fmt: skip
    return days, rows, kinds_by_schedule


def _xlsx(company: Any, year: int, month: int, days: list[dt.date],
          rows: list[dict[str, Any]]) -> HttpResponse:  # fmt: skip
    from io import BytesIO

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"{month:02d}-{year}"
    ws.append([_("Timesheet %(m)02d/%(y)d") % {"m": month, "y": year}, company.name])
    ws["A1"].font = Font(bold=True)
    ws.append([_("Code"), _("Employee"), _("Department"), *[d.day for d in days],
               _("Days"), _("Normal hours"), _("Overtime hours")])  # fmt: skip
    for r in rows:
        p = r["person"]
        ws.append([p.code, p.full_name, p.department.name if p.department_id else "",
                   *[c["text"] for c in r["cells"]], r["present"], r["normal_value"],
                   r["overtime_value"]])  # fmt: skip
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bang-cham-cong-{year:04d}-{month:02d}-{company.code}.xlsx"'
    )
    return response


def timesheet_view(request: HttpRequest) -> HttpResponse:
    company = getattr(request, "company", None)
    if not may_open_timesheet(request.user, company):
        raise PermissionDenied
    year, month = _month(request)
    first, last = sel.month_bounds(year, month)
    departments = Department.objects.filter(company=company).order_by("name")
    department = None
    try:
        wanted = uuid.UUID(request.GET.get("department") or "")
    except ValueError:
        wanted = None
    if wanted is not None:
        department = departments.filter(public_id=wanted).first()
    people = sel.timesheet_employees(user=request.user, company=company, department=department)
    if request.GET.get("export") == "xlsx":
        people_all = list(people[:EXPORT_ROWS])
        days, rows, _kinds = _grid(company, people_all, first, last)
        return _xlsx(company, year, month, days, rows)
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    total = people.count()
    people = list(people[(page - 1) * PAGE_ROWS : page * PAGE_ROWS])
    default = sel.default_schedule(company)
    days, rows, kinds_by_schedule = _grid(company, people, first, last, default)
    if not request.user.has_perm(sel.VIEW):
        team = {p.department_id for p in sel.timesheet_employees(user=request.user,
                                                                 company=company)}  # fmt: skip
        departments = departments.filter(pk__in=team)
    return render(request, "hr/attendance/timesheet.html", _ctx(
        request, _("Timesheet %(m)02d/%(y)d") % {"m": month, "y": year},
        days=[{"date": d, "kind": kinds_by_schedule.get(getattr(default, "pk", None), {}).get(
            d, REST if d.weekday() >= 5 else "working")} for d in days],
        rows=rows, departments=departments, department=department,
        month_value=f"{year:04d}-{month:02d}", prev=_shift(year, month, -1),
        next=_shift(year, month, 1), page=page, total=total,
        pages=max(1, (total + PAGE_ROWS - 1) // PAGE_ROWS),
    ))  # fmt: skip


def overtime_view(request: HttpRequest) -> HttpResponse:
    company = getattr(request, "company", None)
    if company is None or not request.user.has_perm(sel.VIEW):
        raise PermissionDenied
    if request.method == "POST":
        from backoffice.hr.services.attendance import overtime_sector_set

        try:
            overtime_sector_set(actor=request.user, company=company,
                                extended=request.POST.get("extended") == "1")  # fmt: skip
            messages.success(request, _("The yearly overtime cap was changed."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(request.get_full_path())
    year, month = _month(request)
    only = request.GET.get("flagged") == "1"
    rows = sel.overtime_report(company, year, month)
    if only:
        rows = [r for r in rows if r["flags"]]
    by_flag: dict[str, int] = defaultdict(int)
    for r in rows:
        for flag in r["flags"]:
            by_flag[flag] += 1
    _first, last = sel.month_bounds(year, month)
    return render(request, "hr/attendance/overtime.html", _ctx(
        request, _("Overtime caps %(m)02d/%(y)d") % {"m": month, "y": year},
        rows=rows, month_value=f"{year:04d}-{month:02d}", prev=_shift(year, month, -1),
        next=_shift(year, month, 1), flagged=only, counts=dict(by_flag),
        month_cap=sel.overtime_month_cap(company, last),
        year_cap=sel.overtime_year_cap(company, last),
        extended=bool(((company.settings or {}).get("hr_attendance") or {}).get(
            "extended_overtime")),
        may_manage=request.user.has_perm("hr.manage_attendance"),
    ))  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("attendance/timesheet/", admin.site.admin_view(timesheet_view),
         name="attendance_timesheet"),
    path("attendance/overtime/", admin.site.admin_view(overtime_view),
         name="attendance_overtime"),
]  # fmt: skip
