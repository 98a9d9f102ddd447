"""API: employees (``/api/v1/hr/employees`` ...), scoped like the desk.

Identifiers are masked in every response except the audited ``reveal``; the
current salary and salaries in the job history are ``null`` unless the caller
may see them (salary roles, the person themself).
"""

from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import HttpRequest
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
from backoffice.hr import reports
from backoffice.hr.api.paging import ShapedPage
from backoffice.hr.enums import EmployeeStatus, PersonKind, WorkCondition
from backoffice.hr.models import Dependant, Employee
from backoffice.hr.selectors import employees as sel
from backoffice.hr.selectors.access import employee_get_for_user, employee_list, may_see_salary
from backoffice.hr.services import employees as svc
from backoffice.hr.services import employees_family as fam
from backoffice.hr.services.employees_validation import province_choices

router = Router(tags=["hr"])

Line = Annotated[str, Field(max_length=200, pattern=ONE_LINE)]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]
Short = Annotated[str, Field(max_length=20, pattern=ONE_LINE)]
Salary = Annotated[
    Decimal,
    Field(ge=Decimal(1), le=Decimal("999999999999"), decimal_places=0),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 999999999999}),
]
Province = Annotated[
    str,
    Field(json_schema_extra=lambda s: s.update(enum=["", *[c for c, _n in province_choices()]])),
]
Identifier = Literal["national_id", "tax_code", "social_insurance_no", "bank_account"]


def _choices(enum: Any) -> Any:
    return Literal[tuple(enum.values)]  # type: ignore[valid-type]


class EmployeeOut(Schema):
    id: UUID
    code: str
    kind: str
    full_name: str
    date_of_birth: IsoDate | None
    gender: str
    email: str
    phone: str
    department: str
    department_code: str
    position: str
    position_code: str
    manager_code: str
    status: str
    hire_date: IsoDate
    termination_date: IsoDate | None
    current_province: str
    current_province_name: str
    permanent_province: str
    bank_name: str
    national_id: str
    tax_code: str
    social_insurance_no: str
    bank_account: str


class EmployeeDetailOut(EmployeeOut):
    salary: Decimal | None = None


class EmployeeIn(InputSchema):
    full_name: Name
    hire_date: IsoDate
    code: Annotated[str, Field(max_length=32, pattern=ONE_LINE)] = ""
    kind: _choices(PersonKind) = PersonKind.EMPLOYEE  # type: ignore[valid-type]
    date_of_birth: IsoDate | None = None
    gender: Literal["", "male", "female", "other"] = ""
    email: Annotated[str, Field(max_length=254, pattern=ONE_LINE)] = ""
    phone: Short = ""
    permanent_address: Line = ""
    permanent_province: Province = ""
    current_address: Line = ""
    current_province: Province = ""
    national_id: Short = ""
    tax_code: Short = ""
    social_insurance_no: Short = ""
    bank_account: Annotated[str, Field(max_length=30, pattern=ONE_LINE)] = ""
    bank_name: Annotated[str, Field(max_length=100, pattern=ONE_LINE)] = ""
    department_id: UUID | None = None
    position_id: UUID | None = None
    manager_id: UUID | None = None
    work_condition: _choices(WorkCondition) = WorkCondition.NORMAL  # type: ignore[valid-type]
    salary: Salary | None = None


class EmployeePatch(InputSchema):
    full_name: Name | None = None
    date_of_birth: IsoDate | None = None
    gender: Literal["", "male", "female", "other"] | None = None
    email: Annotated[str, Field(max_length=254, pattern=ONE_LINE)] | None = None
    phone: Short | None = None
    permanent_address: Line | None = None
    permanent_province: Province | None = None
    current_address: Line | None = None
    current_province: Province | None = None
    national_id: Short | None = None
    tax_code: Short | None = None
    social_insurance_no: Short | None = None
    bank_account: Annotated[str, Field(max_length=30, pattern=ONE_LINE)] | None = None
    bank_name: Annotated[str, Field(max_length=100, pattern=ONE_LINE)] | None = None
    department_id: UUID | None = None
    position_id: UUID | None = None
    manager_id: UUID | None = None
    status: _choices(EmployeeStatus) | None = None  # type: ignore[valid-type]
    work_condition: _choices(WorkCondition) | None = None  # type: ignore[valid-type]


class RevealIn(InputSchema):
    field: Identifier


class RevealOut(Schema):
    field: str
    value: str


class JobChangeOut(Schema):
    id: UUID
    kind: str
    effective_date: IsoDate
    department: str
    position: str
    salary: Decimal | None
    note: str


class JobChangeIn(InputSchema):
    kind: Literal["transfer", "promotion", "salary", "termination"]
    effective_date: IsoDate
    department_id: UUID | None = None
    position_id: UUID | None = None
    salary: Salary | None = None
    note: Line = ""


class DependantOut(Schema):
    id: UUID
    full_name: str
    relationship: str
    date_of_birth: IsoDate | None
    national_id: str
    registered_from: IsoDate
    registered_to: IsoDate | None

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_national_id(obj: Any) -> str:
        from backoffice.core.fields import mask

        return mask(obj.national_id)


class DependantIn(InputSchema):
    full_name: Name
    relationship: Annotated[str, Field(min_length=1, max_length=50, pattern=ONE_LINE)]
    registered_from: IsoDate
    registered_to: IsoDate | None = None
    date_of_birth: IsoDate | None = None
    national_id: Short = ""


class HeadcountOut(Schema):
    key: str
    label: str
    count: int


