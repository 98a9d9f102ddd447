"""Offers: drafted by HR from an application, approved (directly when the
salary is within the requisition's range, through the approval engine —
request type ``recruitment_offer`` — when it is above), sent to the
candidate as a Vietnamese PDF letter (stored in the records store as a
confidential document attached to the application), then accepted,
declined (with the reason) or withdrawn as HR records the candidate's answer.

States: draft → (pending →) approved → sent → accepted | declined;
withdrawn from any live state. A rejected or withdrawn approval puts the
offer back to draft (to be corrected and submitted again). One live offer
per application (database constraint).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.recruitment.enums import ApplicationState, EmploymentType, OfferState, StageKind
from backoffice.recruitment.models import Application, Offer
from backoffice.recruitment.services.common import (
    authorise,
    next_number,
    same_company,
    user_or_none,
)

MANAGE = "recruitment.manage_offer"
REQUEST_TYPE = "recruitment_offer"
REQUEST_LABEL = gettext_lazy("Job offer")
LIVE = (OfferState.DRAFT, OfferState.PENDING, OfferState.APPROVED, OfferState.SENT,
        OfferState.ACCEPTED)  # fmt: skip
EDITABLE = ("job_title", "department", "position", "employment_type", "salary", "start_date",
            "probation_days", "benefits", "expires_on")  # fmt: skip


# --- approval policy -------------------------------------------------------------------


def offer_policy_ensure(*, company: Any, actor: Any = None) -> Any:
    """The default "recruitment_offer" policy (HR manager, then the director —
    the operations manager); idempotent."""
    from backoffice.workflow.models import ApproverKind
    from backoffice.workflow.services import policy_ensure

    return policy_ensure(
        company=company, request_type=REQUEST_TYPE, name=_("Job offers"), actor=actor,
        steps=[
            {"name": _("HR manager"), "kind": ApproverKind.ROLE, "role": Role.HR_MANAGER},
            {"name": _("Director"), "kind": ApproverKind.ROLE, "role": Role.OPERATIONS_MANAGER},
        ],
    )  # fmt: skip


# --- helpers ---------------------------------------------------------------------------


def _snapshot(offer: Offer) -> dict[str, Any]:
    """What the audit log keeps: never the salary itself."""
    return {
        "number": offer.number, "state": offer.state, "job_title": offer.job_title,
        "start_date": offer.start_date.isoformat() if offer.start_date else None,
        "above_range": offer.above_range, "salary": "set" if offer.salary else "",
        "application": str(offer.application.public_id),
    }  # fmt: skip


def lock(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self",))
        .select_related(
            "company",
            "application",
            "application__candidate",
            "application__posting",
            "application__posting__requisition",
        )  # fmt: skip
        .get(pk=offer.pk)
    )


def _require_state(offer: Offer, states: tuple[str, ...], code: str, message: str) -> None:
    if offer.state not in states:
        raise Conflict(message, code=code, extra={"state": offer.state})


def _money(value: Any) -> Decimal:
    if isinstance(value, float):
        raise TypeError("money is Decimal, never float")
    try:
        amount = Decimal(str(value).replace(".", "").replace(",", "").replace(" ", "")
                         if isinstance(value, str) else value)  # fmt: skip
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationFailed(_("Enter a valid salary."), code="bad_salary") from None
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value():
        raise ValidationFailed(
            _("The salary must be a positive whole number of dong."), code="bad_salary"
        )
    if amount >= Decimal(10) ** 15:
        raise ValidationFailed(_("The salary is too large."), code="bad_salary")
    return amount


def salary_max_of(application: Application) -> Decimal | None:
    """The top of the range: the requisition's, else the posting's."""
    posting = application.posting
    req = posting.requisition
    if req is not None and req.salary_max is not None:
        return Decimal(req.salary_max)
    return Decimal(posting.salary_max) if posting.salary_max is not None else None


def _clean(application: Application, values: dict[str, Any]) -> dict[str, Any]:
    company = application.company
    out = dict(values)
    if "salary" in out:
        out["salary"] = _money(out["salary"])
    if "job_title" in out:
        out["job_title"] = (out["job_title"] or "").strip()[:200]
        if not out["job_title"]:
            raise ValidationFailed(_("Enter the job title."), code="job_title_required")
    if "employment_type" in out and out["employment_type"] not in EmploymentType.values:
        raise ValidationFailed(_("Unknown employment type."), code="bad_employment_type")
    if "probation_days" in out:
        try:
            days = int(out["probation_days"])
        except (TypeError, ValueError):
            raise ValidationFailed(
                _("Enter the probation in days."), code="bad_probation"
            ) from None
        if not 0 <= days <= 180:  # Labour Code 2019 art. 25: at most 180 days
            raise ValidationFailed(_("The probation is at most 180 days."), code="bad_probation")
        out["probation_days"] = days
    if "benefits" in out:
        out["benefits"] = (out["benefits"] or "").strip()[:4000]
    for name in ("start_date", "expires_on"):
        if name in out and out[name] is not None and not isinstance(out[name], dt.date):
            raise ValidationFailed(_("Enter a valid date."), code="bad_date")
    same_company(company, out.get("department"), out.get("position"))
    start, expires = out.get("start_date"), out.get("expires_on")
    if start is not None and start < timezone.localdate() - dt.timedelta(days=30):
        raise ValidationFailed(_("The start date is in the past."), code="start_in_past")
    if start is not None and expires is not None and expires > start:
        raise ValidationFailed(
            _("The answer-by date must be on or before the start date."), code="expires_after_start"
        )
    return out


def _enter_stage(application: Application, stage: Any, actor: Any, note: str) -> None:
    """The pipeline's own stage entry: a StageChange row, the stage and its
    date, the state from the stage's kind."""
    from backoffice.recruitment.services.pipeline import _enter_stage as enter

    enter(application, stage, actor, note)


