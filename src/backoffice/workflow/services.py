"""Writes of the workflow app: the approval engine, tasks, expense claims and
purchase requests. One transaction per user action, an audit event per write.

Approval engine rules (SPEC §2.11):
- a policy per (company, request type) lists ordered steps; a step applies by
  amount (above ``min_amount``, at most ``max_amount``) and department;
- a step's approvers are resolved at submission: holders of a role, the
  requester's manager (walking up the department tree while the manager is
  missing or is the requester), or named people; "any" needs one approval,
  "all" needs every approver's;
- the requester is never an approver (not by role, not as a delegate): a step
  left with nobody is skipped (and audited); a request with no step left is
  refused;
- a delegate (Delegation active today) decides in the delegator's place; the
  decision records both;
- a rejection needs a comment and ends the request; every decision is audited.
"""

from __future__ import annotations

import calendar
import uuid
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import Company, Department, Membership, User
from backoffice.core.money import round_half_up, to_decimal
from backoffice.core.notifications import notify
from backoffice.core.selectors import require_perm, user_roles
from backoffice.workflow import hooks
from backoffice.workflow.models import (
    OPEN_TASK_STATES,
    ApprovalDecision,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStep,
    ApproverKind,
    ChecklistItem,
    Delegation,
    DocState,
    ExpenseClaim,
    ExpenseLine,
    Priority,
    PurchaseItem,
    PurchaseRequest,
    Recurrence,
    RequestState,
    RequestStep,
    StepMode,
    StepState,
    Task,
    TaskState,
)
from backoffice.workflow.registry import get_request_type


def money(value: Any) -> Decimal:
    """An amount as stored: Decimal, rounded half-up to 2 places (VND amounts are whole)."""
    return round_half_up(to_decimal(value), 2)


def today() -> date:
    """Today in the installation's time zone (Asia/Ho_Chi_Minh)."""
    return timezone.localdate()


# --- people ------------------------------------------------------------------------------
def is_member(user: Any, company: Company) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(
        user_roles(user=user, company=company)
    )


def _require_member(user: Any, company: Company) -> None:
    if not is_member(user, company):
        raise PermissionDenied(_("You hold no role in this company."), code="no_role")


def member_department(user: Any, company: Company) -> Department | None:
    m = (
        Membership.objects.filter(
            user=user, company=company, is_active=True, department__isnull=False
        )
        .select_related("department")
        .order_by("id")
        .first()
    )
    return m.department if m else None


def manager_of(user: Any, company: Company, department: Department | None = None) -> User | None:
    """The manager of the user's department; up the tree while missing or the user."""
    node = member_department(user, company) or department
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        if (
            node.manager_id
            and node.manager_id != user.pk
            and Membership.objects.filter(
                user_id=node.manager_id, company=company, is_active=True
            ).exists()
        ):
            return node.manager
        node = node.parent
    return None


def role_holders(role: str, company: Company) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__company=company,
            memberships__role=role,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("id")
    )


def delegators_of(user: Any, company: Company, on: date | None = None) -> set[int]:
    """Ids of the people ``user`` stands in for today."""
    on = on or today()
    return set(
        Delegation.objects.filter(
            company=company, to_user=user, start_date__lte=on, end_date__gte=on
        ).values_list("from_user_id", flat=True)
    )


def delegates_of(user_ids: Iterable[int], company: Company, on: date | None = None) -> set[int]:
    on = on or today()
    return set(
        Delegation.objects.filter(
            company=company, from_user_id__in=list(user_ids), start_date__lte=on, end_date__gte=on
        ).values_list("to_user_id", flat=True)
    )


def _department_within(dept: Department | None, ancestor: Department) -> bool:
    seen: set[int] = set()
    while dept is not None and dept.pk not in seen:
        if dept.pk == ancestor.pk:
            return True
        seen.add(dept.pk)
        dept = dept.parent
    return False


# --- policies and delegations -------------------------------------------------------------
POLICY_FIELDS = ["request_type", "name", "is_active"]


def _policy_snapshot(policy: ApprovalPolicy) -> dict[str, Any]:
    return {
        "request_type": policy.request_type,
        "name": policy.name,
        "is_active": policy.is_active,
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "approver": s.approver_kind,
                "role": s.role,
                "users": sorted(s.users.values_list("email", flat=True)),
                "mode": s.mode,
                "min_amount": str(s.min_amount) if s.min_amount is not None else None,
                "max_amount": str(s.max_amount) if s.max_amount is not None else None,
                "department": s.department.code if s.department_id else None,
            }
            for s in policy.steps.all().order_by("order", "id")
        ],
    }


def _check_step(company: Company, data: dict[str, Any]) -> None:
    kind = data.get("approver_kind", ApproverKind.MANAGER)
    if kind not in ApproverKind.values:
        raise ValidationFailed(_("Unknown approver kind."), code="invalid_step")
    if kind == ApproverKind.ROLE and data.get("role") not in Role.values:
        raise ValidationFailed(_("A step by role needs a role."), code="invalid_step")
    if kind == ApproverKind.USERS:
        users = list(data.get("users") or [])
        if not users:
            raise ValidationFailed(_("A step by named people needs people."), code="invalid_step")
        for u in users:
            if not Membership.objects.filter(user=u, company=company, is_active=True).exists():
                raise ValidationFailed(
                    _("An approver holds no role in this company."), code="invalid_step"
                )
    if data.get("mode", StepMode.ANY) not in StepMode.values:
        raise ValidationFailed(_("Unknown decision mode."), code="invalid_step")
    dept = data.get("department")
    if dept is not None and dept.company_id != company.pk:
        raise ValidationFailed(
            _("The linked record belongs to another company."), code="cross_company_reference"
        )
    lo, hi = data.get("min_amount"), data.get("max_amount")
    if lo is not None and hi is not None and to_decimal(hi) <= to_decimal(lo):
        raise ValidationFailed(
            _("The upper amount must be above the lower amount."), code="invalid_step"
        )