class EmployeeFilter(Schema):
    q: Annotated[str, Field(max_length=100)] = ""
    department_id: UUID | None = None
    position_id: UUID | None = None
    status: Literal["", "onboarding", "active", "offboarding", "left"] = ""
    kind: Literal["", "employee", "collaborator"] = ""


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def _ref(model: Any, company: Any, public_id: UUID | None, what: str) -> Any:
    if public_id is None:
        return None
    obj = model.objects.filter(company=company, public_id=public_id).first()
    if obj is None:
        raise NotFound(_("%(what)s not found.") % {"what": what})
    return obj


def _relations(company: Any, data: dict[str, Any]) -> dict[str, Any]:
    for key, model, what in (("department_id", Department, _("Department")),
                             ("position_id", Position, _("Position")),
                             ("manager_id", Employee, _("Employee"))):  # fmt: skip
        if key in data:
            data[key[:-3]] = _ref(model, company, data.pop(key), what)
    return data


def _detail(user: Any, company: Any, emp: Employee) -> dict[str, Any]:
    row = sel.employee_row(emp)
    if may_see_salary(user=user, company=company, employee=emp):
        row["salary"] = svc.salary_on(emp, timezone.localdate())
    return row


@router.get("/employees", response={200: list[EmployeeOut], **ERRORS})
@paginate(Pagination)
def employee_list_api(request: HttpRequest, filters: Query[EmployeeFilter]):
    user, company = _ctx(request)
    qs = sel.employee_search(
        employee_list(user=user, company=company), q=filters.q, status=filters.status,
        kind=filters.kind,
        department=_ref(Department, company, filters.department_id, _("Department")),
        position=_ref(Position, company, filters.position_id, _("Position")),
    )  # fmt: skip
    return ShapedPage(qs.order_by("code"), sel.employee_row)


@router.get("/employees/{employee_id}", response={200: EmployeeDetailOut, **ERRORS})
def employee_detail(request: HttpRequest, employee_id: UUID):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    return _detail(user, company, emp)


@router.post("/employees", response={201: EmployeeDetailOut, **ERRORS})
def employee_create(request: HttpRequest, payload: EmployeeIn):
    user, company = _ctx(request)
    data = _relations(company, payload.dict())
    salary = data.pop("salary", None)
    emp = svc.employee_create(actor=user, company=company, salary=salary, **data)
    return Status(201, _detail(user, company, emp))


@router.patch("/employees/{employee_id}", response={200: EmployeeDetailOut, **ERRORS})
def employee_update(request: HttpRequest, employee_id: UUID, payload: EmployeePatch):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    data = _relations(company, payload.dict(exclude_unset=True))
    data = {k: v for k, v in data.items() if v is not None or k in ("manager",)}
    emp = svc.employee_update(actor=user, company=company, employee=emp, **data)
    return _detail(user, company, emp)


@router.post("/employees/{employee_id}/reveal", response={200: RevealOut, **ERRORS},
             summary="Reveal one identifier (audited)")  # fmt: skip
def employee_reveal(request: HttpRequest, employee_id: UUID, payload: RevealIn):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    value = svc.employee_reveal(actor=user, company=company, employee=emp, field=payload.field)
    return {"field": payload.field, "value": value}


@router.get("/employees/{employee_id}/job-history", response={200: list[JobChangeOut], **ERRORS})
def job_history(request: HttpRequest, employee_id: UUID):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    return sel.job_history(user=user, company=company, employee=emp)


@router.post("/employees/{employee_id}/job-changes", response={201: JobChangeOut, **ERRORS})
def job_change_create(request: HttpRequest, employee_id: UUID, payload: JobChangeIn):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    data = _relations(company, payload.dict())
    change = svc.job_change_record(actor=user, company=company, employee=emp, **data)
    shown = may_see_salary(user=user, company=company, employee=emp)
    return Status(201, {
        "id": change.public_id, "kind": change.kind, "effective_date": change.effective_date,
        "department": change.department.name if change.department_id else "",
        "position": change.position.name if change.position_id else "",
        "salary": change.salary if shown else None, "note": change.note,
    })  # fmt: skip


@router.get("/employees/{employee_id}/dependants", response={200: list[DependantOut], **ERRORS})
def dependant_list(request: HttpRequest, employee_id: UUID):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    return list(sel.dependant_list(user=user, company=company, employee=emp))


@router.post("/employees/{employee_id}/dependants", response={201: DependantOut, **ERRORS})
def dependant_create(request: HttpRequest, employee_id: UUID, payload: DependantIn):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    dep = fam.dependant_create(actor=user, company=company, employee=emp, **payload.dict())
    return Status(201, dep)


@router.delete("/employees/{employee_id}/dependants/{dependant_id}",
               response={204: None, **ERRORS})  # fmt: skip
def dependant_delete(request: HttpRequest, employee_id: UUID, dependant_id: UUID):
    user, company = _ctx(request)
    emp = employee_get_for_user(user=user, company=company, public_id=employee_id)
    dep: Dependant = sel.dependant_get(user=user, company=company, employee=emp,
                                       public_id=dependant_id)  # fmt: skip
    fam.dependant_delete(actor=user, company=company, dependant=dep)
    return Status(204, None)


@router.get("/reports/headcount", response={200: list[HeadcountOut], **ERRORS},
            summary="Headcount on a date by department, position or contract type")  # fmt: skip
def headcount(request: HttpRequest, on: IsoDate | None = None,
              by: Literal["department", "position", "contract_type"] = "department"):  # fmt: skip
    user, company = _ctx(request)
    return reports.headcount(user=user, company=company, on=on or timezone.localdate(), by=by)