# --- create / update -------------------------------------------------------------------


@transaction.atomic
def offer_create(
    *,
    actor: Any,
    application: Application,
    salary: Any,
    start_date: dt.date,
    job_title: str = "",
    department: Any = None,
    position: Any = None,
    employment_type: str = "",
    probation_days: int = 60,
    benefits: str = "",
    expires_on: dt.date | None = None,
) -> Offer:
    """A draft offer for an application in progress; job title, department,
    position and employment type default to the requisition's / posting's."""
    company = application.company
    authorise(actor, company, MANAGE)
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("posting", "posting__requisition", "candidate", "company")
        .get(pk=application.pk)
    )
    if app.state != ApplicationState.ACTIVE:
        raise Conflict(_("Only an application in progress can get an offer."),
                       code="application_closed")  # fmt: skip
    if Offer.objects.filter(application=app, state__in=LIVE).exists():
        raise Conflict(_("This application already has an offer."), code="offer_exists")
    posting, req = app.posting, app.posting.requisition
    values = _clean(app, {
        "salary": salary, "start_date": start_date,
        "job_title": job_title or (req.title if req else "") or posting.title,
        "department": department or (req.department if req else None) or posting.department,
        "position": position or (req.position if req else None),
        "employment_type": employment_type or (req.employment_type if req else
                                               posting.employment_type),
        "probation_days": probation_days, "benefits": benefits, "expires_on": expires_on,
    })  # fmt: skip
    if values["start_date"] is None:
        raise ValidationFailed(_("Enter the start date."), code="start_date_required")
    top = salary_max_of(app)
    offer = Offer.objects.create(
        company=company, application=app, number=next_number(Offer, company, "TB"),
        above_range=top is not None and values["salary"] > top,
        created_by=user_or_none(actor), **values,
    )  # fmt: skip
    audit_record(event_type="OFFER_CREATED", actor=actor, company=company, target=offer,
                 after=_snapshot(offer))  # fmt: skip
    return offer


