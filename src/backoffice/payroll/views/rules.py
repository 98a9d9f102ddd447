"""Desk page ``/desk/payroll/rules/``: every statutory rule row (shipped and added
in the desk) with its legal basis, status (uncertain ones highlighted), source
and whether it is in force today; forms to add a value row or a PIT scale
(``payroll.manage_rules``) and the company's choices on uncertain rules
(``payroll.manage_settings``). Reading needs a desk account in a company: the
rules are public law."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, ValidationFailed
from backoffice.payroll.enums import RuleStatus
from backoffice.payroll.rules import RULE_KEYS
from backoffice.payroll.selectors import rules as sel
from backoffice.payroll.services import rules as svc

SCALE_ROWS = 8


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Effective from: choose a date."), code="bad_date") from None


def _status(value: str) -> str:
    return value if value in RuleStatus.values else RuleStatus.CONFIRMED


def _post(request: HttpRequest, company: Any) -> str:
    """Run the posted action; returns the success message."""
    action = request.POST.get("action")
    data = request.POST
    if action == "value":
        row = svc.rule_value_add(actor=request.user, key=data.get("key", ""),
                                 value=data.get("value", ""),
                                 effective_from=_date(data.get("effective_from", "")),
                                 basis=data.get("basis", ""),
                                 status=_status(data.get("status", "")))  # fmt: skip
        return _("Rule %(k)s from %(d)s added.") % {
            "k": row.key, "d": row.effective_from.strftime("%d/%m/%Y")}  # fmt: skip
    if action == "scale":
        uppers = data.getlist("upper")
        rates = data.getlist("rate")
        brackets = [(u.strip() or None, r) for u, r in zip(uppers, rates, strict=False)
                    if r.strip()]  # fmt: skip
        day = _date(data.get("effective_from", ""))
        svc.pit_scale_add(actor=request.user, effective_from=day, brackets=brackets,
                          basis=data.get("basis", ""),
                          status=_status(data.get("status", "")))  # fmt: skip
        return _("PIT scale from %(d)s added.") % {"d": day.strftime("%d/%m/%Y")}
    if action == "override":
        svc.rule_override_set(actor=request.user, company=company, key=data.get("key", ""),
                              value=data.get("value", ""))  # fmt: skip
        return _("The company's choice was saved.")
    raise ValidationFailed(_("Unknown action."), code="bad_action")


def rules_view(request: HttpRequest) -> HttpResponse:
    company = getattr(request, "company", None)
    if company is None:
        raise PermissionDenied
    if request.method == "POST":
        try:
            messages.success(request, _post(request, company))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(request.path)
    today = timezone.localdate()
    only_current = request.GET.get("current") == "1"
    rows = sel.rule_listing(today)
    if only_current:
        rows = [row for row in rows if row["in_force"]]
    user = request.user
    return render(request, "payroll/rules/rules.html", {
        **admin.site.each_context(request),
        "title": _("Statutory payroll rules"),
        "rows": rows, "scales": sel.scale_listing(today), "today": today,
        "only_current": only_current,
        "settings_rows": sel.uncertain_settings(company, today),
        "keys": [(k, sel.rule_label(k)) for k in RULE_KEYS],
        "statuses": RuleStatus.choices, "scale_rows": range(SCALE_ROWS),
        "may_add": user.has_perm(svc.MANAGE_RULES),
        "may_choose": user.has_perm(svc.MANAGE_SETTINGS),
    })  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("rules/", admin.site.admin_view(rules_view), name="rules"),
]
