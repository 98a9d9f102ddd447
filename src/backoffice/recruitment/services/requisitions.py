"""Job requisitions: a department asks for people, the approval engine decides
(request type ``recruitment_requisition``), an approved requisition becomes
one or more job postings and counts its hires.

States: draft -> pending (submitted) -> approved | rejected (edit, submit
again); withdrawn approval -> draft; approved -> filled when the headcount is
reached (its postings close); draft, pending, rejected or approved ->
cancelled. Every company has a default approval policy: one step, the HR
manager (created with the company, again on submit if it was deleted; the
company may change it in the workflow settings, e.g. add the department
manager or the director).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.models import Company, Department, Membership, Position
from backoffice.recruitment.enums import (
    EmploymentType,
    PostingState,
    RequisitionReason,
    RequisitionState,
)
from backoffice.recruitment.models import JobPosting, JobRequisition
from backoffice.recruitment.services.common import authorise, next_number, same_company

REQUEST_TYPE = "recruitment_requisition"
REQUEST_LABEL = gettext_lazy("Job requisition")
VIEW = "recruitment.view_requisition"
MANAGE = "recruitment.manage_requisition"

FIELDS = (
    "title", "department", "position", "hiring_manager", "headcount", "employment_type",
    "salary_min", "salary_max", "reason", "justification", "target_start",
)  # fmt: skip
EDITABLE_STATES = (RequisitionState.DRAFT, RequisitionState.REJECTED)
CANCELLABLE_STATES = (
    RequisitionState.DRAFT, RequisitionState.PENDING, RequisitionState.REJECTED,
    RequisitionState.APPROVED,
)  # fmt: skip


# --- helpers -------------------------------------------------------------------------------
def snapshot(req: JobRequisition) -> dict[str, Any]:
    return {
        "number": req.number,
        "title": req.title,
        "department": req.department.code if req.department_id else None,
        "position": req.position.code if req.position_id else None,
        "hiring_manager": req.hiring_manager.email if req.hiring_manager_id else None,
        "headcount": req.headcount,
        "hired_count": req.hired_count,
        "employment_type": req.employment_type,
        "salary_min": str(req.salary_min) if req.salary_min is not None else None,
        "salary_max": str(req.salary_max) if req.salary_max is not None else None,
        "reason": req.reason,
        "target_start": req.target_start.isoformat() if req.target_start else None,
        "state": req.state,
    }


def _lock(req: JobRequisition) -> JobRequisition:
    return (
        JobRequisition.objects.select_for_update(of=("self",))
        .select_related("company", "department", "position", "hiring_manager")
        .get(pk=req.pk)
    )


def _money(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(".", "").replace(",", "").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(
            _("%(f)s is not a valid amount.") % {"f": label}, code="invalid_amount"
        ) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 15:
        raise ValidationFailed(
            _("%(f)s is not a valid amount.") % {"f": label}, code="invalid_amount"
        )
    return amount.quantize(Decimal(1))


def salary_range(lo: Any, hi: Any) -> tuple[Decimal | None, Decimal | None]:
    lo_d, hi_d = _money(lo, _("Salary from")), _money(hi, _("Salary to"))
    if lo_d is not None and hi_d is not None and lo_d > hi_d:
        raise ValidationFailed(
            _("The lowest salary must not be above the highest."), code="salary_range"
        )
    return lo_d, hi_d


def _clean(company: Company, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    out = dict(data)
    if "title" in out:
        out["title"] = " ".join(str(out["title"] or "").split())[:200]
        if not out["title"]:
            raise ValidationFailed(_("Enter the job title."), code="title_required")
    if "department" in out:
        if not isinstance(out["department"], Department):
            raise ValidationFailed(_("Choose the department."), code="department_required")
        same_company(company, out["department"])
    if out.get("position") is not None:
        if not isinstance(out["position"], Position):
            raise ValidationFailed(_("Choose a position."), code="invalid_position")
        same_company(company, out["position"])
    if (
        out.get("hiring_manager") is not None
        and not Membership.objects.filter(
            user=out["hiring_manager"], company=company, is_active=True
        ).exists()
    ):
        raise ValidationFailed(
            _("The hiring manager holds no role in this company."), code="invalid_manager"
        )
    if "headcount" in out:
        try:
            out["headcount"] = int(out["headcount"])
        except (TypeError, ValueError):
            out["headcount"] = 0
        if not 1 <= out["headcount"] <= 999:
            raise ValidationFailed(
                _("The headcount must be between 1 and 999."), code="invalid_headcount"
            )
    if "employment_type" in out and out["employment_type"] not in EmploymentType.values:
        raise ValidationFailed(_("Unknown employment type."), code="invalid_choice")
    if "reason" in out and out["reason"] not in RequisitionReason.values:
        raise ValidationFailed(_("Unknown reason."), code="invalid_choice")
    if "justification" in out:
        out["justification"] = str(out["justification"] or "")[:5000]
    return out


def _check_range(req: JobRequisition) -> None:
    req.salary_min, req.salary_max = salary_range(req.salary_min, req.salary_max)


# --- writes --------------------------------------------------------------------------------
@transaction.atomic
def requisition_create(*, actor: Any, company: Company, **fields: Any) -> JobRequisition:
    """A draft requisition numbered YC<year>/<nnnn>."""
    authorise(actor, company, MANAGE)
    data = _clean(company, fields)
    if not data.get("title"):
        raise ValidationFailed(_("Enter the job title."), code="title_required")
    if not data.get("department"):
        raise ValidationFailed(_("Choose the department."), code="department_required")
    req = JobRequisition(company=company, **data)
    _check_range(req)
    req.number = next_number(JobRequisition, company, "YC")
    req.created_by = None if isinstance(actor, str) or actor is None else actor
    req.save()
    audit_record(
        event_type="RECRUITMENT_REQUISITION_CREATED", actor=actor or "system", company=company,
        target=req, after=snapshot(req),
    )  # fmt: skip
    return req


@transaction.atomic
def requisition_update(*, actor: Any, requisition: JobRequisition, **fields: Any) -> JobRequisition:
    """Change a draft (or a rejected requisition, before submitting it again)."""
    req = _lock(requisition)
    authorise(actor, req.company, MANAGE)
    if req.state not in EDITABLE_STATES:
        raise Conflict(
            _("Only a draft or a rejected requisition can be changed."), code="not_editable"
        )
    data = _clean(req.company, fields)
    before = snapshot(req)
    for key, value in data.items():
        setattr(req, key, value)
    _check_range(req)
    req.save()
    audit_record(
        event_type="RECRUITMENT_REQUISITION_UPDATED", actor=actor or "system",
        company=req.company, target=req, before=before, after=snapshot(req),
    )  # fmt: skip
    return req


def requisition_policy_ensure(*, company: Company, actor: Any = None) -> Any:
    """The default "recruitment_requisition" policy (one step: the HR manager); idempotent."""
    from backoffice.workflow.models import ApproverKind
    from backoffice.workflow.services import policy_ensure

    return policy_ensure(
        company=company, request_type=REQUEST_TYPE, name=_("Job requisitions"), actor=actor,
        steps=[{"name": _("HR manager"), "kind": ApproverKind.ROLE, "role": Role.HR_MANAGER}],
    )  # fmt: skip


@transaction.atomic
def requisition_submit(*, actor: Any, requisition: JobRequisition) -> JobRequisition:
    """Send a draft (or rejected) requisition to the approval engine."""
    from backoffice.workflow.services import approval_submit

    req = _lock(requisition)
    authorise(actor, req.company, MANAGE)
    if req.state not in EDITABLE_STATES:
        raise Conflict(
            _("Only a draft or a rejected requisition can be submitted."), code="not_submittable"
        )
    requisition_policy_ensure(company=req.company, actor=actor)
    amount = req.salary_max * req.headcount if req.salary_max is not None else None
    approval_submit(
        actor=actor,
        company=req.company,
        request_type=REQUEST_TYPE,
        subject=req,
        amount=amount,
        department=req.department,
        title=_("Requisition %(n)s: %(t)s (%(c)s people)")
        % {"n": req.number, "t": req.title, "c": req.headcount},
    )
    req.state, req.submitted_at = RequisitionState.PENDING, timezone.now()
    req.save(update_fields=["state", "submitted_at", "updated_at"])
    audit_record(
        event_type="RECRUITMENT_REQUISITION_SUBMITTED", actor=actor, company=req.company,
        target=req, after=snapshot(req),
    )  # fmt: skip
    return req


def approval_of(subject: JobRequisition) -> Any:
    """The latest approval request of the record (None before submitting)."""
    from backoffice.workflow.services import approval_of as latest

    return latest(subject)


def _close_postings(req: JobRequisition, actor: Any) -> list[str]:
    closed = []
    now = timezone.now()
    for posting in JobPosting.objects.select_for_update().filter(
        requisition=req, state__in=[PostingState.DRAFT, PostingState.PUBLISHED]
    ):
        posting.state, posting.closed_at = PostingState.CLOSED, now
        posting.save(update_fields=["state", "closed_at", "updated_at"])
        audit_record(
            event_type="RECRUITMENT_POSTING_CLOSED", actor=actor or "system",
            company=req.company, target=posting, after={"state": posting.state,
                                                        "requisition": req.number},
        )  # fmt: skip
        closed.append(posting.slug)
    return closed


@transaction.atomic
def requisition_cancel(
    *, actor: Any, requisition: JobRequisition, reason: str = ""
) -> JobRequisition:
    """Cancel: a pending approval is withdrawn, the requisition's postings close."""
    req = _lock(requisition)
    authorise(actor, req.company, MANAGE)
    if req.state not in CANCELLABLE_STATES:
        raise Conflict(_("This requisition can no longer be cancelled."), code="not_cancellable")
    before = snapshot(req)
    if req.state == RequisitionState.PENDING:
        from backoffice.workflow.models import RequestState as RS
        from backoffice.workflow.services import approval_withdraw

        approval = approval_of(req)
        if approval is not None and approval.state == RS.PENDING:
            approval_withdraw(
                actor=actor, company=req.company, request=approval, for_requester=True
            )
        req.refresh_from_db()
    closed = _close_postings(req, actor)
    req.state = RequisitionState.CANCELLED
    req.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="RECRUITMENT_REQUISITION_CANCELLED", actor=actor, company=req.company,
        target=req, before=before,
        after={**snapshot(req), "reason": (reason or "")[:300], "postings_closed": closed},
    )  # fmt: skip
    return req


