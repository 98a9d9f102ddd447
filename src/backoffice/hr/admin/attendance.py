"""Desk screens: work schedules, attendance records (list, correct, import).

HR (``hr.manage_attendance``) adds and corrects records and imports time-clock
files; payroll (``hr.view_attendance``) reads. Line managers use the timesheet
page (their team only), not these lists. Saves go through the services; the
hours are computed, never typed.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from backoffice.core.admin import ServiceFormAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.hr.models import AttendanceRecord, WorkSchedule

VIEW, MANAGE = "hr.view_attendance", "hr.manage_attendance"


def _services():
    from backoffice.hr.services import attendance

    return attendance


def _perm(codename: str):
    def check(self, request, obj=None):
        return request.user.has_perm(codename)

    return check


class _Perms:
    has_view_permission = _perm(VIEW)
    has_add_permission = _perm(MANAGE)
    has_change_permission = _perm(MANAGE)
    has_delete_permission = _perm(MANAGE)

    def has_module_permission(self, request):
        return request.user.has_perm(VIEW)


# --- work schedules ---------------------------------------------------------------------


class WorkScheduleForm(forms.ModelForm):
    class Meta:
        model = WorkSchedule
        fields = ["name", "working_days", "half_days", "start_time", "end_time",
                  "break_start", "break_minutes", "is_default"]  # fmt: skip
        help_texts = {
            "working_days": _("Seven digits, Monday to Sunday: 1111100 is Monday to Friday."),
            "half_days": _(
                "Days worked in the morning only (until the break): 0000010 is Saturday morning."
            ),  # fmt: skip
        }


@admin.register(WorkSchedule)
class WorkScheduleAdmin(_Perms, ServiceFormAdmin):
    form = WorkScheduleForm
    list_display = ["name", "working_days", "half_days", "start_time", "end_time",
                    "break_minutes", "hours_per_day", "is_default"]  # fmt: skip
    list_display_links = ["name"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_readonly_fields(self, request, obj=None):
        return ["hours_per_day"] if obj is not None else []

    def get_fields(self, request, obj=None):
        fields = list(WorkScheduleForm.Meta.fields)
        return [*fields, "hours_per_day"] if obj is not None else fields

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in WorkScheduleForm.Meta.fields}
        data["break_minutes"] = data.get("break_minutes") or 0
        if change:
            original = WorkSchedule.objects.get(pk=form.instance.pk, company=request.company)
            return _services().work_schedule_update(
                actor=request.user, company=request.company, schedule=original, **data
            )
        name = data.pop("name")
        return _services().work_schedule_create(
            actor=request.user, company=request.company, name=name, **data
        )

    def delete_via_service(self, request, obj):
        _services().work_schedule_delete(actor=request.user, company=request.company, schedule=obj)


# --- attendance records -----------------------------------------------------------------


class AttendanceForm(forms.ModelForm):
    class Meta:
        model = AttendanceRecord
        fields = ["employee", "date", "check_in", "check_out", "note"]
        help_texts = {
            "check_out": _("Earlier than the check-in: the next morning (night shift)."),
        }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self):
        from backoffice.hr.services.attendance_import import MAX_FILE_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(gettext("The file is too large."))
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError(gettext("Upload a .csv file."))
        return upload


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(_Perms, ServiceFormAdmin):
    form = AttendanceForm
    list_display = ["employee_code", "employee_name", "day", "check_in", "check_out",
                    "worked_hours", "night_hours", "ot_weekday", "ot_rest_day", "ot_holiday",
                    "ot_night", "source"]  # fmt: skip
    list_display_links = ["employee_code", "employee_name"]
    list_filter = ["source", "employee__department"]
    date_hierarchy = "date"
    search_fields = ["employee__code", "employee__full_name"]
    ordering = ["-date", "employee__code"]
    autocomplete_fields: list[str] = []
    readonly = ["worked_hours", "night_hours", "ot_weekday", "ot_rest_day", "ot_holiday",
                "ot_night", "source"]  # fmt: skip
    actions_list = ["import_attendance"]
    actions = ["recompute"]
    has_import_permission = _perm(MANAGE)
    has_recompute_permission = _perm(MANAGE)

    @action(description=_("Recompute the hours (after a schedule or holiday change)"),
            permissions=["recompute"])  # fmt: skip
    def recompute(self, request, queryset):
        """Every record of the company between the first and last selected dates."""
        from django.db.models import Max, Min

        span = queryset.aggregate(lo=Min("date"), hi=Max("date"))
        if span["lo"] is None:
            return
        try:
            changed = _services().attendance_recompute(
                actor=request.user, company=request.company, start=span["lo"], end=span["hi"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return
        messages.success(request, gettext("%(n)d records recomputed.") % {"n": changed})

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("employee")

    def get_fields(self, request, obj=None):
        base = list(AttendanceForm.Meta.fields)
        return base if obj is None else [*base, *self.readonly]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # The person and the day identify the record: correct the times only.
        return ["employee", "date", *self.readonly]

    @display(description=_("employee code"), ordering="employee__code")
    def employee_code(self, obj):
        return obj.employee.code

    @display(description=_("employee"), ordering="employee__full_name")
    def employee_name(self, obj):
        return obj.employee.full_name

    @display(description=_("date"), ordering="date")
    def day(self, obj):
        return obj.date.strftime("%d/%m/%Y")

    def save_form_via_service(self, request, form, change):
        data = form.cleaned_data
        if change:
            original = AttendanceRecord.objects.select_related("employee").get(
                pk=form.instance.pk, company=request.company
            )
            employee, day = original.employee, original.date
        else:
            employee, day = data["employee"], data["date"]
        from backoffice.hr.enums import AttendanceSource

        return _services().attendance_record(
            actor=request.user, company=request.company, employee=employee, date=day,
            check_in=data.get("check_in"), check_out=data.get("check_out"),
            source=AttendanceSource.DESK, note=data.get("note") or "",
        )  # fmt: skip

    def delete_via_service(self, request, obj):
        _services().attendance_delete(actor=request.user, company=request.company, record=obj)

    @action(description=_("Import time clock (CSV)"), icon="upload_file", url_path="import",
            permissions=["import"])  # fmt: skip
    def import_attendance(self, request):
        """Small files are imported at once; large ones by a background job whose
        page shows the progress and, on failure, every row error."""
        from backoffice.hr.services import attendance_import as imp

        form = ImportForm(request.POST or None, request.FILES or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                if len(data) > imp.LARGE_FILE_BYTES:
                    job = imp.attendance_import_enqueue(
                        actor=request.user, company=request.company, file_bytes=data,
                        filename=upload.name,
                    )  # fmt: skip
                    messages.success(request, gettext("Import started; its progress shows below."))
                    return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
                result = imp.attendance_import(
                    actor=request.user, company=request.company, file_bytes=data,
                    filename=upload.name,
                )  # fmt: skip
                messages.success(
                    request,
                    gettext("%(n)d days imported (%(c)d new, %(u)d corrected).")
                    % {"n": result["rows"], "c": result["created"], "u": result["updated"]},
                )
                return HttpResponseRedirect(reverse("admin:hr_attendancerecord_changelist"))
            except ApplicationError as exc:
                rows = [
                    gettext("Row %(row)s: %(msg)s") % {"row": e["row"], "msg": e["message"]}
                    for e in (exc.extra or {}).get("errors", [])
                ]
                errors = (
                    [
                        gettext(
                            "Nothing was imported. Correct these rows and upload the file again:"
                        ),
                        *rows,
                    ]  # fmt: skip
                    if rows
                    else [exc.message]
                )
        return render(request, "hr/attendance/import.html", {
            **self.admin_site.each_context(request), "opts": self.model._meta,
            "title": gettext("Import time clock"), "form": form, "errors": errors,
            "header": "employee_code,date,check_in,check_out,note",
        })  # fmt: skip
