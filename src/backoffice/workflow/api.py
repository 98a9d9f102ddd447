"""The workflow API (mounted at /api/v1/workflow/ by backoffice.api): thin
adapters over ``selectors`` and ``services``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound
from backoffice.core.models import Department, User
from backoffice.core.request_context import request_user
from backoffice.workflow import selectors, services
from backoffice.workflow.models import ChecklistItem
from backoffice.workflow.schemas import (
    ApprovalRequestDetailOut,
    ApprovalRequestOut,
    ChecklistIn,
    ChecklistOut,
    DecideIn,
    DelegationIn,
    DelegationOut,
    ExpenseClaimIn,
    ExpenseClaimOut,
    MyWorkOut,
    PolicyIn,
    PolicyOut,
    PurchaseRequestIn,
    PurchaseRequestOut,
    ReceiptOut,
    TaskIn,
    TaskOut,
    TaskPatch,
    WorkloadOut,
)

router = Router(tags=["workflow"])


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def _person(company: Any, public_id: UUID | None) -> User | None:
    if public_id is None:
        return None
    user = User.objects.filter(
        public_id=public_id, memberships__company=company, memberships__is_active=True
    ).first()
    if user is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("User")})
    return user


def _department(company: Any, public_id: UUID | None) -> Department | None:
    if public_id is None:
        return None
    dept = Department.objects.filter(company=company, public_id=public_id).first()
    if dept is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Department")})
    return dept


# --- my work and workload ------------------------------------------------------------------
@router.get("/my-work", response={200: MyWorkOut, **ERRORS}, summary="My tasks and approvals")
def my_work(request: HttpRequest):
    user, company = _ctx(request)
    data = selectors.my_work(user=user, company=company)
    return {
        "tasks": data["tasks"],
        "pending": [{"request": s.request, "step": s.name} for s in data["pending"]],
        "requests": data["requests"],
    }


@router.get("/workload", response={200: WorkloadOut, **ERRORS}, summary="Workload per person")
def workload(request: HttpRequest):
    user, company = _ctx(request)
    data = selectors.workload(user=user, company=company)
    people = [
        {**{k: r[k] for k in ("open", "due_this_week", "overdue", "hours", "name")},
         "user_id": r["user"].public_id,
         "department": r["department"].name if r["department"] else ""}
        for r in data["people"]
    ]  # fmt: skip
    teams = [
        {**{k: t[k] for k in ("open", "due_this_week", "overdue", "hours", "people")},
         "department": t["department"].name if t["department"] else ""}
        for t in data["teams"]
    ]  # fmt: skip
    return {**data, "people": people, "teams": teams}


# --- policies -----------------------------------------------------------------------------------
def _steps(company: Any, payload: PolicyIn) -> list[dict[str, Any]]:
    return [
        {
            "order": s.order,
            "name": s.name,
            "approver_kind": s.approver_kind,
            "role": s.role,
            "users": [_person(company, uid) for uid in s.user_ids],
            "mode": s.mode,
            "min_amount": s.min_amount,
            "max_amount": s.max_amount,
            "department": _department(company, s.department_id),
        }
        for s in payload.steps
    ]


@router.get("/policies", response={200: list[PolicyOut], **ERRORS})
@paginate(Pagination)
def policy_list(request: HttpRequest):
    user, company = _ctx(request)
    return selectors.policy_list(user=user, company=company)


@router.get("/policies/{policy_id}", response={200: PolicyOut, **ERRORS})
def policy_detail(request: HttpRequest, policy_id: UUID):
    user, company = _ctx(request)
    return selectors.policy_get_for_user(user=user, company=company, public_id=policy_id)


@router.post("/policies", response={201: PolicyOut, **ERRORS})
def policy_create(request: HttpRequest, payload: PolicyIn):
    user, company = _ctx(request)
    policy = services.policy_save(
        actor=user, company=company, request_type=payload.request_type, name=payload.name,
        is_active=payload.is_active, steps=_steps(company, payload),
    )  # fmt: skip
    return Status(201, policy)


@router.put("/policies/{policy_id}", response={200: PolicyOut, **ERRORS})
def policy_replace(request: HttpRequest, policy_id: UUID, payload: PolicyIn):
    user, company = _ctx(request)
    policy = selectors.policy_get_for_user(user=user, company=company, public_id=policy_id)
    return services.policy_save(
        actor=user, company=company, request_type=payload.request_type, name=payload.name,
        is_active=payload.is_active, steps=_steps(company, payload), policy=policy,
    )  # fmt: skip


@router.delete("/policies/{policy_id}", response={204: None, **ERRORS})
def policy_delete(request: HttpRequest, policy_id: UUID):
    user, company = _ctx(request)
    policy = selectors.policy_get_for_user(user=user, company=company, public_id=policy_id)
    services.policy_delete(actor=user, policy=policy)
    return Status(204, None)


# --- delegations ---------------------------------------------------------------------------------
def _delegation(user: Any, company: Any, public_id: UUID):
    obj = selectors.delegation_list(user=user, company=company).filter(public_id=public_id).first()
    if obj is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Delegation")})
    return obj


@router.get("/delegations", response={200: list[DelegationOut], **ERRORS})
@paginate(Pagination)
def delegation_list(request: HttpRequest):
    user, company = _ctx(request)
    return selectors.delegation_list(user=user, company=company)


@router.post("/delegations", response={201: DelegationOut, **ERRORS})
def delegation_create(request: HttpRequest, payload: DelegationIn):
    user, company = _ctx(request)
    d = services.delegation_create(
        actor=user, company=company, to_user=_person(company, payload.to_user_id),
        start_date=payload.start_date, end_date=payload.end_date, note=payload.note,
    )  # fmt: skip
    return Status(201, d)


@router.delete("/delegations/{delegation_id}", response={204: None, **ERRORS})
def delegation_delete(request: HttpRequest, delegation_id: UUID):
    user, company = _ctx(request)
    services.delegation_delete(actor=user, delegation=_delegation(user, company, delegation_id))
    return Status(204, None)


# --- approval requests ------------------------------------------------------------------------------
@router.get("/requests", response={200: list[ApprovalRequestOut], **ERRORS})
@paginate(Pagination)
def request_list(request: HttpRequest, state: str = ""):
    user, company = _ctx(request)
    qs = selectors.approval_request_list(user=user, company=company).select_related(
        "requester", "department"
    )
    return qs.filter(state=state) if state else qs


@router.get("/requests/pending", response={200: list[ApprovalRequestOut], **ERRORS},
            summary="Requests waiting for my decision (also as a delegate)")  # fmt: skip
def request_pending(request: HttpRequest):
    user, company = _ctx(request)
    return [s.request for s in selectors.pending_steps_for(user=user, company=company)]


@router.get("/requests/{request_id}", response={200: ApprovalRequestDetailOut, **ERRORS})
def request_detail(request: HttpRequest, request_id: UUID):
    user, company = _ctx(request)
    return selectors.approval_request_get_for_user(user=user, company=company, public_id=request_id)


@router.post("/requests/{request_id}/decide", response={200: ApprovalRequestDetailOut, **ERRORS})
def request_decide(request: HttpRequest, request_id: UUID, payload: DecideIn):
    user, company = _ctx(request)
    req = selectors.approval_request_get_for_user(user=user, company=company, public_id=request_id)
    services.approval_decide(actor=user, company=company, request=req, approve=payload.approve,
                             comment=payload.comment)  # fmt: skip
    req.refresh_from_db()
    return req


@router.post("/requests/{request_id}/withdraw", response={200: ApprovalRequestOut, **ERRORS})
def request_withdraw(request: HttpRequest, request_id: UUID):
    user, company = _ctx(request)
    req = selectors.approval_request_get_for_user(user=user, company=company, public_id=request_id)
    return services.approval_withdraw(actor=user, company=company, request=req)


# --- tasks ---------------------------------------------------------------------------------------------
@router.get("/tasks", response={200: list[TaskOut], **ERRORS})
@paginate(Pagination)
def task_list(request: HttpRequest, mine: bool = False, open_only: bool = False):
    user, company = _ctx(request)
    qs = (selectors.my_tasks if mine else selectors.task_list)(user=user, company=company)
    if open_only:
        qs = qs.filter(state__in=["open", "in_progress"])
    return qs.select_related("assignee").prefetch_related("checklist").order_by("due_date", "id")


@router.post("/tasks", response={201: TaskOut, **ERRORS})
def task_create(request: HttpRequest, payload: TaskIn):
    user, company = _ctx(request)
    task = services.task_create(
        actor=user, company=company, title=payload.title, description=payload.description,
        assignee=_person(company, payload.assignee_id) if payload.assignee_id else user,
        due_date=payload.due_date, priority=payload.priority,
        estimated_hours=payload.estimated_hours, recurrence=payload.recurrence,
        checklist=payload.checklist,
    )  # fmt: skip
    return Status(201, task)


@router.get("/tasks/{task_id}", response={200: TaskOut, **ERRORS})
def task_detail(request: HttpRequest, task_id: UUID):
    user, company = _ctx(request)
    return selectors.task_get_for_user(user=user, company=company, public_id=task_id)


@router.patch("/tasks/{task_id}", response={200: TaskOut, **ERRORS})
def task_update(request: HttpRequest, task_id: UUID, payload: TaskPatch):
    user, company = _ctx(request)
    task = selectors.task_get_for_user(user=user, company=company, public_id=task_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "assignee_id" in changes:
        changes["assignee"] = _person(company, changes.pop("assignee_id"))
    return services.task_update(actor=user, task=task, **changes)


@router.post("/tasks/{task_id}/complete", response={200: TaskOut, **ERRORS})
def task_complete(request: HttpRequest, task_id: UUID):
    user, company = _ctx(request)
    task = selectors.task_get_for_user(user=user, company=company, public_id=task_id)
    return services.task_complete(actor=user, task=task)


@router.post("/tasks/{task_id}/checklist/{item_id}", response={200: ChecklistOut, **ERRORS})
def task_checklist(request: HttpRequest, task_id: UUID, item_id: UUID, payload: ChecklistIn):
    user, company = _ctx(request)
    task = selectors.task_get_for_user(user=user, company=company, public_id=task_id)
    item = ChecklistItem.objects.filter(task=task, public_id=item_id).first()
    if item is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Checklist item")})
    return services.checklist_item_set(actor=user, item=item, done=payload.done)


# --- expense claims ---------------------------------------------------------------------------------------
def _lines(payload: ExpenseClaimIn) -> list[dict[str, Any]]:
    return [line.dict() for line in payload.lines]


def _claim(request: HttpRequest, claim_id: UUID):
    user, company = _ctx(request)
    return selectors.expense_claim_get_for_user(user=user, company=company, public_id=claim_id)


@router.get("/expense-claims", response={200: list[ExpenseClaimOut], **ERRORS})
@paginate(Pagination)
def expense_claim_list(request: HttpRequest, mine: bool = False):
    user, company = _ctx(request)
    qs = selectors.expense_claim_list(user=user, company=company)
    if mine:
        qs = qs.filter(requester=user)
    return qs.select_related("approval").prefetch_related("lines").order_by("-created_at")


@router.post("/expense-claims", response={201: ExpenseClaimOut, **ERRORS})
def expense_claim_create(request: HttpRequest, payload: ExpenseClaimIn):
    user, company = _ctx(request)
    claim = services.expense_claim_create(
        actor=user, company=company, title=payload.title, lines=_lines(payload),
        department=_department(company, payload.department_id),
    )  # fmt: skip
    return Status(201, claim)


@router.get("/expense-claims/{claim_id}", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_detail(request: HttpRequest, claim_id: UUID):
    return _claim(request, claim_id)


@router.put("/expense-claims/{claim_id}", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_update(request: HttpRequest, claim_id: UUID, payload: ExpenseClaimIn):
    user, company = _ctx(request)
    return services.expense_claim_update(
        actor=user, claim=_claim(request, claim_id), title=payload.title, lines=_lines(payload),
        department=_department(company, payload.department_id),
    )  # fmt: skip


@router.post("/expense-claims/{claim_id}/submit", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_submit(request: HttpRequest, claim_id: UUID):
    user, company = _ctx(request)
    return services.expense_claim_submit(
        actor=user, company=company, claim=_claim(request, claim_id)
    )


@router.post("/expense-claims/{claim_id}/withdraw", response={200: ExpenseClaimOut, **ERRORS})
def expense_claim_withdraw(request: HttpRequest, claim_id: UUID):
    user, company = _ctx(request)
    return services.expense_claim_withdraw(
        actor=user, company=company, claim=_claim(request, claim_id)
    )


@router.get("/expense-claims/{claim_id}/receipts", response={200: list[ReceiptOut], **ERRORS})
def expense_receipts(request: HttpRequest, claim_id: UUID):
    user, company = _ctx(request)
    return selectors.expense_receipts(user=user, company=company, claim=_claim(request, claim_id))


@router.post("/expense-claims/{claim_id}/receipts", response={201: ReceiptOut, **ERRORS})
def expense_receipt_upload(request: HttpRequest, claim_id: UUID, file: File[UploadedFile]):
    user, company = _ctx(request)
    doc = services.expense_receipt_attach(
        actor=user, company=company, claim=_claim(request, claim_id), uploaded_file=file
    )
    return Status(201, doc)


@router.delete("/expense-claims/{claim_id}", response={204: None, **ERRORS})
def expense_claim_delete(request: HttpRequest, claim_id: UUID):
    user, _company_ = _ctx(request)
    services.expense_claim_delete(actor=user, claim=_claim(request, claim_id))
    return Status(204, None)


# --- purchase requests ----------------------------------------------------------------------------------
def _pr(request: HttpRequest, pr_id: UUID):
    user, company = _ctx(request)
    return selectors.purchase_request_get_for_user(user=user, company=company, public_id=pr_id)


def _pr_fields(payload: PurchaseRequestIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "supplier": payload.supplier,
        "reason": payload.reason,
        "needed_by": payload.needed_by,
        "items": [i.dict() for i in payload.items],
    }


@router.get("/purchase-requests", response={200: list[PurchaseRequestOut], **ERRORS})
@paginate(Pagination)
def purchase_request_list(request: HttpRequest, mine: bool = False):
    user, company = _ctx(request)
    qs = selectors.purchase_request_list(user=user, company=company)
    if mine:
        qs = qs.filter(requester=user)
    return qs.select_related("approval").prefetch_related("items").order_by("-created_at")


@router.post("/purchase-requests", response={201: PurchaseRequestOut, **ERRORS})
def purchase_request_create(request: HttpRequest, payload: PurchaseRequestIn):
    user, company = _ctx(request)
    pr = services.purchase_request_create(
        actor=user, company=company, department=_department(company, payload.department_id),
        **_pr_fields(payload),
    )  # fmt: skip
    return Status(201, pr)


@router.get("/purchase-requests/{pr_id}", response={200: PurchaseRequestOut, **ERRORS})
def purchase_request_detail(request: HttpRequest, pr_id: UUID):
    return _pr(request, pr_id)


@router.put("/purchase-requests/{pr_id}", response={200: PurchaseRequestOut, **ERRORS})
def purchase_request_update(request: HttpRequest, pr_id: UUID, payload: PurchaseRequestIn):
    user, _company_ = _ctx(request)
    return services.purchase_request_update(actor=user, pr=_pr(request, pr_id),
                                            **_pr_fields(payload))  # fmt: skip


@router.post("/purchase-requests/{pr_id}/submit", response={200: PurchaseRequestOut, **ERRORS})
def purchase_request_submit(request: HttpRequest, pr_id: UUID):
    user, company = _ctx(request)
    return services.purchase_request_submit(actor=user, company=company, pr=_pr(request, pr_id))


@router.post("/purchase-requests/{pr_id}/withdraw", response={200: PurchaseRequestOut, **ERRORS})
def purchase_request_withdraw(request: HttpRequest, pr_id: UUID):
    user, company = _ctx(request)
    return services.purchase_request_withdraw(actor=user, company=company, pr=_pr(request, pr_id))


@router.delete("/purchase-requests/{pr_id}", response={204: None, **ERRORS})
def purchase_request_delete(request: HttpRequest, pr_id: UUID):
    user, _company_ = _ctx(request)
    services.purchase_request_delete(actor=user, pr=_pr(request, pr_id))
    return Status(204, None)
