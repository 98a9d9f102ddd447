"""Choices of the HR app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PersonKind(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    COLLABORATOR = "collaborator", _("Remote collaborator")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", pgettext_lazy("gender", "Other")


class EmployeeStatus(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", pgettext_lazy("employee", "Active")
    OFFBOARDING = "offboarding", _("Offboarding")
    LEFT = "left", _("Left")


class WorkCondition(models.TextChoices):
    """Labour Code Art. 113: 12 / 14 / 16 days of annual leave."""

    NORMAL = "normal", _("Normal work")
    HEAVY = "heavy", _("Minor, disabled or heavy/hazardous work")
    VERY_HEAVY = "very_heavy", _("Especially heavy/hazardous work")


class JobLevel(models.TextChoices):
    """Labour Code Art. 25: the longest probation depends on the job."""

    MANAGER = "manager", _("Enterprise manager")
    COLLEGE = "college", _("College degree or above")
    INTERMEDIATE = "intermediate", _("Intermediate, technical worker, skilled staff")
    OTHER = "other", pgettext_lazy("job level", "Other jobs")


class ContractType(models.TextChoices):
    PROBATION = "probation", _("Probation")
    FIXED_TERM = "fixed_term", _("Fixed-term")
    INDEFINITE = "indefinite", _("Indefinite-term")
    SERVICE = "service", _("Service / collaborator agreement")


class ContractState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", pgettext_lazy("contract", "Active")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated early")
    CANCELLED = "cancelled", _("Cancelled")


class RateUnit(models.TextChoices):
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    MONTH = "month", _("per month")
    DELIVERABLE = "deliverable", _("per deliverable")


class JobChangeKind(models.TextChoices):
    HIRE = "hire", _("Hire")
    TRANSFER = "transfer", _("Transfer")
    PROMOTION = "promotion", _("Promotion")
    SALARY = "salary", _("Salary change")
    TERMINATION = "termination", _("Termination")


class LeaveCategory(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    UNPAID = "unpaid", _("Unpaid leave")
    MATERNITY = "maternity", _("Maternity leave")
    WEDDING = "wedding", _("Wedding leave")
    BEREAVEMENT = "bereavement", _("Bereavement leave")
    OTHER = "other", pgettext_lazy("leave", "Other leave")


class LeaveEntryKind(models.TextChoices):
    ACCRUAL = "accrual", _("Accrual")
    CARRY_OVER = "carry_over", _("Carried over")
    EXPIRY = "expiry", _("Expired")
    TAKEN = "taken", _("Taken")
    RESTORED = "restored", _("Restored (request cancelled)")
    ADJUSTMENT = "adjustment", _("Adjustment")
    PAYOUT = "payout", _("Paid out")


class LeaveRequestState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceSource(models.TextChoices):
    IMPORT = "import", _("Time-clock import")
    PORTAL = "portal", _("Self-service")
    DESK = "desk", _("Entered by HR")


class ChecklistKind(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    OFFBOARDING = "offboarding", _("Offboarding")


class TaskArea(models.TextChoices):
    HR = "hr", _("HR")
    IT = "it", _("IT")
    ACCOUNTING = "accounting", _("Accounting")
    MANAGER = "manager", _("Line manager")


class CaseState(models.TextChoices):
    OPEN = "open", pgettext_lazy("case", "Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class WorkLogState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved for payment")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")
