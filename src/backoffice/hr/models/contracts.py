"""Labour contracts and collaborator (service) agreements.

Labour Code 2019 rules are checked by ``hr.contracts`` (services) with the
pure rules of ``hr.calculations.contracts``; the model only stores.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from backoffice.core.fields import EncryptedDecimalField
from backoffice.core.models import CompanyScopedModel, Department, Position
from backoffice.hr.enums import ContractState, ContractType, JobLevel, RateUnit
from backoffice.hr.models.people import Employee


class FixedTermExemption(models.TextChoices):
    """Labour Code 2019 Art. 20.2.c: cases where fixed-term contracts may follow
    one another without limit (the "next must be indefinite" rule does not apply)."""

    NONE = "", _("None")
    STATE_DIRECTOR = "state_director", _("Director of a state-capital enterprise")
    OLDER_EMPLOYEE = "older_employee", _("Older employee (Art. 149.1)")
    FOREIGN_WORKER = "foreign_worker", _("Foreign worker (Art. 151.2)")
    UNION_OFFICIAL = "union_official", _("Trade-union official (Art. 177.4)")


class Contract(CompanyScopedModel):
    employee = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("employee")
    )
    number = models.CharField(_("contract number"), max_length=50)
    contract_type = models.CharField(_("type"), max_length=16, choices=ContractType.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=ContractState.choices, default=ContractState.DRAFT
    )
    job_level = models.CharField(
        _("job level"), max_length=16, choices=JobLevel.choices, default=JobLevel.COLLEGE
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    # Salary (encrypted). For a probation contract ``salary`` is the probation pay
    # and ``job_salary`` the wage of the job (probation pay >= 85 %, Art. 26).
    salary = EncryptedDecimalField(_("monthly salary"), purpose="hr.salary")
    job_salary = EncryptedDecimalField(_("wage of the job"), purpose="hr.salary")
    # Collaborator agreements: scope and rate instead of a monthly salary.
    scope = models.TextField(_("scope of work"), blank=True)
    rate = EncryptedDecimalField(pgettext_lazy("pay", "rate"), purpose="hr.salary")
    rate_unit = models.CharField(
        _("rate unit"), max_length=16, choices=RateUnit.choices, blank=True
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("previous contract"),
    )
    work_location = models.CharField(_("place of work"), max_length=200, blank=True)
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.CharField(_("termination reason"), max_length=300, blank=True)
    expiry_task_created = models.BooleanField(default=False, editable=False)
    exemption = models.CharField(
        _("exemption from the consecutive fixed-term rule"),
        max_length=20,
        choices=FixedTermExemption.choices,
        blank=True,
        default="",
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
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["company", "employee", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "number"], name="hr_contract_number_unique"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="hr_contract_dates_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["company", "state", "end_date"], name="hr_contract_expiry_idx")
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.employee.full_name}"


class ContractTemplate(CompanyScopedModel):
    """A contract text with ``{{ placeholders }}`` rendered to DOCX or PDF. The
    shipped defaults live in ``hr/data/contract_templates/``; a company may
    upload its own DOCX per contract type."""

    contract_type = models.CharField(_("type"), max_length=16, choices=ContractType.choices)
    name = models.CharField(_("name"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")
        ordering = ["company", "contract_type", "name"]

    def __str__(self) -> str:
        return self.name
