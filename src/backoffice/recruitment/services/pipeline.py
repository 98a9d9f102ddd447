"""The pipeline: screening an application, moving it between stages,
rejecting (one or many, with a reason and an e-mail), e-mailing a candidate
from a template, and reminder tasks for applications that wait too long.

* Every move writes a ``StageChange`` (the reports are computed from them),
  resets ``stage_entered_at`` and is audited; entering a stage whose stage
  template has ``auto_send`` e-mails the candidate (after the commit).
* The ``hired`` stage is entered only by the hire (``services.hire``, through
  ``_enter_stage``); the ``rejected`` stage only with a reason
  (``application_reject``).
* Reminders: one workflow task per stay in a stage longer than the stage's
  ``reminder_days`` (``reminded_at`` is cleared on every move), assigned to the
  creator of the posting's requisition, else the company's first HR officer
  (HR manager). Run daily: ``backoffice recruitment remind`` or the job kind
  ``recruitment.reminders``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.models import Company, Membership
from backoffice.recruitment import screening
from backoffice.recruitment.enums import ApplicationState, StageKind, TemplateKind
from backoffice.recruitment.models import Application, EmailTemplate, Stage, StageChange
from backoffice.recruitment.services import mail
from backoffice.recruitment.services.applications import status_url
from backoffice.recruitment.services.common import authorise, same_company, user_or_none
from backoffice.recruitment.services.stages import stage_name, stage_of_kind

log = logging.getLogger("backoffice.recruitment")

MANAGE = "recruitment.manage_application"
REASON_MAX = 300


# --- screening -------------------------------------------------------------------------------


@transaction.atomic
def application_screen(*, application: Application) -> Application:
    """Score the candidate's CV text against the posting's requirements and
    store the score with its explanation (no score when the posting asks
    nothing). Also fingerprints the CV for duplicate detection."""
    candidate = application.candidate
    requirements = application.posting.requirements or {}
    result = screening.screen(candidate.cv_text or "", requirements)
    asks = any(requirements.get(k) for k in ("skills", "min_years", "education", "languages"))
    application.score = result.score if asks else None
    application.score_detail = {**result.as_dict(), "at": timezone.now().isoformat()}
    application.save(update_fields=["score", "score_detail", "updated_at"])
    fingerprint = screening.simhash(candidate.cv_text or "")
    if fingerprint != candidate.cv_fingerprint:
        type(candidate).objects.filter(pk=candidate.pk).update(cv_fingerprint=fingerprint)
        candidate.cv_fingerprint = fingerprint
    return application


# --- e-mail ----------------------------------------------------------------------------------


def _context(application: Application, language: str, **extra: Any) -> dict[str, Any]:
    posting = application.posting
    title = (posting.title_en or posting.title) if language == "en" else posting.title
    return {
        "candidate_name": application.candidate.full_name,
        "job_title": title,
        "company_name": application.company.name,
        "stage": stage_name(application.stage, language),
        "status_link": status_url(application.status_token) if application.status_token else "",
        "reason": application.rejection_reason,
        **extra,
    }


def _send(actor: Any, application: Application, template: EmailTemplate,
          extra: dict[str, Any] | None = None) -> None:  # fmt: skip
    context = _context(application, template.language or "vi", **(extra or {}))
    mail.send(
        actor=user_or_none(actor), company=application.company, target=application,
        to=[application.candidate.email], subject=mail.render(template.subject, context),
        body=mail.render(template.body, context), template=template.name,
    )  # fmt: skip


def stage_template(stage: Stage) -> EmailTemplate | None:
    """The stage's automatic e-mail (Vietnamese preferred), if any."""
    templates = EmailTemplate.objects.filter(
        company_id=stage.company_id, kind=TemplateKind.STAGE, stage=stage, auto_send=True
    ).order_by("-language", "name")  # "vi" before "en"
    return templates.first()


@transaction.atomic
def application_email(*, actor: Any, application: Application, template: EmailTemplate,
                      extra: dict[str, Any] | None = None) -> None:  # fmt: skip
    """E-mail the candidate from one of the company's templates."""
    authorise(actor, application.company, MANAGE)
    same_company(application.company, template)
    if not application.candidate.email:
        raise ValidationFailed(_("The candidate has no e-mail address."), code="no_email")
    _send(actor, application, template, extra)


