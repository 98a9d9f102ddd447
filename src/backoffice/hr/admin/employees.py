"""Desk screens: employees and collaborators.

The list and the detail never show an identifier in clear: masked values with a
"Reveal" link (a confirmation page in ``hr.views.employees``, audited). On the
form identifiers are write-only: an empty box keeps the stored value. Job history
is read-only here (recorded on its own page) and shows salaries only to salary
roles. Dependants, emergency contacts and education are inlines saved through
``hr.services.employees_family``. Exports carry masked identifiers and no salary.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from import_export import fields as ie_fields
from import_export import resources
from unfold.admin import TabularInline
from unfold.decorators import action, display

from backoffice.core.admin import ServiceFormAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.core.fields import blind_index, mask
from backoffice.core.money import format_vnd
from backoffice.hr.models import Dependant, Education, EmergencyContact, Employee, JobChange
from backoffice.hr.selectors.access import may_see_salary
from backoffice.hr.services import employees as svc
from backoffice.hr.services import employees_family as fam
from backoffice.hr.services.employees_validation import IDENTIFIERS, province_choices


def _province_field(label):
    return forms.ChoiceField(
        label=label, required=False, choices=lambda: [("", "—"), *province_choices()]
    )


class EmployeeForm(forms.ModelForm):
    national_id = forms.CharField(label=_("national ID (CCCD)"), required=False)
    tax_code = forms.CharField(label=_("personal tax code"), required=False)
    social_insurance_no = forms.CharField(label=_("social insurance number"), required=False)
    bank_account = forms.CharField(label=_("bank account number"), required=False)
    permanent_province = _province_field(_("permanent province"))
    current_province = _province_field(_("current province"))
    salary = forms.DecimalField(
        label=_("monthly salary at hire"), required=False, decimal_places=0, min_value=1,
        help_text=_("Recorded in the job history; only salary roles see it afterwards."),
    )  # fmt: skip

    class Meta:
        model = Employee
        fields = [
            "code", "kind", "full_name", "date_of_birth", "gender", "nationality", "email",
            "phone", "permanent_address", "permanent_province", "current_address",
            "current_province", "national_id", "tax_code", "social_insurance_no",
            "bank_account", "bank_name", "department", "position", "manager", "status",
            "hire_date", "seniority_date", "termination_date", "termination_reason",
            "work_condition", "work_schedule", "is_resident", "is_union_member", "wage_region",
            "note",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "code" in self.fields:
            self.fields["code"].required = False
            self.fields["code"].help_text = _("Empty: the next free number (NV00001 ...).")
        for name in IDENTIFIERS:
            if name not in self.fields:
                continue
            self.fields[name].initial = ""
            if self.instance.pk:
                self.initial[name] = ""
                current = mask(getattr(self.instance, name))
                self.fields[name].help_text = (
                    _("Stored: %(m)s. Leave empty to keep it.") % {"m": current}
                    if current
                    else _("Not recorded.")
                )


class DependantInline(TabularInline):
    model = Dependant
    fields = ["full_name", "relationship", "date_of_birth", "registered_from", "registered_to",
              "id_masked"]  # fmt: skip
    readonly_fields = ["id_masked"]
    extra = 0

    @display(description=_("ID number"))
    def id_masked(self, obj):
        return mask(obj.national_id) if obj and obj.pk else ""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("hr.view_employee")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("hr.change_employee")

    has_change_permission = has_add_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("hr.change_employee")


class EmergencyContactInline(DependantInline):
    model = EmergencyContact
    fields = ["full_name", "relationship", "phone"]
    readonly_fields: list[str] = []


class EducationInline(DependantInline):
    model = Education
    fields = ["institution", "degree", "field_of_study", "graduation_year"]
    readonly_fields: list[str] = []


class JobChangeInline(TabularInline):
    model = JobChange
    fields = ["effective_date", "kind", "department", "position", "salary_shown", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-effective_date", "-id"]
    verbose_name_plural = _("job history")

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def get_fields(self, request, obj=None):
        show = obj is not None and may_see_salary(
            user=request.user, company=getattr(request, "company", None), employee=obj
        )
        return self.fields if show else [f for f in self.fields if f != "salary_shown"]

    @display(description=_("monthly salary"))
    def salary_shown(self, obj):
        return format_vnd(obj.salary) if obj.salary is not None else ""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("hr.view_employee")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EmployeeResource(resources.ModelResource):
    """The desk export: identifiers masked, no salary, relations by code."""

    department = ie_fields.Field(attribute="department__code", column_name="department")
    position = ie_fields.Field(attribute="position__code", column_name="position")
    manager = ie_fields.Field(attribute="manager__code", column_name="manager")

    class Meta:
        model = Employee
        fields = [
            "public_id", "code", "full_name", "kind", "status", "department", "position",
            "manager", "hire_date", "termination_date", "email", "phone", "current_province",
            "national_id", "tax_code", "social_insurance_no", "bank_account", "bank_name",
        ]  # fmt: skip
        export_order = fields

    def dehydrate_national_id(self, obj):
        return mask(obj.national_id)

    def dehydrate_tax_code(self, obj):
        return mask(obj.tax_code)

    def dehydrate_social_insurance_no(self, obj):
        return mask(obj.social_insurance_no)

    def dehydrate_bank_account(self, obj):
        return mask(obj.bank_account)


@admin.register(Employee)
class EmployeeAdmin(ServiceFormAdmin):
    form = EmployeeForm
    resource_classes = [EmployeeResource]
    list_display = ["code", "full_name", "department", "position", "kind", "status",
                    "national_id_masked", "hire_date"]  # fmt: skip
    list_display_links = ["code", "full_name"]
    list_filter = ["department", "position", "status", "kind"]
    search_fields = ["code", "full_name", "email", "phone"]
    search_help_text = _("Code, name, e-mail, phone, or a whole national ID.")
    ordering = ["code"]
    inlines = [DependantInline, EmergencyContactInline, EducationInline, JobChangeInline]
    actions = ["create_portal_accounts"]
    actions_list = ["import_employees"]
    readonly_fields = ["identifiers", "page_links"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("department", "position", "manager")

    PERSON = ["code", "kind", "full_name", "date_of_birth", "gender", "nationality", "email",
              "phone"]  # fmt: skip
    ADDRESS = ["permanent_address", "permanent_province", "current_address",
               "current_province"]  # fmt: skip
    WORK = ["department", "position", "manager", "status", "hire_date", "seniority_date",
            "termination_date", "termination_reason", "work_condition", "work_schedule",
            "is_resident", "is_union_member", "wage_region", "note"]  # fmt: skip

    def _editable(self, request, obj) -> bool:
        return self.has_add_permission(request) if obj is None else (
            self.has_change_permission(request, obj))  # fmt: skip

    def get_fieldsets(self, request, obj=None):
        # Read-only viewers get the masked block only: a read-only field would print
        # the stored (decrypted) value.
        editable = self._editable(request, obj)
        ids = ["national_id", "tax_code", "social_insurance_no", "bank_account"] if editable else []
        work = self.WORK + (["salary"] if obj is None and editable else [])
        sets = [
            (None, {"fields": self.PERSON}),
            (_("Addresses"), {"fields": self.ADDRESS}),
            (_("Identifiers (encrypted)"),
             {"fields": (["identifiers"] if obj else []) + ids + ["bank_name"]}),
            (_("Work"), {"fields": work}),
        ]  # fmt: skip
        if obj is not None and editable:
            sets.append((_("Pages"), {"fields": ["page_links"]}))
        return sets

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["fields"] = [*EmployeeForm.Meta.fields, "salary"]
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None or not request.user.has_perm("hr.add_employee"):
            form.base_fields.pop("salary", None)  # a salary changes through a job change
        return form

    @display(description=_("national ID"))
    def national_id_masked(self, obj):
        return mask(obj.national_id)

    @display(description=_("identifiers"))
    def identifiers(self, obj):
        if obj is None or obj.pk is None:
            return ""
        rows = []
        for name in IDENTIFIERS:
            value = mask(getattr(obj, name))
            if value:
                url = reverse("hr:employee_reveal", args=[obj.public_id, name])
                rows.append((Employee._meta.get_field(name).verbose_name, value, url))
        return format_html_join(
            "", '<div>{}: <code>{}</code> <a class="text-primary-600" href="{}">{}</a></div>',
            ((label, value, url, _("Reveal")) for label, value, url in rows),
        )  # fmt: skip

    @display(description=_("more"))
    def page_links(self, obj):
        if obj is None or obj.pk is None:
            return ""
        return format_html(
            '<a class="text-primary-600" href="{}">{}</a>',
            reverse("hr:employee_job_change", args=[obj.public_id]), _("Record a job change"),
        )  # fmt: skip

    def get_search_results(self, request, queryset, search_term):
        qs, dup = super().get_search_results(request, queryset, search_term)
        digits = "".join((search_term or "").split())
        if digits.isdigit() and len(digits) == 12:
            index = blind_index(digits, purpose="hr.national_id")
            qs = qs | queryset.filter(Q(national_id_index=index))
        return qs, dup

    def save_form_via_service(self, request, form, change):
        data = {k: v for k, v in form.cleaned_data.items() if k in EmployeeForm.Meta.fields}
        for name in IDENTIFIERS:
            if change and not data.get(name):
                data.pop(name, None)  # empty: keep the stored value
        if not data.get("code"):
            data.pop("code", None)
        if change:
            original = Employee.objects.get(pk=form.instance.pk)
            return svc.employee_update(actor=request.user, company=request.company,
                                       employee=original, **data)  # fmt: skip
        return svc.employee_create(actor=request.user, company=request.company,
                                   salary=form.cleaned_data.get("salary"), **data)  # fmt: skip

    def save_formset(self, request, form, formset, change):
        services = {
            Dependant: (fam.dependant_create, fam.dependant_update, fam.dependant_delete,
                        "dependant"),
            EmergencyContact: (fam.emergency_contact_create, fam.emergency_contact_update,
                               fam.emergency_contact_delete, "contact"),
            Education: (fam.education_create, fam.education_update, fam.education_delete,
                        "education"),
        }  # fmt: skip
        # What the admin's change message reads (formset.save() would set these).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model not in services:
            return
        create, update, delete, arg = services[formset.model]
        employee = form.instance
        ctx = {"actor": request.user, "company": request.company}
        try:
            for f in formset.deleted_forms:
                if f.instance.pk:
                    delete(**ctx, **{arg: f.instance})
            for f in formset.forms:
                if f in formset.deleted_forms or not f.has_changed():
                    continue
                values = {k: f.cleaned_data.get(k) for k in f.changed_data
                          if k in f.fields and k not in ("id", "DELETE", "employee")}  # fmt: skip
                if f.instance.pk:
                    update(**ctx, **{arg: f.instance}, **values)
                else:
                    values = {k: f.cleaned_data.get(k) for k in f.fields
                              if k not in ("id", "DELETE", "employee")}  # fmt: skip
                    create(**ctx, employee=employee, **values)
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def has_delete_permission(self, request, obj=None):
        return False  # people leave (offboarding); records are kept

    def has_import_permission(self, request):
        return request.user.has_perm("hr.add_employee")

    def has_portal_permission(self, request):
        return request.user.has_perm("hr.add_employee")

    @action(description=_("Create portal accounts"), permissions=["portal"])
    def create_portal_accounts(self, request, queryset):
        done = 0
        for emp in queryset:
            try:
                svc.portal_account_create(actor=request.user, company=request.company,
                                          employee=emp)  # fmt: skip
                done += 1
            except ApplicationError as exc:
                messages.error(request, f"{emp.code}: {exc.message}")
        if done:
            messages.success(request, _("%(n)d portal accounts created.") % {"n": done})

    @action(description=_("Import (XLSX/CSV)"), icon="upload_file", url_path="import",
            permissions=["import"])  # fmt: skip
    def import_employees(self, request):
        from backoffice.hr.views.employees import import_page

        return import_page(request, self)
