"""Reads of the portal, always scoped to the logged-in person (``me``) or to
the team they lead (``hr.selectors.team_employee_ids``)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.selectors import _get

ACTIVE_LEAVE = ("pending", "approved")


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


# --- leave ---------------------------------------------------------------------------
def my_leave_requests(me: Any) -> QuerySet[Any]:
    from backoffice.hr.models import LeaveRequest

    return LeaveRequest.objects.select_related("leave_type").filter(
        company=me.company, employee=me.employee
    )


def my_leave_request(me: Any, public_id: Any) -> Any:
    return _get(my_leave_requests(me), public_id, _("Leave request"))


def leave_types(me: Any) -> QuerySet[Any]:
    from backoffice.hr.models import LeaveType

    return LeaveType.objects.filter(company=me.company, is_active=True).order_by("code")


def my_balances(me: Any) -> list[dict[str, Any]]:
    """One row per leave type: name, available (balance - waiting), granted, taken, pending."""
    from backoffice.hr.services.leave import leave_balances

    return [
        {
            "name": row["name"],
            "balance": row["available"],
            "entitled": row["granted"],
            "taken": row["taken"],
            "pending": row["pending"],
            "raw": row,
        }
        for row in leave_balances(me.employee, me.today)
    ]


# --- attendance ------------------------------------------------------------------------
def my_attendance(me: Any, year: int, month: int) -> QuerySet[Any]:
    from backoffice.hr.models import AttendanceRecord

    start, end = month_bounds(year, month)
    return AttendanceRecord.objects.filter(
        company=me.company, employee=me.employee, date__range=(start, end)
    ).order_by("-date")


def my_attendance_today(me: Any) -> Any:
    from backoffice.hr.models import AttendanceRecord

    return AttendanceRecord.objects.filter(
        company=me.company, employee=me.employee, date=me.today
    ).first()


def my_month_summary(me: Any, year: int, month: int) -> dict[str, Any] | None:
    from backoffice.hr.selectors.attendance import month_summary

    try:
        return month_summary(company=me.company, employee=me.employee, year=year, month=month)
    except ApplicationError:  # e.g. a month before the hire: the list of days stays usable
        return None


# --- tasks ---------------------------------------------------------------------------
def my_open_tasks(me: Any) -> QuerySet[Any]:
    from backoffice.workflow.models import TaskState
    from backoffice.workflow.selectors import my_tasks

    open_states = [s for s in TaskState.values if s not in ("done", "cancelled")]
    return (
        my_tasks(user=me.user, company=me.company)
        .filter(assignee=me.user, state__in=open_states)
        .order_by("due_date", "id")
    )


def my_done_tasks(me: Any) -> QuerySet[Any]:
    from backoffice.workflow.selectors import my_tasks

    return (
        my_tasks(user=me.user, company=me.company)
        .filter(assignee=me.user, state="done")
        .order_by("-completed_at")[:20]
    )


def my_task(me: Any, public_id: Any) -> Any:
    from backoffice.workflow.selectors import my_tasks

    qs = my_tasks(user=me.user, company=me.company).filter(assignee=me.user)
    return _get(qs, public_id, _("Task"))


# --- documents -------------------------------------------------------------------------
def my_documents(me: Any) -> QuerySet[Any]:
    """What ``records.selectors.visible_documents`` lets the person see, limited
    to their own uploads and the documents of their own person record and contracts."""
    from backoffice.hr.models import Contract, Employee
    from backoffice.records.selectors import visible_documents

    contract_ids = [
        str(pk) for pk in Contract.objects.filter(employee=me.employee).values_list("pk", flat=True)
    ]
    mine = (
        Q(uploaded_by=me.user)
        | Q(owner_type=ContentType.objects.get_for_model(Employee), owner_id=str(me.employee.pk))
        | Q(owner_type=ContentType.objects.get_for_model(Contract), owner_id__in=contract_ids)
    )
    return visible_documents(user=me.user, company=me.company).filter(mine).order_by("-created_at")


# --- collaborators ---------------------------------------------------------------------
def my_agreements(me: Any) -> QuerySet[Any]:
    from backoffice.hr.enums import ContractType
    from backoffice.hr.models import Contract

    return (
        Contract.objects.filter(
            company=me.company, employee=me.employee, contract_type=ContractType.SERVICE
        )
        .exclude(state__in=["draft", "cancelled"])
        .order_by("-start_date", "-id")
    )


def my_worklogs(me: Any) -> QuerySet[Any]:
    from backoffice.hr.models import WorkLog

    return WorkLog.objects.filter(company=me.company, employee=me.employee).order_by("-date", "-id")


def my_worklog(me: Any, public_id: Any) -> Any:
    return _get(my_worklogs(me), public_id, _("Work log"))


# --- team (line managers) -------------------------------------------------------------------
def team_ids(me: Any) -> set[int]:
    from backoffice.hr.selectors import team_employee_ids

    return team_employee_ids(user=me.user, company=me.company)


def leads_someone(me: Any) -> bool:
    """Cheap form of ``bool(team_ids(me))`` for every page view: someone reports to
    me, or works in a department I manage (or below it)."""
    from backoffice.hr.models import Employee
    from backoffice.hr.selectors import managed_department_ids

    others = Employee.objects.filter(company=me.company).exclude(pk=me.employee.pk)
    if others.filter(manager=me.employee).exists():
        return True
    depts = managed_department_ids(user=me.user, company=me.company)
    return bool(depts) and others.filter(department_id__in=depts).exists()


def may_open_team(me: Any, pending: list[Any]) -> bool:
    """The team page is for whoever has a leave decision waiting (``pending``,
    from :func:`team_pending_leave`) or leads someone."""
    return bool(pending) or leads_someone(me)


def team_pending_leave(me: Any) -> list[dict[str, Any]]:
    """Leave requests waiting for ``me``'s decision (as approver or delegate)."""
    from backoffice.hr.models import LeaveRequest
    from backoffice.workflow.selectors import pending_steps_for

    steps = [
        s for s in pending_steps_for(user=me.user, company=me.company)
        if s.request.request_type == "leave"
    ]  # fmt: skip
    ids = [s.request.subject_id for s in steps]
    leaves = (
        LeaveRequest.objects.filter(company=me.company)
        .select_related("employee", "leave_type")
        .in_bulk(ids)
    )
    return [
        {"step": s, "approval": s.request, "leave": leaves.get(s.request.subject_id)}
        for s in steps
        if leaves.get(s.request.subject_id) is not None
    ]


