"""Desk pages of offers (namespace ``recruitment``, under /desk/recruitment/offers/):
the list, a new offer from an application, an offer's page with its actions
(submit, send, record accept / decline, withdraw, hire) and the letter's PDF.

Offers and salaries need ``recruitment.view_offer``; actions
``recruitment.manage_offer`` (the services check again). Another company's
offer or application is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import EmploymentType, OfferState
from backoffice.recruitment.selectors import offers as sel
from backoffice.recruitment.services import hire as hire_svc
from backoffice.recruitment.services import offers as svc

T = "recruitment/offers/"


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _denied(request: HttpRequest, message: str = "", status: int = 403) -> HttpResponse:
    message = message or _("You do not have permission to open this page.")
    return render(request, T + "message.html",
                  _ctx(request, title=_("Access denied"), message=message), status=status)  # fmt: skip


def _not_found(request: HttpRequest, what: str) -> HttpResponse:
    return _denied(request, _("%(what)s not found.") % {"what": what}, 404)


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApplicationError(_("Enter a valid date."), code="bad_date") from None


def _list(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not sel.may_see_offers(request.user):
        return _denied(request)
    state = request.GET.get("state") or ""
    if state not in OfferState.values:
        state = ""
    offers = sel.offer_list(user=request.user, company=company, state=state)[:300]
    return render(request, T + "list.html", _ctx(
        request, title=_("Offers"), offers=offers, state=state, states=OfferState.choices,
    ))  # fmt: skip


def _choices(company: Any) -> dict[str, Any]:
    from backoffice.core.models import Department, Position

    return {
        "departments": Department.objects.filter(company=company).order_by("code"),
        "positions": Position.objects.filter(company=company).order_by("code"),
        "employment_types": EmploymentType.choices,
    }


def _pick(model: Any, company: Any, value: str) -> Any:
    if not value:
        return None
    try:
        obj = model.objects.filter(company=company, public_id=value).first()
    except (ValueError, TypeError, Exception):  # noqa: BLE001 - a malformed id
        obj = None
    if obj is None:
        raise ApplicationError(_("Unknown choice."), code="bad_choice")
    return obj


def _new(request: HttpRequest, application: Any) -> HttpResponse:
    from backoffice.core.models import Department, Position

    company = request_company(request)
    if company is None or not sel.may_manage_offers(request.user):
        return _denied(request)
    try:
        app = sel.application_get_for_user(user=request.user, company=company,
                                           public_id=application)  # fmt: skip
    except NotFound:
        return _not_found(request, _("Application"))
    req = app.posting.requisition
    form = {
        "job_title": (req.title if req else "") or app.posting.title,
        "department": str((req.department if req else app.posting.department).public_id)
        if (req or app.posting.department) else "",
        "position": str(req.position.public_id) if req and req.position_id else "",
        "employment_type": req.employment_type if req else app.posting.employment_type,
        "salary": "", "start_date": (req.target_start.isoformat() if req and req.target_start
                                     else ""),
        "probation_days": "60", "benefits": "", "expires_on": "",
    }  # fmt: skip
    if request.method == "POST":
        post = request.POST
        form.update({k: post.get(k, "") for k in form})
        try:
            offer = svc.offer_create(
                actor=request.user, application=app, salary=post.get("salary", "").strip(),
                start_date=_date(post.get("start_date")), job_title=post.get("job_title", ""),
                department=_pick(Department, company, post.get("department", "")),
                position=_pick(Position, company, post.get("position", "")),
                employment_type=post.get("employment_type", ""),
                probation_days=post.get("probation_days") or 60,
                benefits=post.get("benefits", ""), expires_on=_date(post.get("expires_on")),
            )  # fmt: skip
            messages.success(request, _("The offer was drafted."))
            return HttpResponseRedirect(reverse("recruitment:offer_detail", args=[offer.public_id]))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    top = svc.salary_max_of(app)
    return render(request, T + "new.html", _ctx(
        request, title=_("New offer: %(name)s") % {"name": app.candidate.full_name},
        application=app, form=form, salary_max=top,
        salary_min=(req.salary_min if req else app.posting.salary_min), **_choices(company),
    ))  # fmt: skip


def _detail(request: HttpRequest, pk: Any) -> HttpResponse:
    company = request_company(request)
    if company is None or not sel.may_see_offers(request.user):
        return _denied(request)
    try:
        offer = sel.offer_get_for_user(user=request.user, company=company, public_id=pk)
    except NotFound:
        return _not_found(request, _("Offer"))
    if request.method == "POST":
        return _act(request, offer)
    approval = svc.approval_of(offer) if offer.state == OfferState.PENDING else None
    return render(request, T + "detail.html", _ctx(
        request, title=_("Offer %(n)s") % {"n": offer.number}, offer=offer,
        app=offer.application, approval=approval, S=OfferState,
        may_manage=sel.may_manage_offers(request.user),
        employee_url=_employee_url(offer.application),
        application_url=_application_url(offer.application),
        salary_max=svc.salary_max_of(offer.application),
        today=timezone.localdate().isoformat(), **_choices(company),
    ))  # fmt: skip


def _employee_url(app: Any) -> str:
    if not app.employee_id:
        return ""
    try:
        return reverse("admin:hr_employee_change", args=[app.employee_id])
    except Exception:  # noqa: BLE001 - the HR desk page may be named otherwise
        return ""


def _application_url(app: Any) -> str:
    try:
        return reverse("recruitment:application_detail", args=[app.public_id])
    except Exception:  # noqa: BLE001 - the pipeline area's page may not exist yet
        return ""


def _act(request: HttpRequest, offer: Any) -> HttpResponse:
    from backoffice.core.models import Department, Position

    op, user, post = request.POST.get("op"), request.user, request.POST
    target = reverse("recruitment:offer_detail", args=[offer.public_id])
    try:
        if op == "update":
            svc.offer_update(
                actor=user, offer=offer, salary=post.get("salary", "").strip(),
                start_date=_date(post.get("start_date")), job_title=post.get("job_title", ""),
                department=_pick(Department, offer.company, post.get("department", "")),
                position=_pick(Position, offer.company, post.get("position", "")),
                employment_type=post.get("employment_type") or offer.employment_type,
                probation_days=post.get("probation_days") or 60,
                benefits=post.get("benefits", ""), expires_on=_date(post.get("expires_on")),
            )  # fmt: skip
            messages.success(request, _("The offer was changed."))
        elif op == "submit":
            offer = svc.offer_submit(actor=user, offer=offer)
            messages.success(request, _("The offer was sent for approval.")
                             if offer.state == OfferState.PENDING else _("The offer is approved."))  # fmt: skip
        elif op == "send":
            svc.offer_send(actor=user, offer=offer)
            messages.success(request, _("The offer letter was sent to the candidate."))
        elif op == "accept":
            svc.offer_accept(actor=user, offer=offer)
            messages.success(request, _("The acceptance was recorded."))
        elif op == "decline":
            svc.offer_decline(actor=user, offer=offer, reason=post.get("reason", ""))
            messages.success(request, _("The decline was recorded."))
        elif op == "withdraw":
            svc.offer_withdraw(actor=user, offer=offer, reason=post.get("reason", ""))
            messages.success(request, _("The offer was withdrawn."))
        elif op == "hire":
            emp = hire_svc.application_hire(
                actor=user, application=offer.application,
                start_date=_date(post.get("start_date")) or None,
                portal_account=bool(post.get("portal_account")),
            )  # fmt: skip
            messages.success(request, _("%(name)s was hired as %(code)s; onboarding has started.")
                             % {"name": emp.full_name, "code": emp.code})  # fmt: skip
        else:
            messages.error(request, _("Unknown action."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(target)


def _letter(request: HttpRequest, pk: Any) -> HttpResponse:
    from backoffice.records.selectors import document_open
    from backoffice.recruitment.documents import offer_letter_filename

    company = request_company(request)
    if company is None or not sel.may_see_offers(request.user):
        return _denied(request)
    try:
        offer = sel.offer_get_for_user(user=request.user, company=company, public_id=pk)
        if offer.letter_id is None:
            raise NotFound(_("%(what)s not found.") % {"what": _("Offer letter")})
        _doc, _ver, data = document_open(user=request.user, company=company,
                                         public_id=offer.letter.public_id)  # fmt: skip
    except NotFound:
        return _not_found(request, _("Offer letter"))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{offer_letter_filename(offer)}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("offers/", admin.site.admin_view(_list), name="offers"),
    path("offers/new/<uuid:application>/", admin.site.admin_view(_new), name="offer_new"),
    path("offers/<uuid:pk>/", admin.site.admin_view(_detail), name="offer_detail"),
    path("offers/<uuid:pk>/letter.pdf", admin.site.admin_view(_letter), name="offer_letter"),
]
