"""Recruitment API: reports (``recruitment.view_reports``; aggregates only).

``GET /reports?date_from=&date_to=&posting_id=&format=json|xlsx``: the
funnel per stage and per posting, time-to-hire, time in stage and source
effectiveness as tables (``columns``, ``rows``), or one XLSX workbook.
"""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from backoffice.core.api import ERRORS, _company
from backoffice.core.request_context import request_user
from backoffice.core.schemas import IsoDate, not_null
from backoffice.recruitment import exports
from backoffice.recruitment.selectors import reports as rep

router = Router()
_XLSX = {"responses": {200: {"description": "The reports (JSON, or XLSX with format=xlsx)",
                             "content": {exports.XLSX_TYPE: {"schema": {
                                 "type": "string", "format": "binary"}}}}}}  # fmt: skip


class RecruitmentReportColumnOut(Schema):
    key: str
    label: str
    kind: str


class RecruitmentReportTableOut(Schema):
    key: str
    title: str
    period: str
    columns: list[RecruitmentReportColumnOut]
    rows: list[dict[str, Any]]
    notes: list[str]


class ReportQuery(Schema):
    date_from: IsoDate = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    date_to: IsoDate = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    posting_id: UUID = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    format: Literal["json", "xlsx"] = "json"


@router.get("/reports", response={200: list[RecruitmentReportTableOut], **ERRORS}, openapi_extra=_XLSX,
            summary="Recruitment reports: funnel, time-to-hire, time in stage, sources")  # fmt: skip
def reports(request: HttpRequest, q: Query[ReportQuery]) -> Any:
    user, company = request_user(request), _company(request)
    rep.require_reports(user, company)
    filters = rep.filters_parse(company=company, date_from=q.date_from, date_to=q.date_to,
                                posting=q.posting_id)  # fmt: skip
    tables = exports.tables(rep.all_reports(user=user, company=company, filters=filters))
    if q.format == "xlsx":
        response = HttpResponse(exports.to_xlsx(tables, company), content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="recruitment-reports.xlsx"'
        response["Cache-Control"] = "no-store"
        return response
    return [t.as_json() for t in tables]
