"""Desk pages of job requisitions (namespace ``recruitment``, under
/desk/recruitment/requisitions/): the list (filter by state), "new
requisition", and a requisition's page (its data and approval, editing while
draft or rejected, "send for approval", "cancel", and once approved "create
a job posting" prefilled from it).

Who: ``recruitment.view_requisition`` sees the company's requisitions, a
hiring manager the ones they hire for; ``recruitment.manage_requisition``
writes. Writes go through ``recruitment.services.requisitions``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.models import Department, Position, User
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import EmploymentType, RequisitionReason, RequisitionState
from backoffice.recruitment.selectors import requisitions as sel
from backoffice.recruitment.services import requisitions as svc

T = "recruitment/requisitions/"
INPUT = "border rounded-default p-2 bg-white dark:bg-base-900 w-full max-w-xl"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def denied(request: HttpRequest, message: str = "", status: int = 403) -> HttpResponse:
    message = message or _("You do not have permission to open this page.")
    return render(
        request, T + "message.html", ctx(request, title=_("Access denied"), message=message),
        status=status,
    )  # fmt: skip


def not_found(request: HttpRequest, what: str) -> HttpResponse:
    return denied(request, _("%(what)s not found.") % {"what": what}, 404)


def style(form: forms.Form) -> forms.Form:
    for field in form.fields.values():
        if not isinstance(field.widget, forms.CheckboxInput):
            field.widget.attrs.setdefault("class", INPUT)
    return form


def members(company: Any) -> Any:
    return (
        User.objects.filter(
            is_active=True, memberships__company=company, memberships__is_active=True
        )
        .distinct()
        .order_by("full_name", "email")
    )


class RequisitionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("job title"), max_length=200)
    department = forms.ModelChoiceField(
        label=gettext_lazy("department"), queryset=Department.objects.none()
    )
    position = forms.ModelChoiceField(
        label=gettext_lazy("position"), queryset=Position.objects.none(), required=False
    )
    hiring_manager = forms.ModelChoiceField(
        label=gettext_lazy("hiring manager"), queryset=User.objects.none(), required=False
    )
    headcount = forms.IntegerField(label=gettext_lazy("headcount"), min_value=1, max_value=999,
                                   initial=1)  # fmt: skip
    employment_type = forms.ChoiceField(
        label=gettext_lazy("employment type"), choices=EmploymentType.choices
    )
    salary_min = forms.DecimalField(label=gettext_lazy("salary from"), required=False,
                                    decimal_places=0, min_value=0, max_digits=15)  # fmt: skip
    salary_max = forms.DecimalField(label=gettext_lazy("salary to"), required=False,
                                    decimal_places=0, min_value=0, max_digits=15)  # fmt: skip
    reason = forms.ChoiceField(label=gettext_lazy("reason"), choices=RequisitionReason.choices)
    justification = forms.CharField(label=gettext_lazy("justification"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)  # fmt: skip
    target_start = forms.DateField(label=gettext_lazy("wanted from"), required=False, widget=DATE)

    def __init__(self, *args: Any, company: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(company=company)
        self.fields["position"].queryset = Position.objects.filter(company=company)
        self.fields["hiring_manager"].queryset = members(company)
        self.fields["hiring_manager"].label_from_instance = lambda u: u.full_name or u.email
        style(self)


def _initial(req: Any) -> dict[str, Any]:
    return {f: getattr(req, f) for f in svc.FIELDS}


def _list(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    user = request.user
    if company is None:
        return denied(request)
    may_manage = user.has_perm(svc.MANAGE)
    rows = sel.requisition_list(user=user, company=company, state=request.GET.get("state", ""))
    if not (sel.may_see_requisitions(user) or may_manage) and not rows.exists():
        return denied(request)
    return render(request, T + "list.html", ctx(
        request, title=_("Job requisitions"), rows=rows[:300], may_manage=may_manage,
        states=RequisitionState.choices, state=request.GET.get("state", ""),
    ))  # fmt: skip


def _new(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not request.user.has_perm(svc.MANAGE):
        return denied(request)
    form = RequisitionForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            req = svc.requisition_create(actor=request.user, company=company, **form.cleaned_data)
            messages.success(request, _("The requisition %(n)s was created.") % {"n": req.number})
            return HttpResponseRedirect(
                reverse("recruitment:requisition_detail", args=[req.public_id])
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
    return render(request, T + "form.html", ctx(
        request, title=_("New job requisition"), form=form, form_id="requisition-form",
        back=reverse("recruitment:requisitions"),
    ))  # fmt: skip


def _detail(request: HttpRequest, pk: Any) -> HttpResponse:
    company = request_company(request)
    try:
        req = sel.requisition_get_for_user(user=request.user, company=company, public_id=pk)
    except NotFound:
        return not_found(request, _("Job requisition"))
    user = request.user
    may_manage = user.has_perm(svc.MANAGE)
    editable = may_manage and req.state in svc.EDITABLE_STATES
    form = RequisitionForm(
        request.POST if request.method == "POST" and request.POST.get("op") == "save" else None,
        company=company, initial=_initial(req),
    )  # fmt: skip
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "save":
                if form.is_valid():
                    svc.requisition_update(actor=user, requisition=req, **form.cleaned_data)
                    messages.success(request, _("The requisition was saved."))
                    return HttpResponseRedirect(request.path)
            elif op == "submit":
                svc.requisition_submit(actor=user, requisition=req)
                messages.success(request, _("The requisition was sent for approval."))
                return HttpResponseRedirect(request.path)
            elif op == "cancel":
                svc.requisition_cancel(
                    actor=user, requisition=req, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("The requisition was cancelled."))
                return HttpResponseRedirect(request.path)
            else:
                messages.error(request, _("Unknown action."))
                return HttpResponseRedirect(request.path)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            if op != "save":
                return HttpResponseRedirect(request.path)
    approval = svc.approval_of(req)
    return render(request, T + "detail.html", ctx(
        request, title=f"{req.number} {req.title}", req=req, form=form, editable=editable,
        may_manage=may_manage, approval=approval, S=RequisitionState,
        may_post=user.has_perm("recruitment.manage_posting")
        and req.state == RequisitionState.APPROVED and req.open_headcount > 0,
        cancellable=may_manage and req.state in svc.CANCELLABLE_STATES,
        postings=req.postings.order_by("-created_at"),
    ))  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("requisitions/", admin.site.admin_view(_list), name="requisitions"),
    path("requisitions/new/", admin.site.admin_view(_new), name="requisition_new"),
    path("requisitions/<uuid:pk>/", admin.site.admin_view(_detail), name="requisition_detail"),
]
