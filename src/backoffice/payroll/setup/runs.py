"""Platform registrations of the payroll runs area: the request type
"payroll_run" with the approval engine, the default approval policy of every
new company (HR manager)."""

from __future__ import annotations

from typing import Any


def company_defaults(*, company: Any, actor: Any = None) -> None:
    from backoffice.payroll.services.runs_approval import payroll_policy_ensure

    payroll_policy_ensure(company=company, actor=actor)


def register() -> None:
    from backoffice.core import hooks
    from backoffice.payroll.services import runs_approval as ra
    from backoffice.workflow.registry import RequestType, register_request_type

    register_request_type(
        RequestType(
            code=ra.REQUEST_TYPE,
            label=ra.REQUEST_LABEL,
            on_approved=ra.on_approved,
            on_rejected=ra.on_rejected,
            on_withdrawn=ra.on_withdrawn,
            submit_permission="payroll.manage_run",
        )
    )
    hooks.on_company_created(company_defaults)
