"""Payroll API: collaborator payments (``payroll.manage_collaborator_payments``).

* ``GET /collaborator-payments``, ``GET /collaborator-payments/{payment_id}``
* ``POST /collaborator-payments`` (the approved work of the period, or ``amount``)
* ``POST /collaborator-payments/{payment_id}/pay`` ``{"paid_on"}``, ``/post``, ``/cancel``
* ``GET /collaborator-withholding?year=[&month=|&quarter=]`` (also ``payroll.view_reports``)
* ``GET /my-collaborator-payments``: a collaborator's own paid payments
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate, not_null
from backoffice.payroll import exports
from backoffice.payroll.models import CollaboratorPayment
from backoffice.payroll.selectors import collaborators as sel
from backoffice.payroll.selectors.periods import Period
from backoffice.payroll.services import collaborators as svc

router = Router()

Money = Annotated[
    Decimal,
    Field(ge=Decimal(1), le=Decimal("999999999999"), decimal_places=0),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 999999999999}),
]


class CollaboratorPaymentOut(Schema):
    id: UUID
    number: str
    employee_id: UUID
    employee_code: str
    employee_name: str
    period_start: IsoDate
    period_end: IsoDate
    description: str
    amount: str
    withheld: str
    net: str
    has_commitment: bool
    state: str
    paid_on: IsoDate | None
    entry_number: str
    work_log_ids: list[UUID]


class CollaboratorPaymentIn(InputSchema):
    employee_id: UUID
    period_start: IsoDate
    period_end: IsoDate
    amount: Money | None = None
    work_log_ids: Annotated[list[UUID], Field(max_length=500)] | None = None
    has_commitment: bool = False
    description: Annotated[str, Field(max_length=300, pattern=ONE_LINE)] = ""


class CollaboratorPayIn(InputSchema):
    paid_on: IsoDate


class CollaboratorWithholdingQuery(Schema):
    year: Annotated[int, Field(ge=2000, le=2100)]
    month: Annotated[int, Field(ge=1, le=12)] = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    quarter: Annotated[int, Field(ge=1, le=4)] = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]


class CollaboratorWithholdingOut(Schema):
    title: str
    period: str
    columns: list[dict[str, str]]
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None
    notes: list[str]


def _out(p: CollaboratorPayment) -> dict[str, Any]:
    amount, withheld = Decimal(p.amount), Decimal(p.withheld)
    return {
        "id": p.public_id, "number": p.number, "employee_id": p.employee.public_id,
        "employee_code": p.employee.code, "employee_name": p.employee.full_name,
        "period_start": p.period_start, "period_end": p.period_end,
        "description": p.description, "amount": str(amount), "withheld": str(withheld),
        "net": str(amount - withheld), "has_commitment": p.has_commitment, "state": p.state,
        "paid_on": p.paid_on, "entry_number": p.entry.number if p.entry is not None else "",
        "work_log_ids": [w.public_id for w in p.work_logs.all()],
    }  # fmt: skip


def _payment(request: HttpRequest, payment_id: UUID) -> tuple[Any, CollaboratorPayment]:
    company = _company(request)
    return company, sel.payment_get_for_user(user=request.user, company=company,
                                             public_id=payment_id)  # fmt: skip


@router.get("/collaborator-payments", response={200: list[CollaboratorPaymentOut], **ERRORS},
            summary="Collaborator payments")  # fmt: skip
@paginate(Pagination)
def payment_list(request: HttpRequest) -> Any:
    company = _company(request)
    qs = sel.payment_list(user=request.user, company=company).select_related("entry")
    return [_out(p) for p in qs.prefetch_related("work_logs").order_by("-period_end", "-id")]


@router.get("/collaborator-payments/{payment_id}", response={200: CollaboratorPaymentOut, **ERRORS})
def payment_detail(request: HttpRequest, payment_id: UUID) -> Any:
    return _out(_payment(request, payment_id)[1])


@router.post("/collaborator-payments", response={201: CollaboratorPaymentOut, **ERRORS},
             summary="Pay a collaborator's approved work (flat PIT withheld)")  # fmt: skip
def payment_create(request: HttpRequest, payload: CollaboratorPaymentIn) -> Any:
    from backoffice.hr.models import Employee, WorkLog

    company = _company(request)
    sel.payment_list(user=request.user, company=company)  # the permission, before any lookup
    person = Employee.objects.filter(company=company, public_id=payload.employee_id).first()
    if person is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Collaborator")})
    logs = None
    if payload.work_log_ids is not None:
        logs = list(WorkLog.objects.filter(company=company, public_id__in=payload.work_log_ids))
        if len(logs) != len(set(payload.work_log_ids)):
            raise NotFound(_("%(what)s not found.") % {"what": _("Work log")})
    p = svc.collaborator_payment_create(
        actor=request_user(request), company=company, employee=person,
        period_start=payload.period_start, period_end=payload.period_end, work_logs=logs,
        amount=payload.amount, has_commitment=payload.has_commitment,
        description=payload.description,
    )  # fmt: skip
    return Status(201, _out(p))


@router.post(
    "/collaborator-payments/{payment_id}/pay", response={200: CollaboratorPaymentOut, **ERRORS}
)
def payment_pay(request: HttpRequest, payment_id: UUID, payload: CollaboratorPayIn) -> Any:
    company, p = _payment(request, payment_id)
    return _out(svc.collaborator_payment_pay(actor=request_user(request), company=company,
                                             payment=p, paid_on=payload.paid_on))  # fmt: skip


@router.post(
    "/collaborator-payments/{payment_id}/post", response={200: CollaboratorPaymentOut, **ERRORS}
)
def payment_post(request: HttpRequest, payment_id: UUID) -> Any:
    company, p = _payment(request, payment_id)
    return _out(svc.collaborator_payment_post(actor=request_user(request), company=company,
                                              payment=p))  # fmt: skip


@router.post(
    "/collaborator-payments/{payment_id}/cancel", response={200: CollaboratorPaymentOut, **ERRORS}
)
def payment_cancel(request: HttpRequest, payment_id: UUID) -> Any:
    company, p = _payment(request, payment_id)
    return _out(svc.collaborator_payment_cancel(actor=request_user(request), company=company,
                                                payment=p))  # fmt: skip


@router.get("/collaborator-withholding", response={200: CollaboratorWithholdingOut, **ERRORS},
            summary="PIT withheld from collaborators, by person")  # fmt: skip
def withholding(request: HttpRequest, q: Query[CollaboratorWithholdingQuery]) -> Any:
    company = _company(request)
    data = sel.withholding_report(user=request.user, company=company,
                                  period=Period(q.year, q.month, q.quarter))  # fmt: skip
    return exports.collaborator_table(data).as_json()


@router.get("/my-collaborator-payments", response={200: list[CollaboratorPaymentOut], **ERRORS},
            summary="My payments (collaborators)")  # fmt: skip
def my_payments(request: HttpRequest) -> Any:
    company = _company(request)
    qs = sel.my_payment_list(user=request.user, company=company).select_related("employee")
    return [_out(p) for p in qs.prefetch_related("work_logs")[:200]]
