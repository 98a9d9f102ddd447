"""Offers as their readers may see them. Offers (and their salaries) need
``recruitment.view_offer``; on the application page (``application_panel``)
whoever sees the application sees that an offer exists and its state, the
salary only with ``recruitment.view_offer``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound
from backoffice.core.selectors import scope_to_company
from backoffice.recruitment.enums import ApplicationState, OfferState
from backoffice.recruitment.models import Application, Offer
from backoffice.recruitment.selectors.access import application_scope

VIEW = "recruitment.view_offer"
MANAGE = "recruitment.manage_offer"


def may_see_offers(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(VIEW))


def may_manage_offers(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(MANAGE))


def offer_list(*, user: Any, company: Any, state: str = "") -> QuerySet[Offer]:
    qs = scope_to_company(Offer.objects.all(), company)
    if company is None or not may_see_offers(user):
        return qs.none()
    qs = qs.filter(application__in=application_scope(user=user, company=company))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related(
        "application", "application__candidate", "application__posting", "department", "position"
    ).order_by("-created_at")


def offer_get_for_user(*, user: Any, company: Any, public_id: Any) -> Offer:
    try:
        offer = offer_list(user=user, company=company).filter(public_id=public_id).first()
    except (ValueError, TypeError):  # not a UUID
        offer = None
    if offer is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Offer")})
    return offer


def application_get_for_user(*, user: Any, company: Any, public_id: Any) -> Application:
    try:
        app = (
            application_scope(user=user, company=company)
            .select_related("candidate", "posting", "posting__requisition", "stage")
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, TypeError):
        app = None
    if app is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    return app


def application_panel(user: Any, application: Application) -> dict[str, Any]:
    """Context of ``recruitment/offers/_application_panel.html`` on the
    application page: the offers (salary only with view_offer) and what the
    user may do (make an offer, hire). Include the template with this dict
    spread into the context or as ``panel=`` / ``offers_panel=``."""
    from django.urls import NoReverseMatch, reverse

    see_salary = may_see_offers(user)
    manage = may_manage_offers(user)
    offers = list(
        Offer.objects.filter(company_id=application.company_id, application=application)
        .select_related("department", "position")
        .order_by("-created_at")
    )
    rows = [
        {
            "offer": o,
            "number": o.number,
            "state": o.state,
            "state_label": OfferState(o.state).label,
            "job_title": o.job_title,
            "start_date": o.start_date,
            "salary": o.salary if see_salary else None,
            "above_range": o.above_range if see_salary else None,
            "url": _url(reverse, NoReverseMatch, "recruitment:offer_detail", o.public_id)
            if see_salary
            else "",
        }
        for o in offers
    ]
    live = [o for o in offers if o.state in (OfferState.DRAFT, OfferState.PENDING,
                                            OfferState.APPROVED, OfferState.SENT,
                                            OfferState.ACCEPTED)]  # fmt: skip
    active = application.state == ApplicationState.ACTIVE
    panel: dict[str, Any] = {
        "offers": rows,
        "see_salary": see_salary,
        "may_offer": manage and active and not live,
        "may_hire": manage and active and any(o.state == OfferState.ACCEPTED for o in offers),
        "new_url": _url(reverse, NoReverseMatch, "recruitment:offer_new", application.public_id)
        if manage
        else "",
        "accepted": next((o for o in offers if o.state == OfferState.ACCEPTED), None),
        "employee": application.employee if application.employee_id else None,
    }
    # The template reads ``offers_panel``: spread this dict into the context, or
    # include it ``with panel=...`` / ``with offers_panel=...``.
    panel["offers_panel"] = panel
    return panel


def _url(reverse: Any, error: Any, name: str, arg: Any) -> str:
    try:
        return str(reverse(name, args=[arg]))
    except error:
        return ""
