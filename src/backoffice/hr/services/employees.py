"""Employee records: create, update, reveal an identifier, job history, portal account.

Writes only; each checks its permission and records an audit event in the same
transaction. Identifiers are validated and normalised
(:mod:`.employees_validation`); audit events never carry an identifier or a
salary in clear (only which field changed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.core.fields import blind_index
from backoffice.core.models import Company, Department, Position
from backoffice.core.selectors import require_perm
from backoffice.core.services import _save, snapshot
from backoffice.hr.enums import EmployeeStatus, JobChangeKind, PersonKind
from backoffice.hr.models import Employee, JobChange
from backoffice.hr.services.employees_validation import CLEANERS, IDENTIFIERS, clean_province

# Plain fields a caller may set (identifiers are validated, relations checked).
EMPLOYEE_FIELDS = [
    "code", "kind", "full_name", "date_of_birth", "gender", "nationality", "email", "phone",
    "permanent_address", "permanent_province", "current_address", "current_province",
    "national_id", "tax_code", "social_insurance_no", "bank_account", "bank_name",
    "department", "position", "manager", "status", "hire_date", "seniority_date",
    "termination_date", "termination_reason", "work_condition", "work_schedule",
    "is_resident", "is_union_member", "wage_region", "note",
]  # fmt: skip
# What the person may change themself (portal), besides emergency contacts.
SELF_EDITABLE = {
    "phone", "email", "current_address", "current_province", "bank_account", "bank_name",
}  # fmt: skip
# Audit snapshots: identifiers appear as "set"/"" only, never in clear.
_AUDITED = [f for f in EMPLOYEE_FIELDS if f not in IDENTIFIERS]
_RELATIONS = ("department", "position", "manager", "work_schedule")


def today() -> dt.date:
    return timezone.localdate()


def _snapshot(emp: Employee) -> dict[str, Any]:
    out = snapshot(emp, _AUDITED)
    out.update({f: ("set" if getattr(emp, f) else "") for f in IDENTIFIERS})
    return out


def _check_company(company: Company, employee: Employee) -> None:
    if company is None or employee.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Employee")})


def _check_relations(company: Company, values: dict[str, Any]) -> None:
    for name in _RELATIONS:
        obj = values.get(name)
        if obj is not None and getattr(obj, "company_id", None) != company.pk:
            raise ValidationFailed(
                _("The %(field)s belongs to another company.") % {"field": name},
                code="other_company",
                extra={"fields": {name: [_("Not found.")]}},
            )


def _clean_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    out = dict(values)
    for name, cleaner in CLEANERS.items():
        if name in out:
            out[name] = cleaner(out[name] or "")
    for name in ("permanent_province", "current_province"):
        if name in out:
            out[name] = clean_province(out[name], name)
    for name in ("full_name", "code", "email", "phone"):
        if name in out and isinstance(out[name], str):
            out[name] = out[name].strip()
    return out


def _check_salary(salary: Any) -> Decimal | None:
    if salary in (None, ""):
        return None
    if isinstance(salary, float):
        raise TypeError("money is Decimal, never float")
    value = Decimal(str(salary))
    if value <= 0 or value != value.to_integral_value():
        raise ValidationFailed(
            _("A salary is a positive whole number of đồng."),
            code="bad_salary",
            extra={"fields": {"salary": [_("Whole đồng, above zero.")]}},
        )
    return value


def next_employee_code(company: Company, prefix: str = "NV") -> str:
    """NV00001, NV00002 ... : one more than the highest numeric code with the prefix."""
    codes = Employee.objects.filter(company=company, code__startswith=prefix).values_list(
        "code", flat=True
    )
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{(max(numbers) + 1 if numbers else 1):05d}"


def _set_index(emp: Employee) -> None:
    emp.national_id_index = blind_index(emp.national_id, purpose="hr.national_id")
    if (
        emp.national_id_index
        and Employee.objects.filter(
            company_id=emp.company_id, national_id_index=emp.national_id_index
        )
        .exclude(pk=emp.pk)
        .exists()
    ):
        raise Conflict(
            _("Another person of this company has this national ID."),
            code="national_id_exists",
            extra={"fields": {"national_id": [_("Already recorded.")]}},
        )


@transaction.atomic
def employee_create(*, actor: Any, company: Company, salary: Any = None, **fields: Any) -> Employee:
    """A new employee or collaborator; records the hire in the job history."""
    if actor is not None:
        require_perm(actor, "hr.add_employee")
    values = _clean_values(fields)
    salary_value = _check_salary(salary)
    _check_relations(company, values)
    if not values.get("code"):
        prefix = "CTV" if values.get("kind") == PersonKind.COLLABORATOR else "NV"
        values["code"] = next_employee_code(company, prefix)
    emp = Employee(company=company, **values)
    _set_index(emp)
    _save(emp)
    audit_record(
        event_type="EMPLOYEE_CREATED", actor=actor, company=company, target=emp,
        after={**_snapshot(emp), "salary": "set" if salary_value else ""},
    )  # fmt: skip
    JobChange.objects.create(
        company=company, employee=emp, kind=JobChangeKind.HIRE, effective_date=emp.hire_date,
        department=emp.department, position=emp.position, salary=salary_value,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    return emp


@transaction.atomic
def employee_update(
    *, actor: Any, company: Company, employee: Employee, **changes: Any
) -> Employee:
    """Edit a record. A change of department or position is also written to the job
    history (a transfer effective today); salaries change through job changes."""
    require_perm(actor, "hr.change_employee")
    _check_company(company, employee)
    emp = Employee.objects.select_for_update().get(pk=employee.pk)
    values = _clean_values(changes)
    _check_relations(company, values)
    if values.get("manager") is not None and _reports_to(values["manager"], emp):
        raise ValidationFailed(
            _("A person cannot report to someone who reports to them."), code="manager_cycle"
        )
    before = _snapshot(emp)
    moved = {
        k: values[k]
        for k in ("department", "position")
        if k in values and getattr(emp, f"{k}_id") != getattr(values[k], "pk", None)
    }
    for key, value in values.items():
        setattr(emp, key, value)
    _set_index(emp)
    _save(emp)
    after = _snapshot(emp)
    audit_record(
        event_type="EMPLOYEE_UPDATED", actor=actor, company=company, target=emp,
        before={k: v for k, v in before.items() if after.get(k) != v},
        after={k: v for k, v in after.items() if before.get(k) != v},
    )  # fmt: skip
    if moved:
        JobChange.objects.create(
            company=company, employee=emp, kind=JobChangeKind.TRANSFER, effective_date=today(),
            department=emp.department, position=emp.position,
            created_by=actor if getattr(actor, "pk", None) else None,
            note=_("Changed on the employee record."),
        )  # fmt: skip
    return emp


def _reports_to(manager: Employee, emp: Employee) -> bool:
    """Would ``emp`` reporting to ``manager`` close a loop? (walks the saved lines)"""
    seen: set[int] = set()
    current: int | None = manager.pk
    while current is not None and current not in seen:
        if current == emp.pk:
            return True
        seen.add(current)
        current = Employee.objects.filter(pk=current).values_list("manager_id", flat=True).first()
    return False


@transaction.atomic
def employee_self_update(
    *, actor: Any, company: Company, employee: Employee, **changes: Any
) -> Employee:
    """The person edits the allowed parts of their own record (portal)."""
    _check_company(company, employee)
    if employee.user_id is None or employee.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("You may edit only your own record."), code="not_own_record")
    refused = set(changes) - SELF_EDITABLE
    if refused:
        raise PermissionDenied(
            _("These fields are changed by HR: %(f)s.") % {"f": ", ".join(sorted(refused))},
            code="field_not_editable",
        )
    emp = Employee.objects.select_for_update().get(pk=employee.pk)
    values = _clean_values(changes)
    before = _snapshot(emp)
    for key, value in values.items():
        setattr(emp, key, value)
    _save(emp)
    after = _snapshot(emp)
    audit_record(
        event_type="EMPLOYEE_SELF_UPDATED", actor=actor, company=company, target=emp,
        before={k: v for k, v in before.items() if after.get(k) != v},
        after={k: v for k, v in after.items() if before.get(k) != v},
    )  # fmt: skip
    return emp


@transaction.atomic
def employee_reveal(*, actor: Any, company: Company, employee: Employee, field: str) -> str:
    """The clear value of one identifier, for a person with ``hr.reveal_pii`` (or the
    person themself); every reveal is an audit event."""
    if field not in IDENTIFIERS:
        raise ValidationFailed(_("This field cannot be revealed."), code="bad_field")
    _check_company(company, employee)
    own = employee.user_id is not None and employee.user_id == getattr(actor, "pk", None)
    if not own:
        require_perm(actor, "hr.reveal_pii")
    audit_record(
        event_type="EMPLOYEE_PII_REVEALED", actor=actor, company=company, target=employee,
        after={"field": field, "own": own},
    )  # fmt: skip
    return str(getattr(Employee.objects.get(pk=employee.pk), field) or "")


@transaction.atomic
def job_change_record(
    *,
    actor: Any,
    company: Company,
    employee: Employee,
    kind: str,
    effective_date: dt.date,
    department: Department | None = None,
    position: Position | None = None,
    salary: Any = None,
    note: str = "",
) -> JobChange:
    """One line of job history. When it is in force (effective today or earlier) the
    employee's current department/position follow it. HR officers may enter a
    salary here (hiring, contracts) without being able to read salaries back."""
    require_perm(actor, "hr.change_employee")
    _check_company(company, employee)
    if kind not in JobChangeKind.values:
        raise ValidationFailed(_("Unknown kind of job change."), code="bad_kind")
    _check_relations(company, {"department": department, "position": position})
    value = _check_salary(salary)
    if kind == JobChangeKind.SALARY and value is None:
        raise ValidationFailed(_("A salary change needs the new salary."), code="salary_required")
    if kind in (JobChangeKind.TRANSFER, JobChangeKind.PROMOTION) and not (department or position):
        raise ValidationFailed(
            _("A transfer or promotion names the new department or position."),
            code="job_required",
        )
    if effective_date < employee.hire_date:
        raise ValidationFailed(
            _("The change cannot take effect before the start date (%(d)s).")
            % {"d": employee.hire_date.strftime("%d/%m/%Y")},
            code="before_hire",
        )
    change = JobChange(
        company=company, employee=employee, kind=kind, effective_date=effective_date,
        department=department or employee.department, position=position or employee.position,
        salary=value, note=note, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    _save(change)
    audit_record(
        event_type="JOB_CHANGE_RECORDED", actor=actor, company=company, target=employee,
        after={"kind": kind, "effective_date": effective_date.isoformat(),
               "department": getattr(change.department, "code", ""),
               "position": getattr(change.position, "code", ""),
               "salary": "set" if value else ""},
    )  # fmt: skip
    if effective_date <= today():
        _apply(employee, change)
    return change


def _apply(employee: Employee, change: JobChange) -> None:
    latest = (
        JobChange.objects.filter(employee=employee, effective_date__lte=today())
        .order_by("-effective_date", "-id")
        .first()
    )
    if latest is None or latest.pk != change.pk:
        return  # an older change recorded late does not override a newer one
    Employee.objects.filter(pk=employee.pk).update(
        department=change.department, position=change.position, updated_at=timezone.now()
    )
    employee.department, employee.position = change.department, change.position


def job_changes_apply(*, company: Company | None = None, on: dt.date | None = None) -> int:
    """Bring current department/position in line with changes now in force (changes
    recorded ahead of their date); idempotent, run daily (CLI ``hr apply-job-changes``)."""
    on = on or today()
    qs = Employee.objects.all() if company is None else Employee.objects.filter(company=company)
    done = 0
    for emp in qs.iterator():
        latest = (
            JobChange.objects.filter(employee=emp, effective_date__lte=on)
            .order_by("-effective_date", "-id")
            .first()
        )
        if latest and (latest.department_id, latest.position_id) != (
            emp.department_id,
            emp.position_id,
        ):
            Employee.objects.filter(pk=emp.pk).update(
                department_id=latest.department_id, position_id=latest.position_id
            )
            done += 1
    return done


def salary_on(employee: Employee, on: dt.date) -> Decimal | None:
    """The monthly salary in force on ``on`` (pure read; callers check
    ``selectors.may_see_salary``)."""
    return salaries_on([employee.pk], on).get(employee.pk)


def salaries_on(employee_ids: Iterable[int], on: dt.date) -> dict[int, Decimal]:
    """Salaries in force on ``on`` for many people in one query (reports, payroll):
    employee id -> the salary of their latest dated change (none: absent)."""
    latest: dict[int, Decimal] = {}
    rows = (
        JobChange.objects.filter(
            employee_id__in=list(employee_ids), effective_date__lte=on, salary__isnull=False
        )
        .order_by("employee_id", "effective_date", "id")
        .values_list("employee_id", "salary")
    )
    for emp_id, salary in rows:  # ascending: the last one written wins
        latest[emp_id] = salary
    return latest


def employee_status_set(
    *, actor: Any, company: Company, employee: Employee, status: str
) -> Employee:
    """Status only (onboarding -> active ...); used by the onboarding area."""
    if status not in EmployeeStatus.values:
        raise ValidationFailed(_("Unknown status."), code="bad_status")
    return employee_update(actor=actor, company=company, employee=employee, status=status)


# Re-exported: other areas call ``employees.portal_account_create``.
from backoffice.hr.services.employees_portal import portal_account_create  # noqa: E402

__all__ = [
    "employee_create", "employee_reveal", "employee_self_update", "employee_status_set",
    "employee_update", "job_change_record", "job_changes_apply", "portal_account_create",
    "salary_on",
]  # fmt: skip
