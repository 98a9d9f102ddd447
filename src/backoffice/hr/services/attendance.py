"""Attendance writes: work schedules, a day's record (HR or self-service),
recomputation. The time-clock import is :mod:`.attendance_import`; reads for
payroll (``month_summary``, ``overtime_report``) live in
``hr.selectors.attendance`` and are re-exported here.

Hours are computed by :func:`hr.calculations.attendance.split_day` from the
employee's schedule (or the company default) and the calendar's kind of day
(``hr.services.calendar.day_kind``: working, rest or holiday).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.selectors import require_perm
from backoffice.hr.calculations.attendance import DaySplit, Limits, ScheduleSpec, split_day
from backoffice.hr.enums import AttendanceSource, PersonKind
from backoffice.hr.models import AttendanceRecord, Employee, WorkSchedule
from backoffice.hr.rules import rule
from backoffice.hr.selectors.attendance import (  # noqa: F401  (re-exported for payroll)
    default_schedule,
    legal,
    month_summary,
    overtime_report,
    overtime_year_cap,
    schedule_for,
)
from backoffice.hr.services.attendance_schedules import (  # noqa: F401  (re-exported)
    DEFAULT_SCHEDULES,
    overtime_sector_set,
    work_schedule_create,
    work_schedule_defaults_create,
    work_schedule_delete,
    work_schedule_update,
)

MANAGE = "hr.manage_attendance"
SETTINGS_KEY = "hr_attendance"
# Self-service may record today and yesterday (a night shift checks out the next morning).
SELF_SERVICE_DAYS = 1

DayKindFunc = Callable[..., str]


# --- calendar and rules -------------------------------------------------------------------


def day_kind_function() -> DayKindFunc:
    """``hr.services.calendar.day_kind`` (the leave area's calendar); until it
    exists, the ``holidays`` package and the schedule's working days."""
    try:
        from backoffice.hr.services.calendar import day_kind
    except ImportError:  # pragma: no cover - the calendar lands with the leave area
        return _fallback_day_kind
    return day_kind


def _fallback_day_kind(company: Any, day: dt.date, schedule: Any = None) -> str:
    import holidays

    if day in holidays.country_holidays("VN", years=day.year):
        return "holiday"
    return "working" if ScheduleSpec.of(schedule).works_on(day) else "rest"


def _rule_or(key: str, on: dt.date, company: Any, default: Decimal) -> Decimal:
    try:
        return rule(key, on, company)
    except KeyError:
        return default


def limits_on(company: Any, day: dt.date) -> Limits:
    """The legal parameters in force on ``day`` (``hr/data/rules``, company overrides)."""
    block = ((getattr(company, "settings", None) or {}).get(SETTINGS_KEY) or {}).get(
        "overtime_block_minutes", 15
    )
    return Limits(
        night_start=int(legal("night_start_hour", day, company)),
        night_end=int(legal("night_end_hour", day, company)),
        ot_percent_daily=legal("overtime_max_percent_daily", day, company),
        # Decree 145/2020 Art. 60 (not yet in the rule table: 12 h).
        rest_day_max_hours=_rule_or("overtime_max_hours_rest_day", day, company, Decimal(12)),
        block=int(block or 1),
    )


def compute_split(
    *,
    company: Any,
    employee: Employee,
    day: dt.date,
    check_in: dt.time | None,
    check_out: dt.time | None,
    schedule: WorkSchedule | None = None,
    kind: str | None = None,
) -> DaySplit:
    schedule = schedule if schedule is not None else schedule_for(employee)
    if kind is None:
        kind = day_kind_function()(company, day, schedule=schedule)
    return split_day(
        day, check_in, check_out, kind, ScheduleSpec.of(schedule), limits_on(company, day)
    )


# --- daily records ------------------------------------------------------------------------


def _record_state(rec: AttendanceRecord | None) -> dict[str, Any] | None:
    if rec is None:
        return None
    return {
        "employee": rec.employee.code, "date": rec.date.isoformat(),
        "check_in": rec.check_in.strftime("%H:%M") if rec.check_in else None,
        "check_out": rec.check_out.strftime("%H:%M") if rec.check_out else None,
        "worked_hours": str(rec.worked_hours), "night_hours": str(rec.night_hours),
        "ot_weekday": str(rec.ot_weekday), "ot_rest_day": str(rec.ot_rest_day),
        "ot_holiday": str(rec.ot_holiday), "ot_night": str(rec.ot_night),
        "source": rec.source, "note": rec.note,
    }  # fmt: skip


def _authorise(actor: Any, company: Any, employee: Employee, day: dt.date, source: str) -> bool:
    """True for HR (anyone's record); self-service only for one's own recent days."""
    if employee.company_id != getattr(company, "pk", None):
        raise PermissionDenied(_("You do not have permission to do this."))
    if actor.has_perm(MANAGE):
        return True
    if employee.user_id is None or employee.user_id != actor.pk:
        raise PermissionDenied(
            _("You may record attendance only for yourself."), code="not_own_attendance"
        )
    if source != AttendanceSource.PORTAL:
        raise PermissionDenied(_("You do not have permission to do this."))
    today = timezone.localdate()
    if not (today - dt.timedelta(days=SELF_SERVICE_DAYS) <= day <= today):
        raise ValidationFailed(
            _("You may record only today and yesterday; ask HR to correct older days."),
            code="self_service_window",
        )
    return False


def check_employment(employee: Employee, day: dt.date) -> None:
    if employee.kind == PersonKind.COLLABORATOR:
        raise ValidationFailed(
            _("%(name)s is a collaborator: collaborators submit work logs, not attendance.")
            % {"name": employee.full_name},
            code="collaborator_attendance",
        )
    if day > timezone.localdate():
        raise ValidationFailed(_("The date is in the future."), code="future_date")
    if day < employee.hire_date:
        raise ValidationFailed(
            _("%(name)s starts on %(d)s.")
            % {"name": employee.full_name, "d": employee.hire_date.strftime("%d/%m/%Y")},
            code="before_hire",
        )
    if employee.termination_date and day > employee.termination_date:
        raise ValidationFailed(
            _("%(name)s left on %(d)s.")
            % {"name": employee.full_name, "d": employee.termination_date.strftime("%d/%m/%Y")},
            code="after_termination",
        )


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    company: Any,
    employee: Employee,
    date: dt.date,
    check_in: dt.time | None,
    check_out: dt.time | None,
    source: str = AttendanceSource.DESK,
    note: str = "",
) -> AttendanceRecord:
    """Record (or correct) one person's day; the hours are computed. One row per
    person and day: a second call replaces the first. HR (``hr.manage_attendance``)
    records anyone's day; a person records their own today or yesterday
    (``source=portal``) unless HR or the time clock already did."""
    if source not in AttendanceSource.values:
        raise ValidationFailed(_("Unknown source."), code="bad_source")
    is_hr = _authorise(actor, company, employee, date, source)
    check_employment(employee, date)
    if check_out is not None and check_in is None:
        raise ValidationFailed(_("A check-out needs a check-in."), code="check_in_required")
    if check_in is not None and check_out is not None and check_in == check_out:
        raise ValidationFailed(_("Check-in and check-out are the same time."), code="zero_shift")
    rec = (
        AttendanceRecord.objects.select_for_update()
        .select_related("employee")
        .filter(employee=employee, date=date)
        .first()
    )
    if rec is not None and not is_hr and rec.source != AttendanceSource.PORTAL:
        raise Conflict(
            _("HR or the time clock has recorded this day; ask HR to correct it."),
            code="record_locked",
        )
    before = _record_state(rec)
    split = compute_split(
        company=company, employee=employee, day=date, check_in=check_in, check_out=check_out
    )
    if rec is None:
        rec = AttendanceRecord(company=company, employee=employee, date=date)
    rec.check_in, rec.check_out = check_in, check_out
    for key, value in split.as_fields().items():
        setattr(rec, key, value)
    rec.source = source
    rec.note = (note or "")[:300]
    rec.full_clean(validate_unique=False)
    rec.save()
    audit_record(
        event_type="ATTENDANCE_RECORDED" if before is None else "ATTENDANCE_CORRECTED",
        actor=actor, company=company, target=rec, before=before, after=_record_state(rec),
    )  # fmt: skip
    return rec


