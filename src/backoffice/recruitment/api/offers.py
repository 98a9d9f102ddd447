"""Recruitment API: offers and hiring (staff).

* ``GET /offers``, ``GET /offers/{offer_id}`` (``recruitment.view_offer``;
  salaries as decimal strings);
* ``POST /applications/{application_id}/offers`` (draft),
  ``POST /offers/{offer_id}/submit|send|accept|decline|withdraw``
  (``recruitment.manage_offer``);
* ``POST /applications/{application_id}/hire``: the employee of an accepted offer.

Another company's offer or application is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate, not_null
from backoffice.recruitment.enums import EmploymentType
from backoffice.recruitment.selectors import offers as sel
from backoffice.recruitment.services import hire as hire_svc
from backoffice.recruitment.services import offers as svc

router = Router()

Reason = Annotated[str, Field(max_length=300, pattern=ONE_LINE)]


class OfferOut(Schema):
    id: UUID
    number: str
    application_id: UUID
    candidate: str
    job_title: str
    department_id: UUID | None
    position_id: UUID | None
    employment_type: str
    salary: str
    above_range: bool
    start_date: IsoDate
    probation_days: int
    benefits: str
    expires_on: IsoDate | None
    state: str
    letter_id: UUID | None
    sent_at: dt.datetime | None
    responded_at: dt.datetime | None
    decline_reason: str

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.public_id

    @staticmethod
    def resolve_application_id(obj: Any) -> Any:
        return obj.application.public_id

    @staticmethod
    def resolve_candidate(obj: Any) -> str:
        return obj.application.candidate.full_name

    @staticmethod
    def resolve_department_id(obj: Any) -> Any:
        return obj.department.public_id if obj.department_id else None

    @staticmethod
    def resolve_position_id(obj: Any) -> Any:
        return obj.position.public_id if obj.position_id else None

    @staticmethod
    def resolve_salary(obj: Any) -> str:
        return str(int(obj.salary)) if obj.salary is not None else ""

    @staticmethod
    def resolve_letter_id(obj: Any) -> Any:
        return obj.letter.public_id if obj.letter_id else None


class OfferIn(InputSchema):
    salary: Annotated[int, Field(gt=0, le=10**13)]
    start_date: IsoDate
    job_title: Annotated[str, Field(max_length=200, pattern=ONE_LINE)] = ""
    department_id: UUID = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    position_id: UUID = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    employment_type: EmploymentType = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    probation_days: Annotated[int, Field(ge=0, le=180)] = 60
    benefits: Annotated[str, Field(max_length=4000)] = ""
    expires_on: IsoDate = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]


class ReasonIn(InputSchema):
    reason: Reason = ""


class DeclineIn(InputSchema):
    reason: Annotated[str, Field(min_length=1, max_length=300, pattern=ONE_LINE)]


class OfferHireIn(InputSchema):
    start_date: IsoDate = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    portal_account: bool = True


class HiredOut(Schema):
    employee_id: UUID
    code: str
    full_name: str
    start_date: IsoDate


def _offer(request: HttpRequest, offer_id: UUID) -> tuple[Any, Any]:
    user, company = request_user(request), _company(request)
    return user, sel.offer_get_for_user(user=user, company=company, public_id=offer_id)


def _application(request: HttpRequest, application_id: UUID) -> tuple[Any, Any, Any]:
    user, company = request_user(request), _company(request)
    app = sel.application_get_for_user(user=user, company=company, public_id=application_id)
    return user, company, app


def _pick(model: Any, company: Any, public_id: UUID | None) -> Any:
    if public_id is None:
        return None
    obj = model.objects.filter(company=company, public_id=public_id).first()
    if obj is None:
        raise NotFound(f"{model._meta.verbose_name} not found.")
    return obj


@router.get("/offers", response={200: list[OfferOut], **ERRORS})
@paginate(Pagination)
def offer_list(request: HttpRequest) -> Any:
    return sel.offer_list(user=request_user(request), company=_company(request))


@router.get("/offers/{offer_id}", response={200: OfferOut, **ERRORS})
def offer_detail(request: HttpRequest, offer_id: UUID) -> Any:
    return _offer(request, offer_id)[1]


@router.post("/applications/{application_id}/offers", response={201: OfferOut, **ERRORS})
def offer_create(request: HttpRequest, application_id: UUID, payload: OfferIn) -> Any:
    from backoffice.core.models import Department, Position

    user, company, app = _application(request, application_id)
    offer = svc.offer_create(
        actor=user, application=app, salary=payload.salary, start_date=payload.start_date,
        job_title=payload.job_title,
        department=_pick(Department, company, payload.department_id),
        position=_pick(Position, company, payload.position_id),
        employment_type=payload.employment_type or "", probation_days=payload.probation_days,
        benefits=payload.benefits, expires_on=payload.expires_on,
    )  # fmt: skip
    return Status(201, offer)


@router.post("/offers/{offer_id}/submit", response={200: OfferOut, **ERRORS})
def offer_submit(request: HttpRequest, offer_id: UUID) -> Any:
    user, offer = _offer(request, offer_id)
    return svc.offer_submit(actor=user, offer=offer)


@router.post("/offers/{offer_id}/send", response={200: OfferOut, **ERRORS})
def offer_send(request: HttpRequest, offer_id: UUID) -> Any:
    user, offer = _offer(request, offer_id)
    return svc.offer_send(actor=user, offer=offer)


@router.post("/offers/{offer_id}/accept", response={200: OfferOut, **ERRORS})
def offer_accept(request: HttpRequest, offer_id: UUID) -> Any:
    user, offer = _offer(request, offer_id)
    return svc.offer_accept(actor=user, offer=offer)


@router.post("/offers/{offer_id}/decline", response={200: OfferOut, **ERRORS})
def offer_decline(request: HttpRequest, offer_id: UUID, payload: DeclineIn) -> Any:
    user, offer = _offer(request, offer_id)
    return svc.offer_decline(actor=user, offer=offer, reason=payload.reason)


@router.post("/offers/{offer_id}/withdraw", response={200: OfferOut, **ERRORS})
def offer_withdraw(request: HttpRequest, offer_id: UUID, payload: ReasonIn) -> Any:
    user, offer = _offer(request, offer_id)
    return svc.offer_withdraw(actor=user, offer=offer, reason=payload.reason)


@router.post("/applications/{application_id}/hire", response={201: HiredOut, **ERRORS})
def application_hire(request: HttpRequest, application_id: UUID, payload: OfferHireIn) -> Any:
    user, _company_, app = _application(request, application_id)
    emp = hire_svc.application_hire(actor=user, application=app, start_date=payload.start_date,
                                    portal_account=payload.portal_account)  # fmt: skip
    return Status(201, {"employee_id": emp.public_id, "code": emp.code,
                        "full_name": emp.full_name, "start_date": emp.hire_date})  # fmt: skip
