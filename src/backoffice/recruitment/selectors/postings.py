"""Reads of job postings.

* Staff: ``recruitment.manage_posting`` or ``recruitment.view_requisition``
  see the company's postings (drafts included); a hiring manager sees the
  postings of their requisitions; anybody else nothing.
* Public (the careers page, no login): published postings whose deadline has
  not passed (the deadline day included).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound
from backoffice.core.models import Company
from backoffice.core.selectors import _get, scope_to_company
from backoffice.recruitment.enums import PostingState
from backoffice.recruitment.models import JobPosting

STAFF_PERMS = ("recruitment.manage_posting", "recruitment.view_requisition")


def may_see_postings(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and any(
        user.has_perm(p) for p in STAFF_PERMS
    )


def posting_list(*, user: Any, company: Company | None, state: str = "") -> QuerySet[JobPosting]:
    qs = scope_to_company(
        JobPosting.objects.select_related("requisition", "department"), company
    ).order_by("-created_at", "-id")
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if not may_see_postings(user):
        qs = qs.filter(requisition__hiring_manager=user)
    if state:
        qs = qs.filter(state=state)
    return qs


def posting_get_for_user(*, user: Any, company: Company | None, public_id: Any) -> JobPosting:
    return _get(posting_list(user=user, company=company), public_id, _("Job posting"))


def _open(company: Company | None) -> QuerySet[JobPosting]:
    today = timezone.localdate()
    return (
        scope_to_company(JobPosting.objects.select_related("department", "company"), company)
        .filter(state=PostingState.PUBLISHED)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
    )


def public_postings(
    company: Company | None,
    *,
    q: str = "",
    province: str = "",
    employment_type: str = "",
    department: str = "",
) -> QuerySet[JobPosting]:
    """Open postings of the company, newest first, filtered: ``q`` matches the
    titles and descriptions in both languages with or without diacritics
    ("ke toan" finds "Kế toán"); ``department``: its public id or code."""
    from backoffice.records.text import fold

    qs = _open(company).order_by("-published_at", "-id")
    if province:
        qs = qs.filter(province=str(province)[:8])
    if employment_type:
        qs = qs.filter(employment_type=str(employment_type)[:16])
    if department:
        text = str(department)[:64]
        cond = Q(department__code=text)
        try:
            import uuid

            cond |= Q(department__public_id=uuid.UUID(text))
        except ValueError:
            pass
        qs = qs.filter(cond)
    words = fold(str(q or "")[:200]).split()
    if words:
        rows = qs.values_list("pk", "title", "title_en", "description", "description_en",
                              "location")  # fmt: skip
        keep = [
            pk for pk, *texts in rows
            if all(w in fold(" ".join(t or "" for t in texts)) for w in words)
        ]  # fmt: skip
        qs = qs.filter(pk__in=keep)
    return qs


def public_posting_get(company: Company | None, slug: str) -> JobPosting:
    """An open posting by its address; anything else is "not found"."""
    posting = _open(company).filter(slug=str(slug or "")[:120]).first()
    if posting is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Job posting")})
    return posting


def public_companies() -> QuerySet[Company]:
    """Companies with at least one open posting (the careers index)."""
    today = timezone.localdate()
    ids = (
        JobPosting.objects.filter(state=PostingState.PUBLISHED)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
        .values("company_id")
    )
    return Company.objects.filter(pk__in=ids, is_active=True).order_by("name")
