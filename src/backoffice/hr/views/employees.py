"""Desk pages of the employees area (namespace ``hr``, under /desk/hr/): org chart,
reports (with XLSX export), the audited "reveal" of an identifier, recording a job
change, and the import page used by the employee list's "Import" button.

Thin: each page checks its permission in the active company and calls a
selector, a report function or a service.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.exceptions import ApplicationError, PermissionDenied
from backoffice.core.models import Department, Position
from backoffice.core.request_context import request_company
from backoffice.hr import reports as hr_reports
from backoffice.hr.enums import JobChangeKind
from backoffice.hr.selectors import employees as sel
from backoffice.hr.selectors.access import employee_get_for_user
from backoffice.hr.services import employees as svc
from backoffice.hr.services.employees_import import COLUMNS, employees_import
from backoffice.hr.services.employees_validation import IDENTIFIERS

T = "hr/employees/"
# Files larger than this are imported by a background job with progress.
SYNC_IMPORT_BYTES = 256 * 1024
MAX_IMPORT_BYTES = 20 * 1024 * 1024
IMPORT_JOB = "hr.employee_import"


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _page(perm: str) -> Callable[..., Any]:
    """Desk login, then ``perm`` in the active company; errors become a message page."""

    def deco(fn: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(fn)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            company = request_company(request)
            if company is None or not request.user.has_perm(perm):
                return _message(request, _("Access denied"),
                                _("You do not have permission to open this page."), 403)  # fmt: skip
            try:
                return fn(request, company, *args, **kwargs)
            except PermissionDenied as exc:
                return _message(request, _("Access denied"), exc.message, 403)
            except ApplicationError as exc:
                return _message(request, _("HR"), exc.message, exc.status)

        return admin.site.admin_view(inner)

    return deco


def _message(request: HttpRequest, title: str, message: str, status: int) -> HttpResponse:
    return render(request, T + "message.html", _ctx(request, title=title, message=message),
                  status=status)  # fmt: skip


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        raise ApplicationError(
            _("Not a valid date: %(v)s") % {"v": value}, code="bad_date"
        ) from None


# --- org chart --------------------------------------------------------------------------
@_page("hr.view_employee")
def org_chart(request: HttpRequest, company) -> HttpResponse:
    tree = sel.org_chart(user=request.user, company=company)
    return render(request, T + "org_chart.html",
                  _ctx(request, title=_("Org chart"), tree=tree))  # fmt: skip


# --- reports ----------------------------------------------------------------------------
@_page("hr.view_reports")
def reports(request: HttpRequest, company) -> HttpResponse:
    today = timezone.localdate()
    end = _date(request.GET.get("to"), today)
    start = _date(request.GET.get("from"), dt.date(end.year, 1, 1))
    if start > end:
        raise ApplicationError(_("The start date is after the end date."), code="bad_range")
    if (end - start).days > 366 * 10:
        raise ApplicationError(_("Choose at most ten years."), code="bad_range")
    by = request.GET.get("by") or "department"
    if by not in hr_reports.BY:
        by = "department"
    if request.GET.get("export") == "xlsx":
        content = hr_reports.workbook(user=request.user, company=company, start=start, end=end)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="hr-report-{company.code}-{end:%Y%m%d}.xlsx"'
        )
        return response
    series = hr_reports.headcount_series(user=request.user, company=company, start=start,
                                         end=end, by=by)  # fmt: skip
    context = _ctx(
        request,
        title=_("HR reports"),
        start=start,
        end=end,
        by=by,
        by_choices=[
            ("department", _("Department")),
            ("position", _("Position")),
            ("contract_type", _("Contract type")),
        ],  # fmt: skip
        series=series,
        headcount=hr_reports.headcount(user=request.user, company=company, on=end, by=by),
        flows=hr_reports.joiners_leavers(
            user=request.user, company=company, start=start, end=end
        ),  # fmt: skip
        turnover=hr_reports.turnover(user=request.user, company=company, start=start, end=end),
        expiries=hr_reports.contract_expiries(
            user=request.user, company=company, start=end, end=end + dt.timedelta(days=90)
        ),  # fmt: skip
        liability=hr_reports.liability_by_department(
            hr_reports.leave_liability(user=request.user, company=company, on=end)
        ),
    )
    return render(request, T + "reports.html", context)


# --- reveal -----------------------------------------------------------------------------
@_page("hr.view_employee")
def employee_reveal(request: HttpRequest, company, public_id, field: str) -> HttpResponse:
    emp = employee_get_for_user(user=request.user, company=company, public_id=public_id)
    if field not in IDENTIFIERS:
        return _message(request, _("HR"), _("This field cannot be revealed."), 404)
    label = emp._meta.get_field(field).verbose_name
    value = None
    if request.method == "POST":
        value = svc.employee_reveal(actor=request.user, company=company, employee=emp,
                                    field=field)  # fmt: skip
    elif not request.user.has_perm("hr.reveal_pii"):
        raise PermissionDenied(_("You do not have permission to do this."))
    back = reverse("admin:hr_employee_change", args=[emp.pk])
    response = render(request, T + "reveal.html", _ctx(
        request, title=_("Reveal %(f)s") % {"f": label}, employee=emp, label=label,
        value=value, back=back,
    ))  # fmt: skip
    response["Cache-Control"] = "no-store"
    return response


# --- job change -------------------------------------------------------------------------
class JobChangeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=[
        c for c in JobChangeKind.choices if c[0] != JobChangeKind.HIRE])  # fmt: skip
    effective_date = forms.DateField(label=gettext_lazy("effective date"))
    department = forms.ModelChoiceField(Department.objects.none(), required=False,
                                        label=gettext_lazy("department"))  # fmt: skip
    position = forms.ModelChoiceField(Position.objects.none(), required=False,
                                      label=gettext_lazy("position"))  # fmt: skip
    salary = forms.DecimalField(label=gettext_lazy("new monthly salary"), required=False,
                                decimal_places=0, min_value=1)  # fmt: skip
    note = forms.CharField(label=gettext_lazy("note"), required=False, max_length=300)

    def __init__(self, *args: Any, company=None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(company=company)
        self.fields["position"].queryset = Position.objects.filter(company=company)


@_page("hr.change_employee")
def employee_job_change(request: HttpRequest, company, public_id) -> HttpResponse:
    emp = employee_get_for_user(user=request.user, company=company, public_id=public_id)
    form = JobChangeForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            svc.job_change_record(actor=request.user, company=company, employee=emp,
                                  **form.cleaned_data)  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Job change recorded."))
            return HttpResponseRedirect(reverse("admin:hr_employee_change", args=[emp.pk]))
    history = sel.job_history(user=request.user, company=company, employee=emp)
    return render(request, T + "job_change.html", _ctx(
        request, title=_("Job change: %(e)s") % {"e": emp}, form=form, employee=emp,
        history=history, show_salary=any(h["salary"] is not None for h in history),
    ))  # fmt: skip


# --- import -----------------------------------------------------------------------------
class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLSX or CSV file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 20 MB)."))
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        return upload


IMPORT_HELP = gettext_lazy(
    "One person per row; the first row names the columns. full_name and hire_date are"
    " required; dates dd/mm/yyyy or yyyy-mm-dd; department, position and manager are codes;"
    " provinces by code or name. All rows are imported, or none: every error is listed with"
    " its row number (the header is row 1). Large files are imported in the background."
)


def import_page(request: HttpRequest, model_admin: Any) -> HttpResponse:
    """The "Import" button of the employee list (permission checked by the admin action)."""
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > SYNC_IMPORT_BYTES:
                return _enqueue(request, upload)
            result = employees_import(actor=request.user, company=request.company,
                                      data=upload.read(), filename=upload.name)  # fmt: skip
        except ApplicationError as exc:
            errors = [exc.message] + [
                _("Row %(row)s: %(msg)s") % {"row": e["row"], "msg": e["message"]}
                for e in exc.extra.get("errors", [])
            ]
        else:
            messages.success(request, _("%(n)d people imported.") % {"n": result["created"]})
            return HttpResponseRedirect(reverse("admin:hr_employee_changelist"))
    return render(request, "admin/accounting/import_form.html", {
        **model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
        "title": _("Import employees"), "form": form, "errors": errors,
        "header": ",".join(COLUMNS), "help_text": IMPORT_HELP,
    })  # fmt: skip


def _enqueue(request: HttpRequest, upload: Any) -> HttpResponse:
    from backoffice.core.jobs import job_enqueue

    folder = settings.HOME / "imports"
    folder.mkdir(exist_ok=True)
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    target = folder / f"employees-{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    try:
        job = job_enqueue(actor=request.user, company=request.company, kind=IMPORT_JOB,
                          params={"path": str(target), "filename": upload.name[:200]})  # fmt: skip
    except ApplicationError:
        target.unlink(missing_ok=True)
        raise
    messages.success(request, _("Import started; its progress shows below."))
    return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))


def import_job(*, progress, company, actor, path: str, filename: str = "") -> dict[str, Any]:
    """The background import (job kind ``hr.employee_import``)."""
    from pathlib import Path

    from backoffice.core.exceptions import ValidationFailed

    if actor is not None:
        actor.active_company = company
    file = Path(path)
    if file.parent != settings.HOME / "imports":
        raise ValidationFailed(_("The import file is not in the imports folder."))
    try:
        try:
            result = employees_import(actor=actor, company=company, data=file.read_bytes(),
                                      filename=file.name,
                                      progress=lambda d, t: progress.update(d, t))  # fmt: skip
        except ApplicationError as exc:
            rows = [
                _("Row %(row)s: %(msg)s") % {"row": e["row"], "msg": e["message"]}
                for e in exc.extra.get("errors", [])[:50]
            ]
            exc.message = "\n".join([exc.message, *rows])
            raise
    finally:
        file.unlink(missing_ok=True)
    return {"file": filename, "created": result["created"]}


urlpatterns: list[URLPattern] = [
    path("org-chart/", org_chart, name="org_chart"),
    path("reports/", reports, name="reports"),
    path(
        "employees/<uuid:public_id>/reveal/<str:field>/", employee_reveal, name="employee_reveal"
    ),  # fmt: skip
    path(
        "employees/<uuid:public_id>/job-change/", employee_job_change, name="employee_job_change"
    ),  # fmt: skip
]
