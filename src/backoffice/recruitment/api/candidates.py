"""Staff API of candidates (``/api/v1/recruitment/candidates``), scoped like
the desk (``selectors.access.candidate_scope``):

* ``GET /candidates`` (search ``q``: name, e-mail or phone),
  ``GET /candidates/{candidate_id}`` (contact, applications, duplicates);
* ``POST /candidates/{candidate_id}/merge`` (``recruitment.manage_application``):
  the duplicate's applications move to this candidate.
"""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.request_context import request_user
from backoffice.core.schemas import InputSchema
from backoffice.recruitment.api.applications import ApplicationOut
from backoffice.recruitment.selectors import applications as sel
from backoffice.recruitment.services.candidates import candidate_merge

router = Router()


class CandidateOut(Schema):
    id: UUID
    full_name: str
    province: str
    consent_until: dt.date | None
    created_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.public_id


class CandidateDuplicateOut(Schema):
    id: UUID
    full_name: str
    reasons: list[str]


class CandidateDetailOut(CandidateOut):
    email: str
    phone: str
    applications: list[ApplicationOut]
    duplicates: list[CandidateDuplicateOut]

    @staticmethod
    def resolve_applications(obj: Any) -> list[Any]:
        return obj.app_list

    @staticmethod
    def resolve_duplicates(obj: Any) -> list[dict[str, Any]]:
        return obj.dup_list


class CandidateFilter(Schema):
    q: Annotated[str, Field(max_length=100)] = ""


class CandidateMergeIn(InputSchema):
    duplicate_id: UUID


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def _detail(user: Any, company: Any, cand: Any) -> Any:
    dups = sel.duplicates_of(user=user, company=company, candidate=cand)
    cand.app_list = sel.candidate_applications(user=user, company=company, candidate=cand)
    cand.dup_list = [{"id": c.public_id, "full_name": c.full_name, "reasons": r} for c, r in dups]
    return cand


@router.get("/candidates", response={200: list[CandidateOut], **ERRORS})
@paginate(Pagination)
def candidate_list(request: HttpRequest, filters: Query[CandidateFilter]) -> Any:
    user, company = _ctx(request)
    return sel.candidate_list(user=user, company=company, q=filters.q)


@router.get("/candidates/{candidate_id}", response={200: CandidateDetailOut, **ERRORS})
def candidate_detail(request: HttpRequest, candidate_id: UUID) -> Any:
    user, company = _ctx(request)
    cand = sel.candidate_get_for_user(user=user, company=company, public_id=candidate_id)
    return _detail(user, company, cand)


@router.post("/candidates/{candidate_id}/merge", response={200: CandidateDetailOut, **ERRORS})
def candidate_merge_api(request: HttpRequest, candidate_id: UUID, payload: CandidateMergeIn) -> Any:
    user, company = _ctx(request)
    keep = sel.candidate_get_for_user(user=user, company=company, public_id=candidate_id)
    dup = sel.candidate_get_for_user(user=user, company=company, public_id=payload.duplicate_id)
    keep = candidate_merge(actor=user, keep=keep, duplicate=dup)
    return _detail(user, company, keep)