@transaction.atomic
def requisition_hired(*, requisition: JobRequisition, actor: Any = None) -> JobRequisition:
    """One more person hired (called by the hire step, inside its transaction):
    ``hired_count`` + 1; at the headcount the requisition is filled and its
    postings close."""
    req = _lock(requisition)
    if req.state != RequisitionState.APPROVED:
        raise Conflict(
            _("Only an approved requisition can take a hire."), code="requisition_not_open"
        )
    if req.hired_count >= req.headcount:
        raise Conflict(
            _("The requisition's headcount is already reached."), code="headcount_reached"
        )
    before = snapshot(req)
    req.hired_count += 1
    closed: list[str] = []
    if req.hired_count >= req.headcount:
        req.state = RequisitionState.FILLED
        closed = _close_postings(req, actor)
    req.save(update_fields=["hired_count", "state", "updated_at"])
    audit_record(
        event_type="RECRUITMENT_REQUISITION_HIRED", actor=actor or "system", company=req.company,
        target=req, before=before, after={**snapshot(req), "postings_closed": closed},
    )  # fmt: skip
    return req


# --- approval engine callbacks ---------------------------------------------------------------
def _decider(approval: Any) -> Any:
    from backoffice.workflow.services import approval_decider

    return approval_decider(approval)


def _subject(approval: Any) -> JobRequisition:
    return (
        JobRequisition.objects.select_for_update(of=("self",))
        .select_related("company", "department", "position", "hiring_manager")
        .get(pk=approval.subject_id)
    )


