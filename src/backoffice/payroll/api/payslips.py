"""Payroll API: payslips and the bank file.

* ``GET /my-payslips``, ``GET /my-payslips/{payslip_id}``, ``.../pdf``: the caller's
  own payslips of approved runs (any role; anyone else's is a 404);
* ``GET /payslips/{payslip_id}/pdf`` (``payroll.view_run``),
  ``POST /payslips/{payslip_id}/email`` (``payroll.manage_run``);
* ``POST /runs/{run_id}/email-payslips``: a job e-mailing every payslip;
* ``GET /runs/{run_id}/bank-file``: the bank transfer CSV (``payroll.manage_run``
  + ``hr.reveal_pii``; audited).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from backoffice.core.api import ERRORS, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.request_context import request_user
from backoffice.payroll.models import PayrollRun
from backoffice.payroll.selectors import payslips as sel
from backoffice.payroll.selectors import runs as runs_sel

router = Router()

_BINARY = {"schema": {"type": "string", "format": "binary"}}


def _file(kind: str, what: str) -> dict[str, Any]:
    return {"responses": {200: {"description": what, "content": {kind: _BINARY}}}}


class PayslipLineOut(Schema):
    label: str
    amount: str
    note: str
    total: bool


class PayslipSummaryOut(Schema):
    id: UUID
    period: str
    run_state: str
    run_kind: str
    standard_days: str
    paid_days: str


class PayslipOut(Schema):
    id: UUID
    period: str
    run_state: str
    employee_code: str
    employee_name: str
    department: str
    standard_days: str
    paid_days: str
    gross: str
    net: str
    earnings: list[PayslipLineOut]
    deductions: list[PayslipLineOut]
    tax: list[PayslipLineOut]


class PayslipsJobOut(Schema):
    job_id: UUID
    status: str


class PayslipEmailedOut(Schema):
    id: UUID
    emailed_at: str


def _pdf_response(name: str, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@router.get("/my-payslips", response={200: list[PayslipSummaryOut], **ERRORS},
            summary="My payslips (approved runs)")  # fmt: skip
def my_payslips(request: HttpRequest) -> Any:
    company = _company(request)
    return [
        {"id": p.public_id, "period": f"{p.run.month:02d}/{p.run.year}", "run_state": p.run.state,
         "run_kind": p.run.kind, "standard_days": str(p.standard_days),
         "paid_days": str(p.paid_days)}
        for p in sel.my_payslip_list(user=request.user, company=company)[:120]
    ]  # fmt: skip


@router.get("/my-payslips/{payslip_id}", response={200: PayslipOut, **ERRORS})
def my_payslip(request: HttpRequest, payslip_id: UUID) -> Any:
    company = _company(request)
    slip = sel.my_payslip_get(user=request.user, company=company, public_id=payslip_id)
    return sel.payslip_json(sel.payslip_view(slip))


@router.get("/my-payslips/{payslip_id}/pdf", response={**ERRORS},
            openapi_extra=_file("application/pdf", "My payslip as PDF"))  # fmt: skip
def my_payslip_pdf(request: HttpRequest, payslip_id: UUID) -> Any:
    from backoffice.payroll.services.payslips import payslip_pdf

    company = _company(request)
    slip = sel.my_payslip_get(user=request.user, company=company, public_id=payslip_id)
    return _pdf_response(*payslip_pdf(user=request_user(request), company=company, payslip=slip))


@router.get("/payslips/{payslip_id}/pdf", response={**ERRORS},
            openapi_extra=_file("application/pdf", "A payslip as PDF"))  # fmt: skip
def payslip_pdf(request: HttpRequest, payslip_id: UUID) -> Any:
    from backoffice.payroll.services.payslips import payslip_pdf as make

    company = _company(request)
    slip = sel.staff_payslip_get(user=request.user, company=company, public_id=payslip_id)
    return _pdf_response(*make(user=request_user(request), company=company, payslip=slip))


@router.post("/payslips/{payslip_id}/email", response={200: PayslipEmailedOut, **ERRORS},
             summary="E-mail a payslip to the employee")  # fmt: skip
def payslip_email(request: HttpRequest, payslip_id: UUID) -> Any:
    from backoffice.payroll.services.payslips import payslip_email as send

    company = _company(request)
    slip = sel.staff_payslip_get(user=request.user, company=company, public_id=payslip_id)
    slip = send(actor=request_user(request), company=company, payslip=slip)
    return {
        "id": slip.public_id,
        "emailed_at": slip.emailed_at.isoformat() if slip.emailed_at else "",
    }


def _run(request: HttpRequest, run_id: UUID) -> tuple[Any, PayrollRun]:
    company = _company(request)
    if not (request.user.has_perm("payroll.view_run")):
        raise NotFound(_("%(what)s not found.") % {"what": _("Payroll run")})
    return company, runs_sel.run_get_for_user(user=request.user, company=company, public_id=run_id)


@router.post("/runs/{run_id}/email-payslips", response={202: PayslipsJobOut, **ERRORS},
             summary="E-mail every payslip of a run (a job)")  # fmt: skip
def run_email_payslips(request: HttpRequest, run_id: UUID) -> Any:
    from backoffice.payroll.services.payslips import run_payslips_email

    company, run = _run(request, run_id)
    job = run_payslips_email(actor=request_user(request), company=company, run=run)
    return Status(202, {"job_id": job.public_id, "status": job.status})


@router.get("/runs/{run_id}/bank-file", response={**ERRORS},
            openapi_extra=_file("text/csv", "The bank transfer file (CSV)"))  # fmt: skip
def run_bank_file(request: HttpRequest, run_id: UUID) -> Any:
    from backoffice.payroll.bankfile import bank_file

    company, run = _run(request, run_id)
    out = bank_file(actor=request_user(request), company=company, run=run)
    response = HttpResponse(out.content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{out.filename}"'
    response["Cache-Control"] = "no-store"
    return response
