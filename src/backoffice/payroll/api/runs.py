"""Payroll API: runs, scoped like the desk.

* ``GET /runs``, ``GET /runs/{run_id}``: payroll staff and aggregates-only
  roles (the latter get the public totals: by department, small groups folded);
* ``POST /runs`` (``payroll.manage_run``), ``POST /runs/{run_id}/compute``,
  ``/submit``, ``/pay``, ``/post``, ``/cancel``, ``/adjust``, ``/items``;
* ``GET /runs/{run_id}/payslips``: the register (``payroll.view_run``).

Another company's run is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate
from backoffice.hr.models import Employee
from backoffice.payroll.enums import ItemCategory, TaxTreatment
from backoffice.payroll.selectors import runs as sel
from backoffice.payroll.services import runs as svc

router = Router()

Month = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")]
Name = Annotated[str, Field(min_length=1, max_length=100, pattern=ONE_LINE)]


class RunOut(Schema):
    id: UUID
    period: str
    kind: str
    state: str
    title: str
    adjusts_id: UUID | None
    computed_at: dt.datetime | None
    approved_at: dt.datetime | None
    paid_on: IsoDate | None
    posted_at: dt.datetime | None
    totals: dict[str, Any]

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.public_id

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return f"{obj.year}-{obj.month:02d}"

    @staticmethod
    def resolve_adjusts_id(obj: Any) -> UUID | None:
        return obj.adjusts.public_id if obj.adjusts_id else None

    @staticmethod
    def resolve_totals(obj: Any, context: Any) -> dict[str, Any]:
        user = context["request"].user
        if sel.may_see_amounts(user):
            return {k: v for k, v in (obj.totals or {}).items() if k != "selection"}
        return sel.run_totals_public(obj)


class PayslipRowOut(Schema):
    id: UUID
    employee_id: UUID
    code: str
    name: str
    department: str
    standard_days: str
    paid_days: str
    gross: str
    insurance: str
    union_dues: str
    pit: str
    other_deductions: str
    net: str
    total_cost: str


class RunIn(InputSchema):
    month: Month
    title: Annotated[str, Field(max_length=200, pattern=ONE_LINE)] = ""


class PayIn(InputSchema):
    paid_on: IsoDate


class AdjustIn(InputSchema):
    employee_ids: list[UUID] = []


class ItemIn(InputSchema):
    employee_id: UUID
    name: Name
    amount: Annotated[int, Field(gt=0, le=10**13)]
    category: ItemCategory = ItemCategory.BONUS
    tax_treatment: TaxTreatment = TaxTreatment.TAXABLE
    insurable: bool = False


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def _run(request: HttpRequest, run_id: UUID) -> tuple[Any, Any, Any]:
    user, company = _ctx(request)
    return user, company, sel.run_get_for_user(user=user, company=company, public_id=run_id)


def _employees(company: Any, ids: list[UUID]) -> list[Employee]:
    found = list(Employee.objects.filter(company=company, public_id__in=ids))
    if len(found) != len(set(ids)):
        raise NotFound(_("%(what)s not found.") % {"what": _("Employee")})
    return found


@router.get("/runs", response={200: list[RunOut], **ERRORS})
@paginate(Pagination)
def run_list(request: HttpRequest) -> Any:
    user, company = _ctx(request)
    return sel.run_list(user=user, company=company)


@router.get("/runs/{run_id}", response={200: RunOut, **ERRORS})
def run_detail(request: HttpRequest, run_id: UUID) -> Any:
    return _run(request, run_id)[2]


@router.post("/runs", response={201: RunOut, **ERRORS})
def run_create(request: HttpRequest, payload: RunIn) -> Any:
    user, company = _ctx(request)
    year, month = (int(x) for x in payload.month.split("-"))
    run = svc.run_create(actor=user, company=company, year=year, month=month, title=payload.title)
    return Status(201, run)


@router.post("/runs/{run_id}/compute", response={200: RunOut, **ERRORS})
def run_compute(request: HttpRequest, run_id: UUID) -> Any:
    user, _c, run = _run(request, run_id)
    return svc.run_compute(actor=user, run=run)


@router.post("/runs/{run_id}/submit", response={200: RunOut, **ERRORS})
def run_submit(request: HttpRequest, run_id: UUID) -> Any:
    user, _c, run = _run(request, run_id)
    return svc.run_submit(actor=user, run=run)


@router.post("/runs/{run_id}/pay", response={200: RunOut, **ERRORS})
def run_pay(request: HttpRequest, run_id: UUID, payload: PayIn) -> Any:
    user, _c, run = _run(request, run_id)
    return svc.run_mark_paid(actor=user, run=run, paid_on=payload.paid_on)


@router.post("/runs/{run_id}/post", response={200: RunOut, **ERRORS})
def run_post(request: HttpRequest, run_id: UUID) -> Any:
    user, _c, run = _run(request, run_id)
    return svc.run_post(actor=user, run=run)


@router.post("/runs/{run_id}/cancel", response={200: RunOut, **ERRORS})
def run_cancel(request: HttpRequest, run_id: UUID) -> Any:
    user, _c, run = _run(request, run_id)
    return svc.run_cancel(actor=user, run=run)


@router.post("/runs/{run_id}/adjust", response={201: RunOut, **ERRORS})
def run_adjust(request: HttpRequest, run_id: UUID, payload: AdjustIn) -> Any:
    user, company, run = _run(request, run_id)
    adj = svc.adjustment_create(
        actor=user, run=run, employees=_employees(company, payload.employee_ids)
    )
    return Status(201, adj)


@router.post("/runs/{run_id}/items", response={201: RunOut, **ERRORS})
def run_item_add(request: HttpRequest, run_id: UUID, payload: ItemIn) -> Any:
    user, company, run = _run(request, run_id)
    (emp,) = _employees(company, [payload.employee_id])
    svc.run_item_add(
        actor=user, run=run, employee=emp, name=payload.name, amount=payload.amount,
        category=payload.category, tax_treatment=payload.tax_treatment,
        insurable=payload.insurable,
    )  # fmt: skip
    run.refresh_from_db()
    return Status(201, run)


@router.get("/runs/{run_id}/payslips", response={200: list[PayslipRowOut], **ERRORS})
def run_payslips(request: HttpRequest, run_id: UUID) -> Any:
    user, company, run = _run(request, run_id)
    rows = sel.payslip_rows(sel.payslip_list(user=user, company=company, run=run))
    return [
        {**{k: str(v) for k, v in r.items() if k not in ("payslip", "public_id")},
         "id": r["public_id"], "employee_id": r["payslip"].employee.public_id}
        for r in rows
    ]  # fmt: skip
