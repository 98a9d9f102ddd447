"""HR reads. ``access`` holds the shared rules (company, role, team, salary);
one module per area builds on it."""

from backoffice.hr.selectors.access import (
    collaborator_list,
    employee_for_user,
    employee_get_for_user,
    employee_list,
    is_company_member,
    managed_department_ids,
    may_see_salary,
    require_employee_for_user,
    require_salary_access,
    team_employee_ids,
)

__all__ = [
    "collaborator_list",
    "employee_for_user",
    "employee_get_for_user",
    "employee_list",
    "is_company_member",
    "managed_department_ids",
    "may_see_salary",
    "require_employee_for_user",
    "require_salary_access",
    "team_employee_ids",
]
