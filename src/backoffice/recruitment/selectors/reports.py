"""Recruitment reports: aggregates only (``recruitment.view_reports``: HR,
the director, data analysts) — counts, percentages and days, never a
candidate's name.

* funnel: how many applications reached each stage kind (new, screening,
  interview, offer, hired: an application that reached a later stage counts
  as having passed the earlier ones), the conversion from the first stage and
  from the previous one; overall and per posting;
* time-to-hire: days from applying to being hired (median, average, min, max);
* time in stage: days spent in each stage, from the stage changes (the open
  stay of an application in progress counts until now);
* sources: applications, reached interview, hired and hire rate per source.

Applications are selected by the date they applied (``date_from`` ..
``date_to``, inclusive) and optionally one posting.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.selectors import scope_to_company
from backoffice.recruitment.enums import ApplicationState, Source, StageKind
from backoffice.recruitment.models import Application, JobPosting, Stage, StageChange

VIEW = "recruitment.view_reports"
FUNNEL_KINDS = (StageKind.NEW, StageKind.SCREENING, StageKind.INTERVIEW, StageKind.OFFER,
                StageKind.HIRED)  # fmt: skip
RANK = {k: i for i, k in enumerate(FUNNEL_KINDS)}


@dataclass
class Filters:
    date_from: dt.date
    date_to: dt.date
    posting: JobPosting | None = None

    @property
    def label(self) -> str:
        text = f"{self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y}"
        return f"{text} · {self.posting.title}" if self.posting is not None else text


@dataclass
class AppFacts:
    pk: int
    posting_id: int
    source: str
    state: str
    applied_at: dt.datetime
    rank: int = 0  # furthest funnel stage reached
    hired_at: dt.datetime | None = None
    stays: list[tuple[int, float]] = field(default_factory=list)  # (stage id, days)


def may_see_reports(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(VIEW))


def require_reports(user: Any, company: Any) -> None:
    if company is None or not user.has_perm(VIEW):
        raise PermissionDenied(_("You do not have permission to do this."), extra={"perm": VIEW})


def filters_parse(
    *, company: Any, date_from: Any = None, date_to: Any = None, posting: Any = None
) -> Filters:
    """Defaults: the last 12 months up to today. ``posting``: a public id or a
    JobPosting of the company."""
    today = timezone.localdate()

    def day(value: Any, default: dt.date) -> dt.date:
        if value in (None, ""):
            return default
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationFailed(_("Enter a valid date."), code="bad_date") from None

    end = day(date_to, today)
    start = day(date_from, end - dt.timedelta(days=365))
    if start > end:
        raise ValidationFailed(_("The period starts after it ends."), code="bad_period")
    post = None
    if posting not in (None, ""):
        if isinstance(posting, JobPosting):
            post = posting if posting.company_id == company.pk else None
        else:
            try:
                post = JobPosting.objects.filter(company=company, public_id=posting).first()
            except (ValueError, TypeError, Exception):  # noqa: BLE001 - a malformed id
                post = None
        if post is None:
            raise NotFound(_("%(what)s not found.") % {"what": _("Job posting")})
    return Filters(start, end, post)


def _facts(company: Any, f: Filters, now: dt.datetime | None = None) -> list[AppFacts]:
    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(f.date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = scope_to_company(Application.objects.all(), company).filter(
        applied_at__gte=start, applied_at__lt=end
    )
    if f.posting is not None:
        qs = qs.filter(posting=f.posting)
    facts: dict[int, AppFacts] = {}
    kinds = dict(Stage.objects.filter(company=company).values_list("pk", "kind"))
    for pk, posting_id, source, state, applied_at, stage_id, decided_at in qs.values_list(
        "pk", "posting_id", "source", "state", "applied_at", "stage_id", "decided_at"
    ):
        a = AppFacts(pk, posting_id, source, state, applied_at)
        a.rank = RANK.get(kinds.get(stage_id, ""), 0)
        if state == ApplicationState.HIRED:
            a.hired_at = decided_at
        facts[pk] = a
    changes: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for app_id, to_stage, at in (
        StageChange.objects.filter(application_id__in=list(facts))
        .order_by("application_id", "at", "id")
        .values_list("application_id", "to_stage_id", "at")
    ):
        changes[app_id].append((at, to_stage))
    for app_id, rows in changes.items():
        a = facts[app_id]
        for i, (at, stage_id) in enumerate(rows):
            kind = kinds.get(stage_id, "")
            if kind in RANK:
                a.rank = max(a.rank, RANK[kind])
            if kind == StageKind.HIRED and a.hired_at is None:
                a.hired_at = at
            if kind in (StageKind.HIRED, StageKind.REJECTED):
                continue
            if i + 1 < len(rows):
                until = rows[i + 1][0]
            elif a.state == ApplicationState.ACTIVE:
                until = now
            else:
                continue
            a.stays.append((stage_id, max((until - at).total_seconds(), 0) / 86400))
    return list(facts.values())


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _days(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "median": None, "average": None, "min": None, "max": None}
    return {
        "count": len(values),
        "median": round(statistics.median(values), 1),
        "average": round(statistics.fmean(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
    }


def _funnel_rows(facts: list[AppFacts]) -> list[dict[str, Any]]:
    total = len(facts)
    rows, prev = [], None
    for kind in FUNNEL_KINDS:
        reached = sum(1 for a in facts if a.rank >= RANK[kind])
        rows.append({
            "kind": str(kind), "label": str(StageKind(kind).label), "reached": reached,
            "of_applied": _pct(reached, total),
            "of_previous": _pct(reached, prev) if prev is not None else None,
        })  # fmt: skip
        prev = reached
    return rows


def funnel(*, user: Any, company: Any, filters: Filters) -> dict[str, Any]:
    require_reports(user, company)
    facts = _facts(company, filters)
    rejected = sum(1 for a in facts if a.state == ApplicationState.REJECTED)
    withdrawn = sum(1 for a in facts if a.state == ApplicationState.WITHDRAWN)
    by_posting: dict[int, list[AppFacts]] = defaultdict(list)
    for a in facts:
        by_posting[a.posting_id].append(a)
    titles = dict(JobPosting.objects.filter(pk__in=list(by_posting)).values_list("pk", "title"))
    postings = []
    for pid, items in sorted(by_posting.items(), key=lambda kv: titles.get(kv[0], "")):
        rows = _funnel_rows(items)
        postings.append({
            "posting": titles.get(pid, ""), "applications": len(items),
            **{f"reached_{r['kind']}": r["reached"] for r in rows},
            "hire_rate": _pct(rows[-1]["reached"], len(items)),
        })  # fmt: skip
    return {"filters": filters, "applications": len(facts), "rejected": rejected,
            "withdrawn": withdrawn, "stages": _funnel_rows(facts), "postings": postings}  # fmt: skip


def time_to_hire(*, user: Any, company: Any, filters: Filters) -> dict[str, Any]:
    require_reports(user, company)
    facts = _facts(company, filters)
    days = [
        max((a.hired_at - a.applied_at).total_seconds(), 0) / 86400
        for a in facts
        if a.hired_at is not None
    ]
    return {"filters": filters, **_days(days)}


def time_in_stage(*, user: Any, company: Any, filters: Filters) -> dict[str, Any]:
    require_reports(user, company)
    facts = _facts(company, filters)
    per: dict[int, list[float]] = defaultdict(list)
    for a in facts:
        for stage_id, d in a.stays:
            per[stage_id].append(d)
    rows = []
    for stage in Stage.objects.filter(company=company).order_by("order", "id"):
        if stage.kind in (StageKind.HIRED, StageKind.REJECTED):
            continue
        if not stage.is_active and stage.pk not in per:
            continue
        from backoffice.recruitment.services.stages import stage_name

        rows.append(
            {"stage": stage_name(stage), "kind": stage.kind, **_days(per.get(stage.pk, []))}
        )
    return {"filters": filters, "rows": rows}


def sources(*, user: Any, company: Any, filters: Filters) -> dict[str, Any]:
    require_reports(user, company)
    facts = _facts(company, filters)
    rows = []
    for value, label in Source.choices:
        items = [a for a in facts if a.source == value]
        interviewed = sum(1 for a in items if a.rank >= RANK[StageKind.INTERVIEW])
        hired = sum(1 for a in items if a.rank >= RANK[StageKind.HIRED])
        rows.append({
            "source": value, "label": str(label), "applications": len(items),
            "interviewed": interviewed, "hired": hired,
            "interview_rate": _pct(interviewed, len(items)), "hire_rate": _pct(hired, len(items)),
        })  # fmt: skip
    return {"filters": filters, "rows": rows}


def all_reports(*, user: Any, company: Any, filters: Filters) -> dict[str, Any]:
    return {
        "funnel": funnel(user=user, company=company, filters=filters),
        "time_to_hire": time_to_hire(user=user, company=company, filters=filters),
        "time_in_stage": time_in_stage(user=user, company=company, filters=filters),
        "sources": sources(user=user, company=company, filters=filters),
    }


def report_postings(*, user: Any, company: Any) -> list[JobPosting]:
    """The postings to filter by (titles only)."""
    if company is None or not may_see_reports(user):
        return []
    return list(JobPosting.objects.filter(company=company).order_by("-created_at")[:200])
