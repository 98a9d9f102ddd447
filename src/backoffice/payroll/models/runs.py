"""Payroll runs and payslips.

A run covers one company-month. Its ``totals`` hold aggregates only
(headcount, sums by kind and by department) in plaintext; every per-person
figure lives in the payslip's ``data``: one encrypted JSON document with the
inputs (paid days, overtime hours, items) and the result of
:func:`backoffice.payroll.calculations.compute_month`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.fields import EncryptedTextField
from backoffice.core.models import CompanyScopedModel
from backoffice.payroll.enums import RunKind, RunState


class PayrollRun(CompanyScopedModel):
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=RunKind.choices, default=RunKind.REGULAR
    )
    adjusts = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="adjustments",
        verbose_name=_("corrects run"),
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=16, choices=RunState.choices, default=RunState.DRAFT
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    accrual_entry = models.ForeignKey(
        "accounting.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("payroll entry"),
    )  # fmt: skip
    payment_entry = models.ForeignKey(
        "accounting.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("payment entry"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("payroll run")
        verbose_name_plural = _("payroll runs")
        ordering = ["company", "-year", "-month", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "year", "month"],
                condition=Q(kind="regular") & ~Q(state="cancelled"),
                name="payroll_one_regular_run_per_month",
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="payroll_run_month_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.month:02d}/{self.year}"


class Payslip(CompanyScopedModel):
    run = models.ForeignKey(
        PayrollRun, on_delete=models.CASCADE, related_name="payslips",
        verbose_name=_("payroll run"),
    )  # fmt: skip
    employee = models.ForeignKey(
        "hr.Employee", on_delete=models.PROTECT, related_name="payslips",
        verbose_name=_("employee"),
    )  # fmt: skip
    department = models.ForeignKey(
        "core.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("department"),
    )  # fmt: skip
    standard_days = models.DecimalField(_("standard days"), max_digits=6, decimal_places=2)
    paid_days = models.DecimalField(_("paid days"), max_digits=6, decimal_places=2)
    data = EncryptedTextField(_("payslip"), purpose="payroll.payslip")
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payslip")
        verbose_name_plural = _("payslips")
        ordering = ["run", "employee__code"]
        constraints = [
            models.UniqueConstraint(fields=["run", "employee"], name="payroll_payslip_once")
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.employee_id}"