# --- moves -----------------------------------------------------------------------------------


def _enter_stage(application: Application, stage: Stage, actor: Any, note: str = "") -> Application:
    """Move the application into ``stage`` (no checks: the callers check):
    the StageChange row, the time of entry, the state from the stage's kind."""
    now = timezone.now()
    StageChange.objects.create(
        application=application, from_stage=application.stage if application.stage_id else None,
        to_stage=stage, at=now, actor=user_or_none(actor), note=(note or "")[:REASON_MAX],
    )  # fmt: skip
    application.stage = stage
    application.stage_entered_at = now
    application.reminded_at = None
    if stage.kind == StageKind.HIRED:
        application.state, application.decided_at = ApplicationState.HIRED, now
    elif stage.kind == StageKind.REJECTED:
        application.state, application.decided_at = ApplicationState.REJECTED, now
    else:
        application.state, application.decided_at = ApplicationState.ACTIVE, None
    application.save(update_fields=["stage", "stage_entered_at", "reminded_at", "state",
                                    "decided_at", "rejection_reason", "updated_at"])  # fmt: skip
    return application


def _locked(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update()
        .select_related("candidate", "posting", "stage", "company")
        .get(pk=application.pk)
    )
    if locked.state != ApplicationState.ACTIVE:
        raise Conflict(
            _("The application of %(name)s is closed (%(state)s).")
            % {"name": locked.candidate.full_name, "state": locked.get_state_display()},
            code="application_closed",
        )
    return locked


@transaction.atomic
def application_move(*, actor: Any, application: Application, stage: Stage, note: str = "",
                     notify: bool = True) -> Application:  # fmt: skip
    """Move an open application to another open stage of its company."""
    authorise(actor, application.company, MANAGE)
    same_company(application.company, stage)
    if not stage.is_active:
        raise ValidationFailed(_("This stage is no longer in use."), code="stage_inactive")
    if stage.kind == StageKind.HIRED:
        raise ValidationFailed(
            _("A candidate is hired from their offer (Hire), not by a move."), code="use_hire"
        )
    if stage.kind == StageKind.REJECTED:
        raise ValidationFailed(
            _("Rejecting needs a reason: use Reject."), code="use_reject"
        )  # fmt: skip
    app = _locked(application)
    if app.stage_id == stage.pk:
        return app
    before = {"stage": app.stage.kind, "stage_name": app.stage.name}
    _enter_stage(app, stage, actor, note)
    audit_record(
        event_type="APPLICATION_MOVED", actor=actor, company=app.company, target=app,
        before=before, after={"stage": stage.kind, "stage_name": stage.name,
                              "note": (note or "")[:REASON_MAX]},
    )  # fmt: skip
    if notify and app.candidate.email:
        template = stage_template(stage)
        if template is not None:
            _send(actor, app, template)
    application.__dict__.update(app.__dict__)
    return app


@transaction.atomic
def application_reject(*, actor: Any, application: Application, reason: str,
                       template: EmailTemplate | None = None,
                       notify: bool = True) -> Application:  # fmt: skip
    """Reject with a reason; e-mail the candidate the given template (else the
    rejected stage's automatic template, if any)."""
    authorise(actor, application.company, MANAGE)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(_("Give the reason for the rejection."), code="reason_required")
    if len(reason) > REASON_MAX:
        raise ValidationFailed(
            _("The reason is too long (at most %(n)s characters).") % {"n": REASON_MAX},
            code="reason_too_long",
        )
    if template is not None:
        same_company(application.company, template)
    stage = stage_of_kind(application.company, StageKind.REJECTED)
    app = _locked(application)
    before = {"stage": app.stage.kind, "stage_name": app.stage.name}
    app.rejection_reason = reason
    _enter_stage(app, stage, actor, reason)
    audit_record(
        event_type="APPLICATION_REJECTED", actor=actor, company=app.company, target=app,
        before=before, after={"reason": reason,
                              "template": template.name if template else ""},
    )  # fmt: skip
    if notify and app.candidate.email:
        chosen = template or stage_template(stage)
        if chosen is not None:
            _send(actor, app, chosen, {"reason": reason})
    application.__dict__.update(app.__dict__)
    return app


