"""Desk screens of the workflow app. Writes go through ``services``; lists through
``selectors``. "My ..." screens (proxy models) show one's own work to any
member of the company; the company-wide screens need a permission."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline
from unfold.decorators import action, display
from unfold.widgets import UnfoldAdminFileFieldWidget

from backoffice.core.admin import ServiceFormAdmin
from backoffice.core.admin_base import CompanyScopedAdmin
from backoffice.core.audit import audit_record
from backoffice.core.exceptions import ApplicationError
from backoffice.workflow import selectors, services, views
from backoffice.workflow.models import (
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStep,
    ChecklistItem,
    Delegation,
    DocState,
    ExpenseClaim,
    ExpenseLine,
    MyApprovalRequest,
    MyExpenseClaim,
    MyPurchaseRequest,
    MyTask,
    PurchaseItem,
    PurchaseRequest,
    Task,
)
from backoffice.workflow.registry import request_type_choices


def _member(request) -> bool:
    company = getattr(request, "company", None)
    return company is not None and services.is_member(request.user, company)


_money = views.money  # one formatting wrapper over core.money.format_vnd


class MemberAdmin(CompanyScopedAdmin):
    """Personal screens: any member of the active company; rows from a selector."""

    def has_module_permission(self, request):
        return _member(request)

    def has_view_permission(self, request, obj=None):
        return _member(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChildInline(TabularInline):
    """Rows edited with their parent: the parent screen's rights decide."""

    extra = 0

    def _parent(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        return self._parent().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj) if obj else \
            self._parent().has_add_permission(request)  # fmt: skip

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)


# --- policies ------------------------------------------------------------------------------
class ApprovalStepForm(forms.ModelForm):
    class Meta:
        model = ApprovalStep
        fields = ["order", "name", "approver_kind", "role", "users", "mode", "min_amount",
                  "max_amount", "department"]  # fmt: skip

    def clean(self):
        data = super().clean()
        company = getattr(self, "company", None)
        if company is not None and not self.errors:
            try:
                services._check_step(company, data)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


