"""Job postings: the public face of a requisition (or a standalone opening),
in Vietnamese and English, with the structured screening requirements.

States: draft -> published -> closed (a closed posting may be published
again while its deadline and its requisition allow). A published posting
is on the careers page until its deadline (included) or until it closes
(by hand, or when its requisition is filled or cancelled).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.models import Company, Department
from backoffice.recruitment.enums import (
    EducationLevel,
    EmploymentType,
    PostingState,
    RequisitionState,
)
from backoffice.recruitment.models import JobPosting, JobRequisition
from backoffice.recruitment.services.common import authorise, same_company, user_or_none
from backoffice.recruitment.services.requisitions import salary_range

MANAGE = "recruitment.manage_posting"

TEXT_FIELDS = (
    "title", "title_en", "description", "description_en", "requirements_text",
    "requirements_text_en", "benefits", "benefits_en", "location",
)  # fmt: skip
FIELDS = (
    *TEXT_FIELDS, "department", "province", "employment_type", "salary_min", "salary_max",
    "salary_negotiable", "openings", "deadline", "requirements", "scorecard_criteria",
)  # fmt: skip
SHORT = {"title": 200, "title_en": 200, "location": 300}
MAX_LIST = 30
WEIGHT_KEYS = ("skills", "experience", "education", "languages")


# --- cleaning ------------------------------------------------------------------------------
def _items(value: Any, what: str) -> list[str]:
    """A list of short terms (a string: one per line or comma separated)."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = re.split(r"[\n;]+", value)
    if not isinstance(value, list | tuple):
        raise ValidationFailed(
            _("%(w)s must be a list.") % {"w": what}, code="invalid_requirements"
        )
    out: list[str] = []
    for item in value:
        text = " ".join(str(item or "").split())
        if not text:
            continue
        if len(text) > 100:
            raise ValidationFailed(
                _("%(w)s: an item is longer than 100 characters.") % {"w": what},
                code="invalid_requirements",
            )
        if text.casefold() not in (o.casefold() for o in out):
            out.append(text)
    if len(out) > MAX_LIST:
        raise ValidationFailed(
            _("%(w)s: at most %(n)s items.") % {"w": what, "n": MAX_LIST},
            code="invalid_requirements",
        )
    return out


def clean_requirements(value: Any) -> dict[str, Any]:
    """The screening requirements in the shape ``recruitment.screening`` reads:
    skills (terms, synonyms with "|"), min_years, education, languages and
    optional weights."""
    if value in (None, ""):
        value = {}
    if not isinstance(value, dict):
        raise ValidationFailed(
            _("The requirements must be an object."), code="invalid_requirements"
        )
    unknown = set(value) - {"skills", "min_years", "education", "languages", "weights"}
    if unknown:
        raise ValidationFailed(
            _("Unknown requirement: %(f)s.") % {"f": ", ".join(sorted(unknown))},
            code="invalid_requirements",
        )
    out: dict[str, Any] = {
        "skills": _items(value.get("skills"), _("Skills")),
        "languages": _items(value.get("languages"), _("Languages")),
    }
    years = value.get("min_years")
    try:
        years = int(years or 0)
    except (TypeError, ValueError):
        years = -1
    if not 0 <= years <= 50:
        raise ValidationFailed(
            _("The years of experience must be between 0 and 50."), code="invalid_requirements"
        )
    out["min_years"] = years
    education = value.get("education") or ""
    if education not in EducationLevel.values:
        raise ValidationFailed(_("Unknown education level."), code="invalid_requirements")
    out["education"] = education
    weights = value.get("weights")
    if weights:
        if not isinstance(weights, dict) or set(weights) - set(WEIGHT_KEYS):
            raise ValidationFailed(_("Unknown weights."), code="invalid_requirements")
        try:
            clean = {k: int(v) for k, v in weights.items()}
        except (TypeError, ValueError):
            raise ValidationFailed(_("Unknown weights."), code="invalid_requirements") from None
        if any(not 0 <= v <= 100 for v in clean.values()) or not sum(clean.values()):
            raise ValidationFailed(
                _("Weights are between 0 and 100 and not all zero."),
                code="invalid_requirements",
            )
        out["weights"] = clean
    return out


