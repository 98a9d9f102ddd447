"""Desk pages of payroll runs (namespace ``payroll``, under /desk/payroll/runs/):
the list with "create a run for a month", a run's page (totals, payslip table,
actions: compute, submit for approval, mark paid, post, cancel, adjust; one-off
items), a payslip's every line, and the XLSX register.

Payroll staff (``payroll.view_run``) see amounts; aggregates-only roles
(``payroll.view_aggregates``) see the run list and totals by department only;
anyone else is refused. Writes go through ``payroll.services.runs``.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.request_context import request_company
from backoffice.hr.models import Employee
from backoffice.payroll.enums import ItemCategory, RunState, TaxTreatment
from backoffice.payroll.selectors import runs as sel
from backoffice.payroll.services import runs as svc

T = "payroll/runs/"


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _denied(request: HttpRequest, message: str = "", status: int = 403) -> HttpResponse:
    message = message or _("You do not have permission to open this page.")
    return render(request, T + "message.html",
                  _ctx(request, title=_("Access denied"), message=message), status=status)  # fmt: skip


def _month(text: str) -> tuple[int, int]:
    try:
        y, m = (int(x) for x in (text or "").split("-"))
    except ValueError:
        raise ApplicationError(_("Not a valid month."), code="bad_month") from None
    return y, m


def _list(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not sel.may_see_runs(request.user):
        return _denied(request)
    if request.method == "POST":
        try:
            y, m = _month(request.POST.get("month", ""))
            run = svc.run_create(actor=request.user, company=company, year=y, month=m)
            return HttpResponseRedirect(reverse("payroll:run_detail", args=[run.public_id]))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("payroll:runs"))
    amounts = sel.may_see_amounts(request.user)
    runs = [
        (run, run.totals if amounts else sel.run_totals_public(run))
        for run in sel.run_list(user=request.user, company=company)[:200]
    ]
    today = timezone.localdate()
    return render(request, T + "list.html", _ctx(
        request, title=_("Payroll runs"), runs=runs,
        may_manage=request.user.has_perm(svc.MANAGE), month=today.strftime("%Y-%m"),
    ))  # fmt: skip


def _run(request: HttpRequest, public_id: Any) -> Any:
    company = request_company(request)
    if company is None or not sel.may_see_runs(request.user):
        return None, None
    return company, sel.run_get_for_user(user=request.user, company=company, public_id=public_id)


def _detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    try:
        company, run = _run(request, public_id)
    except NotFound:
        return _denied(request, _("%(what)s not found.") % {"what": _("Payroll run")}, 404)
    if run is None:
        return _denied(request)
    if request.method == "POST":
        return _act(request, company, run)
    amounts = sel.may_see_amounts(request.user)
    rows = sel.payslip_rows(sel.payslip_list(user=request.user, company=company, run=run)) if (
        amounts) else []  # fmt: skip
    totals = dict(run.totals or {}) if amounts else sel.run_totals_public(run)
    items = list(sel.run_items(user=request.user, company=company, run=run)) if amounts else []
    return render(request, T + "detail.html", _ctx(
        request, title=_("Payroll %(p)s") % {"p": svc.period_label(run)}, run=run, rows=rows,
        totals=totals, depts=totals.get("by_department") or {}, amounts=amounts, items=items,
        may_manage=amounts and request.user.has_perm(svc.MANAGE),
        may_export=amounts and request.user.has_perm("payroll.view_reports"),
        categories=ItemCategory.choices, treatments=TaxTreatment.choices,
        today=timezone.localdate().isoformat(), RunState=RunState,
    ))  # fmt: skip


def _employee(company: Any, code: str) -> Employee:
    emp = Employee.objects.filter(company=company, code=(code or "").strip()).first()
    if emp is None:
        raise ApplicationError(_("%(what)s not found.") % {"what": _("Employee")}, code="employee")
    return emp


def _act(request: HttpRequest, company: Any, run: Any) -> HttpResponse:
    op, user, post = request.POST.get("op"), request.user, request.POST
    target = run
    try:
        if op == "compute":
            svc.run_compute(actor=user, run=run)
            messages.success(request, _("The run was computed."))
        elif op == "submit":
            svc.run_submit(actor=user, run=run)
            messages.success(request, _("The run was sent for approval."))
        elif op == "pay":
            paid_on = dt.date.fromisoformat(post.get("paid_on") or "")
            svc.run_mark_paid(actor=user, run=run, paid_on=paid_on)
            messages.success(request, _("The run was marked paid."))
        elif op == "post":
            svc.run_post(actor=user, run=run)
            messages.success(request, _("The run was posted to the ledger."))
        elif op == "cancel":
            svc.run_cancel(actor=user, run=run)
            messages.success(request, _("The run was cancelled."))
        elif op == "adjust":
            codes = [c for c in (post.get("employees") or "").replace(",", " ").split() if c]
            people = [_employee(company, c) for c in codes]
            target = svc.adjustment_create(actor=user, run=run, employees=people)
            messages.success(request, _("An adjustment run was created."))
        elif op == "item_add":
            svc.run_item_add(
                actor=user, run=run, employee=_employee(company, post.get("employee", "")),
                name=post.get("name", ""), amount=post.get("amount") or "0",
                category=post.get("category") or ItemCategory.BONUS,
                tax_treatment=post.get("tax_treatment") or TaxTreatment.TAXABLE,
                insurable=bool(post.get("insurable")),
            )  # fmt: skip
            messages.success(request, _("The item was added; compute the run again."))
        elif op == "item_delete":
            items = sel.run_items(user=user, company=company, run=run)
            item = items.filter(public_id=post.get("item") or "").first()
            if item is None:
                raise ApplicationError(_("%(what)s not found.") % {"what": _("Item")}, code="nf")
            svc.run_item_delete(actor=user, item=item)
            messages.success(request, _("The item was removed; compute the run again."))
        else:
            messages.error(request, _("Unknown action."))
    except ValueError:
        messages.error(request, _("Enter a valid date."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("payroll:run_detail", args=[target.public_id]))


def _payslip(request: HttpRequest, public_id: Any, payslip_id: Any) -> HttpResponse:
    try:
        company, run = _run(request, public_id)
        if run is None or not sel.may_see_amounts(request.user):
            return _denied(request)
        slip = sel.payslip_get_for_user(user=request.user, company=company, run=run,
                                        public_id=payslip_id)  # fmt: skip
    except NotFound:
        return _denied(request, _("%(what)s not found.") % {"what": _("Payslip")}, 404)
    data = sel.payslip_data(slip)
    return render(request, T + "payslip.html", _ctx(
        request, title=_("Payslip %(p)s: %(n)s") % {
            "p": svc.period_label(run), "n": data.get("employee", {}).get("name", "")},
        run=run, slip=slip, data=data, result=data.get("result") or {},
        inputs=data.get("inputs") or {}, employee=data.get("employee") or {},
    ))  # fmt: skip


REGISTER_COLUMNS = (
    ("code", gettext_lazy("Employee code")), ("name", gettext_lazy("Full name")),
    ("department", gettext_lazy("Department")), ("paid_days", gettext_lazy("Paid days")),
    ("gross", gettext_lazy("Gross")), ("insurance", gettext_lazy("Insurance (employee)")),
    ("union_dues", gettext_lazy("Union dues")), ("pit", gettext_lazy("PIT")),
    ("other_deductions", gettext_lazy("Other deductions")), ("net", gettext_lazy("Net")),
    ("total_cost", gettext_lazy("Total cost")),
)  # fmt: skip


def register_xlsx(run: Any, rows: list[dict[str, Any]]) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"{run.year}-{run.month:02d}"
    ws.append([str(label) for _key, label in REGISTER_COLUMNS])
    for row in rows:
        ws.append([row[key] if key in ("code", "name", "department") else float(row[key])
                   if key == "paid_days" else int(row[key]) for key, _l in REGISTER_COLUMNS])  # fmt: skip
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _export(request: HttpRequest, public_id: Any) -> HttpResponse:
    from backoffice.core.audit import audit_record

    try:
        company, run = _run(request, public_id)
    except NotFound:
        return _denied(request, _("%(what)s not found.") % {"what": _("Payroll run")}, 404)
    if run is None or not (sel.may_see_amounts(request.user)
                           and request.user.has_perm("payroll.view_reports")):  # fmt: skip
        return _denied(request)
    rows = sel.payslip_rows(sel.payslip_list(user=request.user, company=company, run=run))
    audit_record(event_type="PAYROLL_REGISTER_EXPORTED", actor=request.user, company=company,
                 target=run, after={"rows": len(rows)})  # fmt: skip
    response = HttpResponse(
        register_xlsx(run, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bang-luong-{run.year}-{run.month:02d}.xlsx"'
    )
    return response


urlpatterns: list[URLPattern] = [
    path("runs/", admin.site.admin_view(_list), name="runs"),
    path("runs/<uuid:public_id>/", admin.site.admin_view(_detail), name="run_detail"),
    path(
        "runs/<uuid:public_id>/register.xlsx", admin.site.admin_view(_export), name="run_export"
    ),  # fmt: skip
    path(
        "runs/<uuid:public_id>/payslips/<uuid:payslip_id>/",
        admin.site.admin_view(_payslip),
        name="run_payslip",
    ),  # fmt: skip
]
