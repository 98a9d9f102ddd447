"""Desk screens: leave types, holiday overrides (swap days), leave requests
(with the approval panel), the ledger (read-only). Writes go through
``hr.services.leave`` / ``hr.services.calendar``; lists through
``hr.selectors.leave``. The team calendar and the balances page are desk pages
in ``hr.views.leave``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from backoffice.core.admin import ServiceFormAdmin
from backoffice.core.admin_base import CompanyScopedAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.hr.enums import LeaveRequestState
from backoffice.hr.models import HolidayOverride, LeaveEntry, LeaveRequest, LeaveType
from backoffice.hr.selectors import leave as sel
from backoffice.hr.selectors.access import employee_for_user, is_company_member
from backoffice.hr.services import calendar as cal_svc
from backoffice.hr.services import leave as svc
from backoffice.workflow.admin import DecisionViewMixin


def _member(request) -> bool:
    return is_company_member(user=request.user, company=getattr(request, "company", None))


def _perm(request, codename: str) -> bool:
    return getattr(request, "company", None) is not None and request.user.has_perm(codename)


# --- leave types ------------------------------------------------------------------------------
@admin.register(LeaveType)
class LeaveTypeAdmin(ServiceFormAdmin):
    list_display = ["code", "name", "category", "paid", "uses_balance", "allow_negative",
                    "calendar_days", "carry_over_max_days", "is_active"]  # fmt: skip
    list_filter = ["category", "is_active"]
    search_fields = ["code", "name"]
    fields = svc.TYPE_FIELDS

    def get_queryset(self, request):
        if not _perm(request, "hr.view_leave"):
            return LeaveType.objects.none()
        return sel.leave_type_list(user=request.user, company=request.company)

    def has_module_permission(self, request):
        return _perm(request, "hr.view_leave")

    def has_view_permission(self, request, obj=None):
        return _perm(request, "hr.view_leave")

    def has_add_permission(self, request):
        return _perm(request, "hr.manage_leave")

    def has_change_permission(self, request, obj=None):
        return _perm(request, "hr.manage_leave")

    def has_delete_permission(self, request, obj=None):
        return False  # rows keep their type: deactivate instead

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in svc.TYPE_FIELDS}
        data["carry_over_max_days"] = data["carry_over_max_days"] or 0
        data["carry_over_expiry_months"] = data["carry_over_expiry_months"] or 0
        original = LeaveType.objects.get(pk=form.instance.pk) if change else None
        return svc.leave_type_save(
            actor=request.user, company=request.company, leave_type=original, **data
        )


# --- holiday overrides ------------------------------------------------------------------------
@admin.register(HolidayOverride)
class HolidayOverrideAdmin(ServiceFormAdmin):
    list_display = ["date_display", "name", "is_day_off"]
    list_filter = ["is_day_off"]
    search_fields = ["name"]
    fields = ["date", "name", "is_day_off"]
    ordering = ["-date"]

    @display(description=_("date"), ordering="date")
    def date_display(self, obj):
        return obj.date.strftime("%d/%m/%Y")

    def get_queryset(self, request):
        if not _perm(request, "hr.view_leave"):
            return HolidayOverride.objects.none()
        return sel.holiday_override_list(user=request.user, company=request.company)

    def has_module_permission(self, request):
        return _perm(request, "hr.view_leave")

    def has_view_permission(self, request, obj=None):
        return _perm(request, "hr.view_leave")

    def has_add_permission(self, request):
        return _perm(request, "hr.manage_leave")

    def has_change_permission(self, request, obj=None):
        return _perm(request, "hr.manage_leave")

    def has_delete_permission(self, request, obj=None):
        return _perm(request, "hr.manage_leave")

    def save_form_via_service(self, request, form, change):
        original = HolidayOverride.objects.get(pk=form.instance.pk) if change else None
        return cal_svc.holiday_override_save(
            actor=request.user, company=request.company, override=original,
            date=form.cleaned_data.get("date"), name=form.cleaned_data.get("name") or "",
            is_day_off=bool(form.cleaned_data.get("is_day_off")),
        )  # fmt: skip

    def delete_via_service(self, request, obj):
        cal_svc.holiday_override_delete(actor=request.user, company=request.company, override=obj)


# --- leave requests ---------------------------------------------------------------------------
class LeaveRequestForm(forms.ModelForm):
    class Meta:
        model = LeaveRequest
        fields = ["employee", "leave_type", "start_date", "end_date", "start_half", "end_half",
                  "reason"]  # fmt: skip


@admin.register(LeaveRequest)
class LeaveRequestAdmin(DecisionViewMixin, ServiceFormAdmin):
    form = LeaveRequestForm
    change_form_outer_after_template = "hr/leave/request_panel.html"
    list_display = ["employee", "leave_type", "start_display", "end_display", "days", "state"]
    list_filter = ["state", "leave_type"]
    search_fields = ["employee__full_name", "employee__code"]
    readonly_fields = ["days", "state", "created_by"]

    @display(description=_("from"), ordering="start_date")
    def start_display(self, obj):
        return obj.start_date.strftime("%d/%m/%Y")

    @display(description=_("to"), ordering="end_date")
    def end_display(self, obj):
        return obj.end_date.strftime("%d/%m/%Y")

    def get_queryset(self, request):
        if not _member(request):
            return LeaveRequest.objects.none()
        return sel.leave_request_list(user=request.user, company=request.company)

    def get_fields(self, request, obj=None):
        fields = ["employee", "leave_type", "start_date", "end_date", "start_half", "end_half",
                  "reason"]  # fmt: skip
        if obj is not None:
            fields += ["days", "state", "created_by"]
        elif not request.user.has_perm("hr.manage_leave"):
            fields.remove("employee")  # one's own leave
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "leave_type" and field is not None:
            field.queryset = field.queryset.filter(is_active=True)
        if db_field.name == "employee" and field is not None:
            field.queryset = sel.leave_employee_list(user=request.user, company=request.company)
        return field

    def has_module_permission(self, request):
        return _member(request)

    def has_view_permission(self, request, obj=None):
        return _member(request)

    def has_add_permission(self, request):
        if not _member(request):
            return False
        return request.user.has_perm("hr.manage_leave") or (
            employee_for_user(user=request.user, company=request.company) is not None
        )

    def has_change_permission(self, request, obj=None):
        return obj is None and self.has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # requests are cancelled or withdrawn, never deleted

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in (
            "leave_type", "start_date", "end_date", "start_half", "end_half")}  # fmt: skip
        employee = form.cleaned_data.get("employee") or employee_for_user(
            user=request.user, company=request.company
        )
        if employee is None or data["leave_type"] is None or not data["start_date"] \
                or not data["end_date"]:  # fmt: skip
            raise ApplicationError(str(_("Fill in the person, the type and the dates.")))
        return svc.leave_request_create(
            actor=request.user, company=request.company, employee=employee,
            reason=form.cleaned_data.get("reason") or "", **data,
        )  # fmt: skip

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(f"../{obj.pk}/change/")

    def _may_act(self, request, obj) -> bool:
        return obj.employee.user_id == request.user.pk or request.user.has_perm("hr.manage_leave")

    def may_submit(self, request, obj) -> bool:
        return obj.state == LeaveRequestState.DRAFT and self._may_act(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id:
            obj = self.get_object(request, object_id)
            extra_context["leave_can_cancel"] = (
                obj is not None and self._may_act(request, obj) and (
                    obj.state == LeaveRequestState.DRAFT
                    or (obj.state == LeaveRequestState.APPROVED
                        and obj.start_date > svc.today())
                )
            )  # fmt: skip
        return super().changeform_view(request, object_id, form_url, extra_context)

    def workflow_operation(self, request, obj, op: str) -> None:
        if op != "cancel":
            return super().workflow_operation(request, obj, op)
        try:
            svc.leave_request_cancel(actor=request.user, company=request.company, request=obj,
                                     reason=request.POST.get("comment", ""))  # fmt: skip
            messages.success(request, _("The leave was cancelled."))
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def submit(self, request, obj):
        svc.leave_request_submit(actor=request.user, company=request.company, request=obj)

    def withdraw(self, request, obj, approval):
        svc.leave_request_cancel(actor=request.user, company=request.company, request=obj)


# --- the ledger (read-only) -------------------------------------------------------------------
@admin.register(LeaveEntry)
class LeaveEntryAdmin(CompanyScopedAdmin):
    list_display = ["employee", "leave_type", "year", "date_display", "kind", "days", "note"]
    list_filter = ["year", "kind", "leave_type"]
    search_fields = ["employee__full_name", "employee__code", "note"]
    fields = ["employee", "leave_type", "year", "date", "kind", "days", "request", "note",
              "key", "created_by", "created_at"]  # fmt: skip
    readonly_fields = fields

    @display(description=_("date"), ordering="date")
    def date_display(self, obj):
        return obj.date.strftime("%d/%m/%Y")

    def get_queryset(self, request):
        if not _member(request):
            return LeaveEntry.objects.none()
        return sel.leave_entry_list(user=request.user, company=request.company)

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
