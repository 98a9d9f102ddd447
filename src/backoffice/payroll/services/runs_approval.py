"""Approval of payroll runs through the workflow engine (request type
``payroll_run``). Every company gets a default policy, one step: the HR
manager (created with the company, like HR's leave policy, and again on
submit if it was deleted). Approved: the run is approved; rejected or
withdrawn: back to computed, to be corrected and computed again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.models import Company
from backoffice.payroll.enums import RunState
from backoffice.payroll.models import PayrollRun

REQUEST_TYPE = "payroll_run"
REQUEST_LABEL = gettext_lazy("Payroll run")


def payroll_policy_ensure(*, company: Company, actor: Any = None) -> Any:
    """The default "payroll_run" policy (one step: the HR manager); idempotent."""
    from backoffice.workflow.models import ApprovalPolicy, ApprovalStep, ApproverKind

    policy, made = ApprovalPolicy.objects.get_or_create(
        company=company, request_type=REQUEST_TYPE, defaults={"name": str(_("Payroll runs"))}
    )
    if made:
        ApprovalStep.objects.create(
            policy=policy, order=1, name=str(_("HR manager")),
            approver_kind=ApproverKind.ROLE, role=Role.HR_MANAGER,
        )  # fmt: skip
        audit_record(
            event_type="APPROVAL_POLICY_CREATED",
            actor=actor if actor is not None else "system",
            company=company,
            target=policy,
            after={"request_type": REQUEST_TYPE,
                   "steps": [{"order": 1, "approver": "role", "role": Role.HR_MANAGER}]},
        )  # fmt: skip
    return policy


@transaction.atomic
def run_submit(*, actor: Any, run: PayrollRun) -> PayrollRun:
    """Send a computed run for approval."""
    from backoffice.payroll.services.common import authorise
    from backoffice.payroll.services.runs import MANAGE, _require_state, _snapshot, lock
    from backoffice.workflow.services import approval_submit

    run = lock(run)
    authorise(actor, run.company, MANAGE)
    _require_state(
        run, (RunState.COMPUTED,), "not_computed", _("Only a computed run can be submitted.")
    )
    payroll_policy_ensure(company=run.company, actor=actor)
    total = Decimal((run.totals or {}).get("total_cost") or 0)
    approval_submit(
        actor=actor,
        company=run.company,
        request_type=REQUEST_TYPE,
        subject=run,
        amount=max(total, Decimal(0)),
        title=_("Payroll %(p)s: %(n)s people") % {
            "p": f"{run.month:02d}/{run.year}", "n": (run.totals or {}).get("headcount", 0)},
    )  # fmt: skip
    run.state = RunState.PENDING
    run.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="PAYROLL_RUN_SUBMITTED", actor=actor, company=run.company, target=run,
        after=_snapshot(run),
    )  # fmt: skip
    return run


def approval_of(run: PayrollRun) -> Any:
    from django.contrib.contenttypes.models import ContentType

    from backoffice.workflow.models import ApprovalRequest

    ct = ContentType.objects.get_for_model(PayrollRun)
    return (
        ApprovalRequest.objects.filter(subject_type=ct, subject_id=run.pk).order_by("-id").first()
    )


def _decider(approval: Any) -> Any:
    last = approval.decisions.order_by("-id").select_related("actor").first()
    return last.actor if last else approval.requester


def on_approved(approval: Any) -> None:
    from backoffice.payroll.services.runs import _snapshot

    run = (
        PayrollRun.objects.select_for_update().select_related("company").get(pk=approval.subject_id)
    )
    if run.state != RunState.PENDING:
        return
    run.state, run.approved_at = RunState.APPROVED, timezone.now()
    run.save(update_fields=["state", "approved_at", "updated_at"])
    audit_record(
        event_type="PAYROLL_RUN_APPROVED", actor=_decider(approval), company=run.company,
        target=run, after=_snapshot(run),
    )  # fmt: skip


def _back(event: str) -> Any:
    def hook(approval: Any) -> None:
        run = (
            PayrollRun.objects.select_for_update()
            .select_related("company")
            .get(pk=approval.subject_id)
        )
        if run.state != RunState.PENDING:
            return
        run.state = RunState.COMPUTED
        run.save(update_fields=["state", "updated_at"])
        audit_record(
            event_type=event, actor=_decider(approval), company=run.company, target=run,
            after={"state": run.state},
        )  # fmt: skip

    return hook


on_rejected = _back("PAYROLL_RUN_REJECTED")
on_withdrawn = _back("PAYROLL_RUN_WITHDRAWN")
