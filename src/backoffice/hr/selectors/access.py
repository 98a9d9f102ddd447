"""Who may read which HR record — written once, used by desk, portal, API and exports.

* HR roles (``hr.view_employee``) see the company's people; identifiers are
  masked unless revealed (``hr.reveal_pii``, audited by the caller).
* Salaries: ``core.view_salary`` or the person themself (:func:`may_see_salary`).
* A line manager sees their team (:func:`team_employee_ids`) for leave and
  attendance, never salaries.
* A person sees their own record (:func:`employee_for_user`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound, PermissionDenied
from backoffice.core.models import Company, Department, Membership
from backoffice.core.selectors import _get, require_perm, scope_to_company
from backoffice.hr.enums import PersonKind
from backoffice.hr.models import Employee


def employee_list(*, user: Any, company: Company | None) -> QuerySet[Employee]:
    require_perm(user, "hr.view_employee")
    return scope_to_company(
        Employee.objects.select_related("department", "position", "manager"), company
    )


def employee_get_for_user(*, user: Any, company: Company | None, public_id: Any) -> Employee:
    return _get(employee_list(user=user, company=company), public_id, _("Employee"))


def collaborator_list(*, user: Any, company: Company | None) -> QuerySet[Employee]:
    return employee_list(user=user, company=company).filter(kind=PersonKind.COLLABORATOR)


def employee_for_user(*, user: Any, company: Company | None) -> Employee | None:
    """The person record of a logged-in user in the active company (portal)."""
    if company is None or not getattr(user, "is_authenticated", False):
        return None
    return (
        Employee.objects.select_related("department", "position", "manager")
        .filter(company=company, user_id=user.pk)
        .first()
    )


def require_employee_for_user(*, user: Any, company: Company | None) -> Employee:
    employee = employee_for_user(user=user, company=company)
    if employee is None:
        raise NotFound(_("You have no employee record in this company."), code="no_employee")
    return employee


def may_see_salary(*, user: Any, company: Company | None, employee: Employee) -> bool:
    if company is None or employee.company_id != company.pk:
        return False
    if employee.user_id is not None and employee.user_id == user.pk:
        return True
    return bool(user.has_perm("core.view_salary"))


def require_salary_access(*, user: Any, company: Company | None, employee: Employee) -> None:
    if not may_see_salary(user=user, company=company, employee=employee):
        raise PermissionDenied(
            _("Only HR managers, payroll staff and the employee see salaries."),
            code="salary_hidden",
        )


def managed_department_ids(*, user: Any, company: Company) -> set[int]:
    """Departments the user manages, with every department below them."""
    rows = list(
        Department.objects.filter(company=company).values_list("pk", "parent_id", "manager_id")
    )
    children: dict[int | None, list[int]] = {}
    for pk, parent, _m in rows:
        children.setdefault(parent, []).append(pk)
    stack = [pk for pk, _p, manager in rows if manager == user.pk]
    seen: set[int] = set()
    while stack:
        pk = stack.pop()
        if pk not in seen:
            seen.add(pk)
            stack.extend(children.get(pk, []))
    return seen


def team_employee_ids(*, user: Any, company: Company) -> set[int]:
    """People the user leads: in the departments they manage (and below) or who
    report to them directly or indirectly. Never includes the user themself."""
    me = employee_for_user(user=user, company=company)
    depts = managed_department_ids(user=user, company=company)
    ids = set(
        Employee.objects.filter(company=company, department_id__in=depts).values_list(
            "pk", flat=True
        )
    )
    if me is not None:
        edges = list(
            Employee.objects.filter(company=company, manager__isnull=False).values_list(
                "pk", "manager_id"
            )
        )
        reports: dict[int, list[int]] = {}
        for pk, manager in edges:
            reports.setdefault(manager, []).append(pk)
        stack = list(reports.get(me.pk, []))
        while stack:
            pk = stack.pop()
            if pk not in ids:
                ids.add(pk)
                stack.extend(reports.get(pk, []))
        ids.discard(me.pk)
    return ids


def is_company_member(*, user: Any, company: Company | None) -> bool:
    if company is None:
        return False
    return Membership.objects.filter(user_id=user.pk, company=company, is_active=True).exists()
