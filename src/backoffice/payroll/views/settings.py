"""Desk page: payroll settings of the company (accounts of the posting, the
expense account per department, the default minimum-wage region, the pay day);
``payroll.manage_settings``. Writes through ``payroll.services.settings``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.exceptions import ApplicationError
from backoffice.core.models import Department
from backoffice.core.request_context import request_company
from backoffice.payroll.services import settings as svc

PERM = "payroll.manage_settings"
ACCOUNT_LABELS = {
    "payable": gettext_lazy("Salaries payable (334)"),
    "si": gettext_lazy("Social insurance (3383)"),
    "hi": gettext_lazy("Health insurance (3384)"),
    "ui": gettext_lazy("Unemployment insurance (3386; 3385 on Circular 133)"),
    "union": gettext_lazy("Trade-union fund and dues (3382)"),
    "pit": gettext_lazy("Personal income tax withheld (3335)"),
    "bank": gettext_lazy("Bank account paying the salaries (112x)"),
    "expense": gettext_lazy("Default salary expense (642)"),
    "deductions": gettext_lazy("After-tax deductions (e.g. advances, 141)"),
}


def _page(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not request.user.has_perm(PERM):
        return render(request, "payroll/runs/message.html", {
            **admin.site.each_context(request), "title": _("Access denied"),
            "message": _("You do not have permission to open this page.")}, status=403)  # fmt: skip
    departments = list(Department.objects.filter(company=company).order_by("code"))
    if request.method == "POST":
        post = request.POST
        try:
            svc.payroll_settings_update(
                actor=request.user, company=company,
                accounts={k: post.get(f"account_{k}", "") for k in svc.ACCOUNT_KEYS},
                department_expense={d.code: post.get(f"dept_{d.code}", "") for d in departments},
                default_region=post.get("default_region") or None,
                pay_day=post.get("pay_day") or None,
            )  # fmt: skip
            messages.success(request, _("The payroll settings were saved."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("payroll:settings"))
    current: dict[str, Any] = svc.payroll_settings(company)
    return render(request, "payroll/settings.html", {
        **admin.site.each_context(request), "title": _("Payroll settings"),
        "accounts": [(k, ACCOUNT_LABELS[k], current["accounts"][k]) for k in svc.ACCOUNT_KEYS],
        "departments": [(d, current["department_expense"].get(d.code, "")) for d in departments],
        "default_region": current["default_region"], "pay_day": current["pay_day"],
    })  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("settings/", admin.site.admin_view(_page), name="settings"),
]