@transaction.atomic
def offer_update(*, actor: Any, offer: Offer, **changes: Any) -> Offer:
    """Change a draft (a sent or approved offer is withdrawn and drafted again)."""
    authorise(actor, offer.company, MANAGE)
    offer = lock(offer)
    _require_state(offer, (OfferState.DRAFT,), "not_draft", _("Only a draft offer can be changed."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    values = _clean(offer.application, {"start_date": offer.start_date,
                                        "expires_on": offer.expires_on, **changes})  # fmt: skip
    for name, value in values.items():
        setattr(offer, name, value)
    top = salary_max_of(offer.application)
    offer.above_range = top is not None and Decimal(offer.salary) > top
    offer.save()
    audit_record(event_type="OFFER_UPDATED", actor=actor, company=offer.company, target=offer,
                 after={**_snapshot(offer), "changed": sorted(changes)})  # fmt: skip
    return offer


# --- approval --------------------------------------------------------------------------


@transaction.atomic
def offer_submit(*, actor: Any, offer: Offer) -> Offer:
    """Within the range: approved at once. Above it: to the approval engine."""
    from backoffice.workflow.services import approval_submit

    authorise(actor, offer.company, MANAGE)
    offer = lock(offer)
    _require_state(offer, (OfferState.DRAFT,), "not_draft",
                   _("Only a draft offer can be submitted."))  # fmt: skip
    top = salary_max_of(offer.application)
    offer.above_range = top is not None and Decimal(offer.salary) > top
    if offer.above_range:
        offer_policy_ensure(company=offer.company, actor=actor)
        approval_submit(
            actor=actor, company=offer.company, request_type=REQUEST_TYPE, subject=offer,
            amount=Decimal(offer.salary), department=offer.department,
            title=_("Offer %(n)s: %(job)s (above the range)") % {
                "n": offer.number, "job": offer.job_title},
        )  # fmt: skip
        offer.state = OfferState.PENDING
        event = "OFFER_SUBMITTED"
    else:
        offer.state = OfferState.APPROVED
        event = "OFFER_APPROVED"
    offer.save(update_fields=["state", "above_range", "updated_at"])
    audit_record(event_type=event, actor=actor, company=offer.company, target=offer,
                 after=_snapshot(offer))  # fmt: skip
    return offer


def approval_of(subject: Offer) -> Any:
    """The latest approval request of the record (None before submitting)."""
    from backoffice.workflow.services import approval_of as latest

    return latest(subject)


def _decider(approval: Any) -> Any:
    from backoffice.workflow.services import approval_decider

    return approval_decider(approval)


def on_approved(approval: Any) -> None:
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("company", "application")
        .get(pk=approval.subject_id)
    )
    if offer.state != OfferState.PENDING:
        return
    offer.state = OfferState.APPROVED
    offer.save(update_fields=["state", "updated_at"])
    audit_record(event_type="OFFER_APPROVED", actor=_decider(approval), company=offer.company,
                 target=offer, after=_snapshot(offer))  # fmt: skip


def _back(event: str) -> Any:
    def hook(approval: Any) -> None:
        offer = (
            Offer.objects.select_for_update(of=("self",))
            .select_related("company", "application")
            .get(pk=approval.subject_id)
        )
        if offer.state != OfferState.PENDING:
            return
        offer.state = OfferState.DRAFT
        offer.save(update_fields=["state", "updated_at"])
        audit_record(event_type=event, actor=_decider(approval), company=offer.company,
                     target=offer, after=_snapshot(offer))  # fmt: skip

    return hook


on_rejected = _back("OFFER_REJECTED")
on_withdrawn = _back("OFFER_APPROVAL_WITHDRAWN")


# --- send and answers ------------------------------------------------------------------

DEFAULT_SUBJECT = "Thư mời nhận việc: {job_title} — {company_name}"
DEFAULT_BODY = (
    "Kính gửi {candidate_name},\n\n"
    "{company_name} trân trọng gửi Ông/Bà thư mời nhận việc cho vị trí {job_title} "
    "(tệp đính kèm). Vui lòng phản hồi trước ngày {answer_by}.\n\n"
    "Trân trọng,\n{company_name}"
)


def _offer_template(company: Any) -> tuple[str, str, str]:
    from backoffice.recruitment.enums import TemplateKind
    from backoffice.recruitment.models import EmailTemplate

    tpl = (
        EmailTemplate.objects.filter(company=company, kind=TemplateKind.OFFER, language="vi")
        .order_by("id")
        .first()
    )
    if tpl is None:
        return DEFAULT_SUBJECT, DEFAULT_BODY, ""
    return tpl.subject, tpl.body, f"offer:{tpl.pk}"


@transaction.atomic
def offer_send(*, actor: Any, offer: Offer) -> Offer:
    """Generate the letter, store it (confidential, on the application), e-mail it
    to the candidate; the application enters the offer stage if not already there."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from backoffice.core.enums import Classification
    from backoffice.records.services import document_attach
    from backoffice.recruitment import documents
    from backoffice.recruitment.services import mail
    from backoffice.recruitment.services.stages import stage_of_kind

    authorise(actor, offer.company, MANAGE)
    offer = lock(offer)
    _require_state(offer, (OfferState.APPROVED,), "not_approved",
                   _("Only an approved offer can be sent."))  # fmt: skip
    app = (
        Application.objects.select_for_update(of=("self",))
        .select_related("candidate", "stage")
        .get(pk=offer.application_id)
    )
    if app.state != ApplicationState.ACTIVE:
        raise Conflict(_("The application is closed."), code="application_closed")
    company = offer.company
    data = documents.offer_letter_pdf(offer)
    name = documents.offer_letter_filename(offer)
    # Owned by the offer (not the application): the letter shows the salary, so only
    # those who see offers (recruitment.view_offer) open it (setup/offers.py).
    doc = document_attach(
        actor=actor, company=company, owner=offer,
        uploaded_file=SimpleUploadedFile(name, data, content_type="application/pdf"),
        title=f"Thư mời nhận việc {offer.number} — {app.candidate.full_name}"[:200],
        classification=Classification.CONFIDENTIAL, doc_type="recruitment.offer_letter",
        department=offer.department, tags=["recruitment", "offer"],
        document_date=timezone.localdate(), metadata={"offer": str(offer.public_id)},
    )  # fmt: skip
    offer.letter, offer.state, offer.sent_at = doc, OfferState.SENT, timezone.now()
    offer.save(update_fields=["letter", "state", "sent_at", "updated_at"])
    if app.stage.kind != StageKind.OFFER:
        _enter_stage(app, stage_of_kind(company, StageKind.OFFER), actor,
                     _("Offer %(n)s sent") % {"n": offer.number})  # fmt: skip
    subject, body, code = _offer_template(company)
    context = {
        "candidate_name": app.candidate.full_name, "job_title": offer.job_title,
        "company_name": company.name, "stage": "", "reason": "",
        "answer_by": offer.expires_on.strftime("%d/%m/%Y") if offer.expires_on else "…",
        "start_date": offer.start_date.strftime("%d/%m/%Y"),
    }  # fmt: skip
    mail.send(
        actor=actor, company=company, target=app, to=[app.candidate.email or ""],
        subject=mail.render(subject, context), body=mail.render(body, context),
        attachments=[(name, data, "application/pdf")], template=code or "offer",
    )  # fmt: skip
    audit_record(event_type="OFFER_SENT", actor=actor, company=company, target=offer,
                 after={**_snapshot(offer), "letter": str(doc.public_id)})  # fmt: skip
    return offer


@transaction.atomic
def offer_accept(*, actor: Any, offer: Offer, on: dt.date | None = None) -> Offer:
    """Record the candidate's acceptance (HR enters it)."""
    authorise(actor, offer.company, MANAGE)
    offer = lock(offer)
    _require_state(offer, (OfferState.SENT,), "not_sent",
                   _("Only a sent offer can be accepted."))  # fmt: skip
    offer.state, offer.responded_at = OfferState.ACCEPTED, timezone.now()
    offer.save(update_fields=["state", "responded_at", "updated_at"])
    audit_record(event_type="OFFER_ACCEPTED", actor=actor, company=offer.company, target=offer,
                 after=_snapshot(offer))  # fmt: skip
    return offer


@transaction.atomic
def offer_decline(*, actor: Any, offer: Offer, reason: str) -> Offer:
    """Record that the candidate declined, with their reason."""
    authorise(actor, offer.company, MANAGE)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the candidate declined."), code="reason_required")
    offer = lock(offer)
    _require_state(offer, (OfferState.SENT,), "not_sent",
                   _("Only a sent offer can be declined."))  # fmt: skip
    offer.state, offer.responded_at = OfferState.DECLINED, timezone.now()
    offer.decline_reason = reason[:300]
    offer.save(update_fields=["state", "responded_at", "decline_reason", "updated_at"])
    audit_record(event_type="OFFER_DECLINED", actor=actor, company=offer.company, target=offer,
                 after={**_snapshot(offer), "reason": offer.decline_reason})  # fmt: skip
    return offer


@transaction.atomic
def offer_withdraw(*, actor: Any, offer: Offer, reason: str = "") -> Offer:
    """The company withdraws the offer (a pending approval is withdrawn too)."""
    from backoffice.workflow.models import RequestState
    from backoffice.workflow.services import approval_withdraw

    authorise(actor, offer.company, MANAGE)
    offer = lock(offer)
    _require_state(offer, (OfferState.DRAFT, OfferState.PENDING, OfferState.APPROVED,
                           OfferState.SENT), "not_live",
                   _("This offer can no longer be withdrawn."))  # fmt: skip
    if offer.state == OfferState.PENDING:
        approval = approval_of(offer)
        if approval is not None and approval.state == RequestState.PENDING:
            who = approval.requester if user_or_none(actor) is None else actor
            approval_withdraw(actor=who, company=offer.company, request=approval,
                              for_requester=True)  # fmt: skip
            offer.refresh_from_db()
    offer.state = OfferState.WITHDRAWN
    offer.decline_reason = (reason or "").strip()[:300]
    offer.save(update_fields=["state", "decline_reason", "updated_at"])
    audit_record(event_type="OFFER_WITHDRAWN", actor=actor, company=offer.company, target=offer,
                 after={**_snapshot(offer), "reason": offer.decline_reason})  # fmt: skip
    return offer
