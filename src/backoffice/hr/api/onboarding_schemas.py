"""Schemas of the onboarding/collaborator API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from ninja import Schema
from pydantic import Field, WithJsonSchema

from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate


def _number(low: str, high: str) -> Any:
    """A decimal sent as a JSON number (rounded by the services)."""
    return Annotated[
        Decimal,
        Field(ge=Decimal(low), le=Decimal(high)),
        WithJsonSchema({"type": "number", "minimum": float(low), "maximum": float(high)}),
    ]


Money = _number("0", "9999999999999")
Rate = _number("1", "9999999999999")
Hours = _number("0", "9999")
Quantity = _number("0", "999999")
Line = Annotated[str, Field(max_length=300, pattern=ONE_LINE)]
Short = Annotated[str, Field(max_length=32, pattern=ONE_LINE)]


class HireContractIn(InputSchema):
    contract_type: Annotated[str, Field(max_length=16, pattern=ONE_LINE)]
    end_date: IsoDate | None = None
    salary: Money | None = None
    job_salary: Money | None = None
    job_level: Annotated[str, Field(max_length=16, pattern=ONE_LINE)] = "college"


class PersonIn(InputSchema):
    full_name: Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]
    code: Short = ""
    email: Annotated[str, Field(max_length=254, pattern=ONE_LINE)] = ""
    phone: Annotated[str, Field(max_length=20, pattern=ONE_LINE)] = ""
    date_of_birth: IsoDate | None = None
    gender: Annotated[str, Field(max_length=8, pattern=ONE_LINE)] = ""
    department_id: UUID | None = None
    position_id: UUID | None = None
    portal_account: bool = True


class HireIn(PersonIn):
    start_date: IsoDate
    manager_id: UUID | None = None
    contract: HireContractIn | None = None


class AgreementIn(InputSchema):
    scope: Annotated[str, Field(min_length=1, max_length=5000)]
    rate: Rate
    rate_unit: Annotated[str, Field(max_length=16, pattern=ONE_LINE)]
    start_date: IsoDate
    end_date: IsoDate


class CollaboratorIn(PersonIn):
    agreement: AgreementIn


class OffboardingIn(InputSchema):
    last_day: IsoDate
    reason: Line = ""


class PersonRef(Schema):
    id: UUID
    code: str
    full_name: str
    kind: str
    status: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class CaseTaskOut(Schema):
    id: UUID
    title: str
    area: str
    assignee: str | None
    due_date: IsoDate | None
    state: str
    blocks_close: bool

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.task.public_id

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return obj.task.title

    @staticmethod
    def resolve_assignee(obj: Any) -> str | None:
        return obj.task.assignee.email if obj.task.assignee_id else None

    @staticmethod
    def resolve_due_date(obj: Any) -> dt.date | None:
        return obj.task.due_date

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return obj.task.state


class CaseOut(Schema):
    """From ``selectors.onboarding.case_list`` rows (annotated with the progress)."""

    id: UUID
    employee: PersonRef
    kind: str
    template: str | None
    reference_date: IsoDate
    state: str
    tasks_total: int
    tasks_done: int
    tasks_open: int

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_employee(obj: Any) -> Any:
        return obj.employee

    @staticmethod
    def resolve_template(obj: Any) -> str | None:
        return obj.template.name if obj.template_id else None

    @staticmethod
    def resolve_tasks_total(obj: Any) -> int:
        return obj.n_tasks

    @staticmethod
    def resolve_tasks_done(obj: Any) -> int:
        return obj.n_done

    @staticmethod
    def resolve_tasks_open(obj: Any) -> int:
        return obj.n_open


class CaseDetailOut(CaseOut):
    tasks: list[CaseTaskOut]

    @staticmethod
    def resolve_tasks(obj: Any) -> list[Any]:
        from backoffice.hr.selectors.onboarding import case_tasks

        return case_tasks(obj)


class HireOut(Schema):
    employee: PersonRef
    case: CaseOut


class TemplateItemOut(Schema):
    order: int
    area: str
    title: str
    assignee_role: str
    due_offset_days: int
    blocks_close: bool


class TemplateOut(Schema):
    id: UUID
    name: str
    kind: str
    department: str | None
    position: str | None
    for_collaborators: bool
    is_active: bool
    items: list[TemplateItemOut]

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_department(obj: Any) -> str | None:
        return obj.department.code if obj.department_id else None

    @staticmethod
    def resolve_position(obj: Any) -> str | None:
        return obj.position.code if obj.position_id else None

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class AgreementOut(Schema):
    number: str
    scope: str
    rate_unit: str
    start_date: IsoDate
    end_date: IsoDate | None
    state: str


class CollaboratorOut(Schema):
    """From an Employee row of kind collaborator."""

    employee: PersonRef
    agreement: AgreementOut | None
    has_access: bool

    @staticmethod
    def resolve_employee(obj: Any) -> Any:
        return obj

    @staticmethod
    def resolve_agreement(obj: Any) -> Any:
        from backoffice.hr.services.collaborators import collaborator_agreement

        return (
            collaborator_agreement(obj)
            or obj.contracts.filter(contract_type="service").order_by("-start_date", "-id").first()
        )

    @staticmethod
    def resolve_has_access(obj: Any) -> bool:
        from backoffice.hr.services.collaborators import collaborator_has_access

        return collaborator_has_access(obj)


class WorkLogIn(InputSchema):
    employee_id: UUID | None = None  # empty: the caller's own record (collaborator)
    date: IsoDate
    description: Annotated[str, Field(min_length=1, max_length=300, pattern=ONE_LINE)]
    hours: Hours = Decimal(0)
    quantity: Quantity = Decimal(0)


class WorkLogOut(Schema):
    id: UUID
    employee: PersonRef
    agreement: str
    date: IsoDate
    description: str
    hours: Decimal
    quantity: Decimal
    amount: Decimal | None  # only for salary roles and the collaborator
    state: str
    approval_id: UUID | None

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_employee(obj: Any) -> Any:
        return obj.employee

    @staticmethod
    def resolve_agreement(obj: Any) -> str:
        return obj.contract.number

    @staticmethod
    def resolve_amount(obj: Any, context: Any) -> Decimal | None:
        from backoffice.core.request_context import request_user
        from backoffice.hr.selectors.onboarding import may_see_worklog_amount

        user = request_user(context["request"])
        return obj.amount if may_see_worklog_amount(user=user, log=obj) else None

    @staticmethod
    def resolve_approval_id(obj: Any) -> UUID | None:
        from backoffice.hr.services.collaborators import worklog_approval

        if obj.state == "draft":
            return None
        req = worklog_approval(obj)
        return req.public_id if req else None


class CloseOut(Schema):
    employee: PersonRef


class SyncOut(Schema):
    closed: int
