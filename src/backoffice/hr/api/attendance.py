"""API: attendance (``/api/v1/hr/attendance...``), scoped like the desk.

HR and payroll (``hr.view_attendance``) read the company; a line manager reads
their team; everyone reads their own. Writing: HR for anyone, a person for
their own today/yesterday (self-service). Imports need ``hr.manage_attendance``;
files over 256 KB run as a background job (answer 202 with the job id).
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination
from backoffice.core.api import _company as company_of
from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.request_context import request_user
from backoffice.core.schemas import IsoDate
from backoffice.core.selectors import require_perm
from backoffice.hr.enums import AttendanceSource
from backoffice.hr.models import Employee
from backoffice.hr.selectors import attendance as sel

router = Router()


ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["08:00"])]


def _hm(value: dt.time | None) -> str | None:
    """Times as a time clock shows them (JSON Schema's "time" format wants a zone)."""
    return value.strftime("%H:%M") if value is not None else None


class RecordOut(Schema):
    id: UUID = Field(alias="public_id")
    employee_id: UUID
    employee_code: str
    employee_name: str
    date: IsoDate
    check_in: str | None = Field(None, description="HH:MM")
    check_out: str | None = Field(None, description="HH:MM")
    worked_hours: Decimal
    night_hours: Decimal
    ot_weekday: Decimal
    ot_rest_day: Decimal
    ot_holiday: Decimal
    ot_night: Decimal
    source: str
    note: str

    @staticmethod
    def resolve_check_in(obj: Any) -> str | None:
        return _hm(obj.check_in)

    @staticmethod
    def resolve_check_out(obj: Any) -> str | None:
        return _hm(obj.check_out)

    @staticmethod
    def resolve_employee_id(obj: Any) -> UUID:
        return obj.employee.public_id

    @staticmethod
    def resolve_employee_code(obj: Any) -> str:
        return obj.employee.code

    @staticmethod
    def resolve_employee_name(obj: Any) -> str:
        return obj.employee.full_name


class RecordIn(Schema):
    employee_id: UUID
    date: IsoDate
    check_in: ClockTime | None = None
    check_out: ClockTime | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class RecordFilter(Schema):
    employee_id: UUID | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class ScheduleOut(Schema):
    id: UUID = Field(alias="public_id")
    name: str
    working_days: str
    half_days: str
    start_time: str = Field(description="HH:MM")
    end_time: str = Field(description="HH:MM")
    break_start: str | None = Field(None, description="HH:MM")
    break_minutes: int
    hours_per_day: Decimal
    is_default: bool

    @staticmethod
    def resolve_start_time(obj: Any) -> str:
        return _hm(obj.start_time) or ""

    @staticmethod
    def resolve_end_time(obj: Any) -> str:
        return _hm(obj.end_time) or ""

    @staticmethod
    def resolve_break_start(obj: Any) -> str | None:
        return _hm(obj.break_start)


class ImportOut(Schema):
    file: str
    rows: int
    created: int
    updated: int
    employees: int
    date_from: str = Field(alias="from")
    date_to: str = Field(alias="to")


class JobStartedOut(Schema):
    job_id: UUID
    status: str


class Hours(Schema):
    normal: Decimal
    night: Decimal


class Overtime(Schema):
    weekday: Decimal
    rest_day: Decimal
    holiday: Decimal
    night: Decimal
    total: Decimal


class Caps(Schema):
    month_hours: Decimal
    year_hours: Decimal
    month_cap: Decimal
    year_cap: Decimal
    days_over_daily_cap: int
    over_month: bool
    over_year: bool
    over_day: bool
    flags: list[str]


class SummaryOut(Schema):
    employee: str
    year: int
    month: int
    schedule: str
    hours_per_day: Decimal
    standard_days: Decimal
    paid_holidays: Decimal
    days_present: int
    worked_days: Decimal
    paid_leave_days: Decimal
    unpaid_leave_days: Decimal
    paid_days: Decimal
    hours: Hours
    overtime: Overtime
    caps: Caps


class MonthQuery(Schema):
    year: int = Field(..., ge=1900, le=2999)
    month: int = Field(..., ge=1, le=12)


class SummaryQuery(MonthQuery):
    employee_id: UUID


class OvertimeMonth(Schema):
    weekday: Decimal
    rest_day: Decimal
    holiday: Decimal
    night: Decimal


class OvertimeRowOut(Schema):
    code: str
    name: str
    department: str
    month: OvertimeMonth
    days_with_overtime: int
    month_hours: Decimal
    year_hours: Decimal
    month_cap: Decimal
    year_cap: Decimal
    days_over_daily_cap: int
    flags: list[str]


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), company_of(request)


