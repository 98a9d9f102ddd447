"""Desk pages of collaborator payments (``payroll.manage_collaborator_payments``):

* ``collaborators/payments/``: the list and the "new payment" form (the
  collaborator's approved work of the period, or an amount);
* ``collaborators/payments/<id>/``: the payment, its work logs, and the
  actions pay / post / cancel (POST ``op``);
* ``collaborators/withholding/``: PIT withheld by collaborator for a month,
  quarter or year (also ``payroll.view_reports``), XLSX with ``export=xlsx``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, NotFound, PermissionDenied
from backoffice.core.request_context import request_company
from backoffice.payroll import exports
from backoffice.payroll.selectors import collaborators as sel
from backoffice.payroll.selectors.periods import parse_period
from backoffice.payroll.services import collaborators as svc
from backoffice.payroll.views.reports import TEMPLATE as REPORT_TEMPLATE
from backoffice.payroll.views.reports import guarded, xlsx_response

T = "payroll/collaborators/"


def _company(request: HttpRequest) -> Any:
    company = request_company(request)
    if company is None or not request.user.has_perm(sel.PERM):
        raise DjangoPermissionDenied
    return company


def _date(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        raise ApplicationError(_("Enter a date."), code="bad_date") from None


def _collaborators(company: Any) -> Any:
    from backoffice.hr.enums import PersonKind
    from backoffice.hr.models import Employee

    return Employee.objects.filter(company=company, kind=PersonKind.COLLABORATOR).order_by("code")


def _create(request: HttpRequest, company: Any) -> Any:
    person = _collaborators(company).filter(code=request.POST.get("employee") or "").first()
    if person is None:
        raise ApplicationError(_("Choose a collaborator."), code="no_collaborator")
    raw = (request.POST.get("amount") or "").replace(".", "").replace(",", "").strip()
    try:
        amount = Decimal(raw) if raw else None
    except InvalidOperation:
        raise ApplicationError(_("Enter an amount in đồng."), code="bad_amount") from None
    return svc.collaborator_payment_create(
        actor=request.user, company=company, employee=person,
        period_start=_date(request.POST.get("period_start")),
        period_end=_date(request.POST.get("period_end")), amount=amount,
        has_commitment=request.POST.get("has_commitment") == "on",
        description=request.POST.get("description") or "",
    )  # fmt: skip


def _list(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    if request.method == "POST":
        try:
            payment = _create(request, company)
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Payment %(n)s created.") % {"n": payment.number})
            return HttpResponseRedirect(
                reverse("payroll:collaborator_payment", args=[payment.public_id])
            )
    payments = sel.payment_list(user=request.user, company=company).order_by("-period_end", "-id")[
        :300
    ]
    today = timezone.localdate()
    return render(request, T + "list.html", {
        **admin.site.each_context(request), "title": _("Collaborator payments"),
        "payments": payments, "people": _collaborators(company),
        "start": today.replace(day=1), "end": today,
    })  # fmt: skip


def _detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    company = _company(request)
    payment = sel.payment_get_for_user(user=request.user, company=company, public_id=public_id)
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "pay":
                svc.collaborator_payment_pay(actor=request.user, company=company, payment=payment,
                                             paid_on=_date(request.POST.get("paid_on")))  # fmt: skip
            elif op == "post":
                svc.collaborator_payment_post(actor=request.user, company=company,
                                              payment=payment)  # fmt: skip
            elif op == "cancel":
                svc.collaborator_payment_cancel(actor=request.user, company=company,
                                                payment=payment)  # fmt: skip
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(request.path)
    return render(request, T + "detail.html", {
        **admin.site.each_context(request), "title": str(payment), "p": payment,
        "logs": payment.work_logs.order_by("date"), "net": payment.amount - payment.withheld,
        "today": timezone.localdate(),
    })  # fmt: skip


def _withholding(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    user = request.user
    if company is None or not (user.has_perm(sel.PERM) or user.has_perm("payroll.view_reports")):
        raise DjangoPermissionDenied
    q = request.GET
    period = parse_period(q.get("year") or timezone.localdate().year, q.get("month"),
                          q.get("quarter"))  # fmt: skip
    table = exports.collaborator_table(sel.withholding_report(user=user, company=company,
                                                              period=period))  # fmt: skip
    if q.get("export") == "xlsx":
        return xlsx_response([table], company, f"khau-tru-ctv-{company.code}-{period.slug}")
    return render(request, REPORT_TEMPLATE, {
        **admin.site.each_context(request), "title": table.title, "tables": [table],
        "aggregates": False, "collaborators": True, "query": q, "year": period.year,
        "export_url": f"?{q.urlencode()}&export=xlsx",
    })  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("collaborators/payments/", guarded(_list), name="collaborator_payments"),
    path("collaborators/payments/<uuid:public_id>/", guarded(_detail),
         name="collaborator_payment"),
    path("collaborators/withholding/", guarded(_withholding), name="collaborator_withholding"),
]  # fmt: skip
