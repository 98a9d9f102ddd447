"""Work schedules (CRUD, the defaults of a new company) and the company's
overtime-sector setting. Re-exported by :mod:`.attendance`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.selectors import require_perm
from backoffice.hr.calculations.attendance import ScheduleSpec
from backoffice.hr.models import Employee, WorkSchedule
from backoffice.hr.rules import rule

MANAGE = "hr.manage_attendance"
SETTINGS_KEY = "hr_attendance"


# --- work schedules -----------------------------------------------------------------------

SCHEDULE_FIELDS = ("name", "working_days", "start_time", "end_time", "break_minutes",
                   "break_start", "half_days", "is_default")  # fmt: skip


def _days_mask(value: str, label: str) -> str:
    value = (value or "").strip() or "0000000"
    if len(value) != 7 or set(value) - {"0", "1"}:
        raise ValidationFailed(
            _("%(f)s: seven digits 0 or 1, Monday to Sunday (e.g. 1111100).") % {"f": label},
            code="bad_days_mask",
        )
    return value


def _check_schedule(ws: WorkSchedule) -> None:
    ws.working_days = _days_mask(ws.working_days, _("Working days"))
    ws.half_days = _days_mask(ws.half_days, _("Morning-only days"))
    if any(h == "1" and w != "1" for h, w in zip(ws.half_days, ws.working_days, strict=True)):
        raise ValidationFailed(
            _("A morning-only day must also be a working day."), code="bad_half_day"
        )
    if ws.start_time == ws.end_time:
        raise ValidationFailed(_("The day must not start when it ends."), code="bad_schedule")
    spec = ScheduleSpec.of(ws)
    brk = spec.break_window()
    start, end = spec.window(dt.date(2026, 1, 5))  # a Monday, full day
    if brk is not None and not (start <= brk[0] and brk[1] <= end):
        raise ValidationFailed(_("The break must lie within the working hours."), code="bad_break")
    hours = spec.hours_per_day
    limit = rule("normal_max_hours_day", timezone.localdate(), ws.company)
    if hours > limit:
        raise ValidationFailed(
            _("A working day has at most %(n)s normal hours (Labour Code Art. 105).")
            % {"n": limit},
            code="too_many_hours",
        )
    ws.hours_per_day = hours


def _schedule_state(ws: WorkSchedule) -> dict[str, Any]:
    return {f: str(getattr(ws, f)) for f in (*SCHEDULE_FIELDS, "hours_per_day")}


def _single_default(ws: WorkSchedule) -> None:
    if ws.is_default:
        WorkSchedule.objects.filter(company=ws.company, is_default=True).exclude(pk=ws.pk).update(
            is_default=False
        )


@transaction.atomic
def work_schedule_create(*, actor: Any, company: Any, name: str, **fields: Any) -> WorkSchedule:
    require_perm(actor, MANAGE)
    unknown = set(fields) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationFailed(_("Unknown field: %(f)s") % {"f": ", ".join(sorted(unknown))})
    ws = WorkSchedule(company=company, name=(name or "").strip(), **fields)
    if not ws.name:
        raise ValidationFailed(_("A schedule needs a name."), code="name_required")
    _check_schedule(ws)
    ws.full_clean()
    ws.save()
    _single_default(ws)
    audit_record(event_type="WORK_SCHEDULE_CREATED", actor=actor, company=company, target=ws,
                 after=_schedule_state(ws))  # fmt: skip
    return ws


@transaction.atomic
def work_schedule_update(*, actor: Any, company: Any, schedule: WorkSchedule,
                         **changes: Any) -> WorkSchedule:  # fmt: skip
    require_perm(actor, MANAGE)
    ws = WorkSchedule.objects.select_for_update().get(pk=schedule.pk, company=company)
    before = _schedule_state(ws)
    for key, value in changes.items():
        if key not in SCHEDULE_FIELDS:
            raise ValidationFailed(_("Unknown field: %(f)s") % {"f": key})
        setattr(ws, key, value)
    _check_schedule(ws)
    ws.full_clean()
    ws.save()
    _single_default(ws)
    audit_record(event_type="WORK_SCHEDULE_UPDATED", actor=actor, company=company, target=ws,
                 before=before, after=_schedule_state(ws))  # fmt: skip
    return ws


@transaction.atomic
def work_schedule_delete(*, actor: Any, company: Any, schedule: WorkSchedule) -> None:
    require_perm(actor, MANAGE)
    if schedule.company_id != company.pk:
        raise PermissionDenied(_("You do not have permission to do this."))
    if schedule.is_default:
        raise Conflict(_("The company's default schedule cannot be deleted."),
                       code="schedule_is_default")  # fmt: skip
    if Employee.objects.filter(work_schedule=schedule).exists():
        raise Conflict(_("Employees still work on this schedule."), code="schedule_in_use")
    audit_record(event_type="WORK_SCHEDULE_DELETED", actor=actor, company=company,
                 target=schedule, before=_schedule_state(schedule))  # fmt: skip
    schedule.delete()


DEFAULT_SCHEDULES = [
    # name (Vietnamese, as the company uses it), working days, half days
    ("Hành chính (thứ Hai – thứ Sáu)", "1111100", "0000000", True),
    ("Hành chính + sáng thứ Bảy", "1111110", "0000010", False),
]


@transaction.atomic
def work_schedule_defaults_create(*, company: Any, actor: Any = None) -> int:
    """08:00-17:00 with a 12:00-13:00 break, Monday to Friday (the default), and
    the Saturday-morning variant. Idempotent (by name); on company creation."""
    made = 0
    for name, days, half, is_default in DEFAULT_SCHEDULES:
        if WorkSchedule.objects.filter(company=company, name=name).exists():
            continue
        ws = WorkSchedule(
            company=company, name=name, working_days=days, half_days=half,
            is_default=is_default and not WorkSchedule.objects.filter(
                company=company, is_default=True).exists(),
        )  # fmt: skip
        _check_schedule(ws)
        ws.save()
        made += 1
    if made:
        audit_record(event_type="WORK_SCHEDULES_SEEDED", actor=actor, company=company,
                     object_type="hr.workschedule", object_id=str(company.pk),
                     after={"created": made})  # fmt: skip
    return made


# --- company setting: the extended yearly cap ---------------------------------------------


@transaction.atomic
def overtime_sector_set(*, actor: Any, company: Any, extended: bool) -> None:
    """Sectors of Art. 107.3 / Decree 145 Art. 61-62 (textiles, garments,
    electronics, ...) may reach 300 h of overtime a year instead of 200."""
    require_perm(actor, MANAGE)
    settings = dict(company.settings or {})
    section = dict(settings.get(SETTINGS_KEY) or {})
    before = bool(section.get("extended_overtime"))
    section["extended_overtime"] = bool(extended)
    settings[SETTINGS_KEY] = section
    company.settings = settings
    company.save(update_fields=["settings"])
    audit_record(event_type="OVERTIME_SECTOR_SET", actor=actor, company=company, target=company,
                 before={"extended_overtime": before},
                 after={"extended_overtime": bool(extended)})  # fmt: skip