@transaction.atomic
def policy_save(
    *,
    actor: Any,
    company: Company,
    request_type: str,
    name: str,
    steps: Sequence[dict[str, Any]],
    is_active: bool = True,
    policy: ApprovalPolicy | None = None,
) -> ApprovalPolicy:
    """Create or replace a policy and its steps (steps are data: a list of dicts
    with order, name, approver_kind, role, users, mode, min_amount, max_amount,
    department)."""
    require_perm(
        actor, "workflow.change_approvalpolicy" if policy else "workflow.add_approvalpolicy"
    )
    get_request_type(request_type)
    if not steps:
        raise ValidationFailed(_("A policy needs at least one step."), code="policy_without_steps")
    for data in steps:
        _check_step(company, data)
    before = None
    if policy is None:
        if ApprovalPolicy.objects.filter(company=company, request_type=request_type).exists():
            raise Conflict(_("This request type already has a policy."), code="policy_exists")
        policy = ApprovalPolicy(company=company)
    else:
        if policy.company_id != company.pk:
            raise NotFound(_("Approval policy not found."))
        before = _policy_snapshot(policy)
    policy.request_type, policy.name, policy.is_active = request_type, name, is_active
    try:
        with transaction.atomic():
            policy.save()
    except IntegrityError as exc:
        raise Conflict(_("This request type already has a policy."), code="policy_exists") from exc
    policy.steps.all().delete()
    for i, data in enumerate(steps, start=1):
        step = ApprovalStep.objects.create(
            policy=policy,
            order=data.get("order") or i,
            name=data.get("name") or _("Step %(n)s") % {"n": i},
            approver_kind=data.get("approver_kind", ApproverKind.MANAGER),
            role=data.get("role") or "",
            mode=data.get("mode", StepMode.ANY),
            min_amount=money(data["min_amount"]) if data.get("min_amount") is not None else None,
            max_amount=money(data["max_amount"]) if data.get("max_amount") is not None else None,
            department=data.get("department"),
        )
        if data.get("users"):
            step.users.set(data["users"])
    audit_record(
        event_type="APPROVAL_POLICY_UPDATED" if before else "APPROVAL_POLICY_CREATED",
        actor=actor,
        company=company,
        target=policy,
        before=before,
        after=_policy_snapshot(policy),
    )
    return policy


def policy_audit_change(*, actor: Any, policy: ApprovalPolicy, before: Any) -> None:
    """The desk edits a policy and its step inline rows; this records the change."""
    audit_record(
        event_type="APPROVAL_POLICY_UPDATED" if before else "APPROVAL_POLICY_CREATED",
        actor=actor,
        company=policy.company,
        target=policy,
        before=before,
        after=_policy_snapshot(policy),
    )


@transaction.atomic
def policy_delete(*, actor: Any, policy: ApprovalPolicy) -> None:
    require_perm(actor, "workflow.delete_approvalpolicy")
    audit_record(
        event_type="APPROVAL_POLICY_DELETED",
        actor=actor,
        company=policy.company,
        target=policy,
        before=_policy_snapshot(policy),
    )
    policy.delete()


DEFAULT_DIRECTOR_THRESHOLD = Decimal(20_000_000)


def policy_ensure(
    *,
    company: Company,
    request_type: str,
    name: Any,
    steps: Sequence[dict[str, Any]],
    actor: Any = None,
) -> ApprovalPolicy:
    """The default policy of ``request_type`` when the company has none
    (idempotent; apps call it on company creation and again on submit, in case
    it was deleted). ``steps``: ``{"name", "kind": ApproverKind, "role",
    "min_amount"}`` in order. Audited when created."""
    policy, made = ApprovalPolicy.objects.get_or_create(
        company=company, request_type=request_type, defaults={"name": str(name)}
    )
    if made:
        for order, step in enumerate(steps, start=1):
            ApprovalStep.objects.create(
                policy=policy, order=order, name=str(step["name"]),
                approver_kind=step["kind"], role=step.get("role", ""),
                min_amount=step.get("min_amount"),
            )  # fmt: skip
        audit_record(
            event_type="APPROVAL_POLICY_CREATED",
            actor=actor if actor is not None else "system",
            company=company,
            target=policy,
            after=_policy_snapshot(policy),
        )
    return policy


def approval_of(subject: Any) -> ApprovalRequest | None:
    """The latest approval request of a record (any request type)."""
    ct = ContentType.objects.get_for_model(type(subject))
    return (
        ApprovalRequest.objects.filter(subject_type=ct, subject_id=subject.pk)
        .order_by("-id")
        .first()
    )


def approval_decider(approval: Any) -> Any:
    """Who made the last decision of a request (the requester when nobody
    decided yet, e.g. a withdrawal): the actor of an app's callback."""
    last = approval.decisions.order_by("-id").select_related("actor").first()
    person = last.actor if last else approval.requester
    person.active_company = approval.company  # the company the decision was made in
    return person


def default_policies_create(*, company: Company, actor: Any = None) -> list[ApprovalPolicy]:
    """Expense and purchase policies for a new company (idempotent): the manager,
    then the chief accountant; above 20,000,000 ₫ also the director (operations
    manager)."""
    created = []
    specs = {
        "expense": (
            _("Expense claims"),
            [
                ("manager", _("Line manager"), ""),
                ("role", _("Chief accountant"), Role.CHIEF_ACCOUNTANT),
            ],
        ),
        "purchase": (
            _("Purchase requests"),
            [
                ("manager", _("Line manager"), ""),
                ("role", _("Accounting review"), Role.CHIEF_ACCOUNTANT),
            ],
        ),
    }
    for code, (name, steps) in specs.items():
        if ApprovalPolicy.objects.filter(company=company, request_type=code).exists():
            continue
        rows = [{"kind": kind, "name": step_name, "role": role} for kind, step_name, role in steps]
        rows.append({"kind": ApproverKind.ROLE, "name": _("Director (above 20.000.000 ₫)"),
                     "role": Role.OPERATIONS_MANAGER, "min_amount": DEFAULT_DIRECTOR_THRESHOLD})  # fmt: skip
        created.append(
            policy_ensure(company=company, request_type=code, name=name, steps=rows, actor=actor)
        )
    return created


DELEGATION_FIELDS = ["from_user", "to_user", "start_date", "end_date", "note"]


def _delegation_snapshot(d: Delegation) -> dict[str, Any]:
    return {
        "from": d.from_user.email,
        "to": d.to_user.email,
        "start": d.start_date.isoformat(),
        "end": d.end_date.isoformat(),
        "note": d.note,
    }


def _check_delegation(company: Company, actor: Any, from_user: Any, to_user: Any, start, end):
    if from_user.pk != actor.pk and not actor.has_perm("workflow.change_approvalpolicy"):
        raise PermissionDenied(
            _("You may only delegate your own approvals."), code="not_own_delegation"
        )
    if from_user.pk == to_user.pk:
        raise ValidationFailed(_("You cannot delegate to yourself."), code="delegate_self")
    if not is_member(to_user, company):
        raise ValidationFailed(
            _("The delegate holds no role in this company."), code="delegate_not_member"
        )
    if end < start:
        raise ValidationFailed(_("The end date is before the start date."), code="invalid_dates")


