"""HR permissions and default grants (registered from ``HrConfig.ready``).

Salaries: the marker ``core.view_salary`` (HR manager, payroll officer) opens
salary fields; a person always sees their own in the portal. Revealing an
encrypted identifier (national ID, tax code, insurance number, bank account)
needs ``hr.reveal_pii`` and is audited. Data analysts get aggregates only.
"""

from __future__ import annotations

from backoffice.core.enums import Role

HR_PERMISSIONS: dict[str, str] = {
    "hr.view_employee": "see employee and collaborator records (identifiers masked)",
    "hr.add_employee": "create employees and collaborators, import them",
    "hr.change_employee": "edit employee records, dependants, job history",
    "hr.reveal_pii": "reveal a national ID, tax code, insurance number or bank account (audited)",
    "hr.view_contract": "see labour contracts and agreements",
    "hr.add_contract": "draft contracts and agreements",
    "hr.change_contract": "sign, renew, terminate contracts",
    "hr.view_leave": "see every leave request and balance",
    "hr.manage_leave": "leave types, holidays, accruals and balance adjustments",
    "hr.view_attendance": "see attendance and timesheets",
    "hr.manage_attendance": "import and correct attendance, work schedules",
    "hr.view_onboarding": "see onboarding and offboarding cases",
    "hr.manage_onboarding": "checklist templates, hiring and offboarding",
    "hr.view_worklog": "see collaborators' work logs",
    "hr.view_reports": "headcount, turnover and leave reports (aggregates)",
}

_VIEW = {
    "hr.view_employee",
    "hr.view_contract",
    "hr.view_leave",
    "hr.view_attendance",
    "hr.view_onboarding",
    "hr.view_worklog",
    "hr.view_reports",
}
_OFFICER = _VIEW | {
    "hr.add_employee", "hr.change_employee", "hr.reveal_pii",
    "hr.add_contract", "hr.change_contract",
    "hr.manage_leave", "hr.manage_attendance", "hr.manage_onboarding",
}  # fmt: skip

HR_GRANTS: dict[str, set[str]] = {
    Role.HR_OFFICER: _OFFICER,
    Role.HR_MANAGER: _OFFICER,  # + core.view_salary from the core table
    Role.PAYROLL_OFFICER: {
        "hr.view_employee", "hr.reveal_pii", "hr.view_contract", "hr.view_leave",
        "hr.view_attendance", "hr.view_worklog",
    },
    Role.DATA_ANALYST: {"hr.view_reports"},
    Role.OPERATIONS_MANAGER: {"hr.view_reports"},
}  # fmt: skip