def on_approved(approval: Any) -> None:
    req = _subject(approval)
    if req.state != RequisitionState.PENDING:
        return
    req.state, req.approved_at = RequisitionState.APPROVED, timezone.now()
    req.save(update_fields=["state", "approved_at", "updated_at"])
    audit_record(
        event_type="RECRUITMENT_REQUISITION_APPROVED", actor=_decider(approval),
        company=req.company, target=req, after=snapshot(req),
    )  # fmt: skip
    if req.hiring_manager_id and req.hiring_manager_id != approval.requester_id:
        from backoffice.core.notifications import notify

        notify(
            user=req.hiring_manager, company=req.company,
            title=_("Requisition %(n)s was approved") % {"n": req.number}, body=req.title,
        )  # fmt: skip


def _back(event: str, state: str) -> Any:
    def hook(approval: Any) -> None:
        req = _subject(approval)
        if req.state != RequisitionState.PENDING:
            return
        req.state = state
        req.save(update_fields=["state", "updated_at"])
        audit_record(
            event_type=event, actor=_decider(approval), company=req.company, target=req,
            after={"state": req.state},
        )  # fmt: skip

    return hook


on_rejected = _back("RECRUITMENT_REQUISITION_REJECTED", RequisitionState.REJECTED)
on_withdrawn = _back("RECRUITMENT_REQUISITION_WITHDRAWN", RequisitionState.DRAFT)
