"""The Labour Code checks of a contract with their facts from the database (the
rules themselves are the pure functions of ``hr.calculations.contracts``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.models import Company
from backoffice.hr.calculations import contracts as calc
from backoffice.hr.enums import ContractState, ContractType, JobLevel, PersonKind, RateUnit
from backoffice.hr.models import Contract, Employee


def refuse(refusal: calc.Refusal | None) -> None:
    if refusal is not None:
        raise ValidationFailed(refusal.message, code=refusal.code, extra=refusal.as_extra())


def same_company(company: Company, *objs: Any) -> None:
    for obj in objs:
        if obj is not None and obj.company_id != company.pk:
            raise ValidationFailed(
                _("The record belongs to another company."), code="cross_company_reference"
            )


def own_contract(company: Company, contract: Contract) -> None:
    """The contract acted on must be the company's (another's is simply not found)."""
    if contract.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Contract")})


def prior_contracts(
    employee: Employee, exclude: Contract | None = None
) -> list[calc.PriorContract]:
    qs = Contract.objects.filter(employee=employee).exclude(state=ContractState.CANCELLED)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return [
        calc.PriorContract(c.contract_type, c.start_date, c.end_date, c.state, c.position_id)
        for c in qs.only("contract_type", "start_date", "end_date", "state", "position_id")
    ]


def working_days_between(company: Company, start: dt.date, end: dt.date) -> int:
    from backoffice.hr.services.calendar import working_days

    return len(working_days(company, start, end))


def check_facts(company: Company, contract: Contract) -> None:
    """Every rule for ``contract`` (a draft being created or signed)."""
    employee = contract.employee
    t = contract.contract_type
    if t not in ContractType.values:
        raise ValidationFailed(_("Unknown contract type."), code="bad_contract_type")
    if contract.start_date < employee.hire_date:
        raise ValidationFailed(
            _("The contract cannot start before the person's start date (%(d)s).")
            % {"d": employee.hire_date.strftime("%d/%m/%Y")},
            code="before_hire",
        )
    if contract.job_level not in JobLevel.values:
        raise ValidationFailed(_("Unknown job level."), code="bad_job_level")
    if t == ContractType.SERVICE:
        if employee.kind != PersonKind.COLLABORATOR:
            raise ValidationFailed(
                _("Service agreements are for collaborators; employees get a labour contract."),
                code="service_for_employee",
            )
        refuse(calc.check_dates(t, contract.start_date, contract.end_date))
        if not (contract.scope or "").strip():
            raise ValidationFailed(_("Describe the scope of work."), code="scope_required")
        if contract.rate is None or contract.rate <= 0 or contract.rate_unit not in RateUnit.values:
            raise ValidationFailed(
                _("A service agreement needs a rate and its unit."), code="rate_required"
            )
        return
    if employee.kind == PersonKind.COLLABORATOR:
        raise ValidationFailed(
            _("A collaborator works under a service agreement, not a labour contract."),
            code="labour_contract_for_collaborator",
        )
    if t != ContractType.PROBATION and (contract.salary is None or contract.salary <= 0):
        raise ValidationFailed(_("Enter the monthly salary."), code="salary_required")
    on = contract.start_date
    params = calc.params_on(on, company)
    previous = contract.previous
    working = None
    if t == ContractType.PROBATION and contract.job_level == JobLevel.OTHER and contract.end_date:
        working = working_days_between(company, contract.start_date, contract.end_date)
    refuse(
        calc.check_contract(
            contract_type=t,
            start=contract.start_date,
            end=contract.end_date,
            params=params,
            priors=prior_contracts(employee, exclude=contract),
            job_level=contract.job_level,
            position_id=contract.position_id,
            salary=contract.salary,
            job_salary=contract.job_salary,
            exempt=bool(contract.exemption),
            working_days=working,
            after_probation=previous is not None
            and previous.contract_type == ContractType.PROBATION,
        )
    )
