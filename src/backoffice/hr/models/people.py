"""People: employees and remote collaborators, their family and history.

National ID, personal tax code, social insurance number and bank account are
encrypted at rest (``core.fields``); ``*_index`` columns hold keyed digests so
that uniqueness and exact lookup work without the plaintext. Salaries are
encrypted too and shown only to salary roles and the person themself.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.fields import EncryptedDecimalField, EncryptedTextField
from backoffice.core.models import CompanyScopedModel, Department, Position
from backoffice.hr.enums import (
    EmployeeStatus,
    Gender,
    JobChangeKind,
    PersonKind,
    WorkCondition,
)


class Employee(CompanyScopedModel):
    """A person who works for the company: an employee (labour contract) or a
    remote collaborator (service agreement, no labour contract)."""

    code = models.CharField(_("employee code"), max_length=32)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PersonKind.choices, default=PersonKind.EMPLOYEE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee_records",
        verbose_name=_("portal account"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, default="VN")
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Addresses use the current (2025) provinces of the vietnam-provinces package.
    permanent_address = models.CharField(_("permanent address"), max_length=300, blank=True)
    permanent_province = models.CharField(_("permanent province"), max_length=8, blank=True)
    current_address = models.CharField(_("current address"), max_length=300, blank=True)
    current_province = models.CharField(_("current province"), max_length=8, blank=True)
    # Encrypted identifiers (+ blind indexes for uniqueness / lookup).
    national_id = EncryptedTextField(_("national ID (CCCD)"), purpose="hr.national_id")
    national_id_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    tax_code = EncryptedTextField(_("personal tax code"), purpose="hr.tax_code")
    social_insurance_no = EncryptedTextField(
        _("social insurance number"), purpose="hr.social_insurance_no"
    )
    bank_account = EncryptedTextField(_("bank account number"), purpose="hr.bank_account")
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    # Organisation.
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("department"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("position"),
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reports to"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EmployeeStatus.choices, default=EmployeeStatus.ACTIVE
    )
    hire_date = models.DateField(_("start date"))
    seniority_date = models.DateField(
        _("seniority counted from"),
        null=True,
        blank=True,
        help_text=_("For the +1 leave day per 5 years; empty: the start date."),
    )
    termination_date = models.DateField(_("last working day"), null=True, blank=True)
    termination_reason = models.CharField(_("reason for leaving"), max_length=300, blank=True)
    work_condition = models.CharField(
        _("working conditions"),
        max_length=16,
        choices=WorkCondition.choices,
        default=WorkCondition.NORMAL,
    )
    work_schedule = models.ForeignKey(
        "hr.WorkSchedule",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employees",
        verbose_name=_("work schedule"),
    )
    # Payroll inputs kept on the person (the payroll app reads them).
    is_resident = models.BooleanField(_("tax resident"), default=True)
    is_union_member = models.BooleanField(_("trade-union member"), default=False)
    wage_region = models.PositiveSmallIntegerField(
        _("minimum-wage region"), default=1, choices=[(i, str(i)) for i in (1, 2, 3, 4)]
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="hr_employee_code_unique"),
            models.UniqueConstraint(
                fields=["company", "national_id_index"],
                condition=~Q(national_id_index=""),
                name="hr_employee_national_id_unique",
            ),
            models.UniqueConstraint(
                fields=["company", "user"],
                condition=Q(user__isnull=False),
                name="hr_employee_user_unique",
            ),
        ]
        indexes = [models.Index(fields=["company", "status"], name="hr_emp_status_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.full_name}"


class Dependant(CompanyScopedModel):
    """A dependant registered for the PIT family deduction (from/to dates)."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="dependants", verbose_name=_("employee")
    )
    full_name = models.CharField(_("full name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=50)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    national_id = EncryptedTextField(_("national ID / tax code"), purpose="hr.dependant_id")
    registered_from = models.DateField(_("deduction from"))
    registered_to = models.DateField(_("deduction to"), null=True, blank=True)

    class Meta:
        verbose_name = _("dependant")
        verbose_name_plural = _("dependants")
        ordering = ["employee", "registered_from", "id"]

    def __str__(self) -> str:
        return self.full_name


class EmergencyContact(CompanyScopedModel):
    employee = models.ForeignKey(
        Employee,
        on_delete=models.CASCADE,
        related_name="emergency_contacts",
        verbose_name=_("employee"),
    )
    full_name = models.CharField(_("full name"), max_length=200)
    relationship = models.CharField(_("relationship"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")
        ordering = ["employee", "id"]

    def __str__(self) -> str:
        return self.full_name


class Education(CompanyScopedModel):
    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="education", verbose_name=_("employee")
    )
    institution = models.CharField(_("school"), max_length=200)
    degree = models.CharField(_("degree"), max_length=100, blank=True)
    field_of_study = models.CharField(_("field of study"), max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("graduation year"), null=True, blank=True)

    class Meta:
        verbose_name = _("education")
        verbose_name_plural = _("education")
        ordering = ["employee", "graduation_year", "id"]

    def __str__(self) -> str:
        return f"{self.degree} {self.institution}".strip()


class JobChange(CompanyScopedModel):
    """Job history: hire, transfer, promotion, salary change, termination, each
    with the date it takes effect. The employee's current department, position
    and salary are those of the latest change in force."""

    employee = models.ForeignKey(
        Employee, on_delete=models.CASCADE, related_name="job_changes", verbose_name=_("employee")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=JobChangeKind.choices)
    effective_date = models.DateField(_("effective date"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("position"),
    )
    salary = EncryptedDecimalField(_("monthly salary"), purpose="hr.salary")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("job change")
        verbose_name_plural = _("job history")
        ordering = ["employee", "effective_date", "id"]

    def __str__(self) -> str:
        return f"{self.employee} {self.get_kind_display()} {self.effective_date:%d/%m/%Y}"
