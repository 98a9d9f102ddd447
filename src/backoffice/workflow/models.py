"""Workflow models: approval policies and requests, delegations, tasks, expense
claims and purchase requests. Writes go through ``services``; reads through
``selectors`` (company + permission + involvement)."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.enums import Role
from backoffice.core.models import CompanyScopedModel, Department

MONEY = {"max_digits": 20, "decimal_places": 2}


# --- approval engine ------------------------------------------------------------------
class ApproverKind(models.TextChoices):
    ROLE = "role", _("Holders of a role")
    MANAGER = "manager", _("Manager of the requester")
    USERS = "users", _("Named people")


class StepMode(models.TextChoices):
    ANY = "any", _("Any one of them")
    ALL = "all", _("All of them")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StepState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SKIPPED = "skipped", _("Skipped")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalPolicy(CompanyScopedModel):
    """The ordered steps a request type goes through in one company."""

    request_type = models.CharField(_("request type"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        ordering = ["company", "request_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "request_type"], name="wf_policy_type_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ApprovalStep(models.Model):
    """One step of a policy. Approvers: holders of a role in the company, the
    requester's manager (walking up the department tree), or named people.
    Applies only when the amount is above ``min_amount`` / at most ``max_amount``
    and (if set) the request's department is ``department`` or below it."""

    policy = models.ForeignKey(
        ApprovalPolicy, on_delete=models.CASCADE, related_name="steps", verbose_name=_("policy")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=200)
    approver_kind = models.CharField(
        _("approver"), max_length=16, choices=ApproverKind.choices, default=ApproverKind.MANAGER
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("named people")
    )
    mode = models.CharField(
        _("decision"), max_length=8, choices=StepMode.choices, default=StepMode.ANY
    )
    min_amount = models.DecimalField(
        _("only above amount"),
        null=True,
        blank=True,
        help_text=_("The step applies only when the amount is greater than this."),
        **MONEY,
    )
    max_amount = models.DecimalField(
        _("only up to amount"),
        null=True,
        blank=True,
        help_text=_("The step applies only when the amount is at most this."),
        **MONEY,
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only for department"),
        help_text=_("The step applies only to requests of this department or below it."),
    )

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["policy", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ApprovalRequest(CompanyScopedModel):
    """A request for approval of any record (``subject``) of a registered type."""

    request_type = models.CharField(_("request type"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("subject type")
    )
    subject_id = models.PositiveBigIntegerField(_("subject id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    state = models.CharField(
        _("state"), max_length=16, choices=RequestState.choices, default=RequestState.PENDING
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requester"),
    )
    amount = models.DecimalField(_("amount"), null=True, blank=True, **MONEY)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    policy_name = models.CharField(_("policy"), max_length=200, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["company", "state"], name="wf_request_state")]

    def __str__(self) -> str:
        return self.title or f"{self.request_type} #{self.pk}"

    @property
    def current_step(self) -> RequestStep | None:
        return self.steps.filter(state=StepState.PENDING).order_by("order").first()


class RequestStep(models.Model):
    """A policy step copied onto a request at submission, its approvers resolved then."""

    request = models.ForeignKey(
        ApprovalRequest, on_delete=models.CASCADE, related_name="steps", verbose_name=_("request")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    mode = models.CharField(_("decision"), max_length=8, choices=StepMode.choices)
    approvers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("approvers")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=StepState.choices, default=StepState.WAITING
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")
        ordering = ["request", "order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ApprovalDecision(models.Model):
    """Who decided what, with which comment; ``on_behalf_of`` when a delegate acted."""

    request = models.ForeignKey(
        ApprovalRequest,
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("request"),
    )
    step = models.ForeignKey(
        RequestStep, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("step")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    approve = models.BooleanField(_("approved"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.actor}: {'+' if self.approve else '-'}"


class Delegation(CompanyScopedModel):
    """While ``from_user`` is away, ``to_user`` may decide in their place."""

    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("delegator"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("delegate"),
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_user=models.F("to_user")), name="wf_delegation_not_self"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="wf_delegation_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user}"


# --- tasks ------------------------------------------------------------------------------
class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class TaskState(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATES = (TaskState.OPEN, TaskState.IN_PROGRESS)


class Recurrence(models.TextChoices):
    NONE = "", _("Does not repeat")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class Task(CompanyScopedModel):
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=2, default=Decimal(0)
    )
    state = models.CharField(
        _("state"), max_length=16, choices=TaskState.choices, default=TaskState.OPEN
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    recurrence = models.CharField(
        _("repeats"), max_length=8, choices=Recurrence.choices, blank=True, default=""
    )
    recurrence_day = models.PositiveSmallIntegerField(
        _("day of month"),
        null=True,
        blank=True,
        help_text=_("Monthly tasks fall due on this day (the month's last day if shorter)."),
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_occurrence",
        verbose_name=_("previous occurrence"),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    link_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked record type"),
    )
    link_id = models.PositiveBigIntegerField(_("linked record id"), null=True, blank=True)
    link = GenericForeignKey("link_type", "link_id")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "-priority", "id"]
        indexes = [
            models.Index(fields=["company", "state", "due_date"], name="wf_task_due"),
            models.Index(fields=["assignee", "state"], name="wf_task_assignee"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TASK_STATES


class ChecklistItem(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("task")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=300)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist")
        ordering = ["task", "order", "id"]

    def __str__(self) -> str:
        return self.text


# --- expense claims and purchase requests -------------------------------------------------
class DocState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    POSTED = "posted", _("Posted")


class ExpenseCategory(models.TextChoices):
    TRAVEL = "travel", _("Travel")
    MEALS = "meals", _("Meals and entertainment")
    OFFICE = "office", _("Office supplies")
    TRANSPORT = "transport", _("Local transport")
    COMMUNICATION = "communication", _("Phone and internet")
    OTHER = "other", _("Other")


class ExpenseClaim(CompanyScopedModel):
    title = models.CharField(_("title"), max_length=300)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("claimant"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    state = models.CharField(
        _("state"), max_length=16, choices=DocState.choices, default=DocState.DRAFT
    )
    total = models.DecimalField(_("total"), default=Decimal(0), **MONEY)
    approval = models.ForeignKey(
        ApprovalRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval"),
    )
    posted_reference = models.CharField(_("ledger reference"), max_length=100, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ExpenseLine(models.Model):
    claim = models.ForeignKey(
        ExpenseClaim, on_delete=models.CASCADE, related_name="lines", verbose_name=_("claim")
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    category = models.CharField(
        _("category"), max_length=16, choices=ExpenseCategory.choices, default="other"
    )
    amount = models.DecimalField(_("amount before VAT"), **MONEY)
    vat_rate = models.PositiveSmallIntegerField(
        _("VAT rate (%)"),
        null=True,
        blank=True,
        choices=[(0, "0%"), (5, "5%"), (8, "8%"), (10, "10%")],
    )
    vat_amount = models.DecimalField(_("VAT"), default=Decimal(0), **MONEY)
    invoice_number = models.CharField(_("invoice number"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("expense line")
        verbose_name_plural = _("expense lines")
        ordering = ["claim", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="wf_expense_line_positive"),
            models.CheckConstraint(condition=Q(vat_amount__gte=0), name="wf_expense_vat_positive"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def line_total(self) -> Decimal:
        return self.amount + self.vat_amount


class PurchaseRequest(CompanyScopedModel):
    title = models.CharField(_("title"), max_length=300)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requester"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocState.choices, default=DocState.DRAFT
    )
    total = models.DecimalField(_("estimated total"), default=Decimal(0), **MONEY)
    approval = models.ForeignKey(
        ApprovalRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval"),
    )

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class PurchaseItem(models.Model):
    request = models.ForeignKey(
        PurchaseRequest, on_delete=models.CASCADE, related_name="items", verbose_name=_("request")
    )
    description = models.CharField(_("item"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    estimated_price = models.DecimalField(_("estimated unit price"), **MONEY)

    class Meta:
        verbose_name = _("purchase item")
        verbose_name_plural = _("purchase items")
        ordering = ["request", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="wf_purchase_qty_positive"),
            models.CheckConstraint(
                condition=Q(estimated_price__gte=0), name="wf_purchase_price_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def line_total(self) -> Decimal:
        return self.quantity * self.estimated_price


# Proxies: the desk's personal screens ("my ...") next to the company-wide ones.
class MyApprovalRequest(ApprovalRequest):
    class Meta:
        proxy = True
        verbose_name = _("my approval")
        verbose_name_plural = _("my approvals")


class MyTask(Task):
    class Meta:
        proxy = True
        verbose_name = _("my task")
        verbose_name_plural = _("my tasks")


class MyExpenseClaim(ExpenseClaim):
    class Meta:
        proxy = True
        verbose_name = _("my expense claim")
        verbose_name_plural = _("my expense claims")


class MyPurchaseRequest(PurchaseRequest):
    class Meta:
        proxy = True
        verbose_name = _("my purchase request")
        verbose_name_plural = _("my purchase requests")
