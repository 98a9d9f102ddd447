"""Desk pages of the payroll reports (namespace ``payroll``):

* ``reports/``: the per-person reports (``payroll.view_reports``):
  ``?report=register&run=<id>``, ``?report=insurance&year=&month=``,
  ``?report=pit&year=&month=|quarter=``, ``?report=finalisation&year=``;
  ``&export=xlsx`` downloads the same table;
* ``reports/totals/``: totals by month and department
  (``payroll.view_aggregates``; no person).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, NotFound, PermissionDenied
from backoffice.core.request_context import request_company
from backoffice.payroll import exports
from backoffice.payroll.selectors import reports as rep
from backoffice.payroll.selectors.periods import parse_period

TEMPLATE = "payroll/reports/report.html"
REPORTS = ("register", "insurance", "pit", "finalisation")


def xlsx_response(tables: list[exports.ReportTable], company: Any, name: str) -> HttpResponse:
    response = HttpResponse(exports.to_xlsx(tables, company), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def guarded(view: Any) -> Any:
    """Service refusals as desk answers: 403, 404, or the message on the page."""

    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)  # type: ignore[no-any-return]
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except ApplicationError as exc:
            return HttpResponseBadRequest(exc.message)

    return admin.site.admin_view(inner)


def report_table(request: HttpRequest, company: Any, report: str) -> exports.ReportTable:
    user, q = request.user, request.GET
    if report == "register":
        run = rep.report_run_get(user=user, company=company, public_id=q.get("run"))
        return exports.register_table(rep.register(user=user, company=company, run=run))
    year = q.get("year") or timezone.localdate().year
    if report == "insurance":
        period = parse_period(year, q.get("month") or timezone.localdate().month)
        return exports.insurance_table(rep.insurance(user=user, company=company, period=period))
    if report == "pit":
        period = parse_period(year, q.get("month"), q.get("quarter"))
        return exports.pit_table(rep.pit(user=user, company=company, period=period))
    return exports.finalisation_table(
        rep.finalisation(user=user, company=company, year=parse_period(year).year)
    )


def _reports(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not request.user.has_perm("payroll.view_reports"):
        raise DjangoPermissionDenied
    report = request.GET.get("report") or ""
    table, error = None, ""
    if report in REPORTS:
        try:
            table = report_table(request, company, report)
        except ApplicationError as exc:
            if isinstance(exc, PermissionDenied | NotFound):
                raise
            error = exc.message
        if table is not None and request.GET.get("export") == "xlsx":
            name = f"bang-luong-{report}-{company.code}-{table.period}".replace("/", "-")
            return xlsx_response([table], company, name.replace(" ", ""))
    runs = rep.report_runs(user=request.user, company=company)[:36]
    ctx = {
        **admin.site.each_context(request), "title": _("Payroll reports"), "report": report,
        "tables": [table] if table else [], "error": error, "runs": runs, "query": request.GET,
        "export_url": f"?{request.GET.urlencode()}&export=xlsx" if table else "",
        "year": timezone.localdate().year,
    }  # fmt: skip
    return render(request, TEMPLATE, ctx)


def _aggregates(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not request.user.has_perm("payroll.view_aggregates"):
        raise DjangoPermissionDenied
    year = parse_period(request.GET.get("year") or timezone.localdate().year).year
    tables = exports.aggregate_tables(rep.aggregates(user=request.user, company=company,
                                                     year=year))  # fmt: skip
    if request.GET.get("export") == "xlsx":
        return xlsx_response(tables, company, f"tong-hop-luong-{company.code}-{year}")
    ctx = {
        **admin.site.each_context(request), "title": _("Payroll totals"), "tables": tables,
        "aggregates": True, "query": request.GET, "year": year,
        "export_url": f"?year={year}&export=xlsx",
    }  # fmt: skip
    return render(request, TEMPLATE, ctx)


urlpatterns: list[URLPattern] = [
    path("reports/", guarded(_reports), name="reports"),
    path("reports/totals/", guarded(_aggregates), name="report_aggregates"),
]
