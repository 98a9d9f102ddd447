"""The company's working-day calendar: ``holidays`` (VN) + ``hr/data/holidays_vn.csv``
+ the company's ``HolidayOverride`` rows, over a work schedule's weekly pattern.

Reads here need no permission (every member may see the calendar); the writes
(holiday overrides) need ``hr.manage_leave`` and are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, NotFound, ValidationFailed
from backoffice.core.models import Company
from backoffice.core.selectors import require_perm
from backoffice.hr.calculations import calendar as cal
from backoffice.hr.models import HolidayOverride, WorkSchedule

WORKING, REST, HOLIDAY = cal.WORKING, cal.REST, cal.HOLIDAY


def _pattern(company: Company, schedule: WorkSchedule | None) -> str:
    if schedule is None:
        schedule = (
            WorkSchedule.objects.filter(company=company, is_default=True).order_by("id").first()
        )
    return schedule.working_days if schedule is not None else cal.DEFAULT_PATTERN


def _overrides(company: Company, start: dt.date, end: dt.date) -> dict[dt.date, tuple[bool, str]]:
    rows = HolidayOverride.objects.filter(company=company, date__gte=start, date__lte=end)
    return {r.date: (r.is_day_off, r.name) for r in rows.only("date", "is_day_off", "name")}


class CompanyCalendar:
    """One company's calendar over a period, loaded once (for loops over days)."""

    def __init__(
        self, company: Company, start: dt.date, end: dt.date, schedule: WorkSchedule | None = None
    ):
        self.company, self.start, self.end = company, start, end
        self.pattern = _pattern(company, schedule)
        rows = _overrides(company, start, end)
        self.overrides = {d: off for d, (off, _n) in rows.items()}
        self.names = {d: name for d, (_o, name) in rows.items()}

    def day_kind(self, day: dt.date) -> str:
        return cal.day_kind(day, pattern=self.pattern, overrides=self.overrides)

    def working_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        return cal.working_days(start, end, pattern=self.pattern, overrides=self.overrides)

    def holidays(self) -> list[tuple[dt.date, str]]:
        return cal.holidays_between(
            self.start, self.end, overrides=self.overrides, override_names=self.names
        )


def day_kind(company: Company, day: dt.date, schedule: WorkSchedule | None = None) -> str:
    """``"working"``, ``"rest"`` or ``"holiday"`` for one day of the company."""
    return CompanyCalendar(company, day, day, schedule).day_kind(day)


def working_days(
    company: Company, start: dt.date, end: dt.date, schedule: WorkSchedule | None = None
) -> list[dt.date]:
    if end < start:
        return []
    return CompanyCalendar(company, start, end, schedule).working_days(start, end)


def holidays_between(company: Company, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
    """The company's days off for holidays in ``[start, end]``, with their names."""
    if end < start:
        return []
    return CompanyCalendar(company, start, end).holidays()


# --- holiday overrides (per company, per year) ---------------------------------------------
def _snapshot(o: HolidayOverride) -> dict[str, Any]:
    return {"date": o.date.isoformat(), "name": o.name, "is_day_off": o.is_day_off}


@transaction.atomic
def holiday_override_save(
    *,
    actor: Any,
    company: Company,
    date: dt.date,
    name: str,
    is_day_off: bool = True,
    override: HolidayOverride | None = None,
) -> HolidayOverride:
    """Add (or change) a swap day off or a make-up working day."""
    require_perm(actor, "hr.manage_leave")
    if not (name or "").strip():
        raise ValidationFailed(_("Give the day a name."), code="name_required")
    before = None
    if override is None:
        override = HolidayOverride(company=company)
    else:
        if override.company_id != company.pk:
            raise NotFound(_("Holiday override not found."))
        before = _snapshot(override)
    override.date, override.name, override.is_day_off = date, name.strip()[:200], bool(is_day_off)
    try:
        with transaction.atomic():
            override.save()
    except IntegrityError as exc:
        raise Conflict(
            _("This date already has an override; change that one."), code="override_exists"
        ) from exc
    audit_record(
        event_type="HOLIDAY_OVERRIDE_UPDATED" if before else "HOLIDAY_OVERRIDE_CREATED",
        actor=actor,
        company=company,
        target=override,
        before=before,
        after=_snapshot(override),
    )
    return override


@transaction.atomic
def holiday_override_delete(*, actor: Any, company: Company, override: HolidayOverride) -> None:
    require_perm(actor, "hr.manage_leave")
    if override.company_id != company.pk:
        raise NotFound(_("Holiday override not found."))
    audit_record(
        event_type="HOLIDAY_OVERRIDE_DELETED",
        actor=actor,
        company=company,
        target=override,
        before=_snapshot(override),
    )
    override.delete()
