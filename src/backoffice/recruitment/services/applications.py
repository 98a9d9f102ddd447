"""Applying for a job: the ONE path of every application (the public careers
page, the public API and the desk's "Add candidate" page all call
``application_submit``), the candidate's private status link, withdrawal.

What ``application_submit`` does, in one transaction:

* checks the posting (published and before its deadline for the public; not
  closed for staff), the person's name and contact, the explicit consent
  (Decree 13/2023) and the CV: PDF or DOCX by content (``records``), at most
  ``CV_MAX_MB`` (company setting ``settings["recruitment"]["cv_max_mb"]``);
* finds the candidate by the e-mail's keyed digest within the company (same
  e-mail: same candidate, name/phone/CV text updated, consent renewed) or
  creates one; CV text extracted (diacritics kept) and stored encrypted on
  the candidate, with its SimHash fingerprint;
* creates the application in the first stage (one ``StageChange`` row) with
  the hash of a fresh private status token, stores the CV through
  ``records.services.document_attach`` as CONFIDENTIAL attached to the
  application, runs screening when that area is installed, audits, and
  queues the confirmation e-mail (company template of kind
  ``confirmation`` in the page's language, else a built-in text) with the
  status link. A refusal at any step stores nothing (records deletes the
  file it wrote when the transaction rolls back).

The rate limit needs the client's address, so views and API call
``application_throttle(client=client_key(request))`` BEFORE the service: a
throttled burst is refused before anything is read or stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, RateLimited, ValidationFailed
from backoffice.core.fields import blind_index
from backoffice.recruitment.enums import (
    ApplicationState,
    PostingState,
    Source,
    StageKind,
    TemplateKind,
)
from backoffice.recruitment.models import Application, Candidate, EmailTemplate, StageChange
from backoffice.recruitment.services import mail
from backoffice.recruitment.services.common import authorise, same_company, user_or_none
from backoffice.recruitment.services.stages import stage_first

log = logging.getLogger("backoffice.recruitment")

MANAGE = "recruitment.manage_application"
CONSENT_VERSION = "2026-01"  # bump when the consent text of the careers page changes
DEFAULT_CONSENT_MONTHS = 12
MAX_CONSENT_MONTHS = 60
CV_MAX_MB = 5
CV_KINDS = ("pdf", "docx")
MAX_COVER_LETTER = 5000
RATE_SCOPE = "careers.apply"
RATE_LIMIT = 5  # applications ...
RATE_WINDOW = 600  # ... per 10 minutes per client address
STAFF_SOURCES = (Source.REFERRAL, Source.JOB_BOARD, Source.HEADHUNTER, Source.OTHER)


# --- small pure helpers ---------------------------------------------------------------


def _recruitment_settings(company: Any) -> dict[str, Any]:
    value = (getattr(company, "settings", None) or {}).get("recruitment") or {}
    return value if isinstance(value, dict) else {}


def consent_months_for(company: Any) -> int:
    """How long consent lasts (months): the company's setting, default 12."""
    try:
        months = int(_recruitment_settings(company).get("consent_months", DEFAULT_CONSENT_MONTHS))
    except (TypeError, ValueError):
        months = DEFAULT_CONSENT_MONTHS
    return min(max(months, 1), MAX_CONSENT_MONTHS)


