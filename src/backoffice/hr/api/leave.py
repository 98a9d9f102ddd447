"""API: leave (``/api/v1/hr/leave/...``), scoped like the desk: HR sees every
request and balance, a manager their team's requests, everyone their own."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate
from backoffice.hr.enums import LeaveRequestState
from backoffice.hr.selectors import leave as sel
from backoffice.hr.selectors.access import require_employee_for_user
from backoffice.hr.services import leave as svc
from backoffice.hr.services.calendar import CompanyCalendar

router = Router(tags=["hr"])

Reason = Annotated[str, Field(max_length=300, pattern=ONE_LINE)]
Year = Annotated[int, Field(ge=1900, le=2200)]
Days = Annotated[float, Field(ge=-400, le=400)]


def _day(value: IsoDate | None) -> dt.date | None:
    """Dates the calendar knows (1900–2200); others are a business refusal."""
    if value is not None and not 1900 <= value.year <= 2200:
        raise ValidationFailed(_("Choose dates between 1900 and 2200."), code="invalid_dates")
    return value


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


class LeaveTypeOut(Schema):
    id: UUID
    code: str
    name: str
    category: str
    paid: bool
    uses_balance: bool
    allow_negative: bool
    calendar_days: bool
    max_days_per_request: Decimal | None
    is_active: bool

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class LeaveBalanceOut(Schema):
    leave_type_id: UUID
    code: str
    name: str
    year: int
    granted: Decimal
    taken: Decimal
    expired: Decimal
    balance: Decimal
    pending: Decimal
    available: Decimal

    @staticmethod
    def resolve_leave_type_id(obj: Any) -> UUID:
        return obj["leave_type"].public_id


class LeaveRequestOut(Schema):
    id: UUID
    employee_id: UUID
    employee_name: str
    leave_type: str
    start_date: IsoDate
    end_date: IsoDate
    start_half: bool
    end_half: bool
    days: Decimal
    reason: str
    state: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_employee_id(obj: Any) -> UUID:
        return obj.employee.public_id

    @staticmethod
    def resolve_employee_name(obj: Any) -> str:
        return obj.employee.full_name

    @staticmethod
    def resolve_leave_type(obj: Any) -> str:
        return obj.leave_type.code


class LeaveRequestIn(InputSchema):
    employee_id: UUID | None = None  # empty: yourself
    leave_type_id: UUID
    start_date: IsoDate
    end_date: IsoDate
    start_half: bool = False
    end_half: bool = False
    reason: Reason = ""
    submit: bool = True


class LeaveCancelIn(InputSchema):
    reason: Reason = ""


class LeaveEntryOut(Schema):
    id: UUID
    employee_id: UUID
    leave_type: str
    year: int
    date: IsoDate
    kind: str
    days: Decimal
    note: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_employee_id(obj: Any) -> UUID:
        return obj.employee.public_id

    @staticmethod
    def resolve_leave_type(obj: Any) -> str:
        return obj.leave_type.code


class LeaveAdjustIn(InputSchema):
    employee_id: UUID
    leave_type_id: UUID
    year: Year
    days: Days
    note: Reason


class LeaveAccrueIn(InputSchema):
    year: Year


class LeaveAccrueOut(Schema):
    year: int
    rows: int


class LeaveHolidayOut(Schema):
    date: IsoDate
    name: str


class LeaveCalendarCellOut(Schema):
    date: IsoDate
    kind: str
    leave: str
    state: str


class LeaveCalendarRowOut(Schema):
    employee_id: UUID
    employee_name: str
    cells: list[LeaveCalendarCellOut]


class LeaveCalendarOut(Schema):
    start: IsoDate
    end: IsoDate
    holidays: list[LeaveHolidayOut]
    rows: list[LeaveCalendarRowOut]


def _type(user: Any, company: Any, public_id: UUID) -> Any:
    lt = sel.leave_type_list(user=user, company=company).filter(public_id=public_id).first()
    if lt is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Leave type")})
    return lt


def _employee(user: Any, company: Any, public_id: UUID | None) -> Any:
    if public_id is None:
        return require_employee_for_user(user=user, company=company)
    return sel.leave_employee_get_for_user(user=user, company=company, public_id=public_id)


@router.get("/leave/types", response={200: list[LeaveTypeOut], **ERRORS})
@paginate(Pagination)
def leave_types(request: HttpRequest):
    user, company = _ctx(request)
    return sel.leave_type_list(user=user, company=company)


@router.get("/leave/balances", response={200: list[LeaveBalanceOut], **ERRORS})
def leave_balances(
    request: HttpRequest, employee_id: UUID | None = None, on: IsoDate | None = None
):
    user, company = _ctx(request)
    return svc.leave_balances(_employee(user, company, employee_id), _day(on))


@router.get("/leave/requests", response={200: list[LeaveRequestOut], **ERRORS})
@paginate(Pagination)
def leave_requests(request: HttpRequest, state: LeaveRequestState | None = None):
    user, company = _ctx(request)
    qs = sel.leave_request_list(user=user, company=company)
    return qs.filter(state=state) if state else qs


@router.get("/leave/requests/{leave_request_id}", response={200: LeaveRequestOut, **ERRORS})
def leave_request_detail(request: HttpRequest, leave_request_id: UUID):
    user, company = _ctx(request)
    return sel.leave_request_get_for_user(user=user, company=company, public_id=leave_request_id)


@router.post("/leave/requests", response={201: LeaveRequestOut, **ERRORS})
def leave_request_create(request: HttpRequest, payload: LeaveRequestIn):
    user, company = _ctx(request)
    req = svc.leave_request_create(
        actor=user, company=company, employee=_employee(user, company, payload.employee_id),
        leave_type=_type(user, company, payload.leave_type_id), start_date=payload.start_date,
        end_date=payload.end_date, start_half=payload.start_half, end_half=payload.end_half,
        reason=payload.reason,
    )  # fmt: skip
    if payload.submit:
        req = svc.leave_request_submit(actor=user, company=company, request=req)
    return Status(201, req)


@router.post("/leave/requests/{leave_request_id}/submit", response={200: LeaveRequestOut, **ERRORS})
def leave_request_submit(request: HttpRequest, leave_request_id: UUID):
    user, company = _ctx(request)
    req = sel.leave_request_get_for_user(user=user, company=company, public_id=leave_request_id)
    return svc.leave_request_submit(actor=user, company=company, request=req)


@router.post("/leave/requests/{leave_request_id}/cancel", response={200: LeaveRequestOut, **ERRORS})
def leave_request_cancel(request: HttpRequest, leave_request_id: UUID, payload: LeaveCancelIn):
    user, company = _ctx(request)
    req = sel.leave_request_get_for_user(user=user, company=company, public_id=leave_request_id)
    return svc.leave_request_cancel(actor=user, company=company, request=req,
                                    reason=payload.reason)  # fmt: skip


@router.get("/leave/entries", response={200: list[LeaveEntryOut], **ERRORS})
@paginate(Pagination)
def leave_entries(request: HttpRequest, year: Year | None = None):
    user, company = _ctx(request)
    qs = sel.leave_entry_list(user=user, company=company)
    return qs.filter(year=year) if year else qs


@router.post("/leave/adjustments", response={201: LeaveEntryOut, **ERRORS})
def leave_adjust(request: HttpRequest, payload: LeaveAdjustIn):
    user, company = _ctx(request)
    entry = svc.leave_adjust(
        actor=user, company=company,
        employee=_employee(user, company, payload.employee_id),
        leave_type=_type(user, company, payload.leave_type_id), year=payload.year,
        days=Decimal(str(round(payload.days, 2))), note=payload.note,
    )  # fmt: skip
    return Status(201, entry)


@router.post("/leave/accrue", response={200: LeaveAccrueOut, **ERRORS})
def leave_accrue(request: HttpRequest, payload: LeaveAccrueIn):
    user, company = _ctx(request)
    return {"year": payload.year,
            "rows": svc.leave_accrue(actor=user, company=company, year=payload.year)}  # fmt: skip


@router.get("/leave/holidays", response={200: list[LeaveHolidayOut], **ERRORS})
def leave_holidays(request: HttpRequest, year: Year | None = None):
    user, company = _ctx(request)
    sel.leave_type_list(user=user, company=company)  # members only
    year = year or svc.today().year
    cal = CompanyCalendar(company, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return [{"date": d, "name": n} for d, n in cal.holidays()]


class LeaveMonthQuery(Schema):
    month: str | None = Field(None, max_length=7, pattern=r"^\d{4}-\d{1,2}$")


@router.get("/leave/calendar", response={200: LeaveCalendarOut, **ERRORS})
def leave_calendar(request: HttpRequest, query: Query[LeaveMonthQuery]):
    user, company = _ctx(request)
    start, end = sel.month_bounds(query.month, svc.today())
    data = sel.team_calendar(user=user, company=company, start=start, end=end)
    if not data["rows"] and not sel.visible_employee_ids(user=user, company=company) and \
            not user.has_perm("hr.view_leave"):  # fmt: skip
        raise ValidationFailed(_("You have no employee record in this company."),
                               code="no_employee")  # fmt: skip
    return {
        "start": start, "end": end,
        "holidays": [{"date": d["date"], "name": d["holiday"]} for d in data["days"]
                     if d["holiday"]],
        "rows": [
            {"employee_id": r["employee"].public_id, "employee_name": r["employee"].full_name,
             "cells": [{k: c[k] for k in ("date", "kind", "leave", "state")} for c in r["cells"]]}
            for r in data["rows"]
        ],
    }  # fmt: skip
