"""Hire: an application whose offer was accepted becomes an employee.

``application_hire`` creates the employee through HR's ``employee_hire``
(the candidate's name, e-mail and phone; the offer's department, position,
salary and start date; a portal account), which opens the onboarding
checklist; the requisition counts the hire (``requisition_hired``: filled and
its postings closed at headcount); the application enters the hired stage.
All in one transaction: if any step fails nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict
from backoffice.recruitment.enums import (
    ApplicationState,
    OfferState,
    StageKind,
)
from backoffice.recruitment.models import Application, Offer
from backoffice.recruitment.services.common import authorise
from backoffice.recruitment.services.offers import MANAGE, _enter_stage


@transaction.atomic
def application_hire(
    *,
    actor: Any,
    application: Application,
    start_date: dt.date | None = None,
    portal_account: bool = True,
) -> Any:
    """Hire the candidate of ``application`` (its offer must be accepted); returns
    the new Employee."""
    from backoffice.hr.services.onboarding_people import employee_hire
    from backoffice.recruitment.services.requisitions import requisition_hired
    from backoffice.recruitment.services.stages import stage_of_kind

    company = application.company
    authorise(actor, company, MANAGE)
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate", "posting", "posting__requisition", "stage", "company")
        .get(pk=application.pk)
    )
    if app.state != ApplicationState.ACTIVE or app.employee_id:
        raise Conflict(_("This application is closed."), code="application_closed")
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .filter(application=app, state=OfferState.ACCEPTED)
        .select_related("department", "position")
        .first()
    )
    if offer is None:
        raise Conflict(
            _("Only a candidate who accepted an offer can be hired."), code="offer_not_accepted"
        )
    cand = app.candidate
    employee = employee_hire(
        actor=actor, company=company, start_date=start_date or offer.start_date,
        portal_account=portal_account, full_name=cand.full_name,
        email=(cand.email or "").strip(), phone=(cand.phone or "").strip()[:20],
        department=offer.department, position=offer.position, salary=offer.salary,
    )  # fmt: skip
    if app.posting.requisition_id:
        requisition_hired(requisition=app.posting.requisition, actor=actor)
    _enter_stage(app, stage_of_kind(company, StageKind.HIRED), actor,
                 _("Hired: %(code)s") % {"code": employee.code})  # fmt: skip
    app.refresh_from_db()
    now = timezone.now()
    app.employee, app.state = employee, ApplicationState.HIRED
    app.decided_at = app.decided_at or now
    app.save(update_fields=["employee", "state", "decided_at", "updated_at"])
    audit_record(
        event_type="CANDIDATE_HIRED", actor=actor, company=company, target=app,
        after={"employee": employee.code, "offer": offer.number,
               "start_date": (start_date or offer.start_date).isoformat(),
               "requisition": app.posting.requisition.number if app.posting.requisition_id
               else None},
    )  # fmt: skip
    return employee
