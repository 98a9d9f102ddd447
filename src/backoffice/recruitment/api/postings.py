"""Recruitment API: job postings (staff), scoped like the desk.

* ``GET /postings`` (``?state=``), ``GET /postings/{posting_id}``:
  ``recruitment.manage_posting`` or ``recruitment.view_requisition`` (a
  hiring manager: the postings of their requisitions), drafts included;
* ``POST /postings`` (optionally from an approved ``requisition_id``: its
  title, department, type, salary and open headcount are the defaults),
  ``PATCH /postings/{posting_id}``, ``POST .../publish``, ``POST .../close``:
  ``recruitment.manage_posting``.

The public read of open postings is the careers API. Another company's
posting is a 404.
"""

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.models import Department
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate
from backoffice.recruitment.api.requisitions import company_row
from backoffice.recruitment.enums import EducationLevel, EmploymentType, PostingState
from backoffice.recruitment.selectors import postings as sel
from backoffice.recruitment.selectors.requisitions import requisition_get_for_user
from backoffice.recruitment.services import postings as svc

router = Router()

Title = Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]
Line = Annotated[str, Field(max_length=300, pattern=ONE_LINE)]
Text = Annotated[str, Field(max_length=20000, pattern=r"^[^\x00]*$")]
Term = Annotated[str, Field(min_length=1, max_length=100, pattern=ONE_LINE)]
Amount = Annotated[int, Field(ge=0, le=10**13)]
Openings = Annotated[int, Field(ge=1, le=999)]


def _choices(enum: Any) -> Any:
    return Literal[tuple(enum.values)]  # type: ignore[valid-type]


def _provinces() -> list[str]:
    from backoffice.hr.services.employees_validation import province_choices

    return ["", *[c for c, _n in province_choices()]]


Province = Annotated[
    str, Field(max_length=8, json_schema_extra=lambda s: s.update(enum=_provinces()))
]


class Requirements(Schema):
    skills: list[Term] = Field(default_factory=list, max_length=30)
    min_years: Annotated[int, Field(ge=0, le=50)] = 0
    education: _choices(EducationLevel) = ""  # type: ignore[valid-type]
    languages: list[Term] = Field(default_factory=list, max_length=30)


class RequirementsIn(InputSchema, Requirements):
    pass


class PostingOut(Schema):
    id: UUID
    slug: str
    requisition_id: UUID | None
    title: str
    title_en: str
    description: str
    description_en: str
    requirements_text: str
    requirements_text_en: str
    benefits: str
    benefits_en: str
    department_id: UUID | None
    province: str
    location: str
    employment_type: str
    salary_min: int | None
    salary_max: int | None
    salary_negotiable: bool
    openings: int
    deadline: IsoDate | None
    requirements: dict[str, Any]
    scorecard_criteria: list[str]
    state: str
    published_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.public_id

    @staticmethod
    def resolve_requisition_id(obj: Any) -> Any:
        return obj.requisition.public_id if obj.requisition_id else None

    @staticmethod
    def resolve_department_id(obj: Any) -> Any:
        return obj.department.public_id if obj.department_id else None

    @staticmethod
    def resolve_salary_min(obj: Any) -> int | None:
        return int(obj.salary_min) if obj.salary_min is not None else None

    @staticmethod
    def resolve_salary_max(obj: Any) -> int | None:
        return int(obj.salary_max) if obj.salary_max is not None else None


class PostingIn(InputSchema):
    requisition_id: UUID | None = None
    title: Title | None = None
    title_en: Annotated[str, Field(max_length=200, pattern=ONE_LINE)] = ""
    description: Text = ""
    description_en: Text = ""
    requirements_text: Text = ""
    requirements_text_en: Text = ""
    benefits: Text = ""
    benefits_en: Text = ""
    department_id: UUID | None = None
    province: Province = ""
    location: Line = ""
    employment_type: _choices(EmploymentType) | None = None  # type: ignore[valid-type]
    salary_min: Amount | None = None
    salary_max: Amount | None = None
    salary_negotiable: bool = False
    openings: Openings | None = None
    deadline: IsoDate | None = None
    requirements: RequirementsIn | None = None
    scorecard_criteria: list[Term] = Field(default_factory=list, max_length=30)


