"""Profile: view one's own record, edit the contact and bank fields, emergency
contacts, reveal one's own identifiers (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.exceptions import ApplicationError
from backoffice.core.fields import mask
from backoffice.portal import services
from backoffice.portal.access import Me, is_htmx, portal_page
from backoffice.portal.forms import ContactForm, ProfileForm
from backoffice.portal.views.common import back, page, run


def _identifiers(me: Me) -> list[dict[str, str]]:
    emp = me.employee
    labels = {
        "national_id": _("National ID (CCCD)"),
        "tax_code": _("Personal tax code"),
        "social_insurance_no": _("Social insurance number"),
        "bank_account": _("Bank account number"),
    }
    return [
        {"field": f, "label": labels[f], "masked": mask(getattr(emp, f) or "")}
        for f in services.REVEALABLE
    ]


def _province(code: str) -> str:
    from backoffice.hr.services.employees_validation import province_name

    return province_name(code) or code


def _salary(me: Me) -> object:
    """One's own salary (the person always sees it)."""
    from backoffice.hr.services.employees import salary_on

    return salary_on(me.employee, me.today)


@portal_page()
def profile(request: HttpRequest, me: Me) -> HttpResponse:
    emp = me.employee
    ctx = {
        "identifiers": _identifiers(me),
        "province": _province(emp.current_province),
        "contacts": list(emp.emergency_contacts.all()),
        "contact_form": ContactForm(),
        "salary": None if me.is_collaborator else _salary(me),
    }
    return page(request, me, "portal/profile.html", ctx, active="profile")


@portal_page()
def profile_edit(request: HttpRequest, me: Me) -> HttpResponse:
    emp = me.employee
    initial = {f: getattr(emp, f) for f in services.SELF_FIELDS if f != "bank_account"}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_self_update(
                actor=me.user, company=me.company, employee=emp, **form.changes()
            )
        except ApplicationError as exc:
            for field, errors in exc.extra.get("fields", {}).items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.extra.get("fields"):
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your details are saved."))
            return back(request, "profile")
    ctx = {"form": form, "bank_masked": mask(emp.bank_account or "")}
    return page(request, me, "portal/profile_edit.html", ctx, active="profile")


@require_POST
@portal_page()
def profile_reveal(request: HttpRequest, me: Me, field: str) -> HttpResponse:
    if field not in services.REVEALABLE:
        raise Http404
    value = services.identifier_self_reveal(
        actor=me.user, company=me.company, employee=me.employee, field=field
    )
    if is_htmx(request):
        return render(request, "portal/partials/revealed.html", {"value": value})
    messages.info(request, value or _("(empty)"))
    return back(request, "profile")


@require_POST
@portal_page()
def contact_add(request: HttpRequest, me: Me) -> HttpResponse:
    form = ContactForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return back(request, "profile")
    run(
        request,
        lambda: services.emergency_contact_self_add(
            actor=me.user, company=me.company, employee=me.employee, **form.cleaned_data
        ),
        _("Contact added."),
    )
    return back(request, "profile")


@require_POST
@portal_page()
def contact_delete(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    try:
        services.emergency_contact_self_delete(
            actor=me.user, company=me.company, employee=me.employee, contact_id=public_id
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Contact removed."))
    return back(request, "profile")
