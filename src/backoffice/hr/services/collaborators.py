"""Remote collaborators (cộng tác viên): a person record of kind "collaborator"
with a SERVICE agreement instead of a labour contract, portal access limited to
the agreement's term, and work logs approved for payment through the approval
engine (request type ``collaborator_work``; default policy: an HR manager).

Access: ``collaborator_has_access`` is checked by the portal on every request;
``collaborator_access_sync`` (job ``hr.collaborator_access``, CLI
``backoffice hr collaborator-access``, run daily) deactivates the COLLABORATOR
memberships of people whose agreement has ended.

Amount of a work log = rate x hours (rate per hour) or rate x quantity (per day,
per deliverable, per month: quantity = days / deliverables / months), rounded
half-up to whole đồng. Approved logs are paid later by payroll (state "paid").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import Company, Membership
from backoffice.core.money import round_half_up, to_decimal
from backoffice.core.selectors import require_perm
from backoffice.hr.enums import (
    ChecklistKind,
    ContractState,
    ContractType,
    EmployeeStatus,
    PersonKind,
    RateUnit,
    WorkLogState,
)
from backoffice.hr.models import Contract, Employee, WorkLog
from backoffice.hr.services.onboarding import (
    MANAGE,
    _require_same_company,
    check_date,
    onboarding_start,
)

REQUEST_TYPE = "collaborator_work"


# --- starting a collaborator ---------------------------------------------------------------
@transaction.atomic
def collaborator_start(
    *,
    actor: Any,
    company: Company,
    full_name: str,
    agreement: dict[str, Any],
    portal_account: bool = True,
    **fields: Any,
) -> Employee:
    """Person (kind collaborator), SERVICE agreement signed, portal account
    (role COLLABORATOR), onboarding case from the collaborator template."""
    from backoffice.hr.services import contracts, employees

    require_perm(actor, MANAGE)
    require_perm(actor, "hr.add_employee")
    terms = dict(agreement or {})
    missing = [
        k for k in ("scope", "rate", "rate_unit", "start_date", "end_date") if not terms.get(k)
    ]
    if missing:
        raise ValidationFailed(
            _("The agreement needs a scope, rate, rate unit, start and end date."),
            code="agreement_incomplete",
            extra={"missing": missing},
        )
    if terms["rate_unit"] not in RateUnit.values:
        raise ValidationFailed(_("Unknown rate unit."), code="invalid_rate_unit")
    start = check_date(terms["start_date"], _("The agreement start"))
    check_date(terms["end_date"], _("The agreement end"))
    fields.update(kind=PersonKind.COLLABORATOR, hire_date=start, full_name=full_name)
    fields.setdefault("status", EmployeeStatus.ONBOARDING)
    person = employees.employee_create(actor=actor, company=company, **fields)
    contract = contracts.contract_create(
        actor=actor,
        company=company,
        employee=person,
        contract_type=ContractType.SERVICE,
        start_date=start,
        end_date=terms["end_date"],
        scope=terms["scope"],
        rate=to_decimal(terms["rate"]),
        rate_unit=terms["rate_unit"],
        department=person.department,
        position=person.position,
    )
    contracts.contract_sign(
        actor=actor,
        company=company,
        contract=contract,
        signed_on=terms.get("signed_on") or timezone.localdate(),
    )
    if portal_account:
        employees.portal_account_create(actor=actor, company=company, employee=person)
        person.refresh_from_db()
    onboarding_start(
        actor=actor, company=company, employee=person, kind=ChecklistKind.ONBOARDING,
        reference_date=start,
    )  # fmt: skip
    audit_record(
        event_type="COLLABORATOR_STARTED",
        actor=actor,
        company=company,
        target=person,
        after={
            "code": person.code,
            "agreement": contract.number,
            "end_date": str(terms["end_date"]),
        },
    )
    return person


def collaborator_agreement(employee: Employee, on: dt.date | None = None) -> Contract | None:
    """The signed service agreement in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return (
        Contract.objects.filter(
            employee=employee,
            contract_type=ContractType.SERVICE,
            state=ContractState.ACTIVE,
            start_date__lte=on,
            end_date__gte=on,
        )
        .order_by("-start_date", "-id")
        .first()
    )


