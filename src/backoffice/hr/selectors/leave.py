"""Leave reads, scoped by company and by who may see whom:

* ``hr.view_leave`` (HR, payroll): every request, balance and ledger row;
* a line manager: their team's requests and the team calendar
  (:func:`backoffice.hr.selectors.access.team_employee_ids`), never another
  department's;
* everybody: their own requests, balances and ledger rows;
* leave types and holidays: every member of the company.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import PermissionDenied
from backoffice.core.models import Company
from backoffice.core.selectors import _get, scope_to_company
from backoffice.hr.enums import EmployeeStatus, LeaveRequestState, PersonKind
from backoffice.hr.models import Employee, HolidayOverride, LeaveEntry, LeaveRequest, LeaveType
from backoffice.hr.selectors.access import employee_for_user, is_company_member, team_employee_ids


def _require_member(user: Any, company: Company | None) -> None:
    if not is_company_member(user=user, company=company) and not getattr(
        user, "is_superuser", False
    ):
        raise PermissionDenied(_("You hold no role in this company."), code="no_role")


def sees_all_leave(user: Any) -> bool:
    return bool(user.has_perm("hr.view_leave"))


def visible_employee_ids(*, user: Any, company: Company | None) -> set[int] | None:
    """None: everybody (HR); otherwise the user's own record and their team."""
    if company is None:
        return set()
    if sees_all_leave(user):
        return None
    ids = team_employee_ids(user=user, company=company)
    me = employee_for_user(user=user, company=company)
    if me is not None:
        ids.add(me.pk)
    return ids


def leave_type_list(*, user: Any, company: Company | None) -> QuerySet[LeaveType]:
    if company is None:
        return LeaveType.objects.none()
    _require_member(user, company)
    return scope_to_company(LeaveType.objects.all(), company)


def holiday_override_list(*, user: Any, company: Company | None) -> QuerySet[HolidayOverride]:
    if company is None:
        return HolidayOverride.objects.none()
    _require_member(user, company)
    return scope_to_company(HolidayOverride.objects.all(), company)


def leave_request_list(*, user: Any, company: Company | None) -> QuerySet[LeaveRequest]:
    qs = scope_to_company(
        LeaveRequest.objects.select_related("employee", "employee__department", "leave_type"),
        company,
    )
    if company is None:
        return qs
    _require_member(user, company)
    ids = visible_employee_ids(user=user, company=company)
    return qs if ids is None else qs.filter(employee_id__in=ids)


def leave_request_get_for_user(*, user: Any, company: Company | None, public_id: Any):
    return _get(leave_request_list(user=user, company=company), public_id, _("Leave request"))


def leave_entry_list(*, user: Any, company: Company | None) -> QuerySet[LeaveEntry]:
    """The ledger: HR sees all rows, a person their own (managers see their
    team's requests and calendar, not the ledger)."""
    qs = scope_to_company(
        LeaveEntry.objects.select_related("employee", "leave_type", "request"), company
    )
    if company is None:
        return qs
    _require_member(user, company)
    if sees_all_leave(user):
        return qs
    me = employee_for_user(user=user, company=company)
    return qs.filter(employee=me) if me is not None else qs.none()


def leave_employee_list(*, user: Any, company: Company | None) -> QuerySet[Employee]:
    """People whose leave the user may see (for balances and the calendar)."""
    qs = scope_to_company(
        Employee.objects.filter(kind=PersonKind.EMPLOYEE).select_related("department"), company
    )
    if company is None:
        return qs
    _require_member(user, company)
    ids = visible_employee_ids(user=user, company=company)
    return qs if ids is None else qs.filter(pk__in=ids)


def leave_employee_get_for_user(*, user: Any, company: Company | None, public_id: Any):
    return _get(leave_employee_list(user=user, company=company), public_id, _("Employee"))


def month_bounds(month: str | None, today: dt.date) -> tuple[dt.date, dt.date]:
    """``"2026-11"`` → (01/11/2026, 30/11/2026); anything else: this month."""
    try:
        year, mon = (int(p) for p in (month or "").split("-"))
        if not 1900 <= year <= 2200:
            raise ValueError(year)
        start = dt.date(year, mon, 1)
    except (TypeError, ValueError):
        start = today.replace(day=1)
    return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])


def team_calendar(
    *,
    user: Any,
    company: Company,
    start: dt.date,
    end: dt.date,
    department: Any = None,
) -> dict[str, Any]:
    """Days of ``[start, end]`` with their kind and holiday name, and one row per
    visible person with their approved or pending leave on each day."""
    from backoffice.hr.services.calendar import CompanyCalendar

    cal = CompanyCalendar(company, start, end)
    holidays = dict(cal.holidays())
    days = [
        {"date": d, "kind": cal.day_kind(d), "holiday": holidays.get(d, "")}
        for d in (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    ]
    people = leave_employee_list(user=user, company=company).exclude(
        Q(status=EmployeeStatus.LEFT) & Q(termination_date__lt=start)
    )
    if department is not None:
        people = people.filter(department=department)
    people = list(people.order_by("department__name", "full_name")[:500])
    requests = LeaveRequest.objects.filter(
        company=company,
        employee__in=people,
        state__in=[LeaveRequestState.APPROVED, LeaveRequestState.PENDING],
        start_date__lte=end,
        end_date__gte=start,
    ).select_related("leave_type")
    marks: dict[tuple[int, dt.date], LeaveRequest] = {}
    for req in requests:
        d = max(req.start_date, start)
        while d <= min(req.end_date, end):
            marks[(req.employee_id, d)] = req
            d += dt.timedelta(days=1)
    rows = []
    for emp in people:
        cells = []
        for day in days:
            req = marks.get((emp.pk, day["date"]))
            cells.append(
                {
                    "date": day["date"], "kind": day["kind"],
                    "leave": req.leave_type.code if req else "",
                    "state": req.state if req else "",
                    "request": req,
                }
            )  # fmt: skip
        rows.append({"employee": emp, "cells": cells})
    return {"start": start, "end": end, "days": days, "rows": rows}