class PostingPatch(InputSchema):
    title: Title | None = None
    title_en: Annotated[str, Field(max_length=200, pattern=ONE_LINE)] | None = None
    description: Text | None = None
    description_en: Text | None = None
    requirements_text: Text | None = None
    requirements_text_en: Text | None = None
    benefits: Text | None = None
    benefits_en: Text | None = None
    department_id: UUID | None = None
    province: Province | None = None
    location: Line | None = None
    employment_type: _choices(EmploymentType) | None = None  # type: ignore[valid-type]
    salary_min: Amount | None = None
    salary_max: Amount | None = None
    salary_negotiable: bool | None = None
    openings: Openings | None = None
    deadline: IsoDate | None = None
    requirements: RequirementsIn | None = None
    scorecard_criteria: list[Term] | None = Field(default=None, max_length=30)


class PostingListFilter(Schema):
    state: _choices(PostingState) | Literal[""] = ""  # type: ignore[valid-type]


NULLABLE = ("salary_min", "salary_max", "deadline", "department_id")


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def _fields(company: Any, data: dict[str, Any], partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None and (key not in NULLABLE or not partial):
            continue
        if key == "department_id":
            out["department"] = company_row(Department, company, value, _("Department"))
        else:
            out[key] = value
    return out


@router.get("/postings", response={200: list[PostingOut], **ERRORS})
@paginate(Pagination)
def posting_list(request: HttpRequest, filters: Query[PostingListFilter]) -> Any:
    user, company = _ctx(request)
    return sel.posting_list(user=user, company=company, state=filters.state)


@router.get("/postings/{posting_id}", response={200: PostingOut, **ERRORS})
def posting_detail(request: HttpRequest, posting_id: UUID) -> Any:
    user, company = _ctx(request)
    return sel.posting_get_for_user(user=user, company=company, public_id=posting_id)


@router.post("/postings", response={201: PostingOut, **ERRORS})
def posting_create(request: HttpRequest, payload: PostingIn) -> Any:
    user, company = _ctx(request)
    from backoffice.core.selectors import require_perm

    require_perm(user, svc.MANAGE)
    data = payload.dict()
    rid = data.pop("requisition_id", None)
    requisition = (
        requisition_get_for_user(user=user, company=company, public_id=rid) if rid else None
    )
    fields = _fields(company, data, partial=False)
    posting = svc.posting_create(actor=user, company=company, requisition=requisition, **fields)
    return Status(201, posting)


@router.patch("/postings/{posting_id}", response={200: PostingOut, **ERRORS})
def posting_update(request: HttpRequest, posting_id: UUID, payload: PostingPatch) -> Any:
    user, company = _ctx(request)
    posting = sel.posting_get_for_user(user=user, company=company, public_id=posting_id)
    data = _fields(company, payload.dict(exclude_unset=True), partial=True)
    return svc.posting_update(actor=user, posting=posting, **data)


@router.post("/postings/{posting_id}/publish", response={200: PostingOut, **ERRORS})
def posting_publish(request: HttpRequest, posting_id: UUID) -> Any:
    user, company = _ctx(request)
    posting = sel.posting_get_for_user(user=user, company=company, public_id=posting_id)
    return svc.posting_publish(actor=user, posting=posting)


@router.post("/postings/{posting_id}/close", response={200: PostingOut, **ERRORS})
def posting_close(request: HttpRequest, posting_id: UUID) -> Any:
    user, company = _ctx(request)
    posting = sel.posting_get_for_user(user=user, company=company, public_id=posting_id)
    return svc.posting_close(actor=user, posting=posting)
