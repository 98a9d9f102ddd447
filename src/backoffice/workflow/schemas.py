"""Request and response bodies of the workflow API (UUIDs outside, never row ids)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema

from backoffice.core.enums import Role
from backoffice.core.schemas import ONE_LINE, InputSchema

Title = Annotated[str, Field(min_length=1, max_length=300, pattern=ONE_LINE)]
Line = Annotated[str, Field(max_length=300, pattern=ONE_LINE)]
Text = Annotated[str, Field(max_length=5000)]


# Amounts are rounded to 2 decimals by the services (whole đồng for VND in practice).
def _number(low: str, high: str) -> Any:
    """A decimal sent as a JSON number (strings are accepted too, but not advertised)."""
    return Annotated[
        Decimal,
        Field(ge=Decimal(low), le=Decimal(high)),
        WithJsonSchema({"type": "number", "minimum": float(low), "maximum": float(high)}),
    ]


Amount = _number("0", "999999999999999")
Positive = _number("0.01", "999999999999999")
Hours = _number("0", "99999")


def _request_type_enum(schema: dict[str, Any]) -> None:
    from backoffice.workflow.registry import request_types

    schema["enum"] = [rt.code for rt in request_types()]


def _check_request_type(code: str) -> str:
    from backoffice.workflow.registry import request_types

    if code not in {rt.code for rt in request_types()}:
        raise ValueError("unknown request type")
    return code


RequestTypeCode = Annotated[
    str,
    Field(min_length=1, max_length=40, json_schema_extra=_request_type_enum),
    AfterValidator(_check_request_type),
]
RoleCode = Annotated[str, Field(pattern="^(|" + "|".join(Role.values) + ")$")]
ShortDate = date


def _uid(obj: Any) -> UUID | None:
    return obj.public_id if obj is not None else None


class PersonOut(Schema):
    id: UUID
    email: str
    full_name: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class StepIn(InputSchema):
    order: int = Field(1, ge=1, le=99)
    name: Title
    approver_kind: str = Field("manager", pattern="^(role|manager|users)$")
    role: RoleCode = ""
    user_ids: list[UUID] = Field(default_factory=list, max_length=50)
    mode: str = Field("any", pattern="^(any|all)$")
    min_amount: Amount | None = None
    max_amount: Amount | None = None
    department_id: UUID | None = None


class PolicyIn(InputSchema):
    request_type: RequestTypeCode
    name: Title
    is_active: bool = True
    steps: list[StepIn] = Field(min_length=1, max_length=20)


class StepOut(Schema):
    order: int
    name: str
    approver_kind: str
    role: str
    users: list[PersonOut]
    mode: str
    min_amount: Decimal | None
    max_amount: Decimal | None
    department_id: UUID | None

    @staticmethod
    def resolve_users(obj: Any) -> list[Any]:
        return list(obj.users.all())

    @staticmethod
    def resolve_department_id(obj: Any) -> UUID | None:
        return _uid(obj.department)


class PolicyOut(Schema):
    id: UUID
    request_type: str
    name: str
    is_active: bool
    steps: list[StepOut]

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.all())


class DelegationIn(InputSchema):
    to_user_id: UUID
    start_date: ShortDate
    end_date: ShortDate
    note: Line = ""


class DelegationOut(Schema):
    id: UUID
    from_user: PersonOut
    to_user: PersonOut
    start_date: date
    end_date: date
    note: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class RequestStepOut(Schema):
    order: int
    name: str
    mode: str
    state: str
    approvers: list[PersonOut]

    @staticmethod
    def resolve_approvers(obj: Any) -> list[Any]:
        return list(obj.approvers.all())


class DecisionOut(Schema):
    step: str
    actor: PersonOut
    on_behalf_of: PersonOut | None
    approve: bool
    comment: str
    created_at: datetime

    @staticmethod
    def resolve_step(obj: Any) -> str:
        return obj.step.name


class ApprovalRequestOut(Schema):
    id: UUID
    request_type: str
    title: str
    state: str
    requester: PersonOut
    amount: Decimal | None
    department_id: UUID | None
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_department_id(obj: Any) -> UUID | None:
        return _uid(obj.department)


class ApprovalRequestDetailOut(ApprovalRequestOut):
    steps: list[RequestStepOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_steps(obj: Any) -> list[Any]:
        return list(obj.steps.all())

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Any]:
        return list(obj.decisions.select_related("step", "actor", "on_behalf_of"))


class DecideIn(InputSchema):
    approve: bool
    comment: Text = ""


class ChecklistOut(Schema):
    id: UUID
    text: str
    done: bool

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class TaskIn(InputSchema):
    title: Title
    description: Text = ""
    assignee_id: UUID | None = None
    due_date: ShortDate | None = None
    priority: str = Field("normal", pattern="^(low|normal|high|urgent)$")
    estimated_hours: Hours = Decimal(0)
    recurrence: str = Field("", pattern="^(|daily|weekly|monthly)$")
    checklist: list[Line] = Field(default_factory=list, max_length=100)


class TaskPatch(InputSchema):
    title: Title | None = None
    description: Text | None = None
    assignee_id: UUID | None = None
    due_date: ShortDate | None = None
    priority: str | None = Field(None, pattern="^(low|normal|high|urgent)$")
    estimated_hours: Hours | None = None


class TaskOut(Schema):
    id: UUID
    title: str
    description: str
    assignee: PersonOut | None
    due_date: date | None
    priority: str
    estimated_hours: Decimal
    state: str
    recurrence: str
    escalated: bool
    checklist: list[ChecklistOut]

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_escalated(obj: Any) -> bool:
        return obj.escalated_at is not None

    @staticmethod
    def resolve_checklist(obj: Any) -> list[Any]:
        return list(obj.checklist.all())


class ChecklistIn(InputSchema):
    done: bool


class ExpenseLineIn(InputSchema):
    date: ShortDate
    description: Title
    category: str = Field("other", pattern="^(travel|meals|office|transport|communication|other)$")
    amount: Positive
    vat_rate: Literal[0, 5, 8, 10] | None = None
    vat_amount: Amount | None = None
    invoice_number: str = Field("", max_length=50, pattern=ONE_LINE)


class ExpenseClaimIn(InputSchema):
    title: Title
    department_id: UUID | None = None
    lines: list[ExpenseLineIn] = Field(default_factory=list, max_length=200)


class ExpenseLineOut(Schema):
    date: date
    description: str
    category: str
    amount: Decimal
    vat_rate: int | None
    vat_amount: Decimal
    invoice_number: str


class DocOut(Schema):
    id: UUID
    title: str
    state: str
    total: Decimal
    requester: PersonOut
    department_id: UUID | None
    approval_id: UUID | None
    created_at: datetime

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_department_id(obj: Any) -> UUID | None:
        return _uid(obj.department)

    @staticmethod
    def resolve_approval_id(obj: Any) -> UUID | None:
        return _uid(obj.approval)


class ExpenseClaimOut(DocOut):
    posted_reference: str
    lines: list[ExpenseLineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class PurchaseItemIn(InputSchema):
    description: Title
    quantity: _number("0.01", "9999")  # type: ignore[valid-type]
    unit: str = Field("", max_length=20, pattern=ONE_LINE)
    estimated_price: _number("0", "999999999999")  # type: ignore[valid-type]


class PurchaseRequestIn(InputSchema):
    title: Title
    supplier: str = Field("", max_length=200, pattern=ONE_LINE)
    reason: Text = ""
    needed_by: ShortDate | None = None
    department_id: UUID | None = None
    items: list[PurchaseItemIn] = Field(default_factory=list, max_length=100)


class PurchaseItemOut(Schema):
    description: str
    quantity: Decimal
    unit: str
    estimated_price: Decimal


class PurchaseRequestOut(DocOut):
    supplier: str
    reason: str
    needed_by: date | None
    items: list[PurchaseItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class ReceiptOut(Schema):
    id: UUID
    title: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class WorkloadRowOut(Schema):
    user_id: UUID | None = None
    name: str = ""
    department: str = ""
    people: int | None = None
    open: int
    due_this_week: int
    overdue: int
    hours: Decimal


class WorkloadOut(Schema):
    on: date
    week_start: date
    week_end: date
    people: list[WorkloadRowOut]
    teams: list[WorkloadRowOut]


class PendingOut(Schema):
    request: ApprovalRequestOut
    step: str


class MyWorkOut(Schema):
    tasks: list[TaskOut]
    pending: list[PendingOut]
    requests: list[ApprovalRequestOut]