def attendance_clock(*, actor: Any, company: Any, employee: Employee,
                     at: dt.datetime | None = None) -> AttendanceRecord:  # fmt: skip
    """The portal's button: the first press checks in, the next one checks out
    (a later press moves the check-out)."""
    at = timezone.localtime(at) if at is not None else timezone.localtime()
    now = at.time().replace(second=0, microsecond=0)
    rec = AttendanceRecord.objects.filter(employee=employee, date=at.date()).first()
    check_in = rec.check_in if rec is not None and rec.check_in else None
    return attendance_record(
        actor=actor, company=company, employee=employee, date=at.date(),
        check_in=check_in or now, check_out=now if check_in else None,
        source=AttendanceSource.PORTAL, note=rec.note if rec else "",
    )  # fmt: skip


@transaction.atomic
def attendance_delete(*, actor: Any, company: Any, record: AttendanceRecord) -> None:
    require_perm(actor, MANAGE)
    if record.company_id != company.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    audit_record(event_type="ATTENDANCE_DELETED", actor=actor, company=company, target=record,
                 before=_record_state(record))  # fmt: skip
    record.delete()


@transaction.atomic
def attendance_recompute(*, actor: Any, company: Any, start: dt.date, end: dt.date) -> int:
    """Recompute the hours of every record between two dates (after a holiday
    override or a schedule change). Returns the number of records changed."""
    require_perm(actor, MANAGE)
    fields = list(DaySplit(kind="working").as_fields())
    kind_of = day_kind_function()
    changed = []
    records = AttendanceRecord.objects.filter(company=company, date__range=(start, end))
    for rec in records.select_related("employee", "employee__work_schedule"):
        split = compute_split(
            company=company, employee=rec.employee, day=rec.date, check_in=rec.check_in,
            check_out=rec.check_out,
            kind=kind_of(company, rec.date, schedule=schedule_for(rec.employee)),
        )  # fmt: skip
        new = split.as_fields()
        if any(getattr(rec, k) != v for k, v in new.items()):
            for k, v in new.items():
                setattr(rec, k, v)
            changed.append(rec)
    AttendanceRecord.objects.bulk_update(changed, fields, batch_size=500)
    audit_record(event_type="ATTENDANCE_RECOMPUTED", actor=actor, company=company,
                 object_type="hr.attendancerecord", object_id=f"{start}..{end}",
                 after={"changed": len(changed)})  # fmt: skip
    return len(changed)
