"""Candidate data retention (Decree 13/2023 on personal data protection).

A candidate consents to the processing of their data for a period (company
setting ``settings["recruitment"]["consent_months"]``, default 12 months)
when applying. The retention job (``backoffice recruitment retention``, job
kind ``recruitment.retention``; a recruitment ``tick`` may call ``retention_run``)
anonymises every candidate whose consent expired and was not renewed:

* name replaced ("Anonymised candidate 1a2b3c"), e-mail, phone, province,
  CV text, note and their indexes (e-mail/phone digests, CV fingerprint)
  cleared;
* per application: cover letter, screening explanation (it quotes the CV)
  and the private status link cleared; an application still in progress is
  withdrawn;
* the CV files (documents attached to the applications) and offer letters
  erased with ``records.retention.document_erase`` (bytes gone, tombstone
  kept, audited); a document on legal hold is kept and reported;
* scorecard comments (overall and per criterion) and interview notes cleared.

Applications, stages, stage changes, scores, scorecard ratings and offers'
figures are kept: the funnel, time-to-hire and source reports stay right.

A hired candidate is not anonymised by the job: their data now belongs to
the employee's file (HR keeps it under the employment's own rules).

The candidate's status link offers: renew consent (another period from
today), and ask for deletion. **Deletion is carried out immediately**
(anonymised as above, every application in progress withdrawn) — the law
asks for it without delay and nothing in recruitment needs a person to
decide; only for a hired candidate is the request recorded
(``deletion_requested_at``) and an HR task created, because the data is
part of the employment file.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import ApplicationError, Conflict
from backoffice.recruitment.enums import ApplicationState
from backoffice.recruitment.models import Application, Candidate, Interview, Offer, Scorecard
from backoffice.recruitment.services.applications import (
    CONSENT_VERSION,
    add_months,
    consent_months_for,
)
from backoffice.recruitment.services.common import authorise

log = logging.getLogger("backoffice.recruitment")

JOB_KIND = "recruitment.retention"
ACTOR = "recruitment.retention"


def _anonymous_name(candidate: Candidate) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Anonymised candidate")
    return f"{label} {candidate.public_id.hex[:6]}"


def _documents_of(applications: list[Application]) -> list[Any]:
    from backoffice.records.models import Document

    docs: dict[int, Any] = {}
    if applications:
        ct = ContentType.objects.get_for_model(Application)
        for doc in Document.objects.filter(
            owner_type=ct, owner_id__in=[str(a.pk) for a in applications]
        ):
            docs[doc.pk] = doc
        letter_ids = Offer.objects.filter(application__in=applications, letter__isnull=False)
        for doc in Document.objects.filter(pk__in=letter_ids.values("letter_id")):
            docs[doc.pk] = doc
        offer_ct = ContentType.objects.get_for_model(Offer)
        offer_ids = [str(pk) for pk in Offer.objects.filter(application__in=applications)
                     .values_list("pk", flat=True)]  # fmt: skip
        for doc in Document.objects.filter(owner_type=offer_ct, owner_id__in=offer_ids):
            docs[doc.pk] = doc
    return list(docs.values())


def _is_hired(candidate: Candidate) -> bool:
    return candidate.applications.filter(state=ApplicationState.HIRED).exists()


@transaction.atomic
def candidate_anonymise(*, actor: Any, candidate: Candidate, reason: str) -> dict[str, Any]:
    """Remove the person from a candidate (see the module's docstring);
    idempotent. Returns what was done."""
    from backoffice.records.retention import document_erase

    cand = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if cand.anonymised_at is not None:
        return {"candidate": str(cand.public_id), "already": True}
    now = timezone.now()
    applications = list(Application.objects.select_for_update().filter(candidate=cand))
    erased, held = 0, []
    for doc in _documents_of(applications):
        try:
            document_erase(actor=actor, document=doc, reason=reason)
            erased += 1
        except Conflict:  # legal hold: kept, reported
            held.append(str(doc.public_id))
    withdrawn = 0
    for app in applications:
        app.cover_letter = ""
        app.score_detail = {}
        app.status_token_hash = app.status_token = ""
        fields = ["cover_letter", "score_detail", "status_token_hash", "status_token", "updated_at"]
        if app.state == ApplicationState.ACTIVE:
            app.state, app.decided_at = ApplicationState.WITHDRAWN, now
            fields += ["state", "decided_at"]
            withdrawn += 1
        app.save(update_fields=fields)
    interviews = Interview.objects.filter(application__in=applications)
    for interview in interviews:
        changed = ["note", "updated_at"]
        interview.note = ""
        if cand.full_name and cand.full_name.casefold() in (interview.title or "").casefold():
            interview.title = str(_("Interview"))
            changed.append("title")
        interview.save(update_fields=changed)
    for card in Scorecard.objects.filter(interview__application__in=applications):
        card.comment = ""
        card.ratings = [
            {**r, "comment": ""} if isinstance(r, dict) and "comment" in r else r
            for r in (card.ratings or [])
        ]
        card.save(update_fields=["comment", "ratings", "updated_at"])
    cand.full_name = _anonymous_name(cand)
    cand.email = ""
    cand.email_index = ""
    cand.phone = ""
    cand.phone_index = ""
    cand.province = ""
    cand.cv_text = ""
    cand.cv_fingerprint = ""
    cand.note = ""
    cand.anonymised_at = now
    cand.save()
    result = {"candidate": str(cand.public_id), "applications": len(applications),
              "withdrawn": withdrawn, "documents_erased": erased, "documents_on_hold": held}  # fmt: skip
    audit_record(event_type="CANDIDATE_ANONYMISED", actor=actor, company=cand.company,
                 target=cand, after={**result, "reason": reason[:300]})  # fmt: skip
    return result


def expired_candidates(*, company: Any = None, today: dt.date | None = None) -> Any:
    """Candidates whose consent ended before ``today``, not renewed, not yet
    anonymised, never hired."""
    today = today or timezone.localdate()
    qs = Candidate.objects.filter(consent_until__lt=today, anonymised_at__isnull=True)
    if company is not None:
        qs = qs.filter(company=company)
    hired = Application.objects.filter(state=ApplicationState.HIRED).values("candidate_id")
    return qs.exclude(pk__in=hired).order_by("company_id", "consent_until", "pk")


def retention_run(
    *, company: Any = None, today: dt.date | None = None, dry_run: bool = False,
    actor: Any = ACTOR, progress: Any = None,
) -> dict[str, Any]:  # fmt: skip
    """Anonymise every candidate whose consent expired (one transaction per
    candidate: a failure leaves the others done). ``dry_run``: only count."""
    rows = list(expired_candidates(company=company, today=today).select_related("company"))
    result: dict[str, Any] = {"expired": len(rows), "anonymised": 0, "failed": 0,
                              "documents_erased": 0, "dry_run": dry_run,
                              "candidates": [str(c.public_id) for c in rows]}  # fmt: skip
    if dry_run:
        return result
    for n, cand in enumerate(rows, start=1):
        try:
            done = candidate_anonymise(
                actor=actor, candidate=cand, reason="consent expired (Decree 13/2023)"
            )
        except ApplicationError as exc:
            log.warning("retention: candidate %s not anonymised: %s", cand.pk, exc.message)
            result["failed"] += 1
            continue
        result["anonymised"] += 1
        result["documents_erased"] += done.get("documents_erased", 0)
        if progress is not None:
            progress.update(n, len(rows))
    return result


def retention_job(*, progress: Any, company: Any, actor: Any = None, **params: Any) -> dict:
    """Job kind ``recruitment.retention``: the company's expired candidates."""
    progress.update(0, 1)
    result = retention_run(company=company, dry_run=bool(params.get("dry_run")),
                           actor=actor or ACTOR, progress=progress)  # fmt: skip
    result.pop("candidates", None)
    return result


# --- from the candidate's status link -----------------------------------------------------


@transaction.atomic
def consent_renew(*, actor: Any, application: Application, months: int | None = None) -> Candidate:
    """Another consent period from today (the candidate, from their link:
    ``actor`` None)."""
    cand = Candidate.objects.select_for_update().get(pk=application.candidate_id)
    if actor is not None:
        authorise(actor, cand.company, "recruitment.manage_application")
    if cand.anonymised_at is not None:
        raise Conflict(_("This candidate's data was deleted."), code="anonymised")
    months = months or consent_months_for(cand.company)
    before = str(cand.consent_until)
    cand.consent_at = timezone.now()
    cand.consent_until = add_months(timezone.localdate(), months)
    cand.consent_version = CONSENT_VERSION
    cand.save(update_fields=["consent_at", "consent_until", "consent_version", "updated_at"])
    audit_record(event_type="CANDIDATE_CONSENT_RENEWED",
                 actor=actor if actor is not None else "candidate", company=cand.company,
                 target=cand, before={"consent_until": before},
                 after={"consent_until": str(cand.consent_until), "version": CONSENT_VERSION})  # fmt: skip
    return cand


@transaction.atomic
def deletion_request(*, application: Application) -> dict[str, Any]:
    """The candidate asks for their data to be deleted (status link).
    Carried out now (``{"done": True}``), except for a hired candidate:
    recorded and an HR task created (``{"done": False}``)."""
    cand = Candidate.objects.select_for_update().get(pk=application.candidate_id)
    if cand.anonymised_at is not None:
        return {"done": True}
    now = timezone.now()
    cand.deletion_requested_at = now
    cand.save(update_fields=["deletion_requested_at", "updated_at"])
    audit_record(event_type="CANDIDATE_DELETION_REQUESTED", actor="candidate",
                 company=cand.company, target=cand, after={"hired": _is_hired(cand)})  # fmt: skip
    if _is_hired(cand):
        _hr_task(cand, application)
        return {"done": False}
    candidate_anonymise(actor="candidate", candidate=cand,
                        reason="deletion requested by the candidate (Decree 13/2023)")  # fmt: skip
    return {"done": True}


def _hr_task(cand: Candidate, application: Application) -> None:
    """A task for the company's HR officers (best effort: never blocks the request)."""
    try:
        from backoffice.core.enums import Role
        from backoffice.core.models import Membership
        from backoffice.workflow.services import task_create

        assignee = (
            Membership.objects.filter(company=cand.company, is_active=True,
                                      role__in=[Role.HR_MANAGER, Role.HR_OFFICER],
                                      user__is_active=True)
            .select_related("user").order_by("pk").first()
        )  # fmt: skip
        if assignee is None:
            return
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            task_create(
                actor=assignee.user, company=cand.company, assignee=assignee.user,
                title=_("Candidate data deletion request: %(name)s") % {"name": cand.full_name},
                description=_("A hired candidate asked for their recruitment data to be "
                              "deleted. Decide what the employee file must keep, then "
                              "anonymise the candidate."),
                link=application,
            )  # fmt: skip
    except Exception:
        log.exception("could not create the deletion task for candidate %s", cand.pk)