def _clean(company: Company, data: dict[str, Any]) -> dict[str, Any]:
    from backoffice.hr.services.employees_validation import clean_province

    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    out = dict(data)
    for key in TEXT_FIELDS:
        if key in out:
            text = str(out[key] or "").replace("\x00", "").strip()
            if key in SHORT:
                text = " ".join(text.split())[: SHORT[key]]
            out[key] = text[:20000]
    if "title" in out and not out["title"]:
        raise ValidationFailed(_("Enter the title in Vietnamese."), code="title_required")
    if out.get("department") is not None:
        if not isinstance(out["department"], Department):
            raise ValidationFailed(_("Choose the department."), code="invalid_department")
        same_company(company, out["department"])
    if "province" in out:
        out["province"] = clean_province(out["province"], field="province")
    if "employment_type" in out and out["employment_type"] not in EmploymentType.values:
        raise ValidationFailed(_("Unknown employment type."), code="invalid_choice")
    if "openings" in out:
        try:
            out["openings"] = int(out["openings"])
        except (TypeError, ValueError):
            out["openings"] = 0
        if not 1 <= out["openings"] <= 999:
            raise ValidationFailed(
                _("The number of openings must be between 1 and 999."), code="invalid_openings"
            )
    if "salary_negotiable" in out:
        out["salary_negotiable"] = bool(out["salary_negotiable"])
    if "requirements" in out:
        out["requirements"] = clean_requirements(out["requirements"])
    if "scorecard_criteria" in out:
        out["scorecard_criteria"] = _items(out["scorecard_criteria"], _("Interview criteria"))
    return out


def _check(posting: JobPosting) -> None:
    posting.salary_min, posting.salary_max = salary_range(posting.salary_min, posting.salary_max)


