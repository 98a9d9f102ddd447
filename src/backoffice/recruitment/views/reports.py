"""Desk page of the recruitment reports (``recruitment.view_reports``):
funnel per stage and per posting, time-to-hire, time in stage, source
effectiveness, for a period of applications (and optionally one posting);
``?export=xlsx`` downloads the same tables. Aggregates only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import ApplicationError
from backoffice.core.request_context import request_company
from backoffice.recruitment import exports
from backoffice.recruitment.selectors import reports as rep


def xlsx_response(tables: list[exports.ReportTable], company: Any, name: str) -> HttpResponse:
    response = HttpResponse(exports.to_xlsx(tables, company), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response


def _reports(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not rep.may_see_reports(request.user):
        return render(request, "recruitment/offers/message.html", {
            **admin.site.each_context(request), "title": _("Access denied"),
            "message": _("You do not have permission to open this page.")}, status=403)  # fmt: skip
    q = request.GET
    tables, error, filters = [], "", None
    try:
        filters = rep.filters_parse(company=company, date_from=q.get("date_from"),
                                    date_to=q.get("date_to"), posting=q.get("posting"))  # fmt: skip
        tables = exports.tables(rep.all_reports(user=request.user, company=company,
                                                filters=filters))  # fmt: skip
    except ApplicationError as exc:
        error = exc.message
    if tables and q.get("export") == "xlsx":
        audit_record(event_type="RECRUITMENT_REPORT_EXPORTED", actor=request.user,
                     company=company, target=company,
                     after={"period": filters.label if filters else ""})  # fmt: skip
        stamp = f"{filters.date_from:%Y%m%d}-{filters.date_to:%Y%m%d}" if filters else ""
        return xlsx_response(tables, company, f"tuyen-dung-{company.code}-{stamp}")
    query = q.copy()
    query.pop("export", None)
    return render(request, "recruitment/reports/index.html", {
        **admin.site.each_context(request), "title": _("Recruitment reports"),
        "tables": tables, "error": error, "filters": filters,
        "postings": rep.report_postings(user=request.user, company=company),
        "posting_id": q.get("posting") or "",
        "export_url": f"?{query.urlencode()}&export=xlsx" if tables else "",
    })  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("reports/", admin.site.admin_view(_reports), name="reports"),
]
