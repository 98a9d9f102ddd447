from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Default roles of SPEC §1; grants live in ``permissions.ROLE_GRANTS``."""

    ACCOUNTANT = "accountant", _("Accountant")
    CHIEF_ACCOUNTANT = "chief_accountant", _("Chief accountant")
    HR_OFFICER = "hr_officer", _("HR officer")
    HR_MANAGER = "hr_manager", _("HR manager")
    PAYROLL_OFFICER = "payroll_officer", _("Payroll officer")
    IT_OFFICER = "it_officer", _("IT officer")
    DATA_ANALYST = "data_analyst", _("Data analyst")
    COMPLIANCE_OFFICER = "compliance_officer", _("Compliance officer")
    RISK_ANALYST = "risk_analyst", _("Risk analyst")
    OPERATIONS_MANAGER = "operations_manager", _("Operations manager")
    EMPLOYEE = "employee", _("Employee")
    COLLABORATOR = "collaborator", _("Remote collaborator")
    ADMIN = "admin", _("System administrator")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")
