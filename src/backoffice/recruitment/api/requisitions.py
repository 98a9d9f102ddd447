"""Recruitment API: job requisitions (staff), scoped like the desk.

* ``GET /requisitions`` (``?state=``), ``GET /requisitions/{requisition_id}``:
  ``recruitment.view_requisition`` (a hiring manager: their own);
* ``POST /requisitions``, ``PATCH /requisitions/{requisition_id}`` (draft or
  rejected), ``POST .../submit`` (approval engine), ``POST .../cancel``:
  ``recruitment.manage_requisition``.

Another company's requisition is a 404.
"""

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.models import Department, Position, User
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate
from backoffice.recruitment.enums import EmploymentType, RequisitionReason, RequisitionState
from backoffice.recruitment.selectors import requisitions as sel
from backoffice.recruitment.services import requisitions as svc

router = Router()

Title = Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]
Text = Annotated[str, Field(max_length=5000, pattern=r"^[^\x00]*$")]
Amount = Annotated[int, Field(ge=0, le=10**13)]
Headcount = Annotated[int, Field(ge=1, le=999)]


def _choices(enum: Any) -> Any:
    return Literal[tuple(enum.values)]  # type: ignore[valid-type]


class RequisitionOut(Schema):
    id: UUID
    number: str
    title: str
    department_id: UUID
    department: str
    position_id: UUID | None
    hiring_manager_id: UUID | None
    headcount: int
    hired_count: int
    open_headcount: int
    employment_type: str
    salary_min: int | None
    salary_max: int | None
    reason: str
    justification: str
    target_start: IsoDate | None
    state: str
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    created_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.public_id

    @staticmethod
    def resolve_department_id(obj: Any) -> Any:
        return obj.department.public_id

    @staticmethod
    def resolve_department(obj: Any) -> str:
        return str(obj.department.name)

    @staticmethod
    def resolve_position_id(obj: Any) -> Any:
        return obj.position.public_id if obj.position_id else None

    @staticmethod
    def resolve_hiring_manager_id(obj: Any) -> Any:
        return obj.hiring_manager.public_id if obj.hiring_manager_id else None

    @staticmethod
    def resolve_salary_min(obj: Any) -> int | None:
        return int(obj.salary_min) if obj.salary_min is not None else None

    @staticmethod
    def resolve_salary_max(obj: Any) -> int | None:
        return int(obj.salary_max) if obj.salary_max is not None else None


class RequisitionIn(InputSchema):
    title: Title
    department_id: UUID
    position_id: UUID | None = None
    hiring_manager_id: UUID | None = None
    headcount: Headcount = 1
    employment_type: _choices(EmploymentType) = EmploymentType.FULL_TIME  # type: ignore[valid-type]
    salary_min: Amount | None = None
    salary_max: Amount | None = None
    reason: _choices(RequisitionReason) = RequisitionReason.NEW_POSITION  # type: ignore[valid-type]
    justification: Text = ""
    target_start: IsoDate | None = None


class RequisitionPatch(InputSchema):
    title: Title | None = None
    department_id: UUID | None = None
    position_id: UUID | None = None
    hiring_manager_id: UUID | None = None
    headcount: Headcount | None = None
    employment_type: _choices(EmploymentType) | None = None  # type: ignore[valid-type]
    salary_min: Amount | None = None
    salary_max: Amount | None = None
    reason: _choices(RequisitionReason) | None = None  # type: ignore[valid-type]
    justification: Text | None = None
    target_start: IsoDate | None = None


class RequisitionCancelIn(InputSchema):
    reason: Annotated[str, Field(max_length=300, pattern=ONE_LINE)] = ""


class RequisitionListFilter(Schema):
    state: _choices(RequisitionState) | Literal[""] = ""  # type: ignore[valid-type]


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def company_row(model: Any, company: Any, public_id: UUID | None, what: str) -> Any:
    """The company's row of ``model`` with that public id (None for None), else 404."""
    if public_id is None:
        return None
    obj = model.objects.filter(company=company, public_id=public_id).first()
    if obj is None:
        raise NotFound(_("%(what)s not found.") % {"what": what})
    return obj


def _user(company: Any, public_id: UUID | None) -> Any:
    if public_id is None:
        return None
    user = User.objects.filter(
        public_id=public_id, memberships__company=company, memberships__is_active=True
    ).first()
    if user is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("User")})
    return user


def _fields(company: Any, data: dict[str, Any], partial: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if (
            partial
            and value is None
            and key
            not in ("salary_min", "salary_max", "target_start", "position_id", "hiring_manager_id")
        ):
            continue
        if key == "department_id":
            out["department"] = company_row(Department, company, value, _("Department"))
        elif key == "position_id":
            out["position"] = company_row(Position, company, value, _("Position"))
        elif key == "hiring_manager_id":
            out["hiring_manager"] = _user(company, value)
        else:
            out[key] = value
    return out


@router.get("/requisitions", response={200: list[RequisitionOut], **ERRORS})
@paginate(Pagination)
def requisition_list(request: HttpRequest, filters: Query[RequisitionListFilter]) -> Any:
    user, company = _ctx(request)
    return sel.requisition_list(user=user, company=company, state=filters.state)


@router.get("/requisitions/{requisition_id}", response={200: RequisitionOut, **ERRORS})
def requisition_detail(request: HttpRequest, requisition_id: UUID) -> Any:
    user, company = _ctx(request)
    return sel.requisition_get_for_user(user=user, company=company, public_id=requisition_id)


@router.post("/requisitions", response={201: RequisitionOut, **ERRORS})
def requisition_create(request: HttpRequest, payload: RequisitionIn) -> Any:
    user, company = _ctx(request)
    from backoffice.core.selectors import require_perm

    require_perm(user, svc.MANAGE)
    data = _fields(company, payload.dict(), partial=False)
    return Status(201, svc.requisition_create(actor=user, company=company, **data))


@router.patch("/requisitions/{requisition_id}", response={200: RequisitionOut, **ERRORS})
def requisition_update(
    request: HttpRequest, requisition_id: UUID, payload: RequisitionPatch
) -> Any:
    user, company = _ctx(request)
    req = sel.requisition_get_for_user(user=user, company=company, public_id=requisition_id)
    data = _fields(company, payload.dict(exclude_unset=True), partial=True)
    return svc.requisition_update(actor=user, requisition=req, **data)


@router.post("/requisitions/{requisition_id}/submit", response={200: RequisitionOut, **ERRORS})
def requisition_submit(request: HttpRequest, requisition_id: UUID) -> Any:
    user, company = _ctx(request)
    req = sel.requisition_get_for_user(user=user, company=company, public_id=requisition_id)
    return svc.requisition_submit(actor=user, requisition=req)


@router.post("/requisitions/{requisition_id}/cancel", response={200: RequisitionOut, **ERRORS})
def requisition_cancel(
    request: HttpRequest, requisition_id: UUID, payload: RequisitionCancelIn
) -> Any:
    user, company = _ctx(request)
    req = sel.requisition_get_for_user(user=user, company=company, public_id=requisition_id)
    return svc.requisition_cancel(actor=user, requisition=req, reason=payload.reason)
