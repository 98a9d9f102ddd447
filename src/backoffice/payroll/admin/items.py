"""Payroll desk screens: recurring pay items of employees (allowances and
after-tax deductions). Saved through ``payroll.services.items``; only people
with ``payroll.manage_items`` (payroll officer, HR manager) see or edit them."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.decorators import display

from backoffice.core.admin import ServiceFormAdmin
from backoffice.core.money import format_vnd
from backoffice.payroll.models import PayItem
from backoffice.payroll.services import items as svc

PERM = "payroll.manage_items"


def _perm(request) -> bool:
    return getattr(request, "company", None) is not None and request.user.has_perm(PERM)


@admin.register(PayItem)
class PayItemAdmin(ServiceFormAdmin):
    list_display = ["employee", "name", "category", "tax_treatment", "insurable", "prorate",
                    "amount_display", "valid_from", "valid_to"]  # fmt: skip
    list_filter = ["category", "tax_treatment"]
    search_fields = ["employee__code", "employee__full_name", "name"]
    fields = ["employee", *svc.FIELDS]
    list_select_related = ["employee"]

    @display(description=_("monthly amount"))
    def amount_display(self, obj):
        return format_vnd(obj.amount) if obj.amount is not None else ""

    def get_queryset(self, request):
        if not _perm(request):
            return PayItem.objects.none()
        return super().get_queryset(request)

    def has_module_permission(self, request):
        return _perm(request)

    def has_view_permission(self, request, obj=None):
        return _perm(request)

    def has_add_permission(self, request):
        return _perm(request)

    def has_change_permission(self, request, obj=None):
        return _perm(request)

    def has_delete_permission(self, request, obj=None):
        return _perm(request)

    def get_readonly_fields(self, request, obj=None):
        return ["employee"] if obj is not None else []

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in svc.FIELDS}
        if change:
            original = PayItem.objects.get(pk=form.instance.pk)
            return svc.pay_item_save(
                actor=request.user, company=request.company, item=original, **data
            )
        return svc.pay_item_save(
            actor=request.user, company=request.company,
            employee=form.cleaned_data.get("employee"), **data,
        )  # fmt: skip

    def delete_via_service(self, request, obj):
        svc.pay_item_delete(actor=request.user, company=request.company, item=obj)