def collaborator_has_access(employee: Employee, on: dt.date | None = None) -> bool:
    """May this person use the portal today? A collaborator: only while an
    agreement is in force; anyone: not after being closed."""
    if employee is None or employee.status == EmployeeStatus.LEFT:
        return False
    if employee.kind != PersonKind.COLLABORATOR:
        return True
    return collaborator_agreement(employee, on) is not None


def _set_access(person: Employee, active: bool, on: dt.date) -> int:
    rows = Membership.objects.filter(
        user_id=person.user_id, company=person.company, role=Role.COLLABORATOR,
        is_active=not active,
    )  # fmt: skip
    count = 0
    for m in rows:
        m.is_active = active
        m.save(update_fields=["is_active", "updated_at"])
        audit_record(
            event_type="COLLABORATOR_ACCESS_RESTORED" if active else "COLLABORATOR_ACCESS_EXPIRED",
            actor="system",
            company=person.company,
            target=m,
            before={"is_active": not active},
            after={"is_active": active, "employee": person.code, "on": on.isoformat()},
        )
        count += 1
    return count


@transaction.atomic
def collaborator_access_sync(*, company: Company | None = None, on: dt.date | None = None) -> int:
    """Portal access follows the agreement: deactivate the COLLABORATOR role of
    collaborators whose last agreement has ended (or who were closed); reactivate it
    for those with a signed agreement in force again (not if closed). Idempotent;
    returns the number of memberships changed."""
    on = on or timezone.localdate()
    people = Employee.objects.filter(kind=PersonKind.COLLABORATOR, user__isnull=False)
    if company is not None:
        people = people.filter(company=company)
    count = 0
    for person in people.select_related("company"):
        in_force = collaborator_agreement(person, on) is not None
        if in_force and person.status != EmployeeStatus.LEFT:
            count += _set_access(person, True, on)
            continue
        ended = Contract.objects.filter(
            employee=person, contract_type=ContractType.SERVICE, end_date__lt=on
        ).exists()
        if ended or person.status == EmployeeStatus.LEFT:
            count += _set_access(person, False, on)
        # otherwise not started yet: the portal check refuses until it starts
    return count


# --- work logs -------------------------------------------------------------------------------
def _money(value: Any) -> Decimal:
    try:
        return to_decimal(value or 0)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Not a number: %(v)s.") % {"v": value}, code="bad_number"
        ) from None


def worklog_amount(contract: Contract, hours: Decimal, quantity: Decimal) -> Decimal:
    rate = contract.rate or Decimal(0)
    base = hours if contract.rate_unit == RateUnit.HOUR else quantity
    return round_half_up(rate * base, 0)


def _may_write_for(actor: Any, company: Company, employee: Employee) -> None:
    """The collaborator for themself (while they have access), HR for anyone."""
    if employee.user_id is not None and employee.user_id == actor.pk:
        if not collaborator_has_access(employee):
            raise PermissionDenied(
                _("Your agreement has ended: your portal access is closed."), code="access_ended"
            )
        return
    require_perm(actor, MANAGE)


@transaction.atomic
def worklog_create(
    *,
    actor: Any,
    company: Company,
    employee: Employee,
    date: dt.date,
    description: str,
    hours: Any = 0,
    quantity: Any = 0,
) -> WorkLog:
    _require_same_company(company, employee)
    _may_write_for(actor, company, employee)
    if employee.kind != PersonKind.COLLABORATOR:
        raise ValidationFailed(_("Work logs are for collaborators."), code="not_collaborator")
    if not (description or "").strip():
        raise ValidationFailed(_("Describe the work done."), code="description_required")
    hours, quantity = round_half_up(_money(hours), 2), round_half_up(_money(quantity), 2)
    if hours < 0 or quantity < 0:
        raise ValidationFailed(_("Hours and quantity cannot be negative."), code="negative")
    if hours >= 10_000 or quantity >= 1_000_000:
        raise ValidationFailed(_("Hours or quantity too large."), code="too_large")
    check_date(date, _("The date"))
    if date > timezone.localdate():
        raise ValidationFailed(_("Work cannot be logged in the future."), code="future_date")
    contract = collaborator_agreement(employee, date)
    if contract is None:
        raise ValidationFailed(
            _("No service agreement covers %(d)s.") % {"d": date.strftime("%d/%m/%Y")},
            code="no_agreement",
        )
    needed = hours if contract.rate_unit == RateUnit.HOUR else quantity
    if needed <= 0:
        raise ValidationFailed(
            _("Enter the hours (rate per hour) or the quantity (other rates)."),
            code="nothing_to_pay",
        )
    log = WorkLog.objects.create(
        company=company,
        employee=employee,
        contract=contract,
        date=date,
        hours=hours,
        quantity=quantity,
        description=description.strip()[:300],
        amount=worklog_amount(contract, hours, quantity),
    )
    # The amount is a pay figure: not in the audit trail.
    audit_record(
        event_type="WORKLOG_CREATED",
        actor=actor,
        company=company,
        target=log,
        after={"employee": employee.code, "date": date.isoformat(), "hours": str(hours),
               "quantity": str(quantity)},
    )  # fmt: skip
    return log