@transaction.atomic
def delegation_create(
    *,
    actor: Any,
    company: Company,
    to_user: Any,
    start_date: date,
    end_date: date,
    note: str = "",
    from_user: Any = None,
) -> Delegation:
    _require_member(actor, company)
    from_user = from_user or actor
    _check_delegation(company, actor, from_user, to_user, start_date, end_date)
    d = Delegation.objects.create(
        company=company,
        from_user=from_user,
        to_user=to_user,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    audit_record(
        event_type="DELEGATION_CREATED",
        actor=actor,
        company=company,
        target=d,
        after=_delegation_snapshot(d),
    )
    notify(
        user=to_user,
        company=company,
        title=_("%(who)s asked you to decide their approvals from %(a)s to %(b)s")
        % {
            "who": from_user,
            "a": start_date.strftime("%d/%m/%Y"),
            "b": end_date.strftime("%d/%m/%Y"),
        },
        url="/desk/workflow/myapprovalrequest/",
    )
    return d


@transaction.atomic
def delegation_update(*, actor: Any, delegation: Delegation, **changes: Any) -> Delegation:
    before = _delegation_snapshot(delegation)
    for key in ("to_user", "start_date", "end_date", "note"):
        if key in changes:
            setattr(delegation, key, changes[key])
    _check_delegation(
        delegation.company,
        actor,
        delegation.from_user,
        delegation.to_user,
        delegation.start_date,
        delegation.end_date,
    )
    delegation.save()
    audit_record(
        event_type="DELEGATION_UPDATED",
        actor=actor,
        company=delegation.company,
        target=delegation,
        before=before,
        after=_delegation_snapshot(delegation),
    )
    return delegation


@transaction.atomic
def delegation_delete(*, actor: Any, delegation: Delegation) -> None:
    if delegation.from_user_id != actor.pk and not actor.has_perm("workflow.change_approvalpolicy"):
        raise PermissionDenied(
            _("You may only delegate your own approvals."), code="not_own_delegation"
        )
    audit_record(
        event_type="DELEGATION_DELETED",
        actor=actor,
        company=delegation.company,
        target=delegation,
        before=_delegation_snapshot(delegation),
    )
    delegation.delete()


# --- the approval engine --------------------------------------------------------------------
def _step_applies(step: ApprovalStep, amount: Decimal | None, dept: Department | None) -> bool:
    if step.min_amount is not None and (amount is None or amount <= step.min_amount):
        return False
    if step.max_amount is not None and amount is not None and amount > step.max_amount:
        return False
    return not (step.department_id and not _department_within(dept, step.department))


def _resolve_approvers(
    step: ApprovalStep, company: Company, requester: Any, dept: Department | None
) -> list[User]:
    if step.approver_kind == ApproverKind.ROLE:
        people = role_holders(step.role, company)
    elif step.approver_kind == ApproverKind.MANAGER:
        manager = manager_of(requester, company, dept)
        people = [manager] if manager else []
    else:
        people = [
            u for u in step.users.filter(is_active=True).order_by("id") if is_member(u, company)
        ]
    # Segregation of duties: the requester never approves their own request.
    return [u for u in people if u.pk != requester.pk]


def _url(req: ApprovalRequest) -> str:
    """Where the approver decides: the request type's own page (e.g. the portal's
    team page for leave), else the desk's approval screen."""
    rt = get_request_type(req.request_type)
    if rt.approver_url is not None:
        return rt.approver_url(req)
    return f"/desk/workflow/myapprovalrequest/{req.pk}/change/"


def _notify_approvers(req: ApprovalRequest, step: RequestStep) -> None:
    ids = set(step.approvers.values_list("id", flat=True))
    ids |= delegates_of(ids, req.company)
    ids.discard(req.requester_id)
    for user in User.objects.filter(pk__in=ids, is_active=True):
        notify(
            user=user,
            company=req.company,
            title=_("Approval needed: %(t)s") % {"t": req.title or req.request_type},
            body=_("Requested by %(who)s.") % {"who": req.requester},
            url=_url(req),
            email=True,
        )


def _activate_next(req: ApprovalRequest) -> RequestStep | None:
    step = req.steps.filter(state=StepState.WAITING).order_by("order", "id").first()
    if step is not None:
        step.state = StepState.PENDING
        step.save(update_fields=["state"])
        _notify_approvers(req, step)
    return step


def _subject_repr(subject: Any) -> dict[str, Any]:
    return {"type": subject._meta.label_lower, "id": subject.pk}


@transaction.atomic
def approval_submit(
    *,
    actor: Any,
    company: Company,
    request_type: str,
    subject: Any,
    amount: Decimal | None = None,
    department: Department | None = None,
    title: str = "",
    on_behalf_of: Any = None,
) -> ApprovalRequest:
    """``on_behalf_of``: the person the request is for when someone else (HR)
    submits it — they are the requester, their manager approves, and neither
    they nor the submitter may approve."""
    rt = get_request_type(request_type)
    _require_member(actor, company)
    person = on_behalf_of or actor
    if person is not actor:
        _require_member(person, company)
    if rt.submit_permission:
        require_perm(actor, rt.submit_permission)
    if getattr(subject, "company_id", company.pk) != company.pk:
        raise ValidationFailed(
            _("The linked record belongs to another company."), code="cross_company_reference"
        )
    if department is not None and department.company_id != company.pk:
        raise ValidationFailed(
            _("The linked record belongs to another company."), code="cross_company_reference"
        )
    if amount is not None:
        amount = money(amount)
        if amount < 0:
            raise ValidationFailed(_("The amount cannot be negative."), code="negative_amount")
    ct = ContentType.objects.get_for_model(subject)
    if ApprovalRequest.objects.filter(
        subject_type=ct, subject_id=subject.pk, state=RequestState.PENDING
    ).exists():
        raise Conflict(_("This record is already waiting for approval."), code="approval_pending")
    policy = ApprovalPolicy.objects.filter(
        company=company, request_type=request_type, is_active=True
    ).first()
    if policy is None:
        raise ValidationFailed(
            _("No approval policy is set up for %(t)s.") % {"t": rt.label}, code="no_policy"
        )
    dept = department or member_department(person, company)
    req = ApprovalRequest.objects.create(
        company=company,
        request_type=request_type,
        title=(title or str(subject))[:300],
        subject_type=ct,
        subject_id=subject.pk,
        requester=person,
        amount=amount,
        department=dept,
        policy_name=policy.name,
    )
    active = 0
    for step in policy.steps.all().order_by("order", "id"):
        if not _step_applies(step, amount, dept):
            continue
        people = [u for u in _resolve_approvers(step, company, person, dept) if u.pk != actor.pk]
        rstep = RequestStep.objects.create(
            request=req,
            order=step.order,
            name=step.name,
            mode=step.mode,
            state=StepState.WAITING if people else StepState.SKIPPED,
            note="" if people else _("Nobody but the requester can approve this step."),
        )
        rstep.approvers.set(people)
        active += bool(people)
    if not active:
        raise ValidationFailed(
            _("Nobody other than you can approve this request; ask an administrator to "
              "review the approval policy."),
            code="no_approver",
        )  # fmt: skip
    audit_record(
        event_type="APPROVAL_SUBMITTED",
        actor=actor,
        company=company,
        target=req,
        after={
            "type": request_type,
            "subject": _subject_repr(subject),
            "amount": str(amount) if amount is not None else None,
            "department": dept.code if dept else None,
            "on_behalf_of": person.email if person is not actor else None,
            "steps": [
                {
                    "name": s.name,
                    "state": s.state,
                    "approvers": sorted(s.approvers.values_list("email", flat=True)),
                }
                for s in req.steps.all()
            ],
        },
    )
    _activate_next(req)
    return req


def _decided_for(step: RequestStep) -> set[int]:
    return {d.on_behalf_of_id or d.actor_id for d in step.decisions.all()}


def decision_capacity(*, actor: Any, request: ApprovalRequest) -> tuple[RequestStep, int] | None:
    """(current step, id of the approver ``actor`` decides for) or None."""
    if request.state != RequestState.PENDING or actor.pk == request.requester_id:
        return None
    step = request.current_step
    if step is None:
        return None
    approvers = set(step.approvers.values_list("id", flat=True)) - {request.requester_id}
    open_ids = approvers - _decided_for(step)
    if actor.pk in open_ids:
        return step, actor.pk
    for uid in sorted(delegators_of(actor, request.company) & open_ids):
        return step, uid
    return None


@transaction.atomic
def approval_decide(
    *, actor: Any, company: Company, request: ApprovalRequest, approve: bool, comment: str = ""
) -> ApprovalRequest:
    if request.company_id != company.pk:
        raise NotFound(_("Approval request not found."))
    req = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if req.state != RequestState.PENDING:
        raise Conflict(_("This request has already been decided."), code="already_decided")
    if actor.pk == req.requester_id:
        raise PermissionDenied(_("You cannot approve your own request."), code="self_approval")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationFailed(_("Say why you reject the request."), code="comment_required")
    capacity = decision_capacity(actor=actor, request=req)
    if capacity is None:
        raise PermissionDenied(
            _("You are not an approver of the current step."), code="not_approver"
        )
    step, for_id = capacity
    on_behalf = None if for_id == actor.pk else User.objects.get(pk=for_id)
    ApprovalDecision.objects.create(
        request=req,
        step=step,
        actor=actor,
        on_behalf_of=on_behalf,
        approve=approve,
        comment=comment,
    )
    audit_record(
        event_type="APPROVAL_APPROVED_STEP" if approve else "APPROVAL_REJECTED",
        actor=actor,
        company=company,
        target=req,
        after={
            "step": step.name,
            "approve": approve,
            "comment": comment,
            "on_behalf_of": on_behalf.email if on_behalf else None,
        },
    )
    rt = get_request_type(req.request_type)
    if not approve:
        step.state = StepState.REJECTED
        step.save(update_fields=["state"])
        req.steps.filter(state=StepState.WAITING).update(state=StepState.CANCELLED)
        _finish(req, RequestState.REJECTED, actor, comment)
        if rt.on_rejected:
            rt.on_rejected(req)
        return req
    approvers = set(step.approvers.values_list("id", flat=True))
    if step.mode == StepMode.ANY or approvers <= _decided_for(step):
        step.state = StepState.APPROVED
        step.save(update_fields=["state"])
        if _activate_next(req) is None:
            _finish(req, RequestState.APPROVED, actor, comment)
            if rt.on_approved:
                rt.on_approved(req)
    return req


def _finish(req: ApprovalRequest, state: str, actor: Any, comment: str) -> None:
    req.state = state
    req.decided_at = timezone.now()
    req.save(update_fields=["state", "decided_at", "updated_at"])
    audit_record(
        event_type=f"APPROVAL_{state.upper()}" if state != RequestState.REJECTED else
        "APPROVAL_REQUEST_REJECTED",
        actor=actor,
        company=req.company,
        target=req,
        after={"state": state},
    )  # fmt: skip
    label = RequestState(state).label
    notify(
        user=req.requester,
        company=req.company,
        title=_("%(t)s: %(s)s") % {"t": req.title or req.request_type, "s": label},
        body=comment,
        url=_url(req),
        email=True,
    )


@transaction.atomic
def approval_withdraw(
    *, actor: Any, company: Company, request: ApprovalRequest, for_requester: bool = False
) -> ApprovalRequest:
    """``for_requester``: the owning app has checked that ``actor`` may act for the
    requester (HR withdrawing an employee's leave request)."""
    if request.company_id != company.pk:
        raise NotFound(_("Approval request not found."))
    req = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if req.requester_id != actor.pk and not for_requester:
        raise PermissionDenied(
            _("Only the requester can withdraw a request."), code="not_requester"
        )
    if req.state != RequestState.PENDING:
        raise Conflict(_("This request has already been decided."), code="already_decided")
    req.steps.filter(state__in=[StepState.WAITING, StepState.PENDING]).update(
        state=StepState.CANCELLED
    )
    req.state = RequestState.WITHDRAWN
    req.decided_at = timezone.now()
    req.save(update_fields=["state", "decided_at", "updated_at"])
    rt = get_request_type(req.request_type)
    if rt.on_withdrawn:
        rt.on_withdrawn(req)
    audit_record(
        event_type="APPROVAL_WITHDRAWN",
        actor=actor,
        company=company,
        target=req,
        after={"state": req.state},
    )
    return req


# --- expense claims and purchase requests ----------------------------------------------------
def _own_draft(actor: Any, doc: Any) -> None:
    if doc.requester_id != actor.pk:
        raise PermissionDenied(_("Only its author can change this."), code="not_owner")
    if doc.state not in (DocState.DRAFT, DocState.REJECTED):
        raise Conflict(_("Only a draft (or a rejected one) can be changed."), code="not_draft")


def _doc_submit(
    *,
    actor: Any,
    company: Company,
    doc: Any,
    request_type: str,
    total: Decimal,
    title: str,
    event_type: str,
) -> Any:
    """Shared tail of submitting a claim/purchase request: open the approval, mark, audit."""
    req = approval_submit(
        actor=actor,
        company=company,
        request_type=request_type,
        subject=doc,
        amount=total,
        department=doc.department,
        title=title,
    )
    doc.state, doc.approval = DocState.SUBMITTED, req
    doc.save(update_fields=["state", "approval", "updated_at"])
    audit_record(
        event_type=event_type,
        actor=actor,
        company=company,
        target=doc,
        after={"total": str(total), "approval": req.pk},
    )
    return doc


def _doc_withdraw(
    *, actor: Any, company: Company, doc: Any, not_found: str, event_type: str
) -> Any:
    """Withdraw a submitted claim/purchase request back to draft."""
    if doc.company_id != company.pk or doc.approval is None:
        raise NotFound(not_found)
    approval_withdraw(actor=actor, company=company, request=doc.approval)
    doc.state = DocState.DRAFT
    doc.save(update_fields=["state", "updated_at"])
    audit_record(event_type=event_type, actor=actor, company=company, target=doc)
    return doc


def _dept(actor: Any, company: Company, department: Department | None) -> Department | None:
    if department is not None and department.company_id != company.pk:
        raise ValidationFailed(
            _("The linked record belongs to another company."), code="cross_company_reference"
        )
    return department or member_department(actor, company)


def _expense_lines(claim: ExpenseClaim, lines: Sequence[dict[str, Any]]) -> None:
    claim.lines.all().delete()
    for raw in lines:
        amount = money(raw.get("amount", 0))
        if amount <= 0:
            raise ValidationFailed(_("Each line needs an amount above zero."), code="invalid_line")
        rate = raw.get("vat_rate")
        vat = raw.get("vat_amount")
        if rate not in (None, "", 0, 5, 8, 10):
            raise ValidationFailed(_("VAT rate must be 0, 5, 8 or 10 %."), code="invalid_vat_rate")
        if vat in (None, ""):
            vat = round_half_up(amount * Decimal(rate or 0) / 100) if rate else Decimal(0)
        vat = money(vat)
        if vat < 0:
            raise ValidationFailed(_("VAT cannot be negative."), code="invalid_line")
        if not str(raw.get("description") or "").strip():
            raise ValidationFailed(_("Each line needs a description."), code="invalid_line")
        ExpenseLine.objects.create(
            claim=claim,
            date=raw.get("date") or today(),
            description=str(raw["description"]).strip()[:300],
            category=raw.get("category") or "other",
            amount=amount,
            vat_rate=rate if rate not in ("",) else None,
            vat_amount=vat,
            invoice_number=raw.get("invoice_number") or "",
        )


def expense_claim_recompute(claim: ExpenseClaim) -> Decimal:
    total = sum((line.amount + line.vat_amount for line in claim.lines.all()), Decimal(0))
    claim.total = total
    claim.save(update_fields=["total", "updated_at"])
    return total


def _claim_snapshot(claim: ExpenseClaim) -> dict[str, Any]:
    return {
        "title": claim.title,
        "state": claim.state,
        "total": str(claim.total),
        "lines": [
            [ln.date.isoformat(), ln.description, str(ln.amount), str(ln.vat_amount)]
            for ln in claim.lines.all()
        ],
    }


@transaction.atomic
def expense_claim_create(
    *,
    actor: Any,
    company: Company,
    title: str,
    lines: Sequence[dict[str, Any]] = (),
    department: Department | None = None,
) -> ExpenseClaim:
    _require_member(actor, company)
    if not (title or "").strip():
        raise ValidationFailed(_("A title is required."), code="title_required")
    claim = ExpenseClaim.objects.create(
        company=company,
        title=title.strip()[:300],
        requester=actor,
        department=_dept(actor, company, department),
    )
    _expense_lines(claim, lines)
    expense_claim_recompute(claim)
    audit_record(
        event_type="EXPENSE_CLAIM_CREATED",
        actor=actor,
        company=company,
        target=claim,
        after=_claim_snapshot(claim),
    )
    return claim


@transaction.atomic
def expense_claim_update(
    *,
    actor: Any,
    claim: ExpenseClaim,
    title: str | None = None,
    lines: Sequence[dict[str, Any]] | None = None,
    department: Department | None = None,
) -> ExpenseClaim:
    _own_draft(actor, claim)
    before = _claim_snapshot(claim)
    if title is not None:
        if not title.strip():
            raise ValidationFailed(_("A title is required."), code="title_required")
        claim.title = title.strip()[:300]
    if department is not None:
        claim.department = _dept(actor, claim.company, department)
    claim.save()
    if lines is not None:
        _expense_lines(claim, lines)
    expense_claim_recompute(claim)
    audit_record(
        event_type="EXPENSE_CLAIM_UPDATED",
        actor=actor,
        company=claim.company,
        target=claim,
        before=before,
        after=_claim_snapshot(claim),
    )
    return claim


def expense_claim_lines_saved(*, actor: Any, claim: ExpenseClaim, before: Any = None) -> None:
    """The desk saved the claim's line rows (inline): total and audit."""
    for line in claim.lines.all():
        if line.vat_rate and not line.vat_amount:
            line.vat_amount = round_half_up(line.amount * Decimal(line.vat_rate) / 100)
            line.save(update_fields=["vat_amount"])
    expense_claim_recompute(claim)
    audit_record(
        event_type="EXPENSE_CLAIM_UPDATED" if before else "EXPENSE_CLAIM_CREATED",
        actor=actor,
        company=claim.company,
        target=claim,
        before=before,
        after=_claim_snapshot(claim),
    )


@transaction.atomic
def expense_claim_delete(*, actor: Any, claim: ExpenseClaim) -> None:
    _own_draft(actor, claim)
    audit_record(
        event_type="EXPENSE_CLAIM_DELETED",
        actor=actor,
        company=claim.company,
        target=claim,
        before=_claim_snapshot(claim),
    )
    claim.delete()


@transaction.atomic
def expense_claim_submit(*, actor: Any, company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    if claim.company_id != company.pk:
        raise NotFound(_("Expense claim not found."))
    _own_draft(actor, claim)
    total = expense_claim_recompute(claim)
    if total <= 0:
        raise ValidationFailed(
            _("Add at least one expense line before submitting."), code="empty_claim"
        )
    return _doc_submit(
        actor=actor,
        company=company,
        doc=claim,
        request_type="expense",
        total=total,
        title=_("Expense claim: %(t)s") % {"t": claim.title},
        event_type="EXPENSE_CLAIM_SUBMITTED",
    )


@transaction.atomic
def expense_claim_withdraw(*, actor: Any, company: Company, claim: ExpenseClaim) -> ExpenseClaim:
    return _doc_withdraw(
        actor=actor,
        company=company,
        doc=claim,
        not_found=_("Expense claim not found."),
        event_type="EXPENSE_CLAIM_WITHDRAWN",
    )


def _expense_approved(req: ApprovalRequest) -> None:
    claim = ExpenseClaim.objects.select_for_update().get(pk=req.subject_id)
    claim.state = DocState.APPROVED
    claim.save(update_fields=["state", "updated_at"])
    hooks.expense_claim_approved(claim=claim, actor=approval_decider(req))


def _expense_rejected(req: ApprovalRequest) -> None:
    ExpenseClaim.objects.filter(pk=req.subject_id).update(
        state=DocState.REJECTED, updated_at=timezone.now()
    )


@transaction.atomic
def expense_claim_mark_posted(
    *, actor: Any, company: Company, claim: ExpenseClaim, reference: str
) -> ExpenseClaim:
    """Called by accounting once the approved claim is in the ledger."""
    if claim.company_id != company.pk:
        raise NotFound(_("Expense claim not found."))
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    if claim.state != DocState.APPROVED:
        raise Conflict(_("Only an approved claim can be posted."), code="not_approved")
    claim.state, claim.posted_reference = DocState.POSTED, (reference or "")[:100]
    claim.posted_at = timezone.now()
    claim.save(update_fields=["state", "posted_reference", "posted_at", "updated_at"])
    audit_record(
        event_type="EXPENSE_CLAIM_POSTED",
        actor=actor,
        company=company,
        target=claim,
        after={"reference": claim.posted_reference, "total": str(claim.total)},
    )
    notify(
        user=claim.requester,
        company=company,
        title=_("Expense claim posted: %(t)s") % {"t": claim.title},
        url=f"/desk/workflow/myexpenseclaim/{claim.pk}/change/",
    )
    return claim


def _purchase_items(pr: PurchaseRequest, items: Sequence[dict[str, Any]]) -> None:
    pr.items.all().delete()
    for raw in items:
        qty, price = money(raw.get("quantity", 0)), money(raw.get("estimated_price", 0))
        if qty <= 0 or price < 0 or not str(raw.get("description") or "").strip():
            raise ValidationFailed(
                _("Each item needs a description, a quantity above zero and a price."),
                code="invalid_item",
            )
        PurchaseItem.objects.create(
            request=pr,
            description=str(raw["description"]).strip()[:300],
            quantity=qty,
            unit=raw.get("unit") or "",
            estimated_price=price,
        )


def purchase_request_recompute(pr: PurchaseRequest) -> Decimal:
    total = sum(
        (round_half_up(i.quantity * i.estimated_price, 2) for i in pr.items.all()), Decimal(0)
    )
    pr.total = total
    pr.save(update_fields=["total", "updated_at"])
    return total


def _pr_snapshot(pr: PurchaseRequest) -> dict[str, Any]:
    return {
        "title": pr.title,
        "state": pr.state,
        "supplier": pr.supplier,
        "total": str(pr.total),
        "items": [[i.description, str(i.quantity), str(i.estimated_price)] for i in pr.items.all()],
    }


PURCHASE_FIELDS = ("title", "supplier", "reason", "needed_by")


@transaction.atomic
def purchase_request_create(
    *,
    actor: Any,
    company: Company,
    title: str,
    items: Sequence[dict[str, Any]] = (),
    supplier: str = "",
    reason: str = "",
    needed_by: date | None = None,
    department: Department | None = None,
) -> PurchaseRequest:
    _require_member(actor, company)
    if not (title or "").strip():
        raise ValidationFailed(_("A title is required."), code="title_required")
    pr = PurchaseRequest.objects.create(
        company=company,
        title=title.strip()[:300],
        requester=actor,
        supplier=supplier,
        reason=reason,
        needed_by=needed_by,
        department=_dept(actor, company, department),
    )
    _purchase_items(pr, items)
    purchase_request_recompute(pr)
    audit_record(
        event_type="PURCHASE_REQUEST_CREATED",
        actor=actor,
        company=company,
        target=pr,
        after=_pr_snapshot(pr),
    )
    return pr


@transaction.atomic
def purchase_request_update(
    *, actor: Any, pr: PurchaseRequest, items: Sequence[dict[str, Any]] | None = None, **changes
) -> PurchaseRequest:
    _own_draft(actor, pr)
    before = _pr_snapshot(pr)
    for key in PURCHASE_FIELDS:
        if key in changes:
            setattr(pr, key, changes[key])
    pr.save()
    if items is not None:
        _purchase_items(pr, items)
    purchase_request_recompute(pr)
    audit_record(
        event_type="PURCHASE_REQUEST_UPDATED",
        actor=actor,
        company=pr.company,
        target=pr,
        before=before,
        after=_pr_snapshot(pr),
    )
    return pr


def purchase_request_items_saved(*, actor: Any, pr: PurchaseRequest, before: Any = None) -> None:
    purchase_request_recompute(pr)
    audit_record(
        event_type="PURCHASE_REQUEST_UPDATED" if before else "PURCHASE_REQUEST_CREATED",
        actor=actor,
        company=pr.company,
        target=pr,
        before=before,
        after=_pr_snapshot(pr),
    )


@transaction.atomic
def purchase_request_delete(*, actor: Any, pr: PurchaseRequest) -> None:
    _own_draft(actor, pr)
    audit_record(
        event_type="PURCHASE_REQUEST_DELETED",
        actor=actor,
        company=pr.company,
        target=pr,
        before=_pr_snapshot(pr),
    )
    pr.delete()


@transaction.atomic
def purchase_request_submit(
    *, actor: Any, company: Company, pr: PurchaseRequest
) -> PurchaseRequest:
    if pr.company_id != company.pk:
        raise NotFound(_("Purchase request not found."))
    _own_draft(actor, pr)
    if not pr.items.exists():
        raise ValidationFailed(_("Add at least one item before submitting."), code="empty_request")
    total = purchase_request_recompute(pr)
    return _doc_submit(
        actor=actor,
        company=company,
        doc=pr,
        request_type="purchase",
        total=total,
        title=_("Purchase request: %(t)s") % {"t": pr.title},
        event_type="PURCHASE_REQUEST_SUBMITTED",
    )


@transaction.atomic
def purchase_request_withdraw(
    *, actor: Any, company: Company, pr: PurchaseRequest
) -> PurchaseRequest:
    return _doc_withdraw(
        actor=actor,
        company=company,
        doc=pr,
        not_found=_("Purchase request not found."),
        event_type="PURCHASE_REQUEST_WITHDRAWN",
    )


def _purchase_decided(state: str):
    def hook(req: ApprovalRequest) -> None:
        PurchaseRequest.objects.filter(pk=req.subject_id).update(
            state=state, updated_at=timezone.now()
        )

    return hook


# --- tasks ------------------------------------------------------------------------------------
TASK_FIELDS = [
    "title", "description", "assignee", "due_date", "priority", "estimated_hours", "state",
    "recurrence", "recurrence_day",
]  # fmt: skip


def _task_snapshot(task: Task) -> dict[str, Any]:
    from backoffice.core.services import snapshot

    return snapshot(task, TASK_FIELDS)


def _check_task(actor: Any, company: Company, data: dict[str, Any]) -> None:
    assignee = data.get("assignee")
    if assignee is not None:
        if not is_member(assignee, company):
            raise ValidationFailed(
                _("The assignee holds no role in this company."), code="assignee_not_member"
            )
        if assignee.pk != actor.pk and not actor.has_perm("workflow.assign_task"):
            # A department manager assigns work to their own team.
            from backoffice.workflow.selectors import team_members

            if assignee.pk not in team_members(user=actor, company=company):
                require_perm(actor, "workflow.assign_task")
    if data.get("priority", Priority.NORMAL) not in Priority.values:
        raise ValidationFailed(_("Unknown priority."), code="invalid_priority")
    if (data.get("recurrence") or "") not in Recurrence.values:
        raise ValidationFailed(_("Unknown recurrence."), code="invalid_recurrence")
    if data.get("recurrence") and not data.get("due_date"):
        raise ValidationFailed(
            _("A repeating task needs a due date."), code="recurrence_needs_due_date"
        )
    hours = data.get("estimated_hours")
    if hours is not None and to_decimal(hours) < 0:
        raise ValidationFailed(_("Hours cannot be negative."), code="invalid_hours")


def _notify_assigned(task: Task, actor: Any) -> None:
    if task.assignee_id and task.assignee_id != getattr(actor, "pk", None):
        due = task.due_date.strftime("%d/%m/%Y") if task.due_date else "—"
        notify(
            user=task.assignee,
            company=task.company,
            title=_("New task: %(t)s") % {"t": task.title},
            body=_("Due %(d)s.") % {"d": due},
            url=f"/desk/workflow/mytask/{task.pk}/change/",
        )


@transaction.atomic
def task_create(
    *,
    actor: Any,
    company: Company,
    title: str,
    assignee: Any = None,
    description: str = "",
    due_date: date | None = None,
    priority: str = Priority.NORMAL,
    estimated_hours: Decimal | int | str = 0,
    recurrence: str = "",
    checklist: Sequence[str] = (),
    link: Any = None,
) -> Task:
    _require_member(actor, company)
    if not (title or "").strip():
        raise ValidationFailed(_("A title is required."), code="title_required")
    data = {
        "assignee": assignee,
        "priority": priority,
        "recurrence": recurrence,
        "due_date": due_date,
        "estimated_hours": estimated_hours,
    }
    _check_task(actor, company, data)
    if link is not None and getattr(link, "company_id", company.pk) != company.pk:
        raise ValidationFailed(
            _("The linked record belongs to another company."), code="cross_company_reference"
        )
    task = Task.objects.create(
        company=company,
        title=title.strip()[:300],
        description=description,
        assignee=assignee,
        created_by=actor,
        due_date=due_date,
        priority=priority,
        estimated_hours=money(estimated_hours or 0),
        recurrence=recurrence or "",
        recurrence_day=due_date.day if recurrence == Recurrence.MONTHLY and due_date else None,
        link_type=ContentType.objects.get_for_model(link) if link is not None else None,
        link_id=link.pk if link is not None else None,
    )
    for i, text in enumerate(checklist):
        ChecklistItem.objects.create(task=task, order=i, text=text[:300])
    audit_record(
        event_type="TASK_CREATED",
        actor=actor,
        company=company,
        target=task,
        after=_task_snapshot(task),
    )
    _notify_assigned(task, actor)
    return task


def may_edit_task(user: Any, task: Task) -> bool:
    return user.pk in (task.assignee_id, task.created_by_id) or user.has_perm("workflow.view_task")


@transaction.atomic
def task_update(*, actor: Any, task: Task, **changes: Any) -> Task:
    if not may_edit_task(actor, task):
        raise PermissionDenied(_("You cannot change this task."), code="not_task_member")
    before = _task_snapshot(task)
    old_assignee = task.assignee_id
    data = {k: changes.get(k, getattr(task, k)) for k in (
        "assignee", "priority", "recurrence", "due_date", "estimated_hours")}  # fmt: skip
    if "assignee" in changes and changes["assignee"] is not None:
        _check_task(actor, task.company, data)
    else:
        _check_task(actor, task.company, {**data, "assignee": None})
    for key in ("title", "description", "assignee", "due_date", "priority", "estimated_hours",
                "recurrence"):  # fmt: skip
        if key in changes:
            setattr(task, key, changes[key])
    task.estimated_hours = money(task.estimated_hours or 0)
    if task.recurrence == Recurrence.MONTHLY and task.due_date and not task.recurrence_day:
        task.recurrence_day = task.due_date.day
    if "due_date" in changes and task.due_date and task.due_date >= today():
        task.escalated_at, task.escalated_to = None, None  # a new deadline: escalate again
    task.save()
    audit_record(
        event_type="TASK_UPDATED",
        actor=actor,
        company=task.company,
        target=task,
        before=before,
        after=_task_snapshot(task),
    )
    if task.assignee_id != old_assignee:
        _notify_assigned(task, actor)
    return task


def task_audit_desk_change(*, actor: Any, task: Task, before: Any, created: bool) -> None:
    """The desk saved a task (its form and checklist rows)."""
    if task.recurrence == Recurrence.MONTHLY and task.due_date and not task.recurrence_day:
        task.recurrence_day = task.due_date.day
        task.save(update_fields=["recurrence_day"])
    audit_record(
        event_type="TASK_CREATED" if created else "TASK_UPDATED",
        actor=actor,
        company=task.company,
        target=task,
        before=before,
        after=_task_snapshot(task),
    )
    if created or (before and before.get("assignee") != task.assignee_id):
        _notify_assigned(task, actor)


@transaction.atomic
def task_complete(*, actor: Any, task: Task) -> Task:
    if not may_edit_task(actor, task):
        raise PermissionDenied(_("You cannot change this task."), code="not_task_member")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.is_open:
        raise Conflict(_("The task is already closed."), code="task_closed")
    task.state, task.completed_at = TaskState.DONE, timezone.now()
    task.save(update_fields=["state", "completed_at", "updated_at"])
    audit_record(
        event_type="TASK_COMPLETED",
        actor=actor,
        company=task.company,
        target=task,
        after={"state": task.state},
    )
    if task.recurrence:
        _spawn_next(task)
    hooks.task_closed(task=task, actor=actor)
    return task


@transaction.atomic
def task_cancel(*, actor: Any, task: Task) -> Task:
    if not may_edit_task(actor, task):
        raise PermissionDenied(_("You cannot change this task."), code="not_task_member")
    if not task.is_open:
        raise Conflict(_("The task is already closed."), code="task_closed")
    task.state = TaskState.CANCELLED
    task.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="TASK_CANCELLED",
        actor=actor,
        company=task.company,
        target=task,
        after={"state": task.state},
    )
    hooks.task_closed(task=task, actor=actor)
    return task


@transaction.atomic
def checklist_item_set(*, actor: Any, item: ChecklistItem, done: bool) -> ChecklistItem:
    if not may_edit_task(actor, item.task):
        raise PermissionDenied(_("You cannot change this task."), code="not_task_member")
    item.done = bool(done)
    item.save(update_fields=["done"])
    audit_record(
        event_type="TASK_CHECKLIST_UPDATED",
        actor=actor,
        company=item.task.company,
        target=item.task,
        after={"item": item.text, "done": item.done},
    )
    return item


def next_due(task: Task) -> date:
    due = task.due_date or today()
    if task.recurrence == Recurrence.DAILY:
        return due + timedelta(days=1)
    if task.recurrence == Recurrence.WEEKLY:
        return due + timedelta(weeks=1)
    year, month = (due.year + 1, 1) if due.month == 12 else (due.year, due.month + 1)
    day = min(task.recurrence_day or due.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _spawn_next(task: Task) -> Task | None:
    """The next occurrence of a repeating task, at most once (``previous`` is unique)."""
    if Task.objects.filter(previous=task).exists():
        return None
    try:
        due = next_due(task)
    except (OverflowError, ValueError):
        return None  # no date after 31/12/9999
    try:
        with transaction.atomic():
            nxt = Task.objects.create(
                company=task.company,
                title=task.title,
                description=task.description,
                assignee=task.assignee,
                created_by=task.created_by,
                due_date=due,
                priority=task.priority,
                estimated_hours=task.estimated_hours,
                recurrence=task.recurrence,
                recurrence_day=task.recurrence_day,
                previous=task,
                link_type=task.link_type,
                link_id=task.link_id,
            )
    except IntegrityError:
        return None  # another worker created it at the same time
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(task=nxt, order=i.order, text=i.text, public_id=uuid.uuid4())
            for i in task.checklist.all()
        ]
    )
    audit_record(
        event_type="TASK_RECURRED",
        actor="workflow.tick",
        company=task.company,
        target=nxt,
        after={"previous": task.pk, "due_date": nxt.due_date.isoformat()},
    )
    _notify_assigned(nxt, None)
    return nxt


