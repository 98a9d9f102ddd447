"""Workflow permissions and default grants (registered from AppConfig.ready).

Personal work needs no permission: any member of the company creates their own
tasks, expense claims and purchase requests, sees "My work" and decides the
approvals addressed to them (or to whom they stand in for). Permissions open
the company-wide screens.
"""

from __future__ import annotations

from backoffice.core.enums import Role

WORKFLOW_PERMISSIONS: dict[str, str] = {
    "workflow.view_approvalpolicy": "see approval policies",
    "workflow.add_approvalpolicy": "create approval policies",
    "workflow.change_approvalpolicy": "edit approval policies and their steps",
    "workflow.delete_approvalpolicy": "delete approval policies",
    "workflow.view_approvalrequest": "see every approval request of the company",
    "workflow.view_task": "see every task of the company",
    "workflow.assign_task": "create tasks for other people",
    "workflow.view_workload": "see everyone's workload",
    "workflow.view_expenseclaim": "see every expense claim of the company",
    "workflow.view_purchaserequest": "see every purchase request of the company",
    "workflow.run_tick": "run recurrence and escalation now",
}

_POLICY_ALL = {
    "workflow.view_approvalpolicy",
    "workflow.add_approvalpolicy",
    "workflow.change_approvalpolicy",
    "workflow.delete_approvalpolicy",
}
_DESK_WORK = {"workflow.assign_task"}

WORKFLOW_GRANTS: dict[str, set[str]] = {
    Role.ADMIN: _POLICY_ALL | {"workflow.run_tick"},
    Role.OPERATIONS_MANAGER: _POLICY_ALL
    | _DESK_WORK
    | {
        "workflow.view_approvalrequest",
        "workflow.view_task",
        "workflow.view_workload",
        "workflow.view_expenseclaim",
        "workflow.view_purchaserequest",
        "workflow.run_tick",
    },
    Role.CHIEF_ACCOUNTANT: _DESK_WORK
    | {
        "workflow.view_approvalpolicy",
        "workflow.view_expenseclaim",
        "workflow.view_purchaserequest",
    },
    Role.ACCOUNTANT: _DESK_WORK | {"workflow.view_expenseclaim", "workflow.view_purchaserequest"},
    Role.COMPLIANCE_OFFICER: _DESK_WORK
    | {"workflow.view_approvalpolicy", "workflow.view_approvalrequest"},
    Role.HR_OFFICER: _DESK_WORK,
    Role.HR_MANAGER: _DESK_WORK,
    Role.PAYROLL_OFFICER: _DESK_WORK,
    Role.IT_OFFICER: _DESK_WORK,
    Role.DATA_ANALYST: _DESK_WORK,
    Role.RISK_ANALYST: _DESK_WORK,
}