def cv_max_bytes(company: Any) -> int:
    try:
        mb = int(_recruitment_settings(company).get("cv_max_mb", CV_MAX_MB))
    except (TypeError, ValueError):
        mb = CV_MAX_MB
    return min(max(mb, 1), 20) * 1024 * 1024


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def normalise_phone(phone: str) -> str:
    """Digits only, the Vietnamese country code folded: ``+84 912 345 678`` ->
    ``0912345678``."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def email_index(email: str) -> str:
    """Keyed digest of the e-mail (duplicate detection; ``Candidate.email_index``)."""
    value = normalise_email(email)
    return blind_index(value, purpose="recruitment.email") if value else ""


def phone_index(phone: str) -> str:
    """Keyed digest of the phone number (``Candidate.phone_index``)."""
    value = normalise_phone(phone)
    return blind_index(value, purpose="recruitment.phone") if value else ""


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def status_url(token: str) -> str:
    return settings.BACKOFFICE["SITE_URL"] + reverse("careers:status", args=[token])


def posting_is_open(posting: Any, today: dt.date | None = None) -> bool:
    """Published and its deadline (if any) not passed: listed and open to the public."""
    today = today or timezone.localdate()
    return posting.state == PostingState.PUBLISHED and (
        posting.deadline is None or posting.deadline >= today
    )


def fingerprint(text: str) -> str:
    """SimHash of the CV text (screening area); "" until that area exists."""
    if not text:
        return ""
    try:
        from backoffice.recruitment.screening import simhash
    except ImportError:  # TODO(H3): screening.simhash lands with the screening area
        return ""
    try:
        return str(simhash(text))[:16]
    except Exception:  # a fingerprint never blocks an application
        log.exception("simhash failed")
        return ""


# --- rate limit -----------------------------------------------------------------------


def application_throttle(*, client: str) -> None:
    """Count one application attempt of a client (``core.ratelimit.client_key``);
    refuse with 429 over ``RATE_LIMIT`` per ``RATE_WINDOW``. Call it before
    reading the form: a burst is refused and nothing is stored."""
    from backoffice.core.ratelimit import hit

    if not hit(RATE_SCOPE, client, limit=RATE_LIMIT, window=RATE_WINDOW):
        raise RateLimited(
            _("Too many applications from your connection. Please try again in a few minutes."),
            code="rate_limited",
        )


# --- checks ---------------------------------------------------------------------------


def _fail(field: str, message: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, extra={"field": field})


def _clean_name(full_name: str) -> str:
    name = " ".join((full_name or "").split())
    if not name:
        raise _fail("full_name", _("Please enter your full name."), "name_required")
    if len(name) > 200 or any(ord(c) < 32 for c in name):
        raise _fail("full_name", _("The name is too long or not valid."), "name_invalid")
    return name


def _clean_email(email: str, *, required: bool) -> str:
    value = normalise_email(email)
    if not value:
        if required:
            raise _fail("email", _("Please enter your e-mail address."), "email_required")
        return ""
    try:
        validate_email(value)
    except DjangoValidationError:
        raise _fail("email", _("The e-mail address is not valid."), "email_invalid") from None
    if len(value) > 254:
        raise _fail("email", _("The e-mail address is not valid."), "email_invalid")
    return value


def _clean_phone(phone: str) -> str:
    text = " ".join((phone or "").split())
    if not text:
        return ""
    digits = normalise_phone(text)
    if not re.fullmatch(r"[0-9+().\- ]+", text) or not 9 <= len(digits) <= 15:
        raise _fail("phone", _("The phone number is not valid."), "phone_invalid")
    return text[:30]


def _clean_province(province: str) -> str:
    if not province:
        return ""
    from backoffice.hr.services.employees_validation import clean_province

    return clean_province(province, field="province")


def check_cv(uploaded_file: Any, *, company: Any) -> Any:
    """The CV: present, at most the size limit, PDF or DOCX by content.
    Returns the records ``CheckedFile`` (its bytes and kind)."""
    from backoffice.records.validation import check_upload

    if uploaded_file is None:
        raise _fail("cv", _("Please attach your CV (PDF or DOCX)."), "cv_required")
    limit = cv_max_bytes(company)
    size = getattr(uploaded_file, "size", None)
    too_big = _fail(
        "cv",
        _("The CV is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
        "cv_too_large",
    )
    if size is not None and size > limit:
        raise too_big
    name = (getattr(uploaded_file, "name", "") or "").lower()
    if not name.endswith((".pdf", ".docx")):
        raise _fail("cv", _("The CV must be a PDF or DOCX file."), "cv_type")
    try:
        checked = check_upload(uploaded_file)
    except ValidationFailed as exc:
        raise _fail("cv", exc.message, "cv_refused") from exc
    if checked.kind not in CV_KINDS:
        raise _fail("cv", _("The CV must be a PDF or DOCX file."), "cv_type")
    if checked.size > limit:
        raise too_big
    return checked


def _check_posting(posting: Any, *, public: bool) -> None:
    if public and not posting_is_open(posting):
        raise Conflict(_("This job is no longer open for applications."), code="posting_closed")
    if not public and posting.state != PostingState.PUBLISHED:
        raise Conflict(
            _("Candidates can only be added to a published job posting."), code="posting_closed"
        )


# --- the one path -----------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    actor: Any,
    company: Any,
    posting: Any,
    full_name: str,
    email: str,
    phone: str,
    cv_file: Any,
    cover_letter: str = "",
    consent: bool = True,
    consent_months: int | None = None,
    source: str = Source.CAREERS_PAGE,
    source_detail: str = "",
    province: str = "",
) -> tuple[Application, str]:
    """Create an application (and its candidate); returns it and the raw
    private status token (shown once, e-mailed; only its hash is stored).
    ``actor`` None: the public (careers page, public API)."""
    public = actor is None
    if not public:
        authorise(actor, company, MANAGE)
    same_company(company, posting)
    _check_posting(posting, public=public)
    if source not in Source.values:
        raise _fail("source", _("Unknown source."), "source_invalid")
    if public and source != Source.CAREERS_PAGE:
        source = Source.CAREERS_PAGE
    name = _clean_name(full_name)
    email_clean = _clean_email(email, required=True)
    phone_clean = _clean_phone(phone)
    province_code = _clean_province(province)
    letter = (cover_letter or "").strip()
    if len(letter) > MAX_COVER_LETTER:
        raise _fail(
            "cover_letter",
            _("The cover letter is too long (at most %(n)s characters).") % {"n": MAX_COVER_LETTER},
            "cover_letter_too_long",
        )
    if not consent:
        raise _fail(
            "consent",
            _("Please agree to the processing of your personal data to apply."),
            "consent_required",
        )
    months = consent_months or consent_months_for(company)
    months = min(max(int(months), 1), MAX_CONSENT_MONTHS)
    checked = check_cv(cv_file, company=company)

    from backoffice.records.text import extract_text

    cv_text = extract_text(checked.data, checked.kind)
    now = timezone.now()
    today = timezone.localdate()
    index = email_index(email_clean)
    candidate = (
        Candidate.objects.select_for_update()
        .filter(company=company, email_index=index, anonymised_at__isnull=True,
                merged_into__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )  # fmt: skip
    created = candidate is None
    if candidate is None:
        candidate = Candidate(company=company)
    elif Application.objects.filter(
        candidate=candidate, posting=posting, state=ApplicationState.ACTIVE
    ).exists():
        raise Conflict(
            _(
                "An application with this e-mail address for this job is already in "
                "progress. Use the private link in your confirmation e-mail to follow it."
            ),
            code="already_applied",
        )
    candidate.full_name = name
    candidate.email = email_clean
    candidate.email_index = index
    if phone_clean or created:
        candidate.phone = phone_clean
        candidate.phone_index = phone_index(phone_clean)
    if province_code or created:
        candidate.province = province_code
    candidate.cv_text = cv_text
    candidate.cv_fingerprint = fingerprint(cv_text)
    candidate.consent_at = now
    candidate.consent_until = add_months(today, months)
    candidate.consent_version = CONSENT_VERSION
    candidate.deletion_requested_at = None
    candidate.save()

    token = secrets.token_urlsafe(32)
    stage = stage_first(company)
    application = Application.objects.create(
        company=company, candidate=candidate, posting=posting, stage=stage,
        state=ApplicationState.ACTIVE, source=source, source_detail=(source_detail or "")[:200],
        cover_letter=letter, applied_at=now, stage_entered_at=now,
        status_token_hash=token_hash(token), status_token=token, created_by=user_or_none(actor),
    )  # fmt: skip
    StageChange.objects.create(
        application=application, from_stage=None, to_stage=stage, at=now,
        actor=user_or_none(actor),
    )  # fmt: skip

    from django.core.files.uploadedfile import SimpleUploadedFile

    from backoffice.records.services import document_attach

    document_attach(
        actor=actor if actor is not None else "careers",
        company=company,
        owner=application,
        uploaded_file=SimpleUploadedFile(checked.name, checked.data, checked.content_type),
        classification="confidential",
        doc_type="cv",
        title=(_("CV") + f" — {name}")[:200],
    )
    audit_record(
        event_type="APPLICATION_SUBMITTED",
        actor=actor if actor is not None else "careers",
        company=company,
        target=application,
        after={"posting": str(posting.public_id), "candidate": str(candidate.public_id),
               "new_candidate": created, "source": source, "stage": stage.kind,
               "consent_until": str(candidate.consent_until),
               "consent_version": CONSENT_VERSION, "cv_kind": checked.kind,
               "cv_text_chars": len(cv_text)},
    )  # fmt: skip
    _screen(application)
    _confirmation_email(application, token)
    return application, token


def _screen(application: Application) -> None:
    """Screening score on arrival, when the screening area is installed; a
    failure there never blocks an application."""
    try:
        from backoffice.recruitment.services.pipeline import application_screen
    except ImportError:
        return
    try:
        with transaction.atomic():
            application_screen(application=application)
    except Exception:
        log.exception("screening of application %s failed", application.pk)


# --- e-mail ---------------------------------------------------------------------------------


def _template(company: Any, language: str) -> EmailTemplate | None:
    rows = list(EmailTemplate.objects.filter(company=company, kind=TemplateKind.CONFIRMATION))
    for lang in (language, "vi", "en"):
        for row in rows:
            if row.language == lang:
                return row
    return rows[0] if rows else None


def _confirmation_email(application: Application, token: str) -> None:
    candidate, posting, company = application.candidate, application.posting, application.company
    language = (translation.get_language() or "vi")[:2]
    title = (posting.title_en or posting.title) if language == "en" else posting.title
    link = status_url(token)
    context = {"candidate_name": candidate.full_name, "job_title": title,
               "company_name": company.name, "status_link": link,
               "stage": "", "reason": ""}  # fmt: skip
    template = _template(company, language)
    if template is not None:
        subject = mail.render(template.subject, context)
        body = mail.render(template.body, context)
        if "{status_link}" not in template.body:
            body += "\n\n" + _("Follow your application here: %(link)s") % {"link": link}
    else:
        subject = _("We received your application: %(job)s") % {"job": title}
        body = _(
            "Hello %(name)s,\n\n"
            "Thank you for applying for %(job)s at %(company)s. We have received your "
            "application and CV and will contact you about the next steps.\n\n"
            "You can follow your application, withdraw it, renew your consent or ask us to "
            "delete your data at this private link (keep it to yourself):\n%(link)s\n\n"
            "Your data is kept until %(until)s unless you renew your consent.\n\n"
            "%(company)s"
        ) % {"name": candidate.full_name, "job": title, "company": company.name, "link": link,
             "until": candidate.consent_until.strftime("%d/%m/%Y")}  # fmt: skip
    mail.send(
        actor=None, company=company, target=application, to=[candidate.email],
        subject=subject, body=body, template=template.name if template else "confirmation",
    )  # fmt: skip


# --- the status link -------------------------------------------------------------------------


def application_by_token(token: str) -> Application | None:
    """The application of a private status token (None: unknown token, or the
    candidate's data was anonymised)."""
    if not token or len(token) > 200:
        return None
    return (
        Application.objects.select_related("candidate", "posting", "stage", "company")
        .filter(status_token_hash=token_hash(token), candidate__anonymised_at__isnull=True)
        .first()
    )


@transaction.atomic
def application_withdraw(*, actor: Any, application: Application, reason: str = "") -> Application:
    """The candidate (status link; ``actor`` None) or HR withdraws an application
    still in progress."""
    if actor is not None:
        authorise(actor, application.company, MANAGE)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.state != ApplicationState.ACTIVE:
        raise Conflict(_("This application is no longer in progress."), code="not_active")
    app.state = ApplicationState.WITHDRAWN
    app.decided_at = timezone.now()
    app.save(update_fields=["state", "decided_at", "updated_at"])
    audit_record(
        event_type="APPLICATION_WITHDRAWN",
        actor=actor if actor is not None else "candidate",
        company=app.company,
        target=app,
        after={"by": "staff" if actor is not None else "candidate", "reason": reason[:300]},
    )
    return app


def candidate_status(application: Application) -> dict[str, str]:
    """The application's state in words for the candidate (never the stage's
    internal name, score or notes)."""
    state, kind = application.state, application.stage.kind
    if state == ApplicationState.WITHDRAWN:
        return {"key": "withdrawn", "label": _("Withdrawn"),
                "text": _("You withdrew this application.")}  # fmt: skip
    if state == ApplicationState.HIRED or kind == StageKind.HIRED:
        return {"key": "hired", "label": _("Hired"),
                "text": _("Congratulations: you have been hired. We will be in touch about your "
                          "first day.")}  # fmt: skip
    if state == ApplicationState.REJECTED or kind == StageKind.REJECTED:
        return {"key": "closed", "label": _("Not selected"),
                "text": _("Thank you for your interest. We have decided not to continue with "
                          "your application this time.")}  # fmt: skip
    words = {
        StageKind.NEW: (_("Received"), _("We have received your application and will review "
                                         "it soon.")),
        StageKind.SCREENING: (_("Under review"), _("Your CV is being reviewed.")),
        StageKind.INTERVIEW: (_("Interview"), _("You are in the interview stage. We will "
                                                "contact you about the interview.")),
        StageKind.OFFER: (_("Offer"), _("We are preparing or have sent you an offer.")),
    }  # fmt: skip
    label, text = words.get(kind, (_("In progress"), _("Your application is in progress.")))
    return {"key": str(kind), "label": str(label), "text": str(text)}
