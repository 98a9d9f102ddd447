"""Desk actions on payslips and runs (namespace ``payroll``):

* ``payslips/<id>/pdf/``: the payslip PDF (``payroll.view_run``; audited);
* ``payslips/<id>/email/`` (POST): e-mail it to the employee (``payroll.manage_run``);
* ``runs/<id>/email-payslips/`` (POST): e-mail every payslip of the run (a job);
* ``runs/<id>/bank-file/``: the bank transfer CSV (``payroll.manage_run`` and
  ``hr.reveal_pii``; audited).

POSTs answer with a redirect back (``next`` or the referrer) and a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backoffice.core.exceptions import ApplicationError, NotFound, PermissionDenied
from backoffice.core.request_context import request_company
from backoffice.payroll.models import PayrollRun
from backoffice.payroll.selectors import payslips as sel
from backoffice.payroll.selectors import runs as runs_sel
from backoffice.payroll.views.reports import guarded


def _run(request: HttpRequest, public_id: Any) -> tuple[Any, PayrollRun]:
    company = request_company(request)
    return company, runs_sel.run_get_for_user(
        user=request.user, company=company, public_id=public_id
    )


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or request.headers.get("Referer") or "/desk/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/desk/"
    return HttpResponseRedirect(target)


@require_GET
def _payslip_pdf(request: HttpRequest, public_id: Any) -> HttpResponse:
    from backoffice.payroll.services.payslips import payslip_pdf

    company = request_company(request)
    slip = sel.staff_payslip_get(user=request.user, company=company, public_id=public_id)
    name, data = payslip_pdf(user=request.user, company=company, payslip=slip)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _attempt(request: HttpRequest, action: Any, success: str) -> HttpResponse:
    """Run a service; a refusal other than 403/404 becomes a message; back where we came from."""
    try:
        action()
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return _back(request)


@require_POST
def _payslip_email(request: HttpRequest, public_id: Any) -> HttpResponse:
    from backoffice.payroll.services.payslips import payslip_email

    company = request_company(request)
    slip = sel.staff_payslip_get(user=request.user, company=company, public_id=public_id)
    return _attempt(
        request, lambda: payslip_email(actor=request.user, company=company, payslip=slip),
        _("The payslip was sent to %(name)s.") % {"name": slip.employee.full_name},
    )  # fmt: skip


@require_POST
def _run_email(request: HttpRequest, public_id: Any) -> HttpResponse:
    from backoffice.payroll.services.payslips import run_payslips_email

    company, run = _run(request, public_id)
    return _attempt(
        request, lambda: run_payslips_email(actor=request.user, company=company, run=run),
        _("The payslips are being sent; follow the job in Jobs."),
    )  # fmt: skip


@require_GET
def _bank_file(request: HttpRequest, public_id: Any) -> HttpResponse:
    from backoffice.payroll.bankfile import bank_file

    company, run = _run(request, public_id)
    try:
        out = bank_file(actor=request.user, company=company, run=run)
    except ApplicationError as exc:
        if isinstance(exc, PermissionDenied | NotFound):
            raise
        messages.error(request, exc.message)
        return _back(request)
    response = HttpResponse(out.content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    response["Cache-Control"] = "no-store"
    if out.missing:
        messages.warning(request, _("No bank account, left out of the file: %(codes)s")
                         % {"codes": ", ".join(out.missing)})  # fmt: skip
    return response


urlpatterns: list[URLPattern] = [
    path("payslips/<uuid:public_id>/pdf/", guarded(_payslip_pdf), name="payslip_pdf"),
    path("payslips/<uuid:public_id>/email/", guarded(_payslip_email), name="payslip_email"),
    path("runs/<uuid:public_id>/email-payslips/", guarded(_run_email), name="run_email_payslips"),
    path("runs/<uuid:public_id>/bank-file/", guarded(_bank_file), name="run_bank_file"),
]
