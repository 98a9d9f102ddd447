"""Desk pages of leave (namespace ``hr``, under /desk/hr/leave/): the team
leave calendar (a manager sees their team, HR everybody, everyone themself;
holidays shown) and the balances page (HR: every person's balances, a balance
adjustment form and the accrual button)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, PermissionDenied
from backoffice.core.models import Department
from backoffice.core.request_context import request_company
from backoffice.hr.models import LeaveType
from backoffice.hr.selectors import leave as sel
from backoffice.hr.selectors.access import is_company_member
from backoffice.hr.services import leave as svc

T = "hr/leave/"


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _denied(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, T + "denied.html",
                  _ctx(request, title=_("Access denied"), message=message), status=403)  # fmt: skip


def _calendar(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if not is_company_member(user=request.user, company=company):
        return _denied(request, _("You hold no role in this company."))
    start, end = sel.month_bounds(request.GET.get("month"), svc.today())
    dept_id = request.GET.get("department") or ""
    dept = (
        Department.objects.filter(company=company, public_id=dept_id).first()
        if _uuid(dept_id)
        else None
    )
    data = sel.team_calendar(user=request.user, company=company, start=start, end=end,
                             department=dept)  # fmt: skip
    prev = (start - dt.timedelta(days=1)).strftime("%Y-%m")
    nxt = (end + dt.timedelta(days=1)).strftime("%Y-%m")
    return render(request, T + "calendar.html", _ctx(
        request, title=_("Leave calendar %(m)s") % {"m": start.strftime("%m/%Y")},
        prev=prev, next=nxt, month=start.strftime("%Y-%m"), **data,
        holidays=[(d, n) for d, n in ((x["date"], x["holiday"]) for x in data["days"]) if n],
    ))  # fmt: skip


def _uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _balances(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not request.user.has_perm("hr.view_leave"):
        return _denied(request, _("You do not have permission to open this page."))
    on = svc.today()
    if request.method == "POST":
        _post(request, company)
        return HttpResponseRedirect(reverse("hr:leave_balances"))
    people = list(sel.leave_employee_list(user=request.user, company=company)
                  .order_by("code")[:1000])  # fmt: skip
    rows = []
    for emp in people:
        for b in svc.leave_balances(emp, on):
            rows.append({"employee": emp, **b})
    return render(request, T + "balances.html", _ctx(
        request, title=_("Leave balances %(y)s") % {"y": on.year}, rows=rows, year=on.year,
        people=people, types=LeaveType.objects.filter(company=company, uses_balance=True),
        may_manage=request.user.has_perm("hr.manage_leave"),
    ))  # fmt: skip


def _post(request: HttpRequest, company: Any) -> None:
    try:
        if request.POST.get("op") == "accrue":
            n = svc.leave_accrue(actor=request.user, company=company,
                                 year=int(request.POST.get("year") or svc.today().year))  # fmt: skip
            messages.success(request, _("%(n)s ledger rows written.") % {"n": n})
            return
        emp = sel.leave_employee_get_for_user(user=request.user, company=company,
                                              public_id=request.POST.get("employee"))  # fmt: skip
        lt = sel.leave_type_list(user=request.user, company=company).filter(
            public_id=request.POST.get("leave_type")
        ).first() if _uuid(request.POST.get("leave_type") or "") else None  # fmt: skip
        if lt is None:
            raise ApplicationError(_("Leave type not found."), code="not_found")
        try:
            days = Decimal(request.POST.get("days") or "")
        except InvalidOperation:
            raise ApplicationError(_("Enter a number of days."), code="invalid_days") from None
        svc.leave_adjust(actor=request.user, company=company, employee=emp, leave_type=lt,
                         year=int(request.POST.get("year") or svc.today().year), days=days,
                         note=request.POST.get("note") or "")  # fmt: skip
        messages.success(request, _("The balance was adjusted."))
    except (ValueError, PermissionDenied, ApplicationError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))


leave_calendar = admin.site.admin_view(_calendar)
leave_balances = admin.site.admin_view(_balances)

urlpatterns: list[URLPattern] = [
    path("leave/calendar/", leave_calendar, name="leave_calendar"),
    path("leave/balances/", leave_balances, name="leave_balances"),
]
