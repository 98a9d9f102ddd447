"""Labour contracts and collaborator agreements: draft, sign, renew, terminate,
expiry alerts. The Labour Code rules are the pure functions of
``hr.calculations.contracts``; here they get their facts from the database.

Salaries are write-only for HR officers: they may enter them when drafting, but
reads (desk, API, documents) are for ``core.view_salary`` and the person
themself. Audit events never carry a salary figure, only that it changed.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.models import Company, Department, Position
from backoffice.core.selectors import require_perm
from backoffice.hr.calculations import contracts as calc
from backoffice.hr.enums import (
    ContractState,
    ContractType,
    JobChangeKind,
    JobLevel,
)
from backoffice.hr.models import Contract, Employee, JobChange
from backoffice.hr.services.contracts_checks import (
    check_facts,
    own_contract,
    prior_contracts,
    same_company,
)

log = logging.getLogger("backoffice.hr")

PREFIX: dict[str, str] = {ContractType.SERVICE: "HĐDV"}
LABOUR_PREFIX = "HĐLĐ"
LABOUR = (ContractType.PROBATION, ContractType.FIXED_TERM, ContractType.INDEFINITE)


def today() -> dt.date:
    return timezone.localdate()


def _snapshot(c: Contract) -> dict[str, Any]:
    return {
        "number": c.number,
        "employee": c.employee.code,
        "type": c.contract_type,
        "state": c.state,
        "start": str(c.start_date),
        "end": str(c.end_date) if c.end_date else None,
        "job_level": c.job_level,
        "position": c.position_id,
        "department": c.department_id,
        "salary_set": c.salary is not None,  # never the figure (audit readers are not payroll)
        "rate_set": c.rate is not None,
        "exemption": c.exemption,
    }


def _next_number(company: Company, contract_type: str, year: int) -> str:
    prefix = f"{PREFIX.get(contract_type, LABOUR_PREFIX)}-{year}-"
    Company.objects.select_for_update().filter(pk=company.pk).first()  # serialise numbering
    numbers = Contract.objects.filter(company=company, number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    company: Company,
    employee: Employee,
    contract_type: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
    salary: Decimal | None = None,
    job_salary: Decimal | None = None,
    job_level: str = JobLevel.COLLEGE,
    position: Position | None = None,
    department: Department | None = None,
    scope: str = "",
    rate: Decimal | None = None,
    rate_unit: str = "",
    previous: Contract | None = None,
    number: str | None = None,
    work_location: str = "",
    exemption: str = "",
) -> Contract:
    """A draft contract (or service agreement), checked against the Labour Code."""
    require_perm(actor, "hr.add_contract")
    same_company(company, employee, position, department, previous)
    if previous is not None and previous.employee_id != employee.pk:
        raise ValidationFailed(
            _("The previous contract is another person's."), code="previous_other_employee"
        )
    contract = Contract(
        company=company,
        employee=employee,
        contract_type=contract_type,
        start_date=start_date,
        end_date=end_date,
        salary=Decimal(salary) if salary is not None else None,
        job_salary=Decimal(job_salary) if job_salary is not None else None,
        job_level=job_level or JobLevel.COLLEGE,
        position=position if position is not None else employee.position,
        department=department if department is not None else employee.department,
        scope=scope or "",
        rate=Decimal(rate) if rate is not None else None,
        rate_unit=rate_unit or "",
        previous=previous,
        work_location=work_location or "",
        exemption=exemption or "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    check_facts(company, contract)
    number = (number or "").strip()
    if number:
        if Contract.objects.filter(company=company, number=number).exists():
            raise Conflict(_("This contract number is already used."), code="number_taken")
        contract.number = number[:50]
    else:
        contract.number = _next_number(company, contract_type, start_date.year)
    contract.save()
    audit_record(
        event_type="CONTRACT_DRAFTED", actor=actor, company=company, target=contract,
        after=_snapshot(contract),
    )  # fmt: skip
    return contract


def _lock(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("employee", "previous")
        .get(pk=contract.pk)
    )


def _salary_on(employee: Employee, on: dt.date) -> Decimal | None:
    from backoffice.hr.services.employees import salary_on

    return salary_on(employee, on)


def _record_job_change(actor: Any, company: Company, contract: Contract) -> None:
    """Salary (and job) of a signed labour contract into the job history."""
    salary = contract.salary
    if contract.contract_type == ContractType.SERVICE or salary is None:
        return
    if _salary_on(contract.employee, contract.start_date) == salary:
        return
    has_history = JobChange.objects.filter(employee=contract.employee).exists()
    kind = JobChangeKind.SALARY if has_history else JobChangeKind.HIRE
    note = _("Contract %(n)s") % {"n": contract.number}
    from backoffice.hr.services.employees import job_change_record

    job_change_record(
        actor=actor, company=company, employee=contract.employee, kind=kind,
        effective_date=contract.start_date, department=contract.department,
        position=contract.position, salary=salary, note=note,
    )  # fmt: skip


@transaction.atomic
def contract_sign(
    *, actor: Any, company: Company, contract: Contract, signed_on: dt.date | None = None
) -> Contract:
    """Draft -> active. The rules are checked again (another contract may have been
    signed since the draft); the person's previous active contract of the same
    kind (labour / service) ends the day before this one starts."""
    require_perm(actor, "hr.change_contract")
    own_contract(company, contract)
    c = _lock(contract)
    if c.state != ContractState.DRAFT:
        raise Conflict(_("Only a draft contract can be signed."), code="not_draft")
    check_facts(company, c)
    before = _snapshot(c)
    family = [ContractType.SERVICE] if c.contract_type == ContractType.SERVICE else list(LABOUR)
    for old in Contract.objects.select_for_update().filter(
        employee=c.employee, state=ContractState.ACTIVE, contract_type__in=family
    ):
        old_before = _snapshot(old)
        old.state = ContractState.ENDED
        if old.end_date is None or old.end_date >= c.start_date:
            old.terminated_on = max(old.start_date, c.start_date - dt.timedelta(days=1))
            old.termination_reason = _("Replaced by contract %(n)s") % {"n": c.number}
        old.save(update_fields=["state", "terminated_on", "termination_reason", "updated_at"])
        audit_record(
            event_type="CONTRACT_ENDED", actor=actor, company=company, target=old,
            before=old_before, after=_snapshot(old),
        )  # fmt: skip
    c.state = ContractState.ACTIVE
    c.signed_on = signed_on or today()
    c.save(update_fields=["state", "signed_on", "updated_at"])
    _record_job_change(actor, company, c)
    audit_record(
        event_type="CONTRACT_SIGNED", actor=actor, company=company, target=c, before=before,
        after=_snapshot(c),
    )  # fmt: skip
    contract.state, contract.signed_on = c.state, c.signed_on
    return c


@transaction.atomic
def contract_terminate(
    *, actor: Any, company: Company, contract: Contract, terminated_on: dt.date, reason: str
) -> Contract:
    """End an active contract early (the reason is kept; notice periods of
    Art. 35-36 are the parties' business, not checked here)."""
    require_perm(actor, "hr.change_contract")
    own_contract(company, contract)
    c = _lock(contract)
    if c.state != ContractState.ACTIVE:
        raise Conflict(_("Only an active contract can be terminated."), code="not_active")
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for the termination."), code="reason_required")
    if terminated_on < c.start_date:
        raise ValidationFailed(
            _("The termination date is before the contract starts."), code="terminated_before_start"
        )
    before = _snapshot(c)
    c.state = ContractState.TERMINATED
    c.terminated_on = terminated_on
    c.termination_reason = reason.strip()[:300]
    c.save(update_fields=["state", "terminated_on", "termination_reason", "updated_at"])
    audit_record(
        event_type="CONTRACT_TERMINATED", actor=actor, company=company, target=c, before=before,
        after={**_snapshot(c), "terminated_on": str(terminated_on), "reason": c.termination_reason},
    )  # fmt: skip
    contract.state = c.state
    return c


@transaction.atomic
def contract_cancel(*, actor: Any, company: Company, contract: Contract) -> Contract:
    """Drop a draft (kept as cancelled: numbers are never reused)."""
    require_perm(actor, "hr.add_contract")
    own_contract(company, contract)
    c = _lock(contract)
    if c.state != ContractState.DRAFT:
        raise Conflict(_("Only a draft can be cancelled."), code="not_draft")
    before = _snapshot(c)
    c.state = ContractState.CANCELLED
    c.save(update_fields=["state", "updated_at"])
    audit_record(event_type="CONTRACT_CANCELLED", actor=actor, company=company, target=c,
                 before=before, after=_snapshot(c))  # fmt: skip
    return c


def contract_renew(
    *,
    actor: Any,
    company: Company,
    contract: Contract,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    contract_type: str | None = None,
    salary: Decimal | None = None,
    **overrides: Any,
) -> Contract:
    """A new draft following ``contract``: from the day after it ends, the same
    length, the same salary (the job's wage after probation) — and indefinite-term
    when another fixed-term contract would break Art. 20.2.c."""
    own_contract(company, contract)
    if contract.state not in (ContractState.ACTIVE, ContractState.ENDED):
        raise Conflict(_("Only an active or ended contract can be renewed."), code="not_renewable")
    start = start_date or ((contract.end_date or today()) + dt.timedelta(days=1))
    old_type = contract.contract_type
    if contract_type is None:
        params = calc.params_on(start, company)
        contract_type = calc.next_contract_type(
            old_type,
            prior_contracts(contract.employee),
            start,
            params,
            exempt=bool(contract.exemption),
        )
    if end_date is None and contract_type in (ContractType.FIXED_TERM, ContractType.SERVICE):
        if old_type == contract_type and contract.end_date:
            months = max(1, (contract.end_date.year - contract.start_date.year) * 12
                         + contract.end_date.month - contract.start_date.month)  # fmt: skip
            end_date = calc.latest_end(start, months)
        else:
            end_date = calc.latest_end(start, 12)
    if salary is None:
        salary = contract.job_salary if old_type == ContractType.PROBATION else contract.salary
    fields: dict[str, Any] = {
        "job_level": contract.job_level, "position": contract.position,
        "department": contract.department, "scope": contract.scope, "rate": contract.rate,
        "rate_unit": contract.rate_unit, "work_location": contract.work_location,
        "exemption": contract.exemption,
    }  # fmt: skip
    fields.update(overrides)
    return contract_create(
        actor=actor, company=company, employee=contract.employee, contract_type=contract_type,
        start_date=start, end_date=end_date if contract_type != ContractType.INDEFINITE else None,
        salary=salary if contract_type != ContractType.SERVICE else None, previous=contract,
        **fields,
    )  # fmt: skip


def active_contract(employee: Employee, on: dt.date) -> Contract | None:
    """The labour contract (or agreement) in force for ``employee`` on ``on``: a pure
    read for payroll and reports (the callers check salary access)."""
    candidates = Contract.objects.filter(
        employee=employee,
        state__in=[ContractState.ACTIVE, ContractState.ENDED, ContractState.TERMINATED],
        start_date__lte=on,
    ).order_by("-start_date", "-id")
    for c in candidates:
        last = c.terminated_on or c.end_date
        if last is None or last >= on:
            return c
    return None


from backoffice.hr.documents import contract_document  # noqa: E402
from backoffice.hr.services.contracts_alerts import contract_expiry_alerts  # noqa: E402

__all__ = [
    "active_contract", "contract_cancel", "contract_create", "contract_document", "contract_expiry_alerts",
    "contract_renew", "contract_sign", "contract_terminate",
]  # fmt: skip