def slug_for(company: Company, title: str, exclude_pk: int | None = None) -> str:
    """The posting's address from its title: Vietnamese letters folded
    ("Lập trình viên" -> "lap-trinh-vien"), unique in the company (-2, -3 ...)."""
    from backoffice.records.text import fold

    base = slugify(fold(title))[:100].strip("-") or "viec-lam"
    taken = set(
        JobPosting.objects.filter(company=company, slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def snapshot(p: JobPosting) -> dict[str, Any]:
    return {
        "slug": p.slug, "title": p.title, "title_en": p.title_en,
        "requisition": p.requisition.number if p.requisition_id else None,
        "department": p.department.code if p.department_id else None,
        "province": p.province, "employment_type": p.employment_type,
        "salary_min": str(p.salary_min) if p.salary_min is not None else None,
        "salary_max": str(p.salary_max) if p.salary_max is not None else None,
        "salary_negotiable": p.salary_negotiable, "openings": p.openings,
        "deadline": p.deadline.isoformat() if p.deadline else None,
        "requirements": p.requirements, "state": p.state,
    }  # fmt: skip


def _lock(posting: JobPosting) -> JobPosting:
    return (
        JobPosting.objects.select_for_update(of=("self",))
        .select_related("company", "requisition", "department")
        .get(pk=posting.pk)
    )


def prefill_from(requisition: JobRequisition) -> dict[str, Any]:
    """What a posting takes from its requisition (the "create posting" button)."""
    return {
        "title": requisition.title,
        "department": requisition.department,
        "employment_type": requisition.employment_type,
        "salary_min": requisition.salary_min,
        "salary_max": requisition.salary_max,
        "openings": max(requisition.open_headcount, 1),
    }


# --- writes --------------------------------------------------------------------------------
@transaction.atomic
def posting_create(
    *, actor: Any, company: Company, requisition: JobRequisition | None = None, **fields: Any
) -> JobPosting:
    """A draft posting; from an approved requisition, its title, department,
    type, salary range and open headcount are the defaults."""
    authorise(actor, company, MANAGE)
    if requisition is not None:
        same_company(company, requisition)
        if requisition.state != RequisitionState.APPROVED:
            raise Conflict(
                _("Only an approved requisition can become a job posting."),
                code="requisition_not_approved",
            )
        fields = {**prefill_from(requisition), **{k: v for k, v in fields.items()
                                                  if v not in (None, "")}}  # fmt: skip
    data = _clean(company, fields)
    if not data.get("title"):
        raise ValidationFailed(_("Enter the title in Vietnamese."), code="title_required")
    posting = JobPosting(company=company, requisition=requisition, **data)
    _check(posting)
    posting.slug = slug_for(company, posting.title)
    posting.created_by = user_or_none(actor)
    posting.state = PostingState.DRAFT
    posting.save()
    audit_record(
        event_type="RECRUITMENT_POSTING_CREATED", actor=actor or "system", company=company,
        target=posting, after=snapshot(posting),
    )  # fmt: skip
    return posting


@transaction.atomic
def posting_update(*, actor: Any, posting: JobPosting, **fields: Any) -> JobPosting:
    """Change a draft or published posting (the address stays: links keep working)."""
    p = _lock(posting)
    authorise(actor, p.company, MANAGE)
    if p.state == PostingState.CLOSED:
        raise Conflict(
            _("A closed posting cannot be changed; publish it again first."), code="closed"
        )
    data = _clean(p.company, fields)
    before = snapshot(p)
    for key, value in data.items():
        setattr(p, key, value)
    _check(p)
    if p.state == PostingState.PUBLISHED:
        _publishable(p)
    p.save()
    audit_record(
        event_type="RECRUITMENT_POSTING_UPDATED", actor=actor or "system", company=p.company,
        target=p, before=before, after=snapshot(p),
    )  # fmt: skip
    return p


def _publishable(p: JobPosting) -> None:
    if not (p.description or "").strip():
        raise ValidationFailed(
            _("Write the job description before publishing."), code="description_required"
        )
    if p.deadline is not None and p.deadline < timezone.localdate():
        raise ValidationFailed(
            _("The deadline has passed; choose a later date."), code="deadline_passed"
        )
    if not p.salary_negotiable and p.salary_min is None and p.salary_max is None:
        raise ValidationFailed(
            _('Give a salary range or mark the salary "negotiable".'), code="salary_required"
        )
    req = p.requisition
    if req is not None and (req.state != RequisitionState.APPROVED or not req.open_headcount):
        raise Conflict(
            _("The requisition is not open (not approved, filled or cancelled)."),
            code="requisition_not_open",
        )


@transaction.atomic
def posting_publish(*, actor: Any, posting: JobPosting) -> JobPosting:
    """Put the posting on the careers page."""
    p = _lock(posting)
    authorise(actor, p.company, MANAGE)
    if p.state == PostingState.PUBLISHED:
        raise Conflict(_("The posting is already published."), code="already_published")
    _publishable(p)
    p.state, p.published_at, p.closed_at = PostingState.PUBLISHED, timezone.now(), None
    p.save(update_fields=["state", "published_at", "closed_at", "updated_at"])
    audit_record(
        event_type="RECRUITMENT_POSTING_PUBLISHED", actor=actor or "system", company=p.company,
        target=p, after=snapshot(p),
    )  # fmt: skip
    return p


@transaction.atomic
def posting_close(*, actor: Any, posting: JobPosting) -> JobPosting:
    """Take the posting off the careers page (applications stay)."""
    p = _lock(posting)
    authorise(actor, p.company, MANAGE)
    if p.state == PostingState.CLOSED:
        raise Conflict(_("The posting is already closed."), code="already_closed")
    p.state, p.closed_at = PostingState.CLOSED, timezone.now()
    p.save(update_fields=["state", "closed_at", "updated_at"])
    audit_record(
        event_type="RECRUITMENT_POSTING_CLOSED", actor=actor or "system", company=p.company,
        target=p, after=snapshot(p),
    )  # fmt: skip
    return p
