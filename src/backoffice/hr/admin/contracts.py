"""Desk screens: contracts and contract templates.

A contract is drafted with the add form (through ``contract_create``: the Labour
Code checks land on the form); after that it changes only through the panel
under the detail page: sign, renew, terminate, cancel, download DOCX/PDF.

Salaries: HR officers may ENTER salary, job wage and rate when drafting, but
lists, details and exports show them only to those who may see the person's
salary (``core.view_salary``: HR manager, payroll; ``hr.selectors.may_see_salary``).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from import_export import resources
from unfold.decorators import display

from backoffice.core.admin import ServiceFormAdmin
from backoffice.core.admin_base import CompanyScopedAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.core.money import format_vnd
from backoffice.hr.enums import ContractState, ContractType
from backoffice.hr.models import Contract, ContractTemplate
from backoffice.hr.selectors import contracts as sel
from backoffice.hr.services import contracts as svc

SALARY_FIELDS = ("salary", "job_salary", "rate")
FORM_FIELDS = [
    "employee", "contract_type", "job_level", "position", "department", "start_date",
    "end_date", "salary", "job_salary", "scope", "rate", "rate_unit", "previous",
    "work_location", "exemption", "number",
]  # fmt: skip
DETAIL_FIELDS = [
    "number", "employee", "contract_type", "state", "job_level", "position", "department",
    "start_date", "end_date", "signed_on", "salary_display", "job_salary_display",
    "scope", "rate_display", "rate_unit", "previous", "work_location", "exemption",
    "terminated_on", "termination_reason", "expiry_task_created",
]  # fmt: skip


def _may_see_salaries(request) -> bool:
    return bool(request.user.has_perm("core.view_salary"))


class ExpiringFilter(admin.SimpleListFilter):
    title = _("expiring")
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return [("30", _("within 30 days")), ("60", _("within 60 days"))]

    def queryset(self, request, queryset):
        if self.value() in ("30", "60"):
            return queryset.filter(sel.expiring_q(timezone.localdate(), int(self.value())))
        return queryset


class ContractForm(forms.ModelForm):
    number = forms.CharField(
        label=_("contract number"), required=False, help_text=_("Empty: the next number.")
    )

    class Meta:
        model = Contract
        fields = FORM_FIELDS


class ContractResource(resources.ModelResource):
    """Exports never carry salaries (use the payroll reports for those)."""

    class Meta:
        model = Contract
        fields = ("number", "employee__code", "employee__full_name", "contract_type", "state",
                  "job_level", "start_date", "end_date", "signed_on", "terminated_on")  # fmt: skip


@admin.register(Contract)
class ContractAdmin(ServiceFormAdmin):
    form = ContractForm
    resource_classes = [ContractResource]
    list_display = ["number", "employee", "contract_type", "state", "start_date", "end_date",
                    "expiring"]  # fmt: skip
    list_filter = ["contract_type", "state", ExpiringFilter, "department"]
    search_fields = ["number", "employee__full_name", "employee__code"]
    list_select_related = ["employee", "company"]
    date_hierarchy = None
    change_form_outer_after_template = "hr/contracts/contract_panel.html"

    # --- access ---------------------------------------------------------------------
    def get_queryset(self, request):
        if not request.user.has_perm("hr.view_contract"):
            return Contract.objects.none()
        return sel.contract_list(user=request.user, company=getattr(request, "company", None))

    def has_module_permission(self, request):
        return request.user.has_perm("hr.view_contract")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("hr.view_contract")

    def has_add_permission(self, request):
        return request.user.has_perm("hr.add_contract")

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("hr.add_contract")

    def has_delete_permission(self, request, obj=None):
        return False  # contracts are cancelled or terminated, never deleted

    def get_list_display(self, request):
        cols = list(super().get_list_display(request))
        return [*cols, "salary_display"] if _may_see_salaries(request) else cols

    def get_fields(self, request, obj=None):
        return FORM_FIELDS if obj is None else self._detail_fields(request)

    def get_readonly_fields(self, request, obj=None):
        return self._detail_fields(request) if obj is not None else []

    def _detail_fields(self, request):
        hidden = set() if _may_see_salaries(request) else {
            "salary_display", "job_salary_display", "rate_display"}  # fmt: skip
        return [f for f in DETAIL_FIELDS if f not in hidden]

    # --- columns --------------------------------------------------------------------
    # The salary columns are only in the list/detail of ``core.view_salary`` holders
    # (get_list_display / _detail_fields), who may see every salary of the company.
    @staticmethod
    def _money(obj, value):
        return "—" if value is None else format_vnd(value, obj.company.currency)

    @display(description=_("monthly salary"))
    def salary_display(self, obj):
        return self._money(obj, obj.salary)

    @display(description=_("wage of the job"))
    def job_salary_display(self, obj):
        return self._money(obj, obj.job_salary)

    @display(description=pgettext_lazy("pay", "rate"))
    def rate_display(self, obj):
        return self._money(obj, obj.rate)

    @display(description=_("ends within 30 days"), boolean=True)
    def expiring(self, obj):
        today = timezone.localdate()
        return bool(obj.state == ContractState.ACTIVE and obj.end_date
                    and obj.end_date <= today + dt.timedelta(days=30))  # fmt: skip

    # --- drafting -------------------------------------------------------------------
    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in FORM_FIELDS}
        data["job_level"] = data["job_level"] or "college"
        for key in ("scope", "rate_unit", "work_location", "exemption", "number"):
            data[key] = data[key] or ""
        return svc.contract_create(actor=request.user, company=request.company, **data)

    # --- the panel ------------------------------------------------------------------
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = dict(extra_context or {})
        if object_id:
            obj = self.get_object(request, object_id)
            if obj is not None and request.method == "POST" and "_hr_op" in request.POST:
                return self._operation(request, obj, request.POST["_hr_op"])
            if obj is not None:
                u = request.user
                extra_context.update(
                    hr_contract=obj,
                    hr_can_sign=obj.state == ContractState.DRAFT and u.has_perm("hr.change_contract"),
                    hr_can_cancel=obj.state == ContractState.DRAFT and u.has_perm("hr.add_contract"),
                    hr_can_terminate=obj.state == ContractState.ACTIVE
                    and u.has_perm("hr.change_contract"),
                    hr_can_renew=obj.state in (ContractState.ACTIVE, ContractState.ENDED)
                    and u.has_perm("hr.add_contract"),
                    hr_can_download=sel.salary_visible(user=u, company=request.company,
                                                       contract=obj),
                    hr_today=timezone.localdate().isoformat(),
                )  # fmt: skip
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _operation(self, request, obj, op):
        target = request.path
        try:
            if op == "sign":
                svc.contract_sign(actor=request.user, company=request.company, contract=obj,
                                  signed_on=_date(request.POST.get("signed_on")))  # fmt: skip
                messages.success(request, _("The contract is signed."))
            elif op == "cancel":
                svc.contract_cancel(actor=request.user, company=request.company, contract=obj)
                messages.success(request, _("The draft is cancelled."))
            elif op == "terminate":
                svc.contract_terminate(
                    actor=request.user, company=request.company, contract=obj,
                    terminated_on=_date(request.POST.get("terminated_on")) or timezone.localdate(),
                    reason=request.POST.get("reason", ""),
                )  # fmt: skip
                messages.success(request, _("The contract is terminated."))
            elif op == "renew":
                new = svc.contract_renew(actor=request.user, company=request.company, contract=obj)
                messages.success(
                    request, _("A renewal draft %(n)s was created.") % {"n": new.number}
                )
                target = reverse("admin:hr_contract_change", args=[new.pk])
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(target)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@admin.register(ContractTemplate)
class ContractTemplateAdmin(CompanyScopedAdmin):
    list_display = ["name", "contract_type", "is_active"]
    list_filter = ["contract_type", "is_active"]
    search_fields = ["name"]
    fields = ["name", "contract_type", "body", "is_active"]

    def has_module_permission(self, request):
        return request.user.has_perm("hr.view_contract")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("hr.view_contract")

    def has_add_permission(self, request):
        return request.user.has_perm("hr.change_contract")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("hr.change_contract")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("hr.change_contract")

    def get_changeform_initial_data(self, request):
        from backoffice.hr.documents import TEMPLATE_DIR

        initial = super().get_changeform_initial_data(request)
        kind = request.GET.get("contract_type", ContractType.FIXED_TERM)
        name = "service.txt" if kind == ContractType.SERVICE else "labour.txt"
        initial.setdefault("body", (TEMPLATE_DIR / name).read_text(encoding="utf-8"))
        return initial

    def save_model(self, request, obj, form, change):
        from backoffice.core.audit import audit_record

        obj.company = request.company
        super().save_model(request, obj, form, change)
        audit_record(event_type="CONTRACT_TEMPLATE_SAVED", actor=request.user,
                     company=request.company, target=obj,
                     after={"name": obj.name, "type": obj.contract_type,
                            "active": obj.is_active})  # fmt: skip

    def delete_model(self, request, obj):
        from backoffice.core.audit import audit_record

        audit_record(event_type="CONTRACT_TEMPLATE_DELETED", actor=request.user,
                     company=request.company, target=obj, before={"name": obj.name})  # fmt: skip
        super().delete_model(request, obj)
