"""Onboarding/offboarding checklists and collaborators' work logs.

A hire (or a collaborator's start) opens an ``OnboardingCase`` from the
best-matching template; each template item becomes a ``workflow.Task``
assigned to a holder of the item's role, linked back here through
``CaseTask``. Offboarding items that revoke access block closing the person.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.core.enums import Role
from backoffice.core.fields import EncryptedDecimalField
from backoffice.core.models import CompanyScopedModel, Department, Position
from backoffice.hr.enums import CaseState, ChecklistKind, TaskArea, WorkLogState
from backoffice.hr.models.contracts import Contract
from backoffice.hr.models.people import Employee


class ChecklistTemplate(CompanyScopedModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ChecklistKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department (empty: all)"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position (empty: all)"),
    )
    for_collaborators = models.BooleanField(_("for remote collaborators"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["company", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("template"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    area = models.CharField(_("area"), max_length=16, choices=TaskArea.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    assignee_role = models.CharField(
        _("assigned to role"), max_length=32, choices=Role.choices, blank=True
    )
    due_offset_days = models.IntegerField(_("due (days from the start / last day)"), default=0)
    blocks_close = models.BooleanField(_("must be done before the person is closed"), default=False)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return self.title


class OnboardingCase(CompanyScopedModel):
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="cases", verbose_name=_("employee")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ChecklistKind.choices)
    template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("template"),
    )
    reference_date = models.DateField(_("start / last day"))
    state = models.CharField(
        _("state"), max_length=16, choices=CaseState.choices, default=CaseState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )

    class Meta:
        verbose_name = _("onboarding/offboarding case")
        verbose_name_plural = _("onboarding and offboarding")
        ordering = ["company", "-reference_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.employee.full_name}"


class CaseTask(models.Model):
    case = models.ForeignKey(
        OnboardingCase, on_delete=models.CASCADE, related_name="case_tasks", verbose_name=_("case")
    )
    task = models.OneToOneField(
        "workflow.Task", on_delete=models.PROTECT, related_name="hr_case", verbose_name=_("task")
    )
    area = models.CharField(_("area"), max_length=16, choices=TaskArea.choices)
    blocks_close = models.BooleanField(_("blocks closing"), default=False)

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.case}: {self.task}"


class WorkLog(CompanyScopedModel):
    """A collaborator's timesheet line or deliverable, approved for payment
    through the approval engine (request type ``collaborator_work``)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="work_logs", verbose_name=_("collaborator")
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="work_logs", verbose_name=_("agreement")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=2, default=Decimal(0))
    quantity = models.DecimalField(
        _("quantity (days / deliverables)"), max_digits=8, decimal_places=2, default=Decimal(0)
    )
    description = models.CharField(_("work done / deliverable"), max_length=300)
    amount = EncryptedDecimalField(_("amount"), purpose="hr.salary")
    state = models.CharField(
        _("state"), max_length=16, choices=WorkLogState.choices, default=WorkLogState.DRAFT
    )

    class Meta:
        verbose_name = _("collaborator work log")
        verbose_name_plural = _("collaborator work logs")
        ordering = ["company", "-date", "id"]

    def __str__(self) -> str:
        return f"{self.employee.full_name} {self.date:%d/%m/%Y}"
