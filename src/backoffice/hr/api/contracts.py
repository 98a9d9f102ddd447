"""API: contracts (``/api/v1/hr/contracts`` ...), scoped like the desk.

``hr.view_contract`` lists the company's contracts; salary, job wage and rate
are ``null`` unless the caller may see the person's salary (salary roles, the
person themself). Writes go through ``hr.services.contracts``; a Labour Code
refusal is a 422 with the article in ``extra.article``.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.models import Department, Position
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate
from backoffice.hr.api.paging import ShapedPage
from backoffice.hr.enums import ContractState, ContractType, JobLevel
from backoffice.hr.models import Contract, Employee
from backoffice.hr.models.contracts import FixedTermExemption
from backoffice.hr.selectors import contracts as sel
from backoffice.hr.selectors.access import employee_list
from backoffice.hr.services import contracts as svc

router = Router(tags=["hr"])

Money = Annotated[
    Decimal,
    Field(ge=Decimal(1), le=Decimal("999999999999"), decimal_places=0),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 999999999999}),
]
Line = Annotated[str, Field(max_length=200, pattern=ONE_LINE)]


def _choices(enum: Any) -> Any:
    return Literal[tuple(enum.values)]  # type: ignore[valid-type]


class ContractOut(Schema):
    id: UUID
    number: str
    employee_id: UUID
    employee_code: str
    employee_name: str
    contract_type: str
    state: str
    job_level: str
    position_code: str
    department_code: str
    start_date: IsoDate
    end_date: IsoDate | None
    signed_on: IsoDate | None
    terminated_on: IsoDate | None
    termination_reason: str
    previous_id: UUID | None
    exemption: str
    scope: str
    rate_unit: str
    salary: Decimal | None = None
    job_salary: Decimal | None = None
    rate: Decimal | None = None
    salary_visible: bool = False


class ContractIn(InputSchema):
    employee_id: UUID
    contract_type: _choices(ContractType)  # type: ignore[valid-type]
    start_date: IsoDate
    end_date: IsoDate | None = None
    salary: Money | None = None
    job_salary: Money | None = None
    job_level: _choices(JobLevel) = JobLevel.COLLEGE  # type: ignore[valid-type]
    position_id: UUID | None = None
    department_id: UUID | None = None
    scope: Annotated[str, Field(max_length=2000)] = ""
    rate: Money | None = None
    rate_unit: Literal["", "hour", "day", "month", "deliverable"] = ""
    previous_id: UUID | None = None
    number: Annotated[str, Field(max_length=50, pattern=ONE_LINE)] = ""
    work_location: Line = ""
    exemption: _choices(FixedTermExemption) = ""  # type: ignore[valid-type]


class ContractSignIn(InputSchema):
    signed_on: IsoDate | None = None


class ContractTerminateIn(InputSchema):
    terminated_on: IsoDate
    reason: Annotated[str, Field(min_length=1, max_length=300, pattern=ONE_LINE)]


class ContractRenewIn(InputSchema):
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    contract_type: _choices(ContractType) | None = None  # type: ignore[valid-type]
    salary: Money | None = None


class ContractFilter(Schema):
    contract_type: _choices(ContractType) | None = None  # type: ignore[valid-type]
    state: _choices(ContractState) | None = None  # type: ignore[valid-type]
    employee_id: UUID | None = None
    expiring_within: Annotated[int, Field(ge=0, le=3650)] | None = None


def _out(request: HttpRequest, c: Contract, company: Any) -> dict[str, Any]:
    visible = sel.salary_visible(user=request.user, company=company, contract=c)
    return {
        "id": c.public_id,
        "number": c.number,
        "employee_id": c.employee.public_id,
        "employee_code": c.employee.code,
        "employee_name": c.employee.full_name,
        "contract_type": c.contract_type,
        "state": c.state,
        "job_level": c.job_level,
        "position_code": c.position.code if c.position else "",
        "department_code": c.department.code if c.department else "",
        "start_date": c.start_date,
        "end_date": c.end_date,
        "signed_on": c.signed_on,
        "terminated_on": c.terminated_on,
        "termination_reason": c.termination_reason,
        "previous_id": c.previous.public_id if c.previous_id else None,
        "exemption": c.exemption,
        "scope": c.scope,
        "rate_unit": c.rate_unit,
        "salary": c.salary if visible else None,
        "job_salary": c.job_salary if visible else None,
        "rate": c.rate if visible else None,
        "salary_visible": visible,
    }


def _contract(request: HttpRequest, contract_id: UUID) -> tuple[Contract, Any]:
    company = _company(request)
    return sel.contract_get_for_user(user=request.user, company=company, public_id=contract_id), (
        company
    )


def _ref(model: Any, company: Any, public_id: UUID | None, what: str) -> Any:
    if public_id is None:
        return None
    obj = model.objects.filter(company=company, public_id=public_id).first()
    if obj is None:
        raise NotFound(_("%(what)s not found.") % {"what": what})
    return obj


@router.get("/contracts", response={200: list[ContractOut], **ERRORS}, summary="Contracts")
@paginate(Pagination)
def contract_list(request: HttpRequest, filters: Query[ContractFilter]):
    company = _company(request)
    qs = sel.contract_list(user=request.user, company=company)
    if filters.contract_type:
        qs = qs.filter(contract_type=filters.contract_type)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.employee_id:
        qs = qs.filter(employee__public_id=filters.employee_id)
    if filters.expiring_within is not None:
        qs = qs.filter(sel.expiring_q(timezone.localdate(), filters.expiring_within))
    return ShapedPage(qs.order_by("-start_date", "-id"), lambda c: _out(request, c, company))


@router.get("/contracts/{contract_id}", response={200: ContractOut, **ERRORS})
def contract_detail(request: HttpRequest, contract_id: UUID):
    c, company = _contract(request, contract_id)
    return _out(request, c, company)


@router.post("/contracts", response={201: ContractOut, **ERRORS}, summary="Draft a contract")
def contract_create(request: HttpRequest, payload: ContractIn):
    company = _company(request)
    employee = sel_employee(request, company, payload.employee_id)
    previous = None
    if payload.previous_id is not None:
        previous = sel.contract_get_for_user(
            user=request.user, company=company, public_id=payload.previous_id
        )
    c = svc.contract_create(
        actor=request_user(request), company=company, employee=employee,
        contract_type=payload.contract_type, start_date=payload.start_date,
        end_date=payload.end_date, salary=payload.salary, job_salary=payload.job_salary,
        job_level=payload.job_level,
        position=_ref(Position, company, payload.position_id, _("Position")),
        department=_ref(Department, company, payload.department_id, _("Department")),
        scope=payload.scope, rate=payload.rate, rate_unit=payload.rate_unit, previous=previous,
        number=payload.number or None, work_location=payload.work_location,
        exemption=payload.exemption,
    )  # fmt: skip
    return Status(201, _out(request, c, company))


def sel_employee(request: HttpRequest, company: Any, public_id: UUID) -> Employee:
    from backoffice.core.selectors import _get

    return _get(employee_list(user=request.user, company=company), public_id, _("Employee"))


@router.post("/contracts/{contract_id}/sign", response={200: ContractOut, **ERRORS})
def contract_sign(request: HttpRequest, contract_id: UUID, payload: ContractSignIn):
    c, company = _contract(request, contract_id)
    c = svc.contract_sign(
        actor=request_user(request), company=company, contract=c, signed_on=payload.signed_on
    )
    return _out(request, c, company)


@router.post("/contracts/{contract_id}/terminate", response={200: ContractOut, **ERRORS})
def contract_terminate(request: HttpRequest, contract_id: UUID, payload: ContractTerminateIn):
    c, company = _contract(request, contract_id)
    c = svc.contract_terminate(
        actor=request_user(request), company=company, contract=c,
        terminated_on=payload.terminated_on, reason=payload.reason,
    )  # fmt: skip
    return _out(request, c, company)


@router.post("/contracts/{contract_id}/cancel", response={200: ContractOut, **ERRORS})
def contract_cancel(request: HttpRequest, contract_id: UUID):
    c, company = _contract(request, contract_id)
    c = svc.contract_cancel(actor=request_user(request), company=company, contract=c)
    return _out(request, c, company)


@router.post("/contracts/{contract_id}/renew", response={201: ContractOut, **ERRORS})
def contract_renew(request: HttpRequest, contract_id: UUID, payload: ContractRenewIn):
    c, company = _contract(request, contract_id)
    new = svc.contract_renew(
        actor=request_user(request), company=company, contract=c,
        start_date=payload.start_date, end_date=payload.end_date,
        contract_type=payload.contract_type, salary=payload.salary,
    )  # fmt: skip
    return Status(201, _out(request, new, company))


_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILE = {
    "responses": {
        200: {
            "description": "The contract document, as an attachment.",
            "content": {
                "application/pdf": _BINARY,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _BINARY,
            },
        }
    }
}


@router.get(
    "/contracts/{contract_id}/document",
    response={**ERRORS},
    openapi_extra=_FILE,
    summary="The contract as DOCX or PDF (stored in the records store)",
)
def contract_document(
    request: HttpRequest, contract_id: UUID, fmt: Literal["docx", "pdf"] = "docx"
):
    from backoffice.hr.documents import FORMATS

    c, company = _contract(request, contract_id)
    name, data = svc.contract_document(
        actor=request_user(request), company=company, contract=c, fmt=fmt
    )
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