def _employee(user: Any, company: Any, public_id: UUID) -> Employee:
    """A person of the company the user may see (HR: anyone; else team and self)."""
    employee = Employee.objects.filter(company=company, public_id=public_id).first()
    ids = sel.visible_employee_ids(user=user, company=company)
    if employee is None or (ids is not None and employee.pk not in ids):
        raise NotFound(_("%(what)s not found.") % {"what": _("Employee")})
    return employee


@router.get("/attendance", response={200: list[RecordOut], **ERRORS},
            summary="Attendance records (scoped: company, team or own)")  # fmt: skip
@paginate(Pagination)
def record_list(request: HttpRequest, filters: Query[RecordFilter]):
    user, company = _ctx(request)
    qs = sel.attendance_list(user=user, company=company)
    if filters.employee_id:
        qs = qs.filter(employee__public_id=filters.employee_id)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    return qs.order_by("-date", "employee__code")


@router.get("/attendance/summary", response={200: SummaryOut, **ERRORS},
            summary="One person's month for payroll")  # fmt: skip
def month_summary(request: HttpRequest, query: Query[SummaryQuery]):
    user, company = _ctx(request)
    employee = _employee(user, company, query.employee_id)
    return sel.month_summary(company=company, employee=employee, year=query.year,
                             month=query.month)  # fmt: skip


@router.get("/attendance/overtime", response={200: list[OvertimeRowOut], **ERRORS},
            summary="Overtime against the legal caps")  # fmt: skip
def overtime(request: HttpRequest, query: Query[MonthQuery]):
    user, company = _ctx(request)
    require_perm(user, sel.VIEW)
    return sel.overtime_report(company, query.year, query.month)


@router.post("/attendance/import", response={200: ImportOut, 202: JobStartedOut, **ERRORS},
             summary="Import a time-clock CSV (all-or-nothing)")  # fmt: skip
def record_import(request: HttpRequest, file: File[UploadedFile]):
    from backoffice.hr.services import attendance_import as imp

    user, company = _ctx(request)
    require_perm(user, "hr.manage_attendance")
    if file.size and file.size > imp.MAX_FILE_BYTES:
        raise ValidationFailed(_("The file is too large."), code="file_too_large")
    data = file.read()
    name = (file.name or "")[:200]
    if len(data) > imp.LARGE_FILE_BYTES:
        job = imp.attendance_import_enqueue(actor=user, company=company, file_bytes=data,
                                            filename=name)  # fmt: skip
        return Status(202, {"job_id": job.public_id, "status": job.status})
    return imp.attendance_import(actor=user, company=company, file_bytes=data, filename=name)


@router.get("/attendance/{record_id}", response={200: RecordOut, **ERRORS})
def record_detail(request: HttpRequest, record_id: UUID):
    user, company = _ctx(request)
    return sel.attendance_get_for_user(user=user, company=company, public_id=record_id)


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


@router.post(
    "/attendance",
    response={201: RecordOut, **ERRORS},
    summary="Record or correct a day (HR: anyone; a person: own today/yesterday)",
)
def record_create(request: HttpRequest, payload: RecordIn):
    from backoffice.hr.services.attendance import MANAGE, attendance_record

    user, company = _ctx(request)
    employee = _employee(user, company, payload.employee_id)
    source = AttendanceSource.DESK if user.has_perm(MANAGE) else AttendanceSource.PORTAL
    rec = attendance_record(
        actor=user, company=company, employee=employee, date=payload.date,
        check_in=_time(payload.check_in), check_out=_time(payload.check_out), source=source,
        note=payload.note,
    )  # fmt: skip
    return Status(201, rec)


@router.delete("/attendance/{record_id}", response={204: None, **ERRORS})
def record_delete(request: HttpRequest, record_id: UUID):
    from backoffice.hr.services.attendance import attendance_delete

    user, company = _ctx(request)
    rec = sel.attendance_get_for_user(user=user, company=company, public_id=record_id)
    attendance_delete(actor=user, company=company, record=rec)
    return Status(204, None)


@router.get("/work-schedules", response={200: list[ScheduleOut], **ERRORS})
@paginate(Pagination)
def schedule_list(request: HttpRequest):
    user, company = _ctx(request)
    return sel.schedule_list(user=user, company=company).order_by("name")
