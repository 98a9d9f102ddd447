"""Reads of the workflow app, scoped by company, permission and involvement.

- approval requests: the company's with ``workflow.view_approvalrequest``;
  otherwise those one requested, may decide now (also as a delegate) or decided;
- tasks: the company's with ``workflow.view_task``; otherwise assigned to or
  created by the user, plus those of the departments the user manages;
- expense claims / purchase requests: the company's with the view permission;
  otherwise one's own and those one approves.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound, PermissionDenied
from backoffice.core.models import Company, Department, Membership, User
from backoffice.core.selectors import require_perm, scope_to_company
from backoffice.workflow.models import (
    OPEN_TASK_STATES,
    ApprovalPolicy,
    ApprovalRequest,
    Delegation,
    ExpenseClaim,
    PurchaseRequest,
    RequestState,
    RequestStep,
    StepState,
    Task,
)
from backoffice.workflow.services import (
    _decided_for,
    delegators_of,
    is_member,
    today,
)


def _member(user: Any, company: Company | None) -> bool:
    return company is not None and is_member(user, company)


def _get(qs: QuerySet, pk: Any, what: str):
    try:
        return qs.get(public_id=pk)
    except Exception as exc:  # DoesNotExist, bad uuid
        raise NotFound(_("%(what)s not found.") % {"what": what}) from exc


# --- approvals -------------------------------------------------------------------------
def policy_list(*, user: Any, company: Company) -> QuerySet[ApprovalPolicy]:
    require_perm(user, "workflow.view_approvalpolicy")
    return scope_to_company(
        ApprovalPolicy.objects.prefetch_related("steps__users", "steps__department"), company
    )


def policy_get_for_user(*, user: Any, company: Company, public_id: Any) -> ApprovalPolicy:
    return _get(policy_list(user=user, company=company), public_id, _("Approval policy"))


def pending_steps_for(*, user: Any, company: Company) -> list[RequestStep]:
    """Current steps ``user`` may decide now, as approver or as a delegate."""
    ids = {user.pk} | delegators_of(user, company)
    steps = (
        RequestStep.objects.filter(
            state=StepState.PENDING,
            request__company=company,
            request__state=RequestState.PENDING,
            approvers__in=ids,
        )
        .exclude(request__requester=user)
        .select_related("request", "request__requester", "request__department")
        .prefetch_related("approvers", "decisions")
        .distinct()
        .order_by("request__created_at")
    )
    out = []
    for step in steps:
        approvers = {u.pk for u in step.approvers.all()}
        if (approvers & ids) - _decided_for(step):
            out.append(step)
    return out


def involved_requests(*, user: Any, company: Company | None) -> QuerySet[ApprovalRequest]:
    """Requests the user made, may decide now, or decided (never another company's)."""
    if not _member(user, company):
        return ApprovalRequest.objects.none()
    assert company is not None
    ids = {user.pk} | delegators_of(user, company)
    return (
        scope_to_company(ApprovalRequest.objects.all(), company)
        .filter(
            Q(requester=user)
            | Q(decisions__actor=user)
            | Q(steps__state=StepState.PENDING, steps__approvers__in=ids)
        )
        .distinct()
    )


def approval_request_list(*, user: Any, company: Company | None) -> QuerySet[ApprovalRequest]:
    if company is not None and user.has_perm("workflow.view_approvalrequest"):
        return scope_to_company(ApprovalRequest.objects.all(), company)
    return involved_requests(user=user, company=company)


def approval_request_get_for_user(
    *, user: Any, company: Company, public_id: Any
) -> ApprovalRequest:
    return _get(approval_request_list(user=user, company=company), public_id, _("Request"))


def delegation_list(*, user: Any, company: Company | None) -> QuerySet[Delegation]:
    if not _member(user, company):
        return Delegation.objects.none()
    return scope_to_company(Delegation.objects.select_related("from_user", "to_user"), company)\
        .filter(Q(from_user=user) | Q(to_user=user))  # fmt: skip


# --- tasks ------------------------------------------------------------------------------
def managed_departments(*, user: Any, company: Company) -> set[int]:
    """Departments the user manages, with every department below them."""
    depts = list(Department.objects.filter(company=company).values_list("id", "parent_id",
                                                                       "manager_id"))  # fmt: skip
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent, _m in depts:
        children[parent].append(pk)
    out: set[int] = set()
    stack = [pk for pk, _p, manager in depts if manager == user.pk]
    while stack:
        pk = stack.pop()
        if pk not in out:
            out.add(pk)
            stack.extend(children.get(pk, []))
    return out


def team_members(*, user: Any, company: Company) -> set[int]:
    depts = managed_departments(user=user, company=company)
    if not depts:
        return set()
    return set(
        Membership.objects.filter(
            company=company, is_active=True, department_id__in=depts
        ).values_list("user_id", flat=True)
    )


def my_tasks(*, user: Any, company: Company | None) -> QuerySet[Task]:
    if not _member(user, company):
        return Task.objects.none()
    return scope_to_company(Task.objects.all(), company).filter(
        Q(assignee=user) | Q(created_by=user)
    )


def task_list(*, user: Any, company: Company | None) -> QuerySet[Task]:
    if not _member(user, company):
        return Task.objects.none()
    assert company is not None
    qs = scope_to_company(Task.objects.select_related("assignee"), company)
    if user.has_perm("workflow.view_task"):
        return qs
    team = team_members(user=user, company=company)
    return qs.filter(Q(assignee=user) | Q(created_by=user) | Q(assignee_id__in=team))


def task_get_for_user(*, user: Any, company: Company, public_id: Any) -> Task:
    return _get(task_list(user=user, company=company), public_id, _("Task"))


# --- expense claims and purchase requests ------------------------------------------------
def _docs(model, perm: str, *, user: Any, company: Company | None) -> QuerySet:
    if not _member(user, company):
        return model.objects.none()
    qs = scope_to_company(
        model.objects.select_related("requester", "department", "company"), company
    )
    if user.has_perm(perm):
        return qs
    approvals = involved_requests(user=user, company=company)
    return qs.filter(Q(requester=user) | Q(approval__in=approvals))


def expense_claim_list(*, user: Any, company: Company | None) -> QuerySet[ExpenseClaim]:
    return _docs(ExpenseClaim, "workflow.view_expenseclaim", user=user, company=company)


def expense_claim_get_for_user(*, user: Any, company: Company, public_id: Any) -> ExpenseClaim:
    return _get(expense_claim_list(user=user, company=company), public_id, _("Expense claim"))


def purchase_request_list(*, user: Any, company: Company | None) -> QuerySet[PurchaseRequest]:
    return _docs(PurchaseRequest, "workflow.view_purchaserequest", user=user, company=company)


def purchase_request_get_for_user(
    *, user: Any, company: Company, public_id: Any
) -> PurchaseRequest:
    return _get(purchase_request_list(user=user, company=company), public_id, _("Purchase request"))


# --- workload ------------------------------------------------------------------------------
def may_see_workload(*, user: Any, company: Company | None) -> bool:
    """Every member sees the workload page: their own row, their teams' rows if
    they manage departments, everyone's with ``workflow.view_workload``."""
    return _member(user, company)


def sees_team_workload(*, user: Any, company: Company) -> bool:
    return user.has_perm("workflow.view_workload") or bool(
        managed_departments(user=user, company=company)
    )


def week_bounds(on: date) -> tuple[date, date]:
    start = on - timedelta(days=on.weekday())
    return start, start + timedelta(days=6)


def workload(*, user: Any, company: Company, on: date | None = None) -> dict[str, Any]:
    """Per person and per department: open tasks, due this week, overdue, hours."""
    if not may_see_workload(user=user, company=company):
        raise PermissionDenied(_("You do not have permission to do this."))
    on = on or today()
    week_start, week_end = week_bounds(on)
    people_ids: set[int] | None = None
    if not user.has_perm("workflow.view_workload"):
        people_ids = team_members(user=user, company=company) | {user.pk}
    tasks = Task.objects.filter(company=company, state__in=OPEN_TASK_STATES, assignee__isnull=False)
    if people_ids is not None:
        tasks = tasks.filter(assignee_id__in=people_ids)
    dept_of: dict[int, int | None] = {}
    for uid, dept in (
        Membership.objects.filter(company=company, is_active=True)
        .order_by("department_id")
        .values_list("user_id", "department_id")
    ):
        if dept_of.get(uid) is None:
            dept_of[uid] = dept
    people: dict[int, dict[str, Any]] = {}

    def row(uid: int) -> dict[str, Any]:
        return people.setdefault(
            uid,
            {"user_id": uid, "open": 0, "due_this_week": 0, "overdue": 0,
             "hours": Decimal(0), "department_id": dept_of.get(uid)},
        )  # fmt: skip

    for uid, due, hours in tasks.values_list("assignee_id", "due_date", "estimated_hours"):
        r = row(uid)
        r["open"] += 1
        r["hours"] += hours or Decimal(0)
        if due is not None and due < on:
            r["overdue"] += 1
        elif due is not None and week_start <= due <= week_end:
            r["due_this_week"] += 1
    users = {u.pk: u for u in User.objects.filter(pk__in=people)}
    depts = {d.pk: d for d in Department.objects.filter(company=company)}
    person_rows = []
    teams: dict[int | None, dict[str, Any]] = {}
    for uid, r in people.items():
        u = users[uid]
        r.update({"user": u, "name": u.full_name or u.email, "email": u.email,
                  "department": depts.get(r["department_id"])})  # fmt: skip
        person_rows.append(r)
        t = teams.setdefault(
            r["department_id"],
            {"department": depts.get(r["department_id"]), "people": 0, "open": 0,
             "due_this_week": 0, "overdue": 0, "hours": Decimal(0)},
        )  # fmt: skip
        t["people"] += 1
        for key in ("open", "due_this_week", "overdue", "hours"):
            t[key] += r[key]
    person_rows.sort(key=lambda r: (-r["overdue"], -r["hours"], r["name"]))
    team_rows = sorted(teams.values(), key=lambda t: (-t["overdue"], -t["hours"]))
    return {
        "on": on,
        "week_start": week_start,
        "week_end": week_end,
        "people": person_rows,
        "teams": team_rows,
    }


def my_work(*, user: Any, company: Company) -> dict[str, Any]:
    """Everything waiting for the user in the active company."""
    if not _member(user, company):
        raise PermissionDenied(_("You hold no role in this company."), code="no_role")
    on = today()
    tasks = (
        my_tasks(user=user, company=company)
        .filter(state__in=OPEN_TASK_STATES, assignee=user)
        .select_related("assignee")
        .prefetch_related("checklist")
        .order_by("due_date", "id")
    )
    return {
        "on": on,
        "tasks": list(tasks),
        "pending": pending_steps_for(user=user, company=company),
        "requests": list(
            scope_to_company(ApprovalRequest.objects.all(), company)
            .filter(requester=user)
            .select_related("requester", "department")
            .order_by("-created_at")[:20]
        ),
    }


def expense_receipts(*, user: Any, company: Company, claim: ExpenseClaim) -> list[Any]:
    """The claim's receipts the user may see (the records app decides)."""
    from backoffice.records.selectors import documents_for_owner

    return list(documents_for_owner(user=user, company=company, owner=claim))


# --- attachments (the records app asks through records.registry) --------------------------
def _with_attachments(model, perm: str, *, user: Any, company: Company | None) -> QuerySet:
    """The records whose documents the user may see: all of the company's with
    ``perm``; otherwise one's own and those whose approval request (any, also a
    withdrawn one) the user is or was an approver of, directly, as an active
    delegate, or by having decided it.

    Lazy on purpose (no query here): records turns it into a subquery of its list.
    """
    if company is None or not getattr(user, "is_authenticated", False):
        return model.objects.none()
    member = Membership.objects.filter(
        user=user, company=company, is_active=True, company__is_active=True
    )
    qs = scope_to_company(model.objects.all(), company).filter(Exists(member))
    if user.has_perm(perm):
        return qs
    on = today()
    stands_in_for = Delegation.objects.filter(
        company=company, to_user=user, start_date__lte=on, end_date__gte=on
    ).values("from_user_id")
    requests = ApprovalRequest.objects.filter(
        company=company, subject_type=ContentType.objects.get_for_model(model)
    ).filter(
        Q(steps__approvers=user) | Q(steps__approvers__in=stands_in_for) | Q(decisions__actor=user)
    )
    return qs.filter(Q(requester=user) | Q(pk__in=requests.values("subject_id")))


def expense_claims_with_documents(*, user: Any, company: Company | None) -> QuerySet:
    """Registered with records: who sees an expense claim's receipts."""
    return _with_attachments(ExpenseClaim, "workflow.view_expenseclaim", user=user, company=company)


def purchase_requests_with_documents(*, user: Any, company: Company | None) -> QuerySet:
    """Registered with records: who sees the documents attached to a purchase request."""
    return _with_attachments(
        PurchaseRequest, "workflow.view_purchaserequest", user=user, company=company
    )
