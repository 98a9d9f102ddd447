"""Contract expiry alerts: one workflow task per contract ending soon."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.enums import Role
from backoffice.core.models import Company, Membership
from backoffice.hr.calculations import contracts as calc
from backoffice.hr.enums import ContractState
from backoffice.hr.models import Contract

log = logging.getLogger("backoffice.hr")


def _hr_assignee(company: Company) -> Any:
    for role in (Role.HR_OFFICER, Role.HR_MANAGER):
        m = (
            Membership.objects.filter(
                company=company, role=role, is_active=True, user__is_active=True
            )
            .select_related("user")
            .order_by("id")
            .first()
        )
        if m is not None:
            return m.user
    return None


def contract_expiry_alerts(*, company: Company | None = None, on: dt.date | None = None) -> int:
    """One workflow task per active contract ending within the alert window (30
    days, ``contract_expiry_alert_days``), assigned to the company's first HR
    officer (else HR manager). Idempotent: a contract gets one task, ever
    (``expiry_task_created``). ``company=None``: every active company."""
    from backoffice.workflow.services import task_create

    on = on or timezone.localdate()
    companies = [company] if company is not None else list(Company.objects.filter(is_active=True))
    created = 0
    for comp in companies:
        days = calc.params_on(on, comp).expiry_alert_days
        due = Contract.objects.filter(
            company=comp, state=ContractState.ACTIVE, expiry_task_created=False,
            end_date__isnull=False, end_date__lte=on + dt.timedelta(days=days),
        ).select_related("employee")  # fmt: skip
        if not due.exists():
            continue
        assignee = _hr_assignee(comp)
        if assignee is None:
            log.warning("contract expiry alerts: no HR officer in company %s", comp.code)
            continue
        for contract in due:
            with transaction.atomic():
                locked = Contract.objects.select_for_update().get(pk=contract.pk)
                if locked.expiry_task_created:
                    continue
                assert contract.end_date is not None
                task_create(
                    actor=assignee, company=comp, assignee=assignee,
                    title=_("Contract %(n)s of %(who)s ends on %(d)s: renew or end it")
                    % {"n": contract.number, "who": contract.employee.full_name,
                       "d": contract.end_date.strftime("%d/%m/%Y")},
                    description=_(
                        "Sign a new contract or let it end. If the person keeps working after "
                        "the end date, a new contract must be signed within 30 days "
                        "(Labour Code 2019 Art. 20.2)."
                    ),
                    due_date=max(on, contract.end_date - dt.timedelta(days=7)),
                    link=locked,
                )  # fmt: skip
                Contract.objects.filter(pk=locked.pk).update(expiry_task_created=True)
                created += 1
    return created