def _escalate(task: Task) -> bool:
    manager = manager_of(task.assignee, task.company) if task.assignee_id else None
    if manager is None and task.created_by_id and task.created_by_id != task.assignee_id:
        manager = task.created_by
    updated = Task.objects.filter(pk=task.pk, escalated_at__isnull=True).update(
        escalated_at=timezone.now(), escalated_to=manager
    )
    if not updated:
        return False  # escalated by a concurrent tick
    due = task.due_date.strftime("%d/%m/%Y") if task.due_date else ""
    if task.assignee_id:
        notify(
            user=task.assignee,
            company=task.company,
            title=_("Overdue task: %(t)s") % {"t": task.title},
            body=_("It was due %(d)s.") % {"d": due},
            url=f"/desk/workflow/mytask/{task.pk}/change/",
        )
    if manager is not None:
        notify(
            user=manager,
            company=task.company,
            title=_("Overdue task of %(who)s: %(t)s")
            % {"who": task.assignee or "—", "t": task.title},
            body=_("It was due %(d)s.") % {"d": due},
            url=f"/desk/workflow/task/{task.pk}/change/",
            email=True,
        )
    audit_record(
        event_type="TASK_ESCALATED",
        actor="workflow.tick",
        company=task.company,
        target=task,
        after={"to": manager.email if manager else None, "due_date": due},
    )
    return True


