"""Hiring, offboarding and closing a person (the lifecycle around the cases of
:mod:`backoffice.hr.services.onboarding`).

* ``employee_hire``: one transaction — the person (``employees.employee_create``,
  status "onboarding"), an optional contract DRAFT (``contracts.contract_create``),
  a portal account (``employees.portal_account_create``) and the onboarding case.
* ``offboarding_start``: status "offboarding", last day and reason recorded, the
  offboarding case (revoke access and return equipment block the close).
* ``employee_close``: refused (``revoke_tasks_open``) while a blocking task is
  open; then status "left", every membership of the person's account in the
  company deactivated, the active contract ended on the last day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.models import Company, Membership
from backoffice.core.selectors import require_perm
from backoffice.hr.enums import (
    ChecklistKind,
    ContractState,
    EmployeeStatus,
)
from backoffice.hr.models import CaseTask, Contract, Employee, OnboardingCase
from backoffice.hr.services.onboarding import (
    MANAGE,
    _require_same_company,
    case_refresh,
    check_date,
    onboarding_start,
)


@transaction.atomic
def employee_hire(
    *,
    actor: Any,
    company: Company,
    start_date: dt.date,
    contract: dict[str, Any] | None = None,
    portal_account: bool = True,
    **employee_fields: Any,
) -> Employee:
    """Hire a person: record, optional contract draft, portal account, onboarding tasks."""
    from backoffice.hr.services import employees as people

    require_perm(actor, MANAGE)
    require_perm(actor, "hr.add_employee")
    check_date(start_date, _("The start date"))
    employee_fields.setdefault("status", EmployeeStatus.ONBOARDING)
    employee_fields["hire_date"] = start_date
    employee = people.employee_create(actor=actor, company=company, **employee_fields)
    draft = None
    if contract:
        from backoffice.hr.services import contracts

        terms = dict(contract)
        terms.setdefault("start_date", start_date)
        terms.setdefault("department", employee.department)
        terms.setdefault("position", employee.position)
        draft = contracts.contract_create(actor=actor, company=company, employee=employee, **terms)
    if portal_account:
        people.portal_account_create(actor=actor, company=company, employee=employee)
        employee.refresh_from_db()
    case = onboarding_start(
        actor=actor,
        company=company,
        employee=employee,
        kind=ChecklistKind.ONBOARDING,
        reference_date=start_date,
    )
    audit_record(
        event_type="EMPLOYEE_HIRED",
        actor=actor,
        company=company,
        target=employee,
        after={
            "code": employee.code,
            "start_date": start_date.isoformat(),
            "contract": draft.number if draft is not None else None,
            "portal_account": employee.user_id is not None,
            "case": str(case.public_id),
        },
    )
    return employee


@transaction.atomic
def offboarding_start(
    *, actor: Any, company: Company, employee: Employee, last_day: dt.date, reason: str = ""
) -> OnboardingCase:
    """Record the last day and reason and open the offboarding case."""
    require_perm(actor, MANAGE)
    _require_same_company(company, employee)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status in (EmployeeStatus.OFFBOARDING, EmployeeStatus.LEFT):
        raise Conflict(
            _("Offboarding has already started for this person."), code="already_offboarding"
        )
    check_date(last_day, _("The last working day"))
    if last_day < employee.hire_date:
        raise ValidationFailed(
            _("The last working day is before the start date."), code="last_day_before_start"
        )
    before = {
        "status": employee.status,
        "termination_date": None,
        "termination_reason": employee.termination_reason,
    }
    employee.status = EmployeeStatus.OFFBOARDING
    employee.termination_date = last_day
    employee.termination_reason = (reason or "").strip()[:300]
    employee.save(update_fields=["status", "termination_date", "termination_reason", "updated_at"])
    audit_record(
        event_type="EMPLOYEE_OFFBOARDING_STARTED",
        actor=actor,
        company=company,
        target=employee,
        before=before,
        after={
            "status": employee.status,
            "termination_date": last_day.isoformat(),
            "termination_reason": employee.termination_reason,
        },
    )
    return onboarding_start(
        actor=actor,
        company=company,
        employee=employee,
        kind=ChecklistKind.OFFBOARDING,
        reference_date=last_day,
    )


def open_blocking_tasks(employee: Employee) -> list[CaseTask]:
    from backoffice.workflow.models import OPEN_TASK_STATES

    return list(
        CaseTask.objects.filter(
            case__employee=employee, blocks_close=True, task__state__in=OPEN_TASK_STATES
        ).select_related("task")
    )


def _end_contracts(actor: Any, company: Company, employee: Employee, last_day: dt.date) -> None:
    """Active contracts: those running past the last day are terminated on it
    (``contracts.contract_terminate``); those that ran out by then are ended."""
    from backoffice.hr.services import contracts

    for c in Contract.objects.select_for_update().filter(
        employee=employee, state=ContractState.ACTIVE
    ):
        if c.end_date is None or c.end_date > last_day:
            contracts.contract_terminate(
                actor=actor,
                company=company,
                contract=c,
                terminated_on=max(last_day, c.start_date),
                reason=employee.termination_reason or _("The person left the company."),
            )
            continue
        c.state = ContractState.ENDED
        c.save(update_fields=["state", "updated_at"])
        audit_record(
            event_type="CONTRACT_ENDED",
            actor=actor,
            company=company,
            target=c,
            before={"state": ContractState.ACTIVE},
            after={"state": c.state, "end_date": c.end_date.isoformat()},
        )


@transaction.atomic
def employee_close(*, actor: Any, company: Company, employee: Employee) -> Employee:
    """Close a person who is offboarding: refused while a revoke task is open."""
    require_perm(actor, MANAGE)
    _require_same_company(company, employee)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status != EmployeeStatus.OFFBOARDING:
        raise Conflict(
            _("Start the offboarding before closing the person."), code="not_offboarding"
        )
    blocking = open_blocking_tasks(employee)
    if blocking:
        raise Conflict(
            _("The person cannot be closed while these tasks are open: %(t)s.")
            % {"t": "; ".join(ct.task.title for ct in blocking)},
            code="revoke_tasks_open",
            extra={"tasks": [str(ct.task.public_id) for ct in blocking]},
        )
    last_day = employee.termination_date or timezone.localdate()
    deactivated = 0
    if employee.user_id:
        deactivated = Membership.objects.filter(
            user_id=employee.user_id, company=company, is_active=True
        ).update(is_active=False)
    _end_contracts(actor, company, employee, last_day)
    employee.status = EmployeeStatus.LEFT
    employee.save(update_fields=["status", "updated_at"])
    for case in OnboardingCase.objects.filter(employee=employee, kind=ChecklistKind.OFFBOARDING):
        case_refresh(case=case)
    audit_record(
        event_type="EMPLOYEE_CLOSED",
        actor=actor,
        company=company,
        target=employee,
        before={"status": EmployeeStatus.OFFBOARDING},
        after={
            "status": EmployeeStatus.LEFT,
            "last_day": last_day.isoformat(),
            "memberships_deactivated": deactivated,
        },
    )
    _record_termination(actor, company, employee, last_day)
    return employee


def _record_termination(actor: Any, company: Company, employee: Employee, day: dt.date) -> None:
    """The termination in the job history."""
    from backoffice.hr.services.employees import job_change_record

    job_change_record(
        actor=actor,
        company=company,
        employee=employee,
        kind="termination",
        effective_date=day,
        note=employee.termination_reason,
    )
