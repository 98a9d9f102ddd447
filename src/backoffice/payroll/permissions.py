"""Payroll permissions and default grants (registered from ``PayrollConfig.ready``).

Runs, payslips and every per-person amount: payroll officer and HR manager
(who also approves runs through the approval engine). Aggregates only (run
totals, cost by department): chief accountant and data analyst. Statutory
rule rows are public law: the payroll officer and the system administrator
may add one when the law changes. An employee sees their own payslips in the
portal (checked there, not through these permissions).
"""

from __future__ import annotations

from backoffice.core.enums import Role

PAYROLL_PERMISSIONS: dict[str, str] = {
    "payroll.view_run": "see payroll runs, payslips and every amount in them",
    "payroll.manage_run": "create, compute, submit, pay and post runs; one-off items",
    "payroll.manage_items": "recurring allowances and deductions of employees",
    "payroll.view_reports": "payroll register, insurance and PIT reports per employee",
    "payroll.view_aggregates": "payroll totals by month and department, no person's amount",
    "payroll.manage_rules": "add statutory rule rows (PIT, insurance, minimum wages ...)",
    "payroll.manage_settings": "payroll accounts and the company's choices on uncertain rules",
    "payroll.manage_collaborator_payments": "payments to collaborators with withholding",
}

_ALL = set(PAYROLL_PERMISSIONS)

PAYROLL_GRANTS: dict[str, set[str]] = {
    Role.PAYROLL_OFFICER: _ALL,
    Role.HR_MANAGER: {
        "payroll.view_run", "payroll.view_reports", "payroll.view_aggregates",
        "payroll.manage_items",
    },
    Role.CHIEF_ACCOUNTANT: {"payroll.view_aggregates"},
    Role.DATA_ANALYST: {"payroll.view_aggregates"},
    Role.ADMIN: {"payroll.manage_rules"},
}  # fmt: skip
