"""Reads of the employees area: filtered lists, masked rows, job history with
salaries only for those who may see them, the org chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from backoffice.core.fields import blind_index, mask
from backoffice.core.models import Company, Department
from backoffice.core.selectors import _get, require_perm
from backoffice.hr.models import Dependant, Education, EmergencyContact, Employee, JobChange
from backoffice.hr.selectors.access import employee_list, may_see_salary
from backoffice.hr.services.employees_validation import IDENTIFIERS, province_name


def employee_search(
    qs: QuerySet[Employee],
    *,
    q: str = "",
    department: Any = None,
    position: Any = None,
    status: str = "",
    kind: str = "",
) -> QuerySet[Employee]:
    """Filters shared by the desk, the API and the CLI. ``q`` matches the code, name,
    e-mail or phone, or a national ID exactly (through its blind index)."""
    if department is not None:
        qs = qs.filter(department=department)
    if position is not None:
        qs = qs.filter(position=position)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    q = (q or "").strip()
    if q:
        cond = (
            Q(code__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q)
            | Q(phone__icontains=q)
        )  # fmt: skip
        digits = "".join(q.split())
        if digits.isdigit() and len(digits) == 12:
            cond |= Q(national_id_index=blind_index(digits, purpose="hr.national_id"))
        qs = qs.filter(cond)
    return qs


def masked(employee: Employee) -> dict[str, str]:
    return {f: mask(getattr(employee, f)) for f in IDENTIFIERS}


def employee_row(employee: Employee) -> dict[str, Any]:
    """One person for lists and exports: identifiers masked, no salary."""
    return {
        "id": employee.public_id,
        "code": employee.code,
        "kind": employee.kind,
        "full_name": employee.full_name,
        "date_of_birth": employee.date_of_birth,
        "gender": employee.gender,
        "email": employee.email,
        "phone": employee.phone,
        "department": employee.department.name if employee.department_id else "",
        "department_code": employee.department.code if employee.department_id else "",
        "position": employee.position.name if employee.position_id else "",
        "position_code": employee.position.code if employee.position_id else "",
        "manager_code": employee.manager.code if employee.manager_id else "",
        "status": employee.status,
        "hire_date": employee.hire_date,
        "termination_date": employee.termination_date,
        "current_province": employee.current_province,
        "current_province_name": province_name(employee.current_province),
        "permanent_province": employee.permanent_province,
        "bank_name": employee.bank_name,
        **masked(employee),
    }


def job_history(*, user: Any, company: Company, employee: Employee) -> list[dict[str, Any]]:
    """The job history, newest first; ``salary`` is None unless the user may see it."""
    if employee.user_id != getattr(user, "pk", None):
        require_perm(user, "hr.view_employee")
    if employee.company_id != getattr(company, "pk", None):
        return []
    show = may_see_salary(user=user, company=company, employee=employee)
    rows = (
        JobChange.objects.filter(employee=employee)
        .select_related("department", "position")
        .order_by("-effective_date", "-id")
    )
    return [
        {
            "id": c.public_id,
            "kind": c.kind,
            "kind_display": c.get_kind_display(),
            "effective_date": c.effective_date,
            "department": c.department.name if c.department_id else "",
            "position": c.position.name if c.position_id else "",
            "salary": c.salary if show else None,
            "note": c.note,
        }
        for c in rows
    ]


def dependant_list(*, user: Any, company: Company, employee: Employee) -> QuerySet[Dependant]:
    if employee.user_id != getattr(user, "pk", None):
        require_perm(user, "hr.view_employee")
    return Dependant.objects.filter(company=company, employee=employee)


def emergency_contact_list(*, user: Any, company: Company, employee: Employee):
    if employee.user_id != getattr(user, "pk", None):
        require_perm(user, "hr.view_employee")
    return EmergencyContact.objects.filter(company=company, employee=employee)


def education_list(*, user: Any, company: Company, employee: Employee):
    if employee.user_id != getattr(user, "pk", None):
        require_perm(user, "hr.view_employee")
    return Education.objects.filter(company=company, employee=employee)


def _sub_get(qs: QuerySet[Any], public_id: Any, what: str) -> Any:
    return _get(qs, public_id, what)


def dependant_get(*, user: Any, company: Company, employee: Employee, public_id: Any):
    return _sub_get(dependant_list(user=user, company=company, employee=employee), public_id,
                    _("Dependant"))  # fmt: skip


# --- org chart --------------------------------------------------------------------------
def org_chart(*, user: Any, company: Company, on: dt.date | None = None) -> list[dict[str, Any]]:
    """Departments as a tree: manager, people (active) in the department and below,
    and each department's reporting lines (who reports to whom inside it)."""
    people = employee_list(user=user, company=company).exclude(status="left")
    counts = dict(
        people.values("department_id").annotate(n=Count("id")).values_list("department_id", "n")
    )
    depts = list(
        Department.objects.filter(company=company).select_related("manager").order_by("code")
    )
    staff: dict[int | None, list[Employee]] = {}
    for emp in people.only("id", "code", "full_name", "department_id", "manager_id",
                           "position__name").select_related("position"):  # fmt: skip
        staff.setdefault(emp.department_id, []).append(emp)
    children: dict[int | None, list[Department]] = {}
    for d in depts:
        children.setdefault(d.parent_id, []).append(d)

    def lines(members: list[Employee]) -> list[dict[str, Any]]:
        ids = {e.pk for e in members}
        reports: dict[int | None, list[Employee]] = {}
        for e in members:
            reports.setdefault(e.manager_id if e.manager_id in ids else None, []).append(e)

        def node(e: Employee, depth: int) -> dict[str, Any]:
            below = [node(r, depth + 1) for r in reports.get(e.pk, [])] if depth < 20 else []
            return {"code": e.code, "name": e.full_name,
                    "position": e.position.name if e.position_id else "", "reports": below}  # fmt: skip

        return [node(e, 0) for e in reports.get(None, [])]

    def build(d: Department, depth: int) -> dict[str, Any]:
        subs = [build(c, depth + 1) for c in children.get(d.pk, [])] if depth < 20 else []
        own = counts.get(d.pk, 0)
        members = staff.get(d.pk, [])
        return {
            "id": d.public_id,
            "code": d.code,
            "name": d.name,
            "manager": d.manager.full_name if d.manager_id else "",
            "headcount": own,
            "total": own + sum(s["total"] for s in subs),
            "people": lines(members) if len(members) <= 200 else [],
            "people_hidden": len(members) > 200,
            "children": subs,
        }

    ids = {d.pk for d in depts}
    roots = [d for d in depts if d.parent_id is None or d.parent_id not in ids]
    tree = [build(d, 0) for d in roots]
    unassigned = counts.get(None, 0)
    if unassigned:
        tree.append({"id": None, "code": "", "name": _("No department"), "manager": "",
                     "headcount": unassigned, "total": unassigned,
                     "people": lines(staff.get(None, []))[:200], "people_hidden": False,
                     "children": []})  # fmt: skip
    return tree
