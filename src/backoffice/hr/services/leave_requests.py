"""Leave requests: create (draft) → submit (approval engine, request type
"leave") → approved (TAKEN rows) / rejected / withdrawn; an approved leave that
has not started can be cancelled (RESTORED rows).

Who: the employee for themself (portal), HR (``hr.manage_leave``) for anyone.
Approvers come from the company's "leave" policy (default: the requester's
manager, walking up the department tree).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import Company
from backoffice.hr.calculations import leave as calc
from backoffice.hr.enums import LeaveEntryKind, LeaveRequestState, PersonKind
from backoffice.hr.models import Employee, LeaveRequest, LeaveType
from backoffice.hr.services.calendar import CompanyCalendar
from backoffice.hr.services.leave_ledger import days_sum, entry_add, leave_balance, today

REQUEST_TYPE = "leave"
REQUEST_LABEL = gettext_lazy("Leave request")
ACTIVE = (LeaveRequestState.PENDING, LeaveRequestState.APPROVED)
MIN_YEAR, MAX_YEAR = 1900, 2200


def _may_act_for(actor: Any, company: Company, employee: Employee) -> None:
    if employee.company_id != company.pk:
        raise NotFound(_("Employee not found."))
    if employee.user_id is not None and employee.user_id == getattr(actor, "pk", None):
        return
    if not actor.has_perm("hr.manage_leave"):
        raise PermissionDenied(_("You may only request leave for yourself."), code="not_own_leave")


def request_days(
    company: Company,
    employee: Employee,
    leave_type: LeaveType,
    start: dt.date,
    end: dt.date,
    start_half: bool = False,
    end_half: bool = False,
) -> Decimal:
    """Working days of the employee's schedule (holidays and rest days left out),
    or calendar days for types that count them (maternity); half days off."""
    if leave_type.calendar_days:
        counted = {start + dt.timedelta(days=i) for i in range((end - start).days + 1)}
    else:
        cal = CompanyCalendar(company, start, end, employee.work_schedule)
        counted = set(cal.working_days(start, end))
    return calc.request_days(
        len(counted), single_day=start == end, start_half=start_half, end_half=end_half,
        start_counts=start in counted, end_counts=end in counted,
    )  # fmt: skip


def pending_days(employee: Employee, leave_type: LeaveType, year: int, exclude: Any = None):
    qs = LeaveRequest.objects.filter(
        employee=employee, leave_type=leave_type, state=LeaveRequestState.PENDING,
        start_date__year=year,
    )  # fmt: skip
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return days_sum(qs.aggregate(s=Sum("days"))["s"])


def _check(req: LeaveRequest) -> None:
    """Overlap and balance (at creation, submission and approval)."""
    overlap = LeaveRequest.objects.filter(
        employee=req.employee, state__in=ACTIVE,
        start_date__lte=req.end_date, end_date__gte=req.start_date,
    ).exclude(pk=req.pk)  # fmt: skip
    if overlap.exists():
        raise Conflict(_("These days overlap another leave request."), code="leave_overlap")
    lt = req.leave_type
    if lt.uses_balance and not lt.allow_negative:
        year = req.start_date.year
        available = leave_balance(req.employee, lt, year) - pending_days(
            req.employee, lt, year, exclude=req
        )
        if req.days > available:
            raise ValidationFailed(
                _("Not enough %(type)s: %(days)s days asked, %(left)s available.")
                % {"type": lt.name, "days": req.days, "left": available},
                code="insufficient_balance",
                extra={"available": str(available), "days": str(req.days)},
            )


def _snapshot(req: LeaveRequest) -> dict[str, Any]:
    return {
        "employee": req.employee.code, "type": req.leave_type.code,
        "start": req.start_date.isoformat(), "end": req.end_date.isoformat(),
        "start_half": req.start_half, "end_half": req.end_half,
        "days": str(req.days), "state": req.state,
    }  # fmt: skip


@transaction.atomic
def leave_request_create(
    *,
    actor: Any,
    company: Company,
    employee: Employee,
    leave_type: LeaveType,
    start_date: dt.date,
    end_date: dt.date,
    start_half: bool = False,
    end_half: bool = False,
    reason: str = "",
) -> LeaveRequest:
    _may_act_for(actor, company, employee)
    if leave_type.company_id != company.pk or not leave_type.is_active:
        raise NotFound(_("Leave type not found."))
    if employee.kind != PersonKind.EMPLOYEE:
        raise ValidationFailed(
            _("Collaborators have no leave under the Labour Code."), code="not_employee"
        )
    if not (MIN_YEAR <= start_date.year <= MAX_YEAR and MIN_YEAR <= end_date.year <= MAX_YEAR):
        raise ValidationFailed(_("Choose dates between 1900 and 2200."), code="invalid_dates")
    if end_date < start_date:
        raise ValidationFailed(_("The end date is before the start date."), code="invalid_dates")
    if start_date.year != end_date.year:
        raise ValidationFailed(
            _("Leave is counted per year: split a leave across 31 December into two requests."),
            code="spans_years",
        )
    if (end_date - start_date).days > 366:
        raise ValidationFailed(_("A request covers at most a year."), code="invalid_dates")
    days = request_days(company, employee, leave_type, start_date, end_date, start_half, end_half)
    if days <= 0:
        raise ValidationFailed(
            _("These dates hold no working day (rest days and holidays are not counted)."),
            code="no_working_days",
        )
    if leave_type.max_days_per_request is not None and days > leave_type.max_days_per_request:
        raise ValidationFailed(
            _("%(type)s allows at most %(max)s days per request.")
            % {"type": leave_type.name, "max": leave_type.max_days_per_request},
            code="too_many_days",
        )
    req = LeaveRequest(
        company=company, employee=employee, leave_type=leave_type, start_date=start_date,
        end_date=end_date, start_half=bool(start_half), end_half=bool(end_half), days=days,
        reason=(reason or "").strip()[:300], state=LeaveRequestState.DRAFT,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    _check(req)
    req.save()
    audit_record(
        event_type="LEAVE_REQUEST_CREATED",
        actor=actor,
        company=company,
        target=req,
        after=_snapshot(req),
    )
    return req


def leave_policy_ensure(*, company: Company, actor: Any = None) -> Any:
    """The default "leave" policy (one step: the requester's manager) when the
    company has none. Idempotent; called on company creation and on submit."""
    from backoffice.workflow.models import ApproverKind
    from backoffice.workflow.services import policy_ensure

    return policy_ensure(
        company=company, request_type=REQUEST_TYPE, name=_("Leave requests"), actor=actor,
        steps=[{"name": _("Line manager"), "kind": ApproverKind.MANAGER}],
    )  # fmt: skip


def _lock(company: Company, request: LeaveRequest) -> LeaveRequest:
    if request.company_id != company.pk:
        raise NotFound(_("Leave request not found."))
    return (
        LeaveRequest.objects.select_for_update()
        .select_related("employee", "leave_type", "company")
        .get(pk=request.pk)
    )


def _requester(actor: Any, company: Company, employee: Any) -> Any:
    """The employee is the requester when they have an active account here (their
    line manager then approves even when HR submits); else the submitter."""
    from backoffice.core.models import Membership

    user = employee.user
    if user is None or user.pk == actor.pk or not user.is_active:
        return None
    if not Membership.objects.filter(user=user, company=company, is_active=True).exists():
        return None
    return user


@transaction.atomic
def leave_request_submit(*, actor: Any, company: Company, request: LeaveRequest) -> LeaveRequest:
    from backoffice.workflow.services import approval_submit

    req = _lock(company, request)
    _may_act_for(actor, company, req.employee)
    if req.state != LeaveRequestState.DRAFT:
        raise Conflict(_("Only a draft request can be submitted."), code="not_draft")
    _check(req)
    leave_policy_ensure(company=company, actor=actor)
    req.state = LeaveRequestState.PENDING
    req.save(update_fields=["state", "updated_at"])
    approval_submit(
        actor=actor,
        company=company,
        request_type=REQUEST_TYPE,
        subject=req,
        department=req.employee.department,
        on_behalf_of=_requester(actor, company, req.employee),
        title=_("Leave: %(who)s, %(type)s %(a)s–%(b)s (%(d)s days)")
        % {
            "who": req.employee.full_name,
            "type": req.leave_type.name,
            "a": req.start_date.strftime("%d/%m/%Y"),
            "b": req.end_date.strftime("%d/%m/%Y"),
            "d": req.days,
        },  # fmt: skip
    )
    audit_record(
        event_type="LEAVE_REQUEST_SUBMITTED", actor=actor, company=company, target=req,
        after={"state": req.state, "days": str(req.days)},
    )  # fmt: skip
    return req


def approval_of(subject: LeaveRequest) -> Any:
    """The latest approval request of the record (None before submitting)."""
    from backoffice.workflow.services import approval_of as latest

    return latest(subject)


# --- callbacks of the approval engine (inside the deciding transaction) ----------------------
def _decider(approval: Any) -> Any:
    last = approval.decisions.order_by("-id").select_related("actor").first()
    return last.actor if last else None


def on_approved(approval: Any) -> None:
    req = (
        LeaveRequest.objects.select_for_update()
        .select_related("employee", "leave_type", "company")
        .get(pk=approval.subject_id)
    )
    if req.state != LeaveRequestState.PENDING:
        return
    actor = _decider(approval)
    if req.leave_type.uses_balance:
        entry_add(
            company=req.company, employee=req.employee, leave_type=req.leave_type,
            year=req.start_date.year, date=req.start_date, kind=LeaveEntryKind.TAKEN,
            days=-req.days, actor=actor, request=req, key=f"taken:{req.pk}",
            note=_("Leave %(a)s–%(b)s") % {
                "a": req.start_date.strftime("%d/%m/%Y"), "b": req.end_date.strftime("%d/%m/%Y")},
        )  # fmt: skip
    req.state = LeaveRequestState.APPROVED
    req.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="LEAVE_REQUEST_APPROVED", actor=actor, company=req.company, target=req,
        after={"state": req.state, "days": str(req.days)},
    )  # fmt: skip


def _closed(state: str, event: str):
    def hook(approval: Any) -> None:
        req = LeaveRequest.objects.select_for_update().get(pk=approval.subject_id)
        if req.state != LeaveRequestState.PENDING:
            return
        req.state = state
        req.save(update_fields=["state", "updated_at"])
        audit_record(
            event_type=event, actor=_decider(approval) or approval.requester,
            company=req.company, target=req, after={"state": state},
        )  # fmt: skip

    return hook


on_rejected = _closed(LeaveRequestState.REJECTED, "LEAVE_REQUEST_REJECTED")
on_withdrawn = _closed(LeaveRequestState.WITHDRAWN, "LEAVE_REQUEST_WITHDRAWN")


@transaction.atomic
def leave_request_cancel(
    *, actor: Any, company: Company, request: LeaveRequest, reason: str = ""
) -> LeaveRequest:
    """Draft: cancelled. Pending: withdrawn from approval (by its requester).
    Approved and not started yet: cancelled and the days restored (RESTORED row)."""
    from backoffice.workflow.services import approval_withdraw

    req = _lock(company, request)
    _may_act_for(actor, company, req.employee)
    if req.state == LeaveRequestState.PENDING:
        approval = approval_of(req)
        if approval is None:
            raise Conflict(_("The approval of this request is missing."), code="no_approval")
        # _may_act_for has checked the actor: the employee, or HR for them
        approval_withdraw(actor=actor, company=company, request=approval, for_requester=True)
        req.refresh_from_db()
        return req
    if req.state == LeaveRequestState.APPROVED:
        if req.start_date <= today():
            raise Conflict(
                _("This leave has started; ask HR to correct the balance."), code="leave_started"
            )
        if req.leave_type.uses_balance:
            entry_add(
                company=company, employee=req.employee, leave_type=req.leave_type,
                year=req.start_date.year, date=req.start_date, kind=LeaveEntryKind.RESTORED,
                days=req.days, actor=actor, request=req, key=f"restored:{req.pk}",
                note=(reason or "").strip() or _("Request cancelled"),
            )  # fmt: skip
    elif req.state != LeaveRequestState.DRAFT:
        raise Conflict(_("This request is closed already."), code="request_closed")
    before = req.state
    req.state = LeaveRequestState.CANCELLED
    req.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="LEAVE_REQUEST_CANCELLED", actor=actor, company=company, target=req,
        before={"state": before}, after={"state": req.state, "reason": reason},
    )  # fmt: skip
    return req
