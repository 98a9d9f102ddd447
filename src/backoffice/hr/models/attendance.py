"""Work schedules and daily attendance (time-clock import or self-service).

Overtime is stored by kind (weekday, rest day, holiday; and the part of it
worked at night) because the pay rate differs (Labour Code Art. 98); the
payroll app reads these fields.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.core.models import CompanyScopedModel
from backoffice.hr.enums import AttendanceSource
from backoffice.hr.models.people import Employee

HOURS = {"max_digits": 6, "decimal_places": 2}


class WorkSchedule(CompanyScopedModel):
    name = models.CharField(_("name"), max_length=100)
    # Mon..Sun, "1" = working day: "1111100" is Monday to Friday.
    working_days = models.CharField(_("working days (Mon..Sun)"), max_length=7, default="1111100")
    start_time = models.TimeField(_("starts at"), default=dt.time(8, 0))
    end_time = models.TimeField(_("ends at"), default=dt.time(17, 0))
    break_minutes = models.PositiveSmallIntegerField(_("break (minutes)"), default=60)
    break_start = models.TimeField(
        _("break starts at"),
        null=True,
        blank=True,
        default=dt.time(12, 0),
        help_text=_("Empty: the break sits in the middle of the day."),
    )
    # Mon..Sun, "1" = only the morning is worked (start to the break), e.g. Saturday.
    half_days = models.CharField(
        _("morning-only days (Mon..Sun)"), max_length=7, default="0000000", blank=True
    )
    hours_per_day = models.DecimalField(_("hours per day"), default=Decimal(8), **HOURS)
    is_default = models.BooleanField(_("company default"), default=False)

    class Meta:
        verbose_name = _("work schedule")
        verbose_name_plural = _("work schedules")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return self.name


class AttendanceRecord(CompanyScopedModel):
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="attendance", verbose_name=_("employee")
    )
    date = models.DateField(_("date"))
    check_in = models.TimeField(_("check-in"), null=True, blank=True)
    check_out = models.TimeField(_("check-out"), null=True, blank=True)
    worked_hours = models.DecimalField(_("normal hours"), default=Decimal(0), **HOURS)
    night_hours = models.DecimalField(_("night hours (normal time)"), default=Decimal(0), **HOURS)
    ot_weekday = models.DecimalField(_("overtime, working day"), default=Decimal(0), **HOURS)
    ot_rest_day = models.DecimalField(_("overtime, rest day"), default=Decimal(0), **HOURS)
    ot_holiday = models.DecimalField(_("overtime, public holiday"), default=Decimal(0), **HOURS)
    ot_night = models.DecimalField(_("of which overtime at night"), default=Decimal(0), **HOURS)
    source = models.CharField(
        _("source"), max_length=16, choices=AttendanceSource.choices, default=AttendanceSource.DESK
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance")
        ordering = ["company", "-date", "employee"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "date"], name="hr_attendance_day_unique")
        ]
        indexes = [models.Index(fields=["company", "date"], name="hr_attendance_date_idx")]

    def __str__(self) -> str:
        return f"{self.employee.full_name} {self.date:%d/%m/%Y}"
