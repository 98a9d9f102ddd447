"""Offers: the salary is encrypted (``EncryptedDecimalField``, like HR
salaries). Above the requisition's range the offer goes through the approval
engine (request type ``recruitment_offer``). The letter is a PDF stored in the
records store (confidential) and attached to the application."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.fields import EncryptedDecimalField
from backoffice.core.models import CompanyScopedModel
from backoffice.recruitment.enums import EmploymentType, OfferState


class Offer(CompanyScopedModel):
    application = models.ForeignKey(
        "recruitment.Application", on_delete=models.PROTECT, related_name="offers",
        verbose_name=_("application"),
    )  # fmt: skip
    number = models.CharField(_("number"), max_length=20, blank=True)  # TB2026/0001
    job_title = models.CharField(_("job title"), max_length=200)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("department"),
    )  # fmt: skip
    position = models.ForeignKey(
        "core.Position", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("position"),
    )  # fmt: skip
    employment_type = models.CharField(
        _("employment type"), max_length=16, choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )  # fmt: skip
    salary = EncryptedDecimalField(_("gross monthly salary"), purpose="salary")
    above_range = models.BooleanField(_("above the requisition's range"), default=False)
    start_date = models.DateField(_("start date"))
    probation_days = models.PositiveSmallIntegerField(_("probation (days)"), default=60)
    benefits = models.TextField(_("benefits"), blank=True)
    expires_on = models.DateField(_("answer by"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=OfferState.choices, default=OfferState.DRAFT
    )
    letter = models.ForeignKey(
        "records.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("offer letter"),
    )  # fmt: skip
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["company", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(state__in=["draft", "pending", "approved", "sent", "accepted"]),
                name="recruitment_one_live_offer",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.job_title