def _own_log(actor: Any, company: Company, log: WorkLog) -> None:
    if log.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Work log")})
    _may_write_for(actor, company, log.employee)


def worklog_approval(log: WorkLog) -> Any:
    from backoffice.workflow.models import ApprovalRequest

    return (
        ApprovalRequest.objects.filter(
            subject_type=ContentType.objects.get_for_model(WorkLog), subject_id=log.pk
        )
        .order_by("-id")
        .first()
    )


@transaction.atomic
def worklog_delete(*, actor: Any, company: Company, worklog: WorkLog) -> None:
    _own_log(actor, company, worklog)
    if worklog.state not in (WorkLogState.DRAFT, WorkLogState.REJECTED):
        raise ValidationFailed(_("Only a draft work log can be deleted."), code="not_draft")
    audit_record(
        event_type="WORKLOG_DELETED", actor=actor, company=company, target=worklog,
        before={"date": worklog.date.isoformat(), "state": worklog.state},
    )  # fmt: skip
    worklog.delete()


def worklog_policy_ensure(*, company: Company, actor: Any = None) -> Any:
    """The default policy of ``collaborator_work``: one step, any HR manager (idempotent)."""
    from backoffice.workflow.models import ApproverKind
    from backoffice.workflow.services import policy_ensure

    return policy_ensure(
        company=company, request_type=REQUEST_TYPE,
        name=gettext_lazy("Collaborator work for payment"), actor=actor,
        steps=[{"name": _("HR manager"), "kind": ApproverKind.ROLE, "role": Role.HR_MANAGER}],
    )  # fmt: skip


@transaction.atomic
def worklog_submit(*, actor: Any, company: Company, worklog: WorkLog) -> WorkLog:
    from backoffice.workflow.services import approval_submit

    _own_log(actor, company, worklog)
    log = WorkLog.objects.select_for_update().get(pk=worklog.pk)
    if log.state not in (WorkLogState.DRAFT, WorkLogState.REJECTED):
        raise ValidationFailed(_("Only a draft work log can be submitted."), code="not_draft")
    worklog_policy_ensure(company=company)
    approval_submit(
        actor=actor,
        company=company,
        request_type=REQUEST_TYPE,
        subject=log,
        amount=log.amount,
        department=log.employee.department,
        title=_("Collaborator work: %(who)s, %(d)s")
        % {"who": log.employee.full_name, "d": log.date.strftime("%d/%m/%Y")},
    )
    log.state = WorkLogState.SUBMITTED
    log.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="WORKLOG_SUBMITTED", actor=actor, company=company, target=log,
        after={"state": log.state},
    )  # fmt: skip
    return log


@transaction.atomic
def worklog_withdraw(*, actor: Any, company: Company, worklog: WorkLog) -> WorkLog:
    from backoffice.workflow.services import approval_withdraw

    _own_log(actor, company, worklog)
    worklog.refresh_from_db(fields=["state"])
    req = worklog_approval(worklog)
    if worklog.state != WorkLogState.SUBMITTED or req is None:
        raise ValidationFailed(_("Only a submitted work log can be withdrawn."), code="not_pending")
    approval_withdraw(actor=actor, company=company, request=req)  # back to draft (callback)
    worklog.refresh_from_db()
    return worklog


def _decided(state: str) -> Callable[[Any], None]:
    def hook(req: Any) -> None:
        WorkLog.objects.filter(pk=req.subject_id, company=req.company).update(
            state=state, updated_at=timezone.now()
        )

    return hook


worklog_approved = _decided(WorkLogState.APPROVED)
worklog_rejected = _decided(WorkLogState.REJECTED)
worklog_withdrawn = _decided(WorkLogState.DRAFT)
