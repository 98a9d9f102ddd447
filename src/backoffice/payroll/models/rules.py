"""Statutory rule rows added in the desk after a release (a law change).

The rows shipped with the product live in ``payroll/data/rules/*.csv``;
:mod:`backoffice.payroll.rules` merges both (a desk row wins over a shipped
row with the same key and date). Rules are public law, not company data, so
these tables are not company-scoped; rows are only ever added, never edited
(a wrong row is superseded by a later-dated or same-dated new one).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.payroll.enums import RuleStatus


class RuleValue(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("parameter"), max_length=64)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    effective_from = models.DateField(_("effective from"))
    basis = models.CharField(_("legal basis"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=RuleStatus.choices, default=RuleStatus.CONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("added by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("statutory rule")
        verbose_name_plural = _("statutory rules")
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="payroll_rule_key_date")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.effective_from:%d/%m/%Y}"


class PitBracketRow(models.Model):
    """One bracket of a progressive PIT scale; the rows sharing
    ``effective_from`` form the scale in force from that date."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    effective_from = models.DateField(_("effective from"))
    seq = models.PositiveSmallIntegerField(_("bracket"))
    upper = models.DecimalField(
        _("monthly taxable income up to"), max_digits=20, decimal_places=0, null=True, blank=True
    )
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)
    basis = models.CharField(_("legal basis"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=RuleStatus.choices, default=RuleStatus.CONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("added by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("PIT bracket")
        verbose_name_plural = _("PIT brackets")
        ordering = ["effective_from", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["effective_from", "seq"], name="payroll_pit_bracket")
        ]

    def __str__(self) -> str:
        return f"{self.effective_from:%d/%m/%Y} #{self.seq}"
