"""Desk pages: the hire wizard (person + contract draft + start date in one form),
starting a collaborator, the collaborators list, offboarding and closing a person.

Thin: each page checks its permission in the active company, then calls one
service (``hr.services.onboarding`` / ``collaborators``); a refused operation
shows the service's message on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError
from backoffice.core.request_context import request_company
from backoffice.hr.models import Employee, OnboardingCase
from backoffice.hr.views.onboarding_forms import CollaboratorForm, HireForm, OffboardingForm

MANAGE = "hr.manage_onboarding"


def _page(perm: str) -> Callable[..., Any]:
    def deco(fn: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(fn)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            company = request_company(request)
            if company is None or not request.user.has_perm(perm):
                return _render(request, "hr/onboarding/denied.html", _("Access denied"),
                               status=403)  # fmt: skip
            return fn(request, company, *args, **kwargs)

        return admin.site.admin_view(inner)

    return deco


def _render(request: HttpRequest, template: str, title: str, status: int = 200,
            **ctx: Any) -> HttpResponse:  # fmt: skip
    return render(request, template, {**admin.site.each_context(request), "title": title, **ctx},
                  status=status)  # fmt: skip


def _person(company: Any, public_id: Any) -> Employee:
    emp = Employee.objects.filter(company=company, public_id=public_id).first()
    if emp is None:
        raise Http404(_("No such person."))
    return emp


def _case_url(employee: Employee, kind: str) -> str:
    case = OnboardingCase.objects.filter(employee=employee, kind=kind).order_by("-id").first()
    if case is None:
        return reverse("admin:hr_onboardingcase_changelist")
    return reverse("admin:hr_onboardingcase_change", args=[case.pk])


@_page(MANAGE)
def hire(request: HttpRequest, company: Any) -> HttpResponse:
    from backoffice.hr.services.onboarding_people import employee_hire

    form = HireForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        try:
            emp = employee_hire(
                actor=request.user, company=company, start_date=form.cleaned_data["start_date"],
                contract=form.contract_terms(),
                portal_account=bool(form.cleaned_data.get("portal_account")),
                **form.person_fields(),
            )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(n)s is hired; the onboarding tasks are assigned.")
                             % {"n": emp.full_name})  # fmt: skip
            return redirect(_case_url(emp, "onboarding"))
    return _render(request, "hr/onboarding/form.html", _("Hire a person"), form=form,
                   intro=_("The person, an optional contract draft, a self-service account and "
                           "the onboarding tasks for HR, IT, accounting and the manager are "
                           "created together."), form_id="bo-hire-form")  # fmt: skip


@_page(MANAGE)
def collaborator_start(request: HttpRequest, company: Any) -> HttpResponse:
    from backoffice.hr.services.collaborators import collaborator_start as start

    form = CollaboratorForm(request.POST or None, company=company)
    if request.method == "POST" and form.is_valid():
        fields = form.person_fields()
        try:
            emp = start(actor=request.user, company=company, agreement=form.agreement(),
                        portal_account=bool(form.cleaned_data.get("portal_account")),
                        **fields)  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Collaborator %(n)s started; the agreement is signed.")
                             % {"n": emp.full_name})  # fmt: skip
            return redirect(reverse("hr:onboarding_collaborators"))
    return _render(request, "hr/onboarding/form.html", _("Start a remote collaborator"),
                   form=form, form_id="bo-collaborator-form",
                   intro=_("A service agreement (no labour contract): portal access ends with "
                           "the agreement."))  # fmt: skip


@_page("hr.view_employee")
def collaborators(request: HttpRequest, company: Any) -> HttpResponse:
    from backoffice.hr.selectors.onboarding import collaborator_rows

    rows = collaborator_rows(user=request.user, company=company)
    return _render(request, "hr/onboarding/collaborators.html", _("Remote collaborators"),
                   rows=rows, may_start=request.user.has_perm(MANAGE))  # fmt: skip


@_page(MANAGE)
def offboard(request: HttpRequest, company: Any, employee_id: Any) -> HttpResponse:
    from backoffice.hr.services.onboarding_people import offboarding_start

    emp = _person(company, employee_id)
    form = OffboardingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offboarding_start(actor=request.user, company=company, employee=emp,
                              last_day=form.cleaned_data["last_day"],
                              reason=form.cleaned_data.get("reason") or "")  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Offboarding started for %(n)s.") % {"n": emp.full_name})
            return redirect(_case_url(emp, "offboarding"))
    return _render(request, "hr/onboarding/form.html",
                   _("Offboarding: %(n)s") % {"n": emp.full_name}, form=form,
                   form_id="bo-offboard-form",
                   intro=_("Revoking access and returning equipment must be done before the "
                           "person can be closed; the final settlement is due within 14 "
                           "working days (Labour Code Art. 48)."))  # fmt: skip


@_page(MANAGE)
def close(request: HttpRequest, company: Any, employee_id: Any) -> HttpResponse:
    from backoffice.hr.services.onboarding_people import employee_close, open_blocking_tasks

    emp = _person(company, employee_id)
    if request.method == "POST":
        try:
            employee_close(actor=request.user, company=company, employee=emp)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(n)s is closed: portal access removed, contract "
                                        "ended.") % {"n": emp.full_name})  # fmt: skip
            return redirect(_case_url(emp, "offboarding"))
    return _render(request, "hr/onboarding/close.html", _("Close: %(n)s") % {"n": emp.full_name},
                   employee=emp, blocking=open_blocking_tasks(emp),
                   is_offboarding=emp.status == "offboarding")  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("hire/", hire, name="onboarding_hire"),
    path("collaborators/", collaborators, name="onboarding_collaborators"),
    path("collaborators/new/", collaborator_start, name="onboarding_collaborator_start"),
    path("offboarding/<uuid:employee_id>/", offboard, name="onboarding_offboard"),
    path("close/<uuid:employee_id>/", close, name="onboarding_close"),
]

__all__ = ["urlpatterns"]
