"""Public recruitment API (no authentication): a company's open job postings
and applying for one, for job boards and the company's own web site.

Every operation here has ``auth=None`` (the API's default is a bearer token
or the desk session, ``backoffice.api``); the router says so too, and nothing
here reads ``request.user``: the public acts as nobody.

* ``GET  /api/v1/recruitment/public/{company_code}/postings`` (search and filters
  like the careers page, paginated);
* ``GET  /api/v1/recruitment/public/{company_code}/postings/{slug}`` (with its
  schema.org JobPosting);
* ``POST /api/v1/recruitment/public/{company_code}/postings/{slug}/applications``
  (multipart: the same checks as the careers page, rate-limited per client
  address: 429 ``rate_limited`` and nothing stored over the limit). Answers the
  private status token and link (also e-mailed to the candidate).

Closed, expired, draft postings and unknown or inactive companies are 404.
"""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination
from backoffice.core.exceptions import NotFound
from backoffice.core.models import Company
from backoffice.core.ratelimit import client_key
from backoffice.core.schemas import ErrorOut
from backoffice.recruitment.enums import EmploymentType
from backoffice.recruitment.selectors.postings import public_posting_get, public_postings
from backoffice.recruitment.services import applications as svc

router = Router(tags=["recruitment public"], auth=None)
PUBLIC_ERRORS = {**ERRORS, 429: ErrorOut}

Code = Annotated[str, Field(max_length=32, pattern=r"^[-a-zA-Z0-9_]+$")]
Slug = Annotated[str, Field(max_length=120, pattern=r"^[-a-zA-Z0-9_]+$")]
OneLine = r"^[^\x00-\x1f\x7f]*$"


def _money(value: Any) -> int | None:
    return None if value is None else int(value)


class PublicPostingOut(Schema):
    slug: str
    title: str
    title_en: str
    department: str | None
    province: str
    province_name: str
    location: str
    employment_type: str
    salary_min: int | None
    salary_max: int | None
    salary_negotiable: bool
    openings: int
    deadline: dt.date | None
    published_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_department(obj: Any) -> str | None:
        return obj.department.name if obj.department_id else None

    @staticmethod
    def resolve_province_name(obj: Any) -> str:
        from backoffice.hr.services.employees_validation import province_name

        return province_name(obj.province)

    @staticmethod
    def resolve_salary_min(obj: Any) -> int | None:
        return _money(obj.salary_min)

    @staticmethod
    def resolve_salary_max(obj: Any) -> int | None:
        return _money(obj.salary_max)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        from django.conf import settings

        return settings.BACKOFFICE["SITE_URL"] + reverse(
            "careers:posting", args=[obj.company.code, obj.slug]
        )


class PublicPostingDetailOut(PublicPostingOut):
    description: str
    description_en: str
    requirements_text: str
    requirements_text_en: str
    benefits: str
    benefits_en: str
    json_ld: dict[str, Any]

    @staticmethod
    def resolve_json_ld(obj: Any) -> dict[str, Any]:
        from backoffice.recruitment.views.careers import job_posting_jsonld

        return job_posting_jsonld(obj)


class PostingFilters(Schema):
    q: Annotated[str, Field(max_length=200, pattern=OneLine)] = ""
    province: Annotated[str, Field(max_length=8, pattern=OneLine)] = ""
    employment_type: EmploymentType | None = None
    department: Annotated[str, Field(max_length=64, pattern=OneLine)] = ""


class ApplicationIn(Schema):
    """The form fields of an application (multipart, with the ``cv`` file)."""

    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    email: Annotated[str, Field(min_length=3, max_length=254)]
    consent: bool = Field(description="explicit consent to data processing (Decree 13/2023)")
    phone: Annotated[str, Field(max_length=30)] = ""
    province: Annotated[str, Field(max_length=8)] = ""
    cover_letter: Annotated[str, Field(max_length=5000)] = ""


class ApplicationCreatedOut(Schema):
    id: UUID
    status_token: str
    status_url: str
    consent_until: dt.date | None


def _company(code: str) -> Company:
    company = Company.objects.filter(code=code, is_active=True).first()
    if company is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Company")})
    return company


@router.get("/public/{company_code}/postings", auth=None,
            response={200: list[PublicPostingOut], **PUBLIC_ERRORS},
            summary="Open job postings of a company (public)")  # fmt: skip
@paginate(Pagination)
def public_posting_list(request: HttpRequest, company_code: Code, filters: Query[PostingFilters]):
    company = _company(company_code)
    return public_postings(company, q=filters.q, province=filters.province,
                           employment_type=filters.employment_type or "",
                           department=filters.department).select_related("company")  # fmt: skip


@router.get("/public/{company_code}/postings/{slug}", auth=None,
            response={200: PublicPostingDetailOut, **PUBLIC_ERRORS},
            summary="One open job posting (public)")  # fmt: skip
def public_posting_detail(request: HttpRequest, company_code: Code, slug: Slug):
    return public_posting_get(_company(company_code), slug)


@router.post("/public/{company_code}/postings/{slug}/applications", auth=None,
             response={201: ApplicationCreatedOut, **PUBLIC_ERRORS},
             summary="Apply for a job (public, rate-limited, multipart with the CV)")  # fmt: skip
def public_application_create(
    request: HttpRequest,
    company_code: Code,
    slug: Slug,
    cv: File[UploadedFile],
    data: Form[ApplicationIn],
):
    # The limit first: a burst is refused before anything is read or stored.
    svc.application_throttle(client=client_key(request))
    company = _company(company_code)
    try:
        posting = public_posting_get(company, slug)
    except Http404:  # pragma: no cover - the selector raises NotFound
        raise NotFound(_("Not found.")) from None
    application, token = svc.application_submit(
        actor=None, company=company, posting=posting, full_name=data.full_name,
        email=data.email, phone=data.phone, cv_file=cv, cover_letter=data.cover_letter,
        consent=data.consent, province=data.province,
    )  # fmt: skip
    return Status(201, {
        "id": application.public_id, "status_token": token,
        "status_url": svc.status_url(token),
        "consent_until": application.candidate.consent_until,
    })  # fmt: skip
