"""Shared pieces of the portal views: rendering with the navigation, errors
from services shown to the person, the month picker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError
from backoffice.portal.access import Me, is_htmx


def nav_items(me: Me) -> list[dict[str, str]]:
    """The bottom navigation: at most six entries fit a phone screen."""
    if me.is_collaborator:
        items = [("home", _("Home"), "⌂"), ("agreement", _("Agreement"), "▤"),
                 ("worklogs", _("Work logs"), "⏱"), ("tasks", _("Tasks"), "✓"),
                 ("profile", _("Me"), "☺")]  # fmt: skip
    else:
        items = [("home", _("Home"), "⌂"), ("leave", _("Leave"), "☀"),
                 ("attendance", _("Attendance"), "⏱"), ("payslips", _("Payslips"), "₫"),
                 ("tasks", _("Tasks"), "✓"), ("profile", _("Me"), "☺")]  # fmt: skip
    return [{"name": n, "label": label, "icon": icon, "url": reverse(f"portal:{n}")}
            for n, label, icon in items]  # fmt: skip


def page(
    request: HttpRequest, me: Me, template: str, context: dict[str, Any], *, active: str,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    ctx = {"me": me, "employee": me.employee, "nav": nav_items(me), "active": active, **context}
    return render(request, template, ctx, status=status)


def run(request: HttpRequest, action: Callable[[], Any], success: str = "") -> tuple[bool, Any]:
    """Call a service; its error becomes a message the person reads."""
    try:
        result = action()
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return False, exc
    if success:
        messages.success(request, success)
    return True, result


def back(request: HttpRequest, name: str, **kwargs: Any) -> HttpResponse:
    response: HttpResponse = redirect(reverse(f"portal:{name}", kwargs=kwargs or None))
    if is_htmx(request):
        # htmx follows redirects itself; a full page load keeps the messages in view.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse(f"portal:{name}", kwargs=kwargs or None)
    return response


def parse_month(request: HttpRequest, today: dt.date) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(x) for x in raw.split("-"))
        dt.date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        return today.year, today.month
    return year, month


def month_nav(year: int, month: int) -> dict[str, str]:
    prev = (year - 1, 12) if month == 1 else (year, month - 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return {
        "label": f"{month:02d}/{year}",
        "prev": f"{prev[0]}-{prev[1]:02d}",
        "next": f"{nxt[0]}-{nxt[1]:02d}",
    }