@transaction.atomic
def applications_reject(*, actor: Any, applications: Iterable[Application], reason: str,
                        template: EmailTemplate | None = None) -> int:  # fmt: skip
    """Reject several applications in one transaction: all of them or none
    (a closed one refuses the whole batch)."""
    apps = list(applications)
    if not apps:
        raise ValidationFailed(_("Select at least one application."), code="nothing_selected")
    for app in apps:
        application_reject(actor=actor, application=app, reason=reason, template=template)
    return len(apps)


# --- reminders -------------------------------------------------------------------------------


def _hr_assignee(company: Company) -> Any:
    for role in (Role.HR_OFFICER, Role.HR_MANAGER):
        m = (
            Membership.objects.filter(
                company=company, role=role, is_active=True, user__is_active=True
            )
            .select_related("user")
            .order_by("id")
            .first()
        )
        if m is not None:
            return m.user
    return None


def _is_member(user: Any, company: Company) -> bool:
    return bool(
        user is not None
        and user.is_active
        and Membership.objects.filter(user=user, company=company, is_active=True).exists()
    )


def reminder_assignee(application: Application) -> Any:
    """The requisition's creator (a member of the company), else the first HR officer."""
    requisition = application.posting.requisition
    creator = requisition.created_by if requisition is not None else None
    if _is_member(creator, application.company):
        return creator
    return _hr_assignee(application.company)


def waiting(company: Company, now: dt.datetime) -> list[Application]:
    """Open applications longer than their stage's reminder days in it, not yet reminded."""
    out: list[Application] = []
    stages = Stage.objects.filter(company=company, is_active=True, reminder_days__gt=0)
    for stage in stages:
        out.extend(
            Application.objects.filter(
                company=company, stage=stage, state=ApplicationState.ACTIVE,
                stage_entered_at__lte=now - dt.timedelta(days=stage.reminder_days),
            )
            .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=F("stage_entered_at")))
            .select_related("candidate", "posting__requisition__created_by", "stage", "company")
        )  # fmt: skip
    return out


def reminders_create(*, company: Company | None = None, now: dt.datetime | None = None) -> int:
    """Create the reminder tasks (idempotent: once per stay in a stage)."""
    from backoffice.workflow.services import task_create

    now = now or timezone.now()
    companies = [company] if company is not None else list(Company.objects.filter(is_active=True))
    created = 0
    for comp in companies:
        for app in waiting(comp, now):
            assignee = reminder_assignee(app)
            if assignee is None:
                log.warning("recruitment reminders: nobody to remind in company %s", comp.code)
                break
            with transaction.atomic():
                locked = Application.objects.select_for_update().get(pk=app.pk)
                if locked.reminded_at and locked.reminded_at >= locked.stage_entered_at:
                    continue
                days = (now - app.stage_entered_at).days
                with translation.override(settings.LANGUAGE_CODE):
                    title = _("%(name)s has waited %(days)s days in “%(stage)s” (%(job)s)") % {
                        "name": app.candidate.full_name, "days": days,
                        "stage": stage_name(app.stage), "job": app.posting.title,
                    }  # fmt: skip
                    description = _(
                        "Move the application on, or reject it with a reason. The reminder "
                        "is set in the pipeline settings (%(n)s days for this stage)."
                    ) % {"n": app.stage.reminder_days}
                task_create(
                    actor=assignee, company=comp, assignee=assignee, title=title,
                    description=description, due_date=timezone.localdate(now), link=locked,
                )  # fmt: skip
                Application.objects.filter(pk=locked.pk).update(reminded_at=now)
                created += 1
    return created


def reminders_job(*, progress: Any, company: Any, actor: Any = None, **params: Any) -> dict:
    progress.update(0, 1)
    created = reminders_create(company=company)
    progress.update(1, 1)
    return {"created": created}
