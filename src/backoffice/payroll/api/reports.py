"""Payroll API: reports, as tables (``columns``, ``rows``, ``totals``; amounts as
decimal strings), or XLSX with ``?format=xlsx``.

* ``GET /reports/register?run_id=`` (``payroll.view_reports``)
* ``GET /reports/insurance?year=&month=``
* ``GET /reports/pit?year=[&month=|&quarter=]``
* ``GET /reports/finalisation?year=``
* ``GET /reports/totals?year=`` (``payroll.view_aggregates``: no person)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from backoffice.core.api import ERRORS, _company
from backoffice.core.schemas import IsoDate, not_null
from backoffice.core.selectors import require_perm
from backoffice.payroll import exports
from backoffice.payroll.selectors import reports as rep
from backoffice.payroll.selectors.periods import Period

router = Router()

Year = Annotated[int, Field(ge=2000, le=2100)]
Fmt = Literal["json", "xlsx"]
_XLSX = {"responses": {200: {"description": "The report (JSON, or XLSX with format=xlsx)",
                             "content": {exports.XLSX_TYPE: {"schema": {
                                 "type": "string", "format": "binary"}}}}}}  # fmt: skip


class ReportColumnOut(Schema):
    key: str
    label: str
    kind: str


class ReportTableOut(Schema):
    title: str
    period: str
    columns: list[ReportColumnOut]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None
    notes: list[str]


class ReportRegisterQuery(Schema):
    run_id: UUID
    format: Fmt = "json"


class ReportMonthQuery(Schema):
    year: Year
    month: Annotated[int, Field(ge=1, le=12)]
    format: Fmt = "json"


class ReportPitQuery(Schema):
    year: Year
    month: Annotated[int, Field(ge=1, le=12)] = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    quarter: Annotated[int, Field(ge=1, le=4)] = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    format: Fmt = "json"


class ReportYearQuery(Schema):
    year: Year
    format: Fmt = "json"


class ReportFinalisationQuery(ReportYearQuery):
    # the rules of this date (default: 1 December of the year)
    rules_on: IsoDate = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]


def _answer(tables: list[exports.ReportTable], company: Any, fmt: str, name: str) -> Any:
    if fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(tables, company), content_type=exports.XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        response["Cache-Control"] = "no-store"
        return response
    return tables[0].as_json() if len(tables) == 1 else [t.as_json() for t in tables]


@router.get("/reports/register", response={200: ReportTableOut, **ERRORS}, openapi_extra=_XLSX,
            summary="Payroll register of a run")  # fmt: skip
def report_register(request: HttpRequest, q: Query[ReportRegisterQuery]) -> Any:
    company = _company(request)
    require_perm(request.user, "payroll.view_reports")
    run = rep.report_run_get(user=request.user, company=company, public_id=q.run_id)
    table = exports.register_table(rep.register(user=request.user, company=company, run=run))
    return _answer([table], company, q.format, f"register-{run.year}-{run.month:02d}")


@router.get("/reports/insurance", response={200: ReportTableOut, **ERRORS}, openapi_extra=_XLSX,
            summary="Insurance contributions by employee")  # fmt: skip
def report_insurance(request: HttpRequest, q: Query[ReportMonthQuery]) -> Any:
    company = _company(request)
    data = rep.insurance(user=request.user, company=company, period=Period(q.year, q.month))
    return _answer([exports.insurance_table(data)], company, q.format,
                   f"insurance-{q.year}-{q.month:02d}")  # fmt: skip


@router.get("/reports/pit", response={200: ReportTableOut, **ERRORS}, openapi_extra=_XLSX,
            summary="PIT withheld by employee")  # fmt: skip
def report_pit(request: HttpRequest, q: Query[ReportPitQuery]) -> Any:
    company = _company(request)
    period = Period(q.year, q.month, q.quarter)
    data = rep.pit(user=request.user, company=company, period=period)
    return _answer([exports.pit_table(data)], company, q.format, f"pit-{period.slug}")


@router.get("/reports/finalisation", response={200: ReportTableOut, **ERRORS}, openapi_extra=_XLSX,
            summary="PIT finalisation worksheet of a year")  # fmt: skip
def report_finalisation(request: HttpRequest, q: Query[ReportFinalisationQuery]) -> Any:
    company = _company(request)
    data = rep.finalisation(user=request.user, company=company, year=q.year, on=q.rules_on)
    return _answer([exports.finalisation_table(data)], company, q.format,
                   f"finalisation-{q.year}")  # fmt: skip


@router.get("/reports/totals", response={200: list[ReportTableOut], **ERRORS}, openapi_extra=_XLSX,
            summary="Payroll totals by month and department (no person)")  # fmt: skip
def report_totals(request: HttpRequest, q: Query[ReportYearQuery]) -> Any:
    company = _company(request)
    data = rep.aggregates(user=request.user, company=company, year=q.year)
    tables = exports.aggregate_tables(data)
    if q.format == "xlsx":
        return _answer(tables, company, "xlsx", f"totals-{q.year}")
    return [t.as_json() for t in tables]
