"""Reads of contracts, scoped by company and permission.

* ``hr.view_contract`` (HR officer/manager, payroll): the company's contracts.
* Salary, job wage and rate: only where :func:`salary_visible` says so
  (``core.view_salary`` or the person themself) — lists, details, exports, the
  API and the generated documents all ask it.
* A person sees their own contracts (portal) through :func:`my_contracts`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.models import Company
from backoffice.core.selectors import _get, require_perm, scope_to_company
from backoffice.hr.calculations.contracts import params_on
from backoffice.hr.enums import ContractState
from backoffice.hr.models import Contract
from backoffice.hr.selectors.access import employee_for_user, may_see_salary


def contract_list(*, user: Any, company: Company | None) -> QuerySet[Contract]:
    require_perm(user, "hr.view_contract")
    return scope_to_company(
        Contract.objects.select_related("employee", "position", "department", "previous"),
        company,
    )


def contract_get_for_user(*, user: Any, company: Company | None, public_id: Any) -> Contract:
    return _get(contract_list(user=user, company=company), public_id, _("Contract"))


def salary_visible(*, user: Any, company: Company | None, contract: Contract) -> bool:
    return may_see_salary(user=user, company=company, employee=contract.employee)


def expiring_q(on: dt.date, days: int) -> Q:
    return Q(
        state=ContractState.ACTIVE,
        end_date__isnull=False,
        end_date__lte=on + dt.timedelta(days=days),
    )


def contracts_expiring(
    *, user: Any, company: Company | None, on: dt.date | None = None, days: int | None = None
) -> QuerySet[Contract]:
    """Active contracts ending within ``days`` (the alert window by default)."""
    on = on or timezone.localdate()
    if days is None:
        days = params_on(on, company).expiry_alert_days
    return contract_list(user=user, company=company).filter(expiring_q(on, days))


def my_contracts(*, user: Any, company: Company | None) -> QuerySet[Contract]:
    """The signed contracts of the logged-in person (portal)."""
    me = employee_for_user(user=user, company=company)
    if me is None:
        return Contract.objects.none()
    return (
        Contract.objects.filter(company=company, employee=me)
        .exclude(state__in=[ContractState.DRAFT, ContractState.CANCELLED])
        .select_related("employee", "position", "department")
    )


def contracts_with_documents(*, user: Any, company: Company) -> QuerySet[Contract]:
    """Owner access for the records store (``records.registry``): the documents of
    a contract carry its salary, so they open for those who may see salaries
    (``hr.view_contract`` + ``core.view_salary``) and for the person themself."""
    qs = Contract.objects.filter(company=company)
    if user.has_perm("hr.view_contract") and user.has_perm("core.view_salary"):
        return qs
    return qs.filter(employee__user_id=user.pk)
