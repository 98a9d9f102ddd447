"""The company's pipeline stages. Every company gets the six default stages
(created with the company, and again by ``stages_ensure`` if none are
left); a company renames, reorders, adds (a second interview round) or
deactivates stages in the desk. There is always exactly one active stage of
kind ``hired`` and one of kind ``rejected`` (the end states)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import ValidationFailed
from backoffice.recruitment.enums import StageKind
from backoffice.recruitment.models import Stage

# (kind, reminder days): names come from the StageKind labels in vi and en.
DEFAULT_STAGES: tuple[tuple[str, int], ...] = (
    (StageKind.NEW, 3),
    (StageKind.SCREENING, 5),
    (StageKind.INTERVIEW, 7),
    (StageKind.OFFER, 5),
    (StageKind.HIRED, 0),
    (StageKind.REJECTED, 0),
)
END_KINDS = (StageKind.HIRED, StageKind.REJECTED)
LABEL = gettext_lazy("Pipeline stages")


def _label(kind: str, language: str) -> str:
    with override(language):
        return str(StageKind(kind).label)


@transaction.atomic
def stages_ensure(*, company: Any, actor: Any = None) -> list[Stage]:
    """The company's active stages in order, creating the defaults when it has none."""
    stages = list(Stage.objects.filter(company=company, is_active=True).order_by("order", "id"))
    if stages:
        return stages
    for order, (kind, days) in enumerate(DEFAULT_STAGES, start=1):
        Stage.objects.create(
            company=company, kind=kind, order=order * 10, reminder_days=days,
            name=_label(kind, "vi"), name_en=_label(kind, "en"),
        )  # fmt: skip
    audit_record(
        event_type="RECRUITMENT_STAGES_CREATED",
        actor=actor if actor is not None else "system",
        company=company,
        target=company,
        after={"stages": [k for k, _d in DEFAULT_STAGES]},
    )
    return list(Stage.objects.filter(company=company, is_active=True).order_by("order", "id"))


def stage_first(company: Any) -> Stage:
    """Where a new application starts: the first active stage that is not an end."""
    for stage in stages_ensure(company=company):
        if stage.kind not in END_KINDS:
            return stage
    raise ValidationFailed(_("The pipeline has no open stage."), code="no_open_stage")


def stage_of_kind(company: Any, kind: str) -> Stage:
    """The first active stage of ``kind`` (hired, rejected, offer ...)."""
    for stage in stages_ensure(company=company):
        if stage.kind == kind:
            return stage
    raise ValidationFailed(
        _("The pipeline has no stage of kind %(k)s.") % {"k": StageKind(kind).label},
        code="stage_missing",
    )


def stage_name(stage: Stage, language: str | None = None) -> str:
    """The stage's name in the page's language (English falls back to Vietnamese)."""
    from django.utils.translation import get_language

    lang = (language or get_language() or "vi")[:2]
    return (stage.name_en or stage.name) if lang == "en" else stage.name


def company_defaults(*, company: Any, actor: Any = None) -> None:
    stages_ensure(company=company, actor=actor)
