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
    from backoffice.workflow.models import ApproverKind
    from backoffice.workflow.services import policy_ensure

    return policy_ensure(
        company=company, request_type=REQUEST_TYPE, name=_("Payroll runs"), actor=actor,
        steps=[{"name": _("HR manager"), "kind": ApproverKind.ROLE, "role": Role.HR_MANAGER}],
    )  # fmt: skip


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


def approval_of(subject: PayrollRun) -> Any:
    """The latest approval request of the record (None before submitting)."""
    from backoffice.workflow.services import approval_of as latest

    return latest(subject)


def _decider(approval: Any) -> Any:
    from backoffice.workflow.services import approval_decider

    return approval_decider(approval)


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
