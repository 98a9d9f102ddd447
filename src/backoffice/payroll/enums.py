"""Choices of the payroll app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    UNCERTAIN = "uncertain", _("Uncertain (check with an adviser)")


class RunKind(models.TextChoices):
    REGULAR = "regular", pgettext_lazy("payroll run", "Regular")
    ADJUSTMENT = "adjustment", _("Adjustment")


class RunState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("payroll run", "Draft")
    COMPUTED = "computed", _("Computed")
    PENDING = "pending", pgettext_lazy("payroll run", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("payroll run", "Approved")
    PAID = "paid", pgettext_lazy("payroll run", "Paid")
    POSTED = "posted", pgettext_lazy("payroll run", "Posted")
    CANCELLED = "cancelled", pgettext_lazy("payroll run", "Cancelled")


class ItemCategory(models.TextChoices):
    ALLOWANCE = "allowance", _("Allowance")
    BONUS = "bonus", _("Bonus")
    DEDUCTION = "deduction", _("Deduction after tax")


class TaxTreatment(models.TextChoices):
    TAXABLE = "taxable", _("Taxable")
    EXEMPT = "exempt", _("Exempt from PIT")
    MEAL = "meal", _("Meal allowance (exempt up to the cap)")


class PaymentState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("payment", "Draft")
    PAID = "paid", pgettext_lazy("payment", "Paid")
    POSTED = "posted", pgettext_lazy("payment", "Posted")
    CANCELLED = "cancelled", pgettext_lazy("payment", "Cancelled")
