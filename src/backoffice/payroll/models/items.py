"""Pay items: recurring allowances and deductions of an employee
(``PayItem``) and one-off bonuses, allowances or deductions in a run
(``RunItem``). Amounts are encrypted like salaries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.core.fields import EncryptedDecimalField
from backoffice.core.models import CompanyScopedModel
from backoffice.payroll.enums import ItemCategory, TaxTreatment


class PayItem(CompanyScopedModel):
    """A monthly allowance or deduction, in force from ``valid_from`` to
    ``valid_to`` (inclusive); pro-rated by paid days when ``prorate``."""

    employee = models.ForeignKey(
        "hr.Employee", on_delete=models.PROTECT, related_name="pay_items",
        verbose_name=_("employee"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(
        _("category"), max_length=16, choices=ItemCategory.choices, default=ItemCategory.ALLOWANCE
    )
    tax_treatment = models.CharField(
        _("PIT treatment"), max_length=16, choices=TaxTreatment.choices,
        default=TaxTreatment.TAXABLE,
    )  # fmt: skip
    insurable = models.BooleanField(_("part of the insurance salary"), default=False)
    prorate = models.BooleanField(_("pro-rated by paid days"), default=True)
    amount = EncryptedDecimalField(_("monthly amount"), purpose="payroll.amount")
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("pay item")
        verbose_name_plural = _("pay items")
        ordering = ["company", "employee", "valid_from", "id"]

    def __str__(self) -> str:
        return self.name


class RunItem(CompanyScopedModel):
    """A one-off amount for one employee in one run (a bonus, an allowance,
    a deduction after tax such as an advance)."""

    run = models.ForeignKey(
        "payroll.PayrollRun", on_delete=models.CASCADE, related_name="items",
        verbose_name=_("payroll run"),
    )  # fmt: skip
    employee = models.ForeignKey(
        "hr.Employee", on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(
        _("category"), max_length=16, choices=ItemCategory.choices, default=ItemCategory.BONUS
    )
    tax_treatment = models.CharField(
        _("PIT treatment"), max_length=16, choices=TaxTreatment.choices,
        default=TaxTreatment.TAXABLE,
    )  # fmt: skip
    insurable = models.BooleanField(_("part of the insurance salary"), default=False)
    amount = EncryptedDecimalField(_("amount"), purpose="payroll.amount")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("run item")
        verbose_name_plural = _("run items")
        ordering = ["run", "employee", "id"]

    def __str__(self) -> str:
        return self.name