def workflow_tick(*, company: Company | None = None, on: date | None = None) -> dict[str, int]:
    """Recurrence and escalation; safe to run as often as you like (idempotent)."""
    on = on or today()
    base = Task.objects.all() if company is None else Task.objects.filter(company=company)
    created = escalated = 0
    # Repeating tasks whose period has passed (or that were completed) get their next one.
    due_recurring = base.filter(
        ~Q(recurrence=""), next_occurrence__isnull=True, due_date__lt=on
    ).exclude(state=TaskState.CANCELLED)
    for task in list(due_recurring.select_related("company", "assignee", "created_by")):
        # Catch up on missed periods: one occurrence per period, up to today's.
        while task is not None and task.due_date is not None and task.due_date < on:
            with transaction.atomic():
                task = _spawn_next(task)
            created += task is not None
    overdue = base.filter(
        state__in=OPEN_TASK_STATES, due_date__lt=on, escalated_at__isnull=True
    ).select_related("company", "assignee", "created_by")
    for task in overdue.iterator():
        with transaction.atomic():
            escalated += _escalate(task)
    return {"created": created, "escalated": escalated}


# --- receipts (the records app's document store, imported lazily) -----------------------------
@transaction.atomic
def expense_receipt_attach(
    *, actor: Any, company: Company, claim: ExpenseClaim, uploaded_file: Any, title: str = ""
) -> Any:
    """Store a receipt for the claim in the document store (confidential, doc type
    "receipt"); only the claimant, while the claim is a draft."""
    from backoffice.core.enums import Classification
    from backoffice.records.services import document_attach

    if claim.company_id != company.pk:
        raise NotFound(_("Expense claim not found."))
    _own_draft(actor, claim)
    doc = document_attach(
        actor=actor,
        company=company,
        owner=claim,
        uploaded_file=uploaded_file,
        title=title or _("Receipt: %(t)s") % {"t": claim.title},
        classification=Classification.CONFIDENTIAL,
        doc_type="receipt",
        department=claim.department,
    )
    audit_record(
        event_type="EXPENSE_RECEIPT_ATTACHED",
        actor=actor,
        company=company,
        target=claim,
        after={"document": str(doc.public_id), "title": doc.title},
    )
    return doc
