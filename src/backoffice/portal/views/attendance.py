"""Attendance: check in / check out today (source "portal"), the month's records."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.exceptions import ApplicationError
from backoffice.portal import selectors as sel
from backoffice.portal.access import EMPLOYEE, Me, is_htmx, portal_page
from backoffice.portal.views.common import back, month_nav, page, parse_month


@portal_page(EMPLOYEE)
def attendance(request: HttpRequest, me: Me) -> HttpResponse:
    year, month = parse_month(request, me.today)
    ctx = {
        "today_record": sel.my_attendance_today(me),
        "records": list(sel.my_attendance(me, year, month)),
        "summary": sel.my_month_summary(me, year, month),
        "month": month_nav(year, month),
    }
    return page(request, me, "portal/attendance.html", ctx, active="attendance")


def _now_minute() -> dt.time:
    return timezone.localtime().time().replace(second=0, microsecond=0)


@require_POST
@portal_page(EMPLOYEE)
def attendance_check(request: HttpRequest, me: Me) -> HttpResponse:
    action = request.POST.get("action")
    record = sel.my_attendance_today(me)
    error = ""
    if action == "in" and record is not None and record.check_in:
        error = _("You have already checked in today.")
    elif action == "out" and (record is None or not record.check_in):
        error = _("Check in first.")
    elif action not in ("in", "out"):
        error = _("Choose check in or check out.")
    if not error:
        try:
            from backoffice.hr.services.attendance import attendance_record

            now = _now_minute()
            attendance_record(
                actor=me.user,
                company=me.company,
                employee=me.employee,
                date=me.today,
                check_in=now if action == "in" else record.check_in,
                check_out=now if action == "out" else None,
                source="portal",
                note=record.note if record is not None else "",
            )
        except ApplicationError as exc:
            error = exc.message
    if is_htmx(request):
        ctx = {"today_record": sel.my_attendance_today(me), "error": error, "me": me}
        return render(request, "portal/partials/checkin.html", ctx)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Checked in.") if action == "in" else _("Checked out."))
    return back(request, "attendance")