class ApprovalStepInline(ChildInline):
    model = ApprovalStep
    form = ApprovalStepForm
    extra = 0
    ordering_field = None
    fields = ApprovalStepForm.Meta.fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.company = getattr(request, "company", None)
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        from backoffice.core.selectors import scope_to_company

        if db_field.name == "department":
            kwargs["queryset"] = scope_to_company(
                db_field.related_model.objects.all(), request.company
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        from backoffice.core.models import User

        if db_field.name == "users":
            kwargs["queryset"] = User.objects.filter(
                memberships__company=request.company, memberships__is_active=True
            ).distinct()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PolicyForm(forms.ModelForm):
    request_type = forms.ChoiceField(label=_("request type"), choices=())

    class Meta:
        model = ApprovalPolicy
        fields = ["request_type", "name", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_type"].choices = request_type_choices()

    def clean_request_type(self):
        code = self.cleaned_data["request_type"]
        company = getattr(self, "company", None)
        qs = ApprovalPolicy.objects.filter(company=company, request_type=code)
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(_("This request type already has a policy."))
        return code


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(CompanyScopedAdmin):
    form = PolicyForm
    list_display = ["name", "request_type", "is_active", "step_count"]
    list_filter = ["request_type", "is_active"]
    search_fields = ["name", "request_type"]
    inlines = [ApprovalStepInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.company = request.company
        return form

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_steps=Count("steps"))

    @display(description=_("steps"), ordering="n_steps")
    def step_count(self, obj):
        return obj.n_steps if hasattr(obj, "n_steps") else obj.steps.count()

    def save_model(self, request, obj, form, change):
        request._wf_before = services._policy_snapshot(obj) if change else None
        obj.company = request.company
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.policy_audit_change(
            actor=request.user, policy=form.instance, before=getattr(request, "_wf_before", None)
        )

    def delete_model(self, request, obj):
        services.policy_delete(actor=request.user, policy=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


# --- delegations -----------------------------------------------------------------------------
@admin.register(Delegation)
class DelegationAdmin(MemberAdmin, ServiceFormAdmin):
    list_display = ["from_user", "to_user", "start_date", "end_date", "note"]
    fields = ["to_user", "start_date", "end_date", "note"]

    def get_queryset(self, request):
        return selectors.delegation_list(user=request.user, company=request.company)

    def has_add_permission(self, request):
        return _member(request)

    def has_change_permission(self, request, obj=None):
        return _member(request) and (obj is None or obj.from_user_id == request.user.pk)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in self.fields}
        if change:
            original = Delegation.objects.get(pk=form.instance.pk)
            return services.delegation_update(actor=request.user, delegation=original, **data)
        return services.delegation_create(actor=request.user, company=request.company, **data)

    def delete_via_service(self, request, obj):
        services.delegation_delete(actor=request.user, delegation=obj)


# --- approval requests -------------------------------------------------------------------------
class DecisionViewMixin:
    """The approval panel under a request: approve or reject with a comment, for
    the current approver (or their delegate) only; withdraw for the requester."""

    change_form_outer_after_template = "workflow/approval_panel.html"

    def _approval_of(self, obj):
        return obj if isinstance(obj, ApprovalRequest) else getattr(obj, "approval", None)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id and request.method == "POST" and "_wf_op" in request.POST:
            obj = self.get_object(request, object_id)
            if obj is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            self.workflow_operation(request, obj, request.POST["_wf_op"])
            return HttpResponseRedirect(request.path)
        if object_id:
            obj = self.get_object(request, object_id)
            approval = self._approval_of(obj) if obj is not None else None
            if approval is not None:
                extra_context["wf_approval"] = approval
                extra_context["wf_steps"] = approval.steps.prefetch_related("approvers")
                extra_context["wf_decisions"] = approval.decisions.select_related(
                    "actor", "on_behalf_of", "step"
                )
                extra_context["wf_can_decide"] = (
                    services.decision_capacity(actor=request.user, request=approval) is not None
                )
                extra_context["wf_can_withdraw"] = (
                    approval.state == "pending" and approval.requester_id == request.user.pk
                )
            extra_context["wf_can_submit"] = obj is not None and self.may_submit(request, obj)
            if isinstance(obj, ApprovalRequest) and obj.subject is not None:
                head, rows = views.subject_rows(obj.subject)
                extra_context.update(wf_subject=obj.subject, wf_subject_head=head,
                                     wf_subject_rows=rows)  # fmt: skip
            claim = obj.subject if isinstance(obj, ApprovalRequest) else obj
            if isinstance(claim, ExpenseClaim):
                extra_context["wf_receipts"] = selectors.expense_receipts(
                    user=request.user, company=request.company, claim=claim
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def may_submit(self, request, obj) -> bool:
        return False

    def workflow_operation(self, request, obj, op: str) -> None:
        approval = self._approval_of(obj)
        try:
            if op in ("approve", "reject"):
                if approval is None:
                    raise ApplicationError(str(_("Nothing to decide.")))
                services.approval_decide(
                    actor=request.user,
                    company=request.company,
                    request=approval,
                    approve=op == "approve",
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Your decision is recorded."))
            elif op == "withdraw":
                self.withdraw(request, obj, approval)
                messages.success(request, _("The request was withdrawn."))
            elif op == "submit":
                self.submit(request, obj)
                messages.success(request, _("Submitted for approval."))
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def withdraw(self, request, obj, approval):
        services.approval_withdraw(actor=request.user, company=request.company, request=approval)

    def submit(self, request, obj):  # pragma: no cover - overridden
        raise ApplicationError(str(_("Nothing to submit.")))


class ApprovalRequestBase(DecisionViewMixin, CompanyScopedAdmin):
    list_display = ["title", "request_type", "requester", "amount_display", "state", "created_at"]
    list_filter = ["state", "request_type"]
    search_fields = ["title"]
    fields = ["title", "request_type", "requester", "department", "amount_display", "state",
              "policy_name", "created_at", "decided_at", "subject_link"]  # fmt: skip
    readonly_fields = fields

    @display(description=_("amount"))
    def amount_display(self, obj):
        return _money(obj.amount, obj.company)

    @display(description=_("record"))
    def subject_link(self, obj):
        return str(obj.subject) if obj.subject is not None else "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(ApprovalRequestBase):
    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requester", "company")


@admin.register(MyApprovalRequest)
class MyApprovalRequestAdmin(ApprovalRequestBase):
    list_display = ["title", "request_type", "requester", "amount_display", "state",
                    "waiting_for_me", "created_at"]  # fmt: skip

    def get_queryset(self, request):
        from backoffice.workflow.models import RequestStep

        company = request.company
        ids = {request.user.pk}
        if company is not None:
            ids |= services.delegators_of(request.user, company)
        waiting = RequestStep.objects.filter(
            request=OuterRef("pk"), state="pending", approvers__in=ids
        ).exclude(request__requester=request.user)
        return (
            MyApprovalRequest.objects.filter(
                pk__in=selectors.involved_requests(user=request.user, company=company)
            )
            .annotate(wf_waiting=Exists(waiting))
            .select_related("requester", "company")
        )

    def has_module_permission(self, request):
        return _member(request)

    def has_view_permission(self, request, obj=None):
        return _member(request)

    @display(description=_("waiting for me"), boolean=True)
    def waiting_for_me(self, obj):
        return bool(getattr(obj, "wf_waiting", False))


# --- tasks ---------------------------------------------------------------------------------------
class ChecklistInline(ChildInline):
    model = ChecklistItem
    fields = ["order", "text", "done"]
    extra = 1


class TaskBase(ServiceFormAdmin):
    list_display = ["title", "assignee", "due_date", "priority", "state", "estimated_hours",
                    "overdue"]  # fmt: skip
    list_filter = ["state", "priority", "assignee"]
    search_fields = ["title"]
    fields = ["title", "description", "assignee", "due_date", "priority", "estimated_hours",
              "recurrence", "state", "escalated_at", "escalated_to", "linked"]  # fmt: skip
    readonly_fields = ["state", "escalated_at", "escalated_to", "linked"]
    inlines = [ChecklistInline]
    actions = ["mark_done"]
    actions_detail = []

    @display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return bool(obj.is_open and obj.due_date and obj.due_date < services.today())

    @display(description=_("linked record"))
    def linked(self, obj):
        return str(obj.link) if obj and obj.link_id else "—"

    def has_change_permission(self, request, obj=None):
        if not _member(request):
            return False
        return obj is None or (obj.is_open and services.may_edit_task(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False  # tasks are cancelled, not deleted: their history stays

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "assignee" and formfield is not None:
            formfield.queryset = formfield.queryset.filter(memberships__is_active=True)
        return formfield

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in (
            "title", "description", "assignee", "due_date", "priority", "estimated_hours",
            "recurrence")}  # fmt: skip
        data["estimated_hours"] = data["estimated_hours"] or 0
        if change:
            original = Task.objects.get(pk=form.instance.pk)
            return services.task_update(actor=request.user, task=original, **data)
        return services.task_create(actor=request.user, company=request.company, **data)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(fs.has_changed() for fs in formsets):
            audit_record(
                event_type="TASK_CHECKLIST_UPDATED",
                actor=request.user,
                company=request.company,
                target=form.instance,
                after={"items": [[i.text, i.done] for i in form.instance.checklist.all()]},
            )

    @action(description=_("Mark as done"))
    def mark_done(self, request, queryset):
        done = 0
        for task in queryset:
            try:
                services.task_complete(actor=request.user, task=task)
                done += 1
            except ApplicationError as exc:
                messages.error(request, f"{task}: {exc.message}")
        if done:
            messages.success(request, _("%(n)s task(s) done.") % {"n": done})


@admin.register(Task)
class TaskAdmin(TaskBase):
    def get_queryset(self, request):
        if not request.user.has_perm("workflow.view_task"):
            return Task.objects.none()
        return selectors.task_list(user=request.user, company=request.company)

    def has_module_permission(self, request):
        return request.user.has_perm("workflow.view_task")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("workflow.view_task")

    def has_add_permission(self, request):
        return request.user.has_perm("workflow.view_task")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("workflow.view_task") and super().has_change_permission(
            request, obj
        )


@admin.register(MyTask)
class MyTaskAdmin(TaskBase):
    def get_queryset(self, request):
        return MyTask.objects.filter(
            pk__in=selectors.my_tasks(user=request.user, company=request.company)
        ).select_related("assignee")

    def has_module_permission(self, request):
        return _member(request)

    def has_view_permission(self, request, obj=None):
        return _member(request)

    def has_add_permission(self, request):
        return _member(request)

    def get_changeform_initial_data(self, request):
        return {"assignee": request.user.pk, **super().get_changeform_initial_data(request)}

    def get_urls(self):
        """The "My work" and workload pages live beside the personal task list."""
        extra = [
            path("overview/", self.admin_site.admin_view(views.my_work_view(self.admin_site)),
                 name="workflow_my_work"),
            path("workload/", self.admin_site.admin_view(views.workload_view(self.admin_site)),
                 name="workflow_workload"),
        ]  # fmt: skip
        return extra + super().get_urls()


# --- expense claims and purchase requests -----------------------------------------------------------
class ExpenseLineInline(ChildInline):
    model = ExpenseLine
    fields = ["date", "description", "category", "amount", "vat_rate", "vat_amount",
              "invoice_number"]  # fmt: skip
    extra = 1


class PurchaseItemInline(ChildInline):
    model = PurchaseItem
    fields = ["description", "quantity", "unit", "estimated_price"]
    extra = 1


def _attachments_inline():
    """The records app's attachment list (lazy: records is optional for this app)."""
    try:
        from backoffice.records.admin import AttachmentsInline
    except ImportError:  # pragma: no cover - records not installed
        return None
    return AttachmentsInline


class DocBase(DecisionViewMixin, ServiceFormAdmin):
    """Shared by expense claims and purchase requests (the ``my`` and ``all`` screens)."""

    child_inline: type = ChildInline
    view_perm = ""
    list_display = ["title", "requester", "department", "total_display", "state", "created_at"]
    list_filter = ["state", "department"]
    search_fields = ["title"]
    readonly_fields = ["requester", "state", "total_display", "approval_state"]

    @display(description=_("total"))
    def total_display(self, obj):
        return _money(obj.total, obj.company) if obj and obj.pk else "—"

    @display(description=_("approval"))
    def approval_state(self, obj):
        if not obj or not obj.approval_id:
            return "—"
        step = obj.approval.current_step
        label = obj.approval.get_state_display()
        return f"{label} — {step.name}" if step else label

    def get_inlines(self, request, obj):
        inlines = [self.child_inline]
        attach = _attachments_inline()
        if attach is not None and obj is not None:
            inlines.append(attach)
        return inlines

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and obj is not None

    def has_change_permission(self, request, obj=None):
        if not _member(request):
            return False
        if obj is None:
            return self.has_add_permission(request)
        return obj.requester_id == request.user.pk and obj.state in (
            DocState.DRAFT, DocState.REJECTED)  # fmt: skip

    def may_submit(self, request, obj) -> bool:
        return obj.requester_id == request.user.pk and obj.state in (
            DocState.DRAFT, DocState.REJECTED)  # fmt: skip

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(f"../{obj.pk}/change/")


class ExpenseForm(forms.ModelForm):
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("PDF or image of the invoice or receipt."),
        widget=UnfoldAdminFileFieldWidget,
    )

    class Meta:
        model = ExpenseClaim
        fields = ["title", "department"]


class ExpenseBase(DocBase):
    child_inline = ExpenseLineInline
    form = ExpenseForm
    fields = ["title", "department", "requester", "state", "total_display", "approval_state",
              "posted_reference", "receipt"]  # fmt: skip
    readonly_fields = [*DocBase.readonly_fields, "posted_reference"]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields = [f for f in fields if f != "receipt"]
        return fields

    def save_form_via_service(self, request, form, change):
        data = {"title": form.cleaned_data.get("title") or "",
                "department": form.cleaned_data.get("department")}  # fmt: skip
        if change:
            original = ExpenseClaim.objects.get(pk=form.instance.pk)
            request._wf_before = services._claim_snapshot(original)
            return services.expense_claim_update(actor=request.user, claim=original, **data)
        request._wf_before = None
        return services.expense_claim_create(actor=request.user, company=request.company, **data)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        claim = ExpenseClaim.objects.get(pk=form.instance.pk)
        services.expense_claim_lines_saved(
            actor=request.user, claim=claim, before=getattr(request, "_wf_before", None)
        )
        upload = form.cleaned_data.get("receipt")
        if upload:
            try:
                services.expense_receipt_attach(
                    actor=request.user, company=request.company, claim=claim, uploaded_file=upload
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)

    def submit(self, request, obj):
        services.expense_claim_submit(actor=request.user, company=request.company, claim=obj)

    def withdraw(self, request, obj, approval):
        services.expense_claim_withdraw(actor=request.user, company=request.company, claim=obj)

    def delete_via_service(self, request, obj):
        services.expense_claim_delete(actor=request.user, claim=obj)


class CompanyWideDocs:
    """Every request of the company, read-only, for holders of ``view_perm``."""

    view_perm: str
    list_selector: Any

    def get_queryset(self, request):
        if not request.user.has_perm(self.view_perm):
            return self.model.objects.none()
        return self.list_selector(user=request.user, company=request.company)

    def has_module_permission(self, request):
        return request.user.has_perm(self.view_perm)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.view_perm)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MyDocs:
    """The requests a member of the company made themselves."""

    list_filter = ["state"]

    def get_queryset(self, request):
        if not _member(request):
            return self.model.objects.none()
        return self.model.objects.filter(
            company=request.company, requester=request.user
        ).select_related("requester", "department", "company")

    def has_module_permission(self, request):
        return _member(request)

    def has_view_permission(self, request, obj=None):
        return _member(request)

    def has_add_permission(self, request):
        return _member(request)


@admin.register(ExpenseClaim)
class ExpenseClaimAdmin(CompanyWideDocs, ExpenseBase):
    view_perm = "workflow.view_expenseclaim"
    list_selector = staticmethod(selectors.expense_claim_list)


@admin.register(MyExpenseClaim)
class MyExpenseClaimAdmin(MyDocs, ExpenseBase):
    pass


class PurchaseBase(DocBase):
    child_inline = PurchaseItemInline
    fields = ["title", "department", "supplier", "reason", "needed_by", "requester", "state",
              "total_display", "approval_state"]  # fmt: skip

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in ("title", "supplier", "reason", "needed_by")}
        data = {k: v if v is not None or k == "needed_by" else "" for k, v in data.items()}
        if change:
            original = PurchaseRequest.objects.get(pk=form.instance.pk)
            request._wf_before = services._pr_snapshot(original)
            return services.purchase_request_update(actor=request.user, pr=original, **data)
        request._wf_before = None
        return services.purchase_request_create(
            actor=request.user, company=request.company,
            department=form.cleaned_data.get("department"), **data)  # fmt: skip

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pr = PurchaseRequest.objects.get(pk=form.instance.pk)
        services.purchase_request_items_saved(
            actor=request.user, pr=pr, before=getattr(request, "_wf_before", None)
        )

    def submit(self, request, obj):
        services.purchase_request_submit(actor=request.user, company=request.company, pr=obj)

    def withdraw(self, request, obj, approval):
        services.purchase_request_withdraw(actor=request.user, company=request.company, pr=obj)

    def delete_via_service(self, request, obj):
        services.purchase_request_delete(actor=request.user, pr=obj)


@admin.register(PurchaseRequest)
class PurchaseRequestAdmin(CompanyWideDocs, PurchaseBase):
    view_perm = "workflow.view_purchaserequest"
    list_selector = staticmethod(selectors.purchase_request_list)


@admin.register(MyPurchaseRequest)
class MyPurchaseRequestAdmin(MyDocs, PurchaseBase):
    pass
