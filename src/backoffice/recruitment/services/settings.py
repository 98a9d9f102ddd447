"""Recruitment settings of a company (``recruitment.manage_settings``):

* pipeline stages: rename, reorder, add, deactivate / activate, reminder days;
  there is always exactly one active stage of kind ``hired`` and one of kind
  ``rejected``; a stage still holding applications in progress cannot be
  deactivated;
* e-mail templates: defaults in Vietnamese and English for every company
  (application received, rejection, interview invitation, offer, stage
  update), edited, added, deleted;
* meeting rooms for interviews: added, changed, deactivated.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.models import Company
from backoffice.recruitment.enums import ApplicationState, StageKind, TemplateKind
from backoffice.recruitment.models import Application, EmailTemplate, Room, Stage
from backoffice.recruitment.services.common import authorise, same_company
from backoffice.recruitment.services.stages import END_KINDS, stages_ensure

MANAGE = "recruitment.manage_settings"
LANGUAGES = ("vi", "en")


def _audit(event: str, actor: Any, company: Company, target: Any, **after: Any) -> None:
    audit_record(
        event_type=event, actor=actor if actor is not None else "system", company=company,
        target=target, after=after,
    )  # fmt: skip


def _text(value: Any, limit: int, what: str, required: bool = True) -> str:
    text = " ".join(str(value or "").replace("\x00", "").split())
    if required and not text:
        raise ValidationFailed(_("Enter %(w)s.") % {"w": what}, code="required")
    if len(text) > limit:
        raise ValidationFailed(
            _("%(w)s is longer than %(n)s characters.") % {"w": what, "n": limit},
            code="too_long",
        )
    return text


def _days(value: Any) -> int:
    try:
        days = int(value or 0)
    except (TypeError, ValueError):
        days = -1
    if not 0 <= days <= 365:
        raise ValidationFailed(
            _("The reminder is between 0 (never) and 365 days."), code="invalid_days"
        )
    return days


# --- stages --------------------------------------------------------------------------------
def stage_list(company: Company, *, include_inactive: bool = True) -> list[Stage]:
    stages_ensure(company=company)
    qs = Stage.objects.filter(company=company)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("-is_active", "order", "id"))


def _lock_stage(stage: Stage) -> Stage:
    return Stage.objects.select_for_update(of=("self",)).select_related("company").get(pk=stage.pk)


@transaction.atomic
def stage_update(
    *, actor: Any, stage: Stage, name: str, name_en: str = "", reminder_days: Any = 0
) -> Stage:
    """Rename a stage (Vietnamese and English names) and set its reminder."""
    s = _lock_stage(stage)
    authorise(actor, s.company, MANAGE)
    before = {"name": s.name, "name_en": s.name_en, "reminder_days": s.reminder_days}
    s.name = _text(name, 100, _("the name in Vietnamese"))
    s.name_en = _text(name_en, 100, _("the name in English"), required=False)
    s.reminder_days = 0 if s.kind in END_KINDS else _days(reminder_days)
    s.save(update_fields=["name", "name_en", "reminder_days", "updated_at"])
    audit_record(
        event_type="RECRUITMENT_STAGE_UPDATED", actor=actor, company=s.company, target=s,
        before=before, after={"name": s.name, "name_en": s.name_en,
                              "reminder_days": s.reminder_days},
    )  # fmt: skip
    return s


@transaction.atomic
def stage_add(
    *, actor: Any, company: Company, kind: str, name: str, name_en: str = "",
    reminder_days: Any = 0,
) -> Stage:  # fmt: skip
    """A new stage (a second interview round ...), placed before the end stages."""
    authorise(actor, company, MANAGE)
    stages_ensure(company=company, actor=actor)
    if kind not in StageKind.values:
        raise ValidationFailed(_("Unknown stage kind."), code="invalid_choice")
    if kind in END_KINDS:
        raise Conflict(
            _("There is exactly one hired and one rejected stage; rename the existing one."),
            code="end_stage_exists",
        )
    active = list(
        Stage.objects.select_for_update().filter(company=company, is_active=True)
        .order_by("order", "id")
    )  # fmt: skip
    stage = Stage.objects.create(
        company=company, kind=kind, order=0, reminder_days=_days(reminder_days),
        name=_text(name, 100, _("the name in Vietnamese")),
        name_en=_text(name_en, 100, _("the name in English"), required=False),
    )  # fmt: skip
    ordered = (
        [s for s in active if s.kind not in END_KINDS]
        + [stage]
        + [s for s in active if s.kind in END_KINDS]
    )
    for i, s in enumerate(ordered, start=1):
        if s.order != i * 10:
            s.order = i * 10
            s.save(update_fields=["order", "updated_at"])
    _audit("RECRUITMENT_STAGE_ADDED", actor, company, stage, kind=kind, name=stage.name,
           order=stage.order)  # fmt: skip
    return stage


@transaction.atomic
def stage_set_active(*, actor: Any, stage: Stage, active: bool) -> Stage:
    """Deactivate (hidden from the board; refused while applications in
    progress are in it, and for the only hired / rejected stage) or activate
    again (refused for a second hired / rejected stage)."""
    s = _lock_stage(stage)
    authorise(actor, s.company, MANAGE)
    if s.is_active == active:
        return s
    same_kind = Stage.objects.filter(company=s.company, kind=s.kind, is_active=True).exclude(
        pk=s.pk
    )
    if not active:
        if s.kind in END_KINDS:
            raise Conflict(
                _("The hired and the rejected stage cannot be deactivated."),
                code="end_stage_required",
            )
        if (
            not Stage.objects.filter(company=s.company, is_active=True)
            .exclude(pk=s.pk)
            .exclude(kind__in=END_KINDS)
            .exists()
        ):
            raise Conflict(_("The pipeline needs at least one open stage."), code="last_stage")
        waiting = Application.objects.filter(stage=s, state=ApplicationState.ACTIVE).count()
        if waiting:
            raise Conflict(
                _("%(n)s applications are still in this stage; move them first.") % {"n": waiting},
                code="stage_in_use",
            )
    elif s.kind in END_KINDS and same_kind.exists():
        raise Conflict(_("There is already an active stage of this kind."), code="end_stage_exists")
    s.is_active = active
    s.save(update_fields=["is_active", "updated_at"])
    _audit("RECRUITMENT_STAGE_ACTIVATED" if active else "RECRUITMENT_STAGE_DEACTIVATED",
           actor, s.company, s, name=s.name, kind=s.kind)  # fmt: skip
    return s


@transaction.atomic
def stages_reorder(*, actor: Any, company: Company, stages: list[Stage]) -> list[Stage]:
    """Put the company's active stages in the given order (every active stage,
    once). The end stages (hired, rejected) stay last, in the given order."""
    authorise(actor, company, MANAGE)
    active = {
        s.pk: s for s in Stage.objects.select_for_update().filter(company=company, is_active=True)
    }
    given = [s.pk for s in stages]
    for s in stages:
        same_company(company, s)
    if sorted(given) != sorted(active) or len(set(given)) != len(given):
        raise ValidationFailed(_("Give every active stage exactly once."), code="invalid_order")
    ordered = [active[pk] for pk in given]
    ordered = [s for s in ordered if s.kind not in END_KINDS] + [
        s for s in ordered if s.kind in END_KINDS
    ]
    for i, s in enumerate(ordered, start=1):
        if s.order != i * 10:
            s.order = i * 10
            s.save(update_fields=["order", "updated_at"])
    _audit("RECRUITMENT_STAGES_REORDERED", actor, company, company,
           stages=[s.name for s in ordered])  # fmt: skip
    return ordered


def stage_move(*, actor: Any, stage: Stage, up: bool) -> list[Stage]:
    """One place up or down among the active stages (the desk's arrows)."""
    order = list(
        Stage.objects.filter(company=stage.company, is_active=True).order_by("order", "id")
    )
    i = next((n for n, s in enumerate(order) if s.pk == stage.pk), None)
    if i is None:
        raise Conflict(_("Only an active stage can be moved."), code="stage_inactive")
    j = i - 1 if up else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return stages_reorder(actor=actor, company=stage.company, stages=order)


# --- e-mail templates --------------------------------------------------------------------
# (kind, name, subject, body): English source, translated into each language.
DEFAULT_TEMPLATES = (
    (
        TemplateKind.CONFIRMATION,
        gettext_noop("Application received"),
        gettext_noop("We received your application: {job_title}"),
        gettext_noop(
            "Dear {candidate_name},\n\nThank you for applying for {job_title} at "
            "{company_name}. We will review your application and come back to you.\n\n"
            "You can follow your application here: {status_link}\n\nBest regards,\n"
            "{company_name}"
        ),
    ),
    (
        TemplateKind.REJECTION,
        gettext_noop("Rejection"),
        gettext_noop("Your application for {job_title}"),
        gettext_noop(
            "Dear {candidate_name},\n\nThank you for your interest in {job_title} at "
            "{company_name}. After careful consideration we will not continue with your "
            "application this time.\n\nWe wish you every success.\n\nBest regards,\n"
            "{company_name}"
        ),
    ),
    (
        TemplateKind.INTERVIEW,
        gettext_noop("Interview invitation"),
        gettext_noop("Interview invitation: {job_title}"),
        gettext_noop(
            "Dear {candidate_name},\n\nWe would like to invite you to an interview for "
            "{job_title}.\n\nTime: {interview_time}\nPlace: {interview_place}\n\nThe "
            "calendar invitation is attached. Please let us know if the time does not suit "
            "you.\n\nBest regards,\n{company_name}"
        ),
    ),
    (
        TemplateKind.OFFER,
        gettext_noop("Job offer"),
        gettext_noop("Job offer: {job_title}"),
        gettext_noop(
            "Dear {candidate_name},\n\nWe are pleased to offer you the position of "
            "{job_title} at {company_name}. The offer letter is attached.\n\nBest regards,\n"
            "{company_name}"
        ),
    ),
    (
        TemplateKind.STAGE,
        gettext_noop("Stage update"),
        gettext_noop("Your application for {job_title}: {stage}"),
        gettext_noop(
            "Dear {candidate_name},\n\nYour application for {job_title} has moved to the "
            "stage: {stage}.\n\nYou can follow your application here: {status_link}\n\n"
            "Best regards,\n{company_name}"
        ),
    ),
)
PLACEHOLDERS = (
    "candidate_name", "job_title", "company_name", "status_link", "stage", "reason",
    "interview_time", "interview_place",
)  # fmt: skip


@transaction.atomic
def templates_ensure(*, company: Company, actor: Any = None) -> int:
    """Create the default templates (each kind, in Vietnamese and English) the
    company does not have yet; returns how many were created."""
    made = 0
    for kind, name, subject, body in DEFAULT_TEMPLATES:
        for lang in LANGUAGES:
            if EmailTemplate.objects.filter(company=company, kind=kind, language=lang).exists():
                continue
            with override(lang):
                EmailTemplate.objects.create(
                    company=company, kind=kind, language=lang, name=_(name),
                    subject=_(subject), body=_(body),
                )  # fmt: skip
            made += 1
    if made:
        _audit("RECRUITMENT_TEMPLATES_CREATED", actor, company, company, created=made)
    return made


def template_list(company: Company) -> list[EmailTemplate]:
    templates_ensure(company=company)
    return list(
        EmailTemplate.objects.filter(company=company)
        .select_related("stage")
        .order_by("kind", "language", "name", "id")
    )


def template_for(
    company: Company, kind: str, language: str = "vi", stage: Stage | None = None
) -> EmailTemplate | None:
    """The company's template of ``kind`` in ``language`` (falls back to
    Vietnamese); for kind ``stage``, the stage's own template first."""
    templates_ensure(company=company)
    qs = EmailTemplate.objects.filter(company=company, kind=kind)
    if stage is not None:
        own = qs.filter(stage=stage)
        found = own.filter(language=language).first() or own.first()
        if found:
            return found
    qs = qs.filter(stage__isnull=True) if kind == TemplateKind.STAGE else qs
    return qs.filter(language=language).first() or qs.filter(language="vi").first() or qs.first()


@transaction.atomic
def template_save(
    *, actor: Any, company: Company, template: EmailTemplate | None = None, kind: str,
    name: str, subject: str, body: str, language: str = "vi", stage: Stage | None = None,
    auto_send: bool = False,
) -> EmailTemplate:  # fmt: skip
    """Create or change a template. ``auto_send`` only for kind ``stage`` with a stage."""
    authorise(actor, company, MANAGE)
    if kind not in TemplateKind.values:
        raise ValidationFailed(_("Unknown template kind."), code="invalid_choice")
    if language not in LANGUAGES:
        raise ValidationFailed(_("Unknown language."), code="invalid_choice")
    same_company(company, stage)
    if stage is not None and kind != TemplateKind.STAGE:
        raise ValidationFailed(
            _("Only a stage template is linked to a stage."), code="stage_not_allowed"
        )
    if auto_send and (kind != TemplateKind.STAGE or stage is None):
        raise ValidationFailed(
            _("Only a template linked to a stage is sent automatically."),
            code="auto_send_needs_stage",
        )
    body_text = str(body or "").replace("\x00", "").strip()
    if not body_text:
        raise ValidationFailed(_("Enter %(w)s.") % {"w": _("the body")}, code="required")
    if len(body_text) > 10000:
        raise ValidationFailed(
            _("%(w)s is longer than %(n)s characters.") % {"w": _("the body"), "n": 10000},
            code="too_long",
        )
    if template is None:
        t = EmailTemplate(company=company)
        event = "RECRUITMENT_TEMPLATE_CREATED"
    else:
        same_company(company, template)
        t = EmailTemplate.objects.select_for_update().get(pk=template.pk)
        event = "RECRUITMENT_TEMPLATE_UPDATED"
    t.kind, t.language, t.stage, t.auto_send = kind, language, stage, bool(auto_send)
    t.name = _text(name, 100, _("the name"))
    t.subject = _text(subject, 200, _("the subject"))
    t.body = body_text
    t.save()
    _audit(event, actor, company, t, kind=t.kind, name=t.name, language=t.language,
           stage=stage.name if stage else None, auto_send=t.auto_send)  # fmt: skip
    return t


@transaction.atomic
def template_delete(*, actor: Any, template: EmailTemplate) -> None:
    company = template.company
    authorise(actor, company, MANAGE)
    _audit("RECRUITMENT_TEMPLATE_DELETED", actor, company, template, kind=template.kind,
           name=template.name)  # fmt: skip
    template.delete()


# --- rooms ---------------------------------------------------------------------------------
@transaction.atomic
def room_save(
    *, actor: Any, company: Company, room: Room | None = None, name: str, location: str = "",
    capacity: Any = 4, is_active: bool = True,
) -> Room:  # fmt: skip
    authorise(actor, company, MANAGE)
    try:
        seats = int(capacity)
    except (TypeError, ValueError):
        seats = 0
    if not 1 <= seats <= 500:
        raise ValidationFailed(_("The seats are between 1 and 500."), code="invalid_capacity")
    clean_name = _text(name, 100, _("the name"))
    dup = Room.objects.filter(company=company, name__iexact=clean_name)
    if room is not None:
        same_company(company, room)
        dup = dup.exclude(pk=room.pk)
    if dup.exists():
        raise Conflict(_("A room of this name exists."), code="room_exists")
    r = Room(company=company) if room is None else Room.objects.select_for_update().get(pk=room.pk)
    r.name, r.location = clean_name, _text(location, 200, _("the location"), required=False)
    r.capacity, r.is_active = seats, bool(is_active)
    r.save()
    _audit("RECRUITMENT_ROOM_SAVED", actor, company, r, name=r.name, capacity=r.capacity,
           is_active=r.is_active)  # fmt: skip
    return r


def room_list(company: Company, *, active_only: bool = False) -> list[Room]:
    qs = Room.objects.filter(company=company)
    if active_only:
        qs = qs.filter(is_active=True)
    return list(qs.order_by("-is_active", "name"))


def company_defaults(*, company: Company, actor: Any = None) -> None:
    templates_ensure(company=company, actor=actor)


__all__ = [
    "DEFAULT_TEMPLATES", "PLACEHOLDERS", "company_defaults", "room_list", "room_save",
    "stage_add", "stage_list", "stage_move", "stage_set_active", "stage_update",
    "stages_reorder", "template_delete", "template_for", "template_list", "template_save",
    "templates_ensure",
]  # fmt: skip