def team_pending_approval(me: Any, public_id: Any) -> Any:
    for row in team_pending_leave(me):
        if str(row["approval"].public_id) == str(public_id):
            return row
    raise NotFound(_("Request not found."))


def team_calendar(me: Any, year: int, month: int) -> dict[str, Any]:
    """Days of the month x team members: leave (approved / pending), rest days, holidays."""
    from backoffice.hr.models import Employee, LeaveRequest

    start, end = month_bounds(year, month)
    ids = team_ids(me)
    people = list(
        Employee.objects.filter(company=me.company, pk__in=ids)
        .exclude(status="left")
        .order_by("full_name")
    )
    leaves = LeaveRequest.objects.filter(
        company=me.company,
        employee_id__in=ids,
        state__in=ACTIVE_LEAVE,
        start_date__lte=end,
        end_date__gte=start,
    ).select_related("leave_type", "employee")
    by_person: dict[int, dict[dt.date, str]] = {}
    for lr in leaves:
        day = max(lr.start_date, start)
        while day <= min(lr.end_date, end):
            cell = by_person.setdefault(lr.employee_id, {})
            if cell.get(day) != "approved":
                cell[day] = lr.state
            day += dt.timedelta(days=1)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    holidays = _holidays(me.company, start, end)
    return {
        "days": [
            {"date": d, "holiday": holidays.get(d), "weekend": d.weekday() >= 5} for d in days
        ],  # fmt: skip
        "rows": [
            {
                "employee": p,
                "cells": [_cell(by_person.get(p.pk, {}).get(d, ""), d, holidays) for d in days],
            }  # fmt: skip
            for p in people
        ],
        "holidays": sorted(holidays.items()),
        "leaves": sorted(leaves, key=lambda lr: (lr.start_date, lr.employee.full_name)),
    }


def _cell(state: str, day: dt.date, holidays: dict[dt.date, str]) -> str:
    """The CSS class of one calendar cell: the leave state, else holiday / weekend."""
    if state:
        return state
    if day in holidays:
        return "hol"
    return "we" if day.weekday() >= 5 else ""


def _holidays(company: Any, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    from backoffice.hr.services.calendar import holidays_between

    return {d: str(name) for d, name in holidays_between(company, start, end)}
