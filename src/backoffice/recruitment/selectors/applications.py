"""Reading candidates and applications, always through the one visibility
rule (``selectors.access.application_scope`` / ``candidate_scope``): lists
with search and filters, the kanban board of a posting (three queries), one
application or candidate for the user, and the duplicates of a candidate
(same e-mail, same phone, or a near-identical CV: SimHash similarity >= 0.9).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound
from backoffice.recruitment import screening
from backoffice.recruitment.enums import ApplicationState, PostingState, StageKind
from backoffice.recruitment.models import Application, Candidate, JobPosting, Stage, StageChange
from backoffice.recruitment.selectors.access import application_scope, candidate_scope, sees_all

NEAR_IDENTICAL = 0.9
BOARD_CLOSED_LIMIT = 30  # cards shown in the hired / rejected columns


def _contact_index(kind: str, value: str) -> str:
    """The index the applying service stores for an e-mail or phone (search by contact)."""
    try:
        from backoffice.recruitment.services import applications as apps

        func = getattr(apps, f"{kind}_index", None)
    except ImportError:  # pragma: no cover - the careers area is part of the product
        func = None
    if func is not None:
        return func(value)
    from backoffice.core.fields import blind_index

    return blind_index(value.strip().lower(), purpose=f"recruitment.{kind}")


def application_list(
    *, user: Any, company: Any, q: str = "", posting: Any = None, stage: Any = None,
    state: str = "", source: str = "",
) -> QuerySet[Application]:  # fmt: skip
    qs = application_scope(user=user, company=company).select_related(
        "candidate", "posting", "stage"
    )
    if posting is not None:
        qs = qs.filter(posting=posting)
    if stage is not None:
        qs = qs.filter(stage=stage)
    if state:
        qs = qs.filter(state=state)
    if source:
        qs = qs.filter(source=source)
    q = (q or "").strip()
    if q:
        cond = Q(candidate__full_name__icontains=q) | Q(posting__title__icontains=q)
        if "@" in q:
            cond |= Q(candidate__email_index=_contact_index("email", q))
        elif sum(ch.isdigit() for ch in q) >= 8:
            cond |= Q(candidate__phone_index=_contact_index("phone", q))
        qs = qs.filter(cond)
    return qs.order_by("-applied_at", "-id")


def application_get_for_user(*, user: Any, company: Any, public_id: Any) -> Application:
    app = (
        application_scope(user=user, company=company)
        .select_related("candidate", "posting__requisition", "stage", "company")
        .filter(public_id=public_id)
        .first()
    )
    if app is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    return app


def stage_history(application: Application) -> list[StageChange]:
    return list(
        StageChange.objects.filter(application=application)
        .select_related("from_stage", "to_stage", "actor")
        .order_by("at", "id")
    )


def candidate_list(*, user: Any, company: Any, q: str = "") -> QuerySet[Candidate]:
    qs = candidate_scope(user=user, company=company).filter(merged_into__isnull=True)
    q = (q or "").strip()
    if q:
        cond = Q(full_name__icontains=q)
        if "@" in q:
            cond |= Q(email_index=_contact_index("email", q))
        elif sum(ch.isdigit() for ch in q) >= 8:
            cond |= Q(phone_index=_contact_index("phone", q))
        qs = qs.filter(cond)
    return qs.annotate(application_count=Count("applications")).order_by("-created_at", "-id")


def candidate_get_for_user(*, user: Any, company: Any, public_id: Any) -> Candidate:
    cand = candidate_scope(user=user, company=company).filter(public_id=public_id).first()
    if cand is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Candidate")})
    return cand


def candidate_applications(*, user: Any, company: Any, candidate: Candidate) -> list[Application]:
    return list(
        application_scope(user=user, company=company)
        .filter(candidate=candidate)
        .select_related("posting", "stage")
        .order_by("-applied_at")
    )


def duplicates_of(
    *, user: Any, company: Any, candidate: Candidate
) -> list[tuple[Candidate, list[str]]]:
    """Other candidates of the company the user sees that look like the same
    person: reasons among "email", "phone", "cv" (near-identical CV text)."""
    pool = (
        candidate_scope(user=user, company=company)
        .exclude(pk=candidate.pk)
        .filter(merged_into__isnull=True, anonymised_at__isnull=True)
    )
    reasons: dict[int, list[str]] = {}
    if candidate.email_index:
        for pk in pool.filter(email_index=candidate.email_index).values_list("pk", flat=True):
            reasons.setdefault(pk, []).append("email")
    if candidate.phone_index:
        for pk in pool.filter(phone_index=candidate.phone_index).values_list("pk", flat=True):
            reasons.setdefault(pk, []).append("phone")
    if candidate.cv_fingerprint:
        for pk, fp in pool.exclude(cv_fingerprint="").values_list("pk", "cv_fingerprint"):
            if screening.similarity(candidate.cv_fingerprint, fp) >= NEAR_IDENTICAL:
                reasons.setdefault(pk, []).append("cv")
    if not reasons:
        return []
    found = {c.pk: c for c in pool.filter(pk__in=list(reasons))}
    return [(found[pk], reasons[pk]) for pk in sorted(found, key=lambda p: -len(reasons[p]))]


# --- board -----------------------------------------------------------------------------------


def may_see_board(user: Any, company: Any, posting: JobPosting) -> bool:
    if sees_all(user):
        return True
    req = posting.requisition
    if req is not None and req.hiring_manager_id == getattr(user, "pk", None):
        return True
    return application_scope(user=user, company=company).filter(posting=posting).exists()


def board_postings(*, user: Any, company: Any) -> list[JobPosting]:
    """The postings whose board the user may open (not closed ones), newest first."""
    if company is None:
        return []
    qs = JobPosting.objects.filter(company=company).exclude(state=PostingState.CLOSED)
    if not sees_all(user):
        seen = application_scope(user=user, company=company).values("posting_id")
        qs = qs.filter(Q(requisition__hiring_manager=user) | Q(pk__in=seen))
    return list(qs.order_by("-published_at", "-created_at")[:50])


def posting_for_board(*, user: Any, company: Any, public_id: Any) -> JobPosting:
    posting = (
        JobPosting.objects.filter(company=company, public_id=public_id)
        .select_related("requisition")
        .first()
    )
    if posting is None or company is None or not may_see_board(user, company, posting):
        raise NotFound(_("%(what)s not found.") % {"what": _("Job posting")})
    return posting


@dataclass
class Column:
    stage: Stage
    cards: list[Application] = field(default_factory=list)
    total: int = 0

    @property
    def closed(self) -> bool:
        return self.stage.kind in (StageKind.HIRED, StageKind.REJECTED)


def board_data(*, user: Any, company: Any, posting: JobPosting) -> list[Column]:
    """The posting's columns (active stages in order) with the applications the
    user sees; closed columns (hired, rejected) show the latest few. Each card
    carries ``days_in_stage``."""
    columns = [Column(s) for s in Stage.objects.filter(company=company, is_active=True)
               .order_by("order", "id")]  # fmt: skip
    by_stage = {c.stage.pk: c for c in columns}
    apps = (
        application_scope(user=user, company=company)
        .filter(posting=posting)
        .exclude(state=ApplicationState.WITHDRAWN)
        .select_related("candidate")
        .order_by(F("score").desc(nulls_last=True), "stage_entered_at", "id")
    )
    now = timezone.now()
    for app in apps:
        col = by_stage.get(app.stage_id)
        if col is None:  # a stage deactivated since: shown nowhere, still in the lists
            continue
        col.total += 1
        if col.closed and len(col.cards) >= BOARD_CLOSED_LIMIT:
            continue
        app.days_in_stage = max(0, (now - app.stage_entered_at).days)  # type: ignore[attr-defined]
        col.cards.append(app)
    return columns
