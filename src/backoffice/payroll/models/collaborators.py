"""Payments to remote collaborators (no labour contract): the approved work
of a period, with the flat PIT withholding in force (10 % from the threshold
per payment; none when the collaborator filed a commitment, form 08/CK-TNCN)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.core.fields import EncryptedDecimalField
from backoffice.core.models import CompanyScopedModel
from backoffice.payroll.enums import PaymentState


class CollaboratorPayment(CompanyScopedModel):
    employee = models.ForeignKey(
        "hr.Employee", on_delete=models.PROTECT, related_name="collaborator_payments",
        verbose_name=_("collaborator"),
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=32, blank=True)
    period_start = models.DateField(_("work from"))
    period_end = models.DateField(_("work to"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = EncryptedDecimalField(_("amount"), purpose="payroll.amount")
    withheld = EncryptedDecimalField(_("PIT withheld"), purpose="payroll.amount")
    has_commitment = models.BooleanField(
        _("commitment filed (08/CK-TNCN): no withholding"), default=False
    )
    state = models.CharField(
        _("state"), max_length=16, choices=PaymentState.choices, default=PaymentState.DRAFT
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    work_logs = models.ManyToManyField(
        "hr.WorkLog", blank=True, related_name="payments", verbose_name=_("work paid")
    )
    entry = models.ForeignKey(
        "accounting.Entry", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ledger entry"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("collaborator payment")
        verbose_name_plural = _("collaborator payments")
        ordering = ["company", "-period_end", "-id"]

    def __str__(self) -> str:
        return self.number or str(self.public_id)
