"""Job requisitions: a department asks for people; the approval engine decides
(request type ``recruitment_requisition``); an approved requisition becomes a
job posting and counts down its headcount as people are hired."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.models import CompanyScopedModel
from backoffice.recruitment.enums import EmploymentType, RequisitionReason, RequisitionState

MONEY = {"max_digits": 18, "decimal_places": 0}


class JobRequisition(CompanyScopedModel):
    number = models.CharField(_("number"), max_length=20, blank=True)  # YC2026/0001
    title = models.CharField(_("job title"), max_length=200)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("department"),
    )  # fmt: skip
    position = models.ForeignKey(
        "core.Position", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("position"),
    )  # fmt: skip
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("hiring manager"),
    )  # fmt: skip
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    hired_count = models.PositiveSmallIntegerField(_("hired"), default=0)
    employment_type = models.CharField(
        _("employment type"), max_length=16, choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )  # fmt: skip
    salary_min = models.DecimalField(_("salary from"), null=True, blank=True, **MONEY)
    salary_max = models.DecimalField(_("salary to"), null=True, blank=True, **MONEY)
    reason = models.CharField(
        _("reason"), max_length=16, choices=RequisitionReason.choices,
        default=RequisitionReason.NEW_POSITION,
    )  # fmt: skip
    justification = models.TextField(_("justification"), blank=True)
    target_start = models.DateField(_("wanted from"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=RequisitionState.choices,
        default=RequisitionState.DRAFT,
    )  # fmt: skip
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("job requisition")
        verbose_name_plural = _("job requisitions")
        ordering = ["company", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gte=1), name="recruitment_requisition_headcount_positive"
            ),
            models.CheckConstraint(
                condition=Q(hired_count__lte=F("headcount")),
                name="recruitment_requisition_hired_within_headcount",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="recruitment_requisition_salary_range",
            ),
            models.UniqueConstraint(
                fields=["company", "number"], condition=~Q(number=""),
                name="recruitment_requisition_number_unique",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def open_headcount(self) -> int:
        return max(self.headcount - self.hired_count, 0)
