"""Desk screens: checklist templates (items inline), onboarding/offboarding cases
with their tasks, and collaborators' work logs.

Cases are opened by the hire wizard (``/desk/hr/hire/``), the collaborator form
and the offboarding page (``hr.views.onboarding``), never by "add" here. Work
logs are written by collaborators in the portal (or the API); the desk lists
them and submits drafts; amounts show only to salary roles and never leave in an
export.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export import fields as ie_fields
from import_export import resources
from unfold.admin import TabularInline
from unfold.decorators import action, display

from backoffice.core.admin_base import CompanyScopedAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.core.money import format_vnd
from backoffice.hr.models import ChecklistTemplate, ChecklistTemplateItem, OnboardingCase, WorkLog
from backoffice.hr.selectors import onboarding as sel
from backoffice.hr.services import collaborators as collab_svc
from backoffice.hr.services import onboarding as svc

VIEW, MANAGE = "hr.view_onboarding", "hr.manage_onboarding"


def _has(request, perm: str) -> bool:
    return getattr(request, "company", None) is not None and request.user.has_perm(perm)


# --- checklist templates ------------------------------------------------------------------------
class ItemInline(TabularInline):
    model = ChecklistTemplateItem
    extra = 0
    fields = ["order", "area", "title", "assignee_role", "due_offset_days", "blocks_close"]

    def has_view_permission(self, request, obj=None):
        return _has(request, VIEW)

    def has_add_permission(self, request, obj=None):
        return _has(request, MANAGE)

    def has_change_permission(self, request, obj=None):
        return _has(request, MANAGE)

    def has_delete_permission(self, request, obj=None):
        return _has(request, MANAGE)


class TemplateResource(resources.ModelResource):
    department = ie_fields.Field(attribute="department__code", column_name="department")
    position = ie_fields.Field(attribute="position__code", column_name="position")

    class Meta:
        model = ChecklistTemplate
        fields = ["public_id", "name", "kind", "department", "position", "for_collaborators",
                  "is_active"]  # fmt: skip
        export_order = fields


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(CompanyScopedAdmin):
    resource_classes = [TemplateResource]
    list_display = ["name", "kind", "department", "position", "for_collaborators", "is_active",
                    "item_count"]  # fmt: skip
    list_filter = ["kind", "for_collaborators", "is_active", "department"]
    search_fields = ["name"]
    fields = ["name", "kind", "department", "position", "for_collaborators", "is_active"]
    inlines = [ItemInline]

    def get_queryset(self, request):
        return sel.checklist_template_list(user=request.user, company=request.company) if _has(
            request, VIEW
        ) else ChecklistTemplate.objects.none()  # fmt: skip

    @display(description=_("items"), ordering="n_items")
    def item_count(self, obj):
        return getattr(obj, "n_items", None)

    def has_module_permission(self, request):
        return _has(request, VIEW)

    def has_view_permission(self, request, obj=None):
        return _has(request, VIEW)

    def has_add_permission(self, request):
        return _has(request, MANAGE)

    def has_change_permission(self, request, obj=None):
        return _has(request, MANAGE)

    def has_delete_permission(self, request, obj=None):
        return _has(request, MANAGE)

    def save_model(self, request, obj, form, change):
        # Department and position choices are the company's own (CompanyScopedAdmin).
        request._hr_before = (
            svc.template_snapshot(ChecklistTemplate.objects.get(pk=obj.pk)) if change else None
        )
        obj.company = request.company
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        svc.checklist_template_audit_change(
            actor=request.user, template=form.instance, before=getattr(request, "_hr_before", None)
        )

    def delete_model(self, request, obj):
        try:
            svc.checklist_template_delete(actor=request.user, template=obj)
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


# --- cases -------------------------------------------------------------------------------------
class CaseResource(resources.ModelResource):
    employee = ie_fields.Field(attribute="employee__full_name", column_name="employee")
    employee_code = ie_fields.Field(attribute="employee__code", column_name="employee_code")
    template = ie_fields.Field(attribute="template__name", column_name="template")

    class Meta:
        model = OnboardingCase
        fields = ["public_id", "employee_code", "employee", "kind", "template", "reference_date",
                  "state"]  # fmt: skip
        export_order = fields


@admin.register(OnboardingCase)
class OnboardingCaseAdmin(CompanyScopedAdmin):
    resource_classes = [CaseResource]
    list_display = ["employee", "kind", "reference_date", "state", "progress"]
    list_filter = ["kind", "state"]
    search_fields = ["employee__full_name", "employee__code"]
    readonly_fields = ["employee", "kind", "template", "reference_date", "state", "created_by",
                       "task_table", "links"]  # fmt: skip
    fields = readonly_fields
    actions = ["refresh_cases", "cancel_cases"]

    def get_queryset(self, request):
        if not _has(request, VIEW):
            return OnboardingCase.objects.none()
        return sel.case_list(user=request.user, company=request.company)

    def has_module_permission(self, request):
        return _has(request, VIEW)

    def has_view_permission(self, request, obj=None):
        return _has(request, VIEW)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("tasks done"))
    def progress(self, obj):
        return f"{getattr(obj, 'n_done', 0)}/{getattr(obj, 'n_tasks', 0)}"

    @display(description=_("tasks"))
    def task_table(self, obj):
        rows = [
            (
                ct.task.title,
                ct.get_area_display(),
                ct.task.assignee.full_name if ct.task.assignee else "—",
                ct.task.due_date.strftime("%d/%m/%Y") if ct.task.due_date else "—",
                ct.task.get_state_display(),
                "⛔" if ct.blocks_close else "",
            )
            for ct in sel.case_tasks(obj)
        ]
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("Task"), _("Area"), _("Assignee"), _("Due"), _("State"), _("Blocks closing"),
        )  # fmt: skip
        body = format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
        )
        return format_html('<table class="bo-case-tasks">{}{}</table>', head, body)

    @display(description=_("actions"))
    def links(self, obj):
        emp = obj.employee
        out = []
        if emp.status in ("onboarding", "active"):
            out.append((reverse("hr:onboarding_offboard", args=[emp.public_id]),
                        _("Start offboarding")))  # fmt: skip
        if emp.status == "offboarding":
            out.append((reverse("hr:onboarding_close", args=[emp.public_id]),
                        _("Close the person")))  # fmt: skip
        return format_html_join(" · ", '<a class="text-primary-600" href="{}">{}</a>', out)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            svc.case_refresh(case=obj)  # a case is done once all its tasks are closed
        return super().change_view(request, object_id, form_url, extra_context)

    @action(description=_("Mark done when all tasks are closed"))
    def refresh_cases(self, request, queryset):
        n = sum(svc.case_refresh(case=c) for c in queryset)
        messages.success(request, _("%(n)d case(s) done.") % {"n": n})

    @action(description=_("Cancel the case and its open tasks"))
    def cancel_cases(self, request, queryset):
        for case in queryset:
            try:
                svc.case_cancel(actor=request.user, company=request.company, case=case)
            except ApplicationError as exc:
                messages.error(request, exc.message)


# --- work logs ----------------------------------------------------------------------------------
class WorkLogResource(resources.ModelResource):
    """No amount: a pay figure stays on the screen of salary roles."""

    employee = ie_fields.Field(attribute="employee__full_name", column_name="collaborator")
    employee_code = ie_fields.Field(attribute="employee__code", column_name="code")
    contract = ie_fields.Field(attribute="contract__number", column_name="agreement")

    class Meta:
        model = WorkLog
        fields = ["public_id", "employee_code", "employee", "contract", "date", "hours",
                  "quantity", "description", "state"]  # fmt: skip
        export_order = fields


@admin.register(WorkLog)
class WorkLogAdmin(CompanyScopedAdmin):
    resource_classes = [WorkLogResource]
    list_display = ["employee", "date", "description", "hours", "quantity", "amount_shown",
                    "state"]  # fmt: skip
    list_filter = ["state", "date"]
    search_fields = ["employee__full_name", "employee__code", "description"]
    fields = ["employee", "contract", "date", "description", "hours", "quantity",
              "amount_shown", "state"]  # fmt: skip
    readonly_fields = fields
    actions = ["submit_logs"]

    def get_queryset(self, request):
        if not _has(request, "hr.view_worklog"):
            return WorkLog.objects.none()
        return sel.worklog_list(user=request.user, company=request.company)

    def has_module_permission(self, request):
        return _has(request, "hr.view_worklog")

    def has_view_permission(self, request, obj=None):
        return _has(request, "hr.view_worklog")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("amount"))
    def amount_shown(self, obj):
        return format_vnd(obj.amount or 0)

    def _salary(self, request) -> bool:
        return bool(request.user.has_perm("core.view_salary"))

    def get_list_display(self, request):
        cols = list(super().get_list_display(request))
        return cols if self._salary(request) else [c for c in cols if c != "amount_shown"]

    def get_fields(self, request, obj=None):
        cols = list(super().get_fields(request, obj))
        return cols if self._salary(request) else [c for c in cols if c != "amount_shown"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @action(description=_("Submit for payment approval"))
    def submit_logs(self, request, queryset):
        done = 0
        for log in queryset:
            try:
                collab_svc.worklog_submit(actor=request.user, company=request.company, worklog=log)
                done += 1
            except ApplicationError as exc:
                messages.error(request, f"{log}: {exc.message}")
        if done:
            messages.success(request, _("%(n)d work log(s) submitted.") % {"n": done})
