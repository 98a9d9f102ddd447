"""Leave: types, the leave ledger, requests, public holidays.

Balances are sums of ``LeaveEntry`` rows; a row is never edited or deleted
(database triggers refuse it). A correction is a new row.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backoffice.core.models import CompanyScopedModel
from backoffice.hr.enums import LeaveCategory, LeaveEntryKind, LeaveRequestState
from backoffice.hr.models.people import Employee

DAYS = {"max_digits": 7, "decimal_places": 2}


class LeaveType(CompanyScopedModel):
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(
        pgettext_lazy("leave", "category"), max_length=16, choices=LeaveCategory.choices
    )
    paid = models.BooleanField(_("paid"), default=True)
    uses_balance = models.BooleanField(
        _("uses a balance"),
        default=False,
        help_text=_("Requests draw on the leave ledger (annual leave)."),
    )
    allow_negative = models.BooleanField(_("may go below zero"), default=False)
    calendar_days = models.BooleanField(
        _("counts calendar days"),
        default=False,
        help_text=_("Maternity leave counts calendar days; others count working days."),
    )
    max_days_per_request = models.DecimalField(
        _("most days per request"), null=True, blank=True, **DAYS
    )
    carry_over_max_days = models.DecimalField(
        _("most days carried over"), default=Decimal(0), **DAYS
    )
    carry_over_expiry_months = models.PositiveSmallIntegerField(
        _("carried days expire after (months)"), default=3
    )
    monthly_accrual = models.BooleanField(
        _("accrues monthly"),
        default=False,
        help_text=_("Off: the year's entitlement is granted on 1 January (pro-rata for joiners)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("leave type")
        verbose_name_plural = _("leave types")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="hr_leave_type_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LeaveRequest(CompanyScopedModel):
    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        related_name="leave_requests",
        verbose_name=_("employee"),
    )
    leave_type = models.ForeignKey(
        LeaveType, on_delete=models.PROTECT, related_name="requests", verbose_name=_("leave type")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    start_half = models.BooleanField(_("first day afternoon only"), default=False)
    end_half = models.BooleanField(_("last day morning only"), default=False)
    days = models.DecimalField(_("days"), default=Decimal(0), **DAYS)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=LeaveRequestState.choices,
        default=LeaveRequestState.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        ordering = ["company", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="hr_leave_dates_ordered"
            )
        ]
        indexes = [
            models.Index(fields=["company", "start_date", "end_date"], name="hr_leave_cal_idx")
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name} {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y}"

    @property
    def approval(self):
        """The latest approval request of this leave request (the workflow app's)."""
        from backoffice.hr.services.leave_requests import approval_of

        return approval_of(self) if self.pk else None


class LeaveEntry(CompanyScopedModel):
    """One change of a leave balance (append-only)."""

    employee = models.ForeignKey(
        Employee,
        on_delete=models.PROTECT,
        related_name="leave_entries",
        verbose_name=_("employee"),
    )
    leave_type = models.ForeignKey(
        LeaveType, on_delete=models.PROTECT, related_name="entries", verbose_name=_("leave type")
    )
    year = models.PositiveSmallIntegerField(_("leave year"))
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=LeaveEntryKind.choices)
    days = models.DecimalField(_("days (+ granted, − used)"), **DAYS)
    request = models.ForeignKey(
        LeaveRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("request"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    # What produced the row ("grant:2026", "seniority:2026", "taken:<request id>" ...):
    # unique per person and type, so running the accrual twice adds nothing.
    key = models.CharField(_("source key"), max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("leave ledger entry")
        verbose_name_plural = _("leave ledger")
        ordering = ["company", "employee", "date", "id"]
        indexes = [
            models.Index(fields=["employee", "leave_type", "year"], name="hr_leave_balance_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "leave_type", "key"],
                condition=~Q(key=""),
                name="hr_leave_entry_key_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employee.full_name} {self.get_kind_display()} {self.days}"


class HolidayOverride(CompanyScopedModel):
    """Per company and year: adds a day off (a swap day, a holiday the base
    calendar lacks) or removes one (a make-up working day)."""

    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200)
    is_day_off = models.BooleanField(
        _("day off"), default=True, help_text=_("Off: a working day (e.g. a make-up Saturday).")
    )

    class Meta:
        verbose_name = _("holiday override")
        verbose_name_plural = _("holiday overrides")
        ordering = ["company", "date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "date"], name="hr_holiday_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
