"""Payments to remote collaborators (no labour contract), with the flat PIT
withholding in force (VN-RULES §2.6: 10 % of a payment from 2,000,000 đồng
to tax period 2025, from 5,000,000 đồng from 2026; none when the payee filed
a commitment, form 08/CK-TNCN).

draft -> paid -> posted; a draft or paid (not posted) payment can be cancelled.

* create: the approved work logs of the period not yet in another payment
  (or the logs given, or a given amount); numbered ``CTV-YYYY-NNNN``; the
  withholding is computed on the rules in force today;
* pay: the payment date decides the rules, so the withholding is computed
  again on ``paid_on``; the work logs become "paid";
* post: one ledger entry through ``accounting.posting.entry_create``:
  Dr expense (payroll settings ``collaborator_expense``, else ``expense``:
  642 / 6422) the amount, Cr 3335 the PIT withheld, Cr 112x the net paid.

Everything needs ``payroll.manage_collaborator_payments``; amounts never go
to the audit log (it is read by more people than payroll).
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
from backoffice.core.exceptions import Conflict, NotFound, ValidationFailed
from backoffice.payroll.enums import PaymentState
from backoffice.payroll.models import CollaboratorPayment
from backoffice.payroll.services.common import authorise

PERM = "payroll.manage_collaborator_payments"
SYSTEM_ACTOR = "payroll:collaborators"


def withholding_for(amount: Decimal, on: dt.date, company: Any, has_commitment: bool) -> Decimal:
    from backoffice.payroll.calculations import flat_withholding
    from backoffice.payroll.selectors.periods import rules_on

    return flat_withholding(amount, rules=rules_on(on, company), has_commitment=has_commitment)


def _open_logs(company: Any, employee: Any) -> Any:
    """Approved work logs of the person not in a live (not cancelled) payment."""
    from backoffice.hr.enums import WorkLogState
    from backoffice.hr.models import WorkLog

    taken = CollaboratorPayment.work_logs.through.objects.filter(
        collaboratorpayment__company=company
    ).exclude(collaboratorpayment__state=PaymentState.CANCELLED)
    return WorkLog.objects.filter(
        company=company, employee=employee, state=WorkLogState.APPROVED
    ).exclude(pk__in=taken.values("worklog_id"))


def _next_number(company: Any, year: int) -> str:
    prefix = f"CTV-{year}-"
    last = (
        CollaboratorPayment.objects.select_for_update()
        .filter(company=company, number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def _check_person(company: Any, employee: Any) -> None:
    from backoffice.hr.enums import PersonKind

    if employee.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Collaborator")})
    if employee.kind != PersonKind.COLLABORATOR:
        raise ValidationFailed(
            _("Payments with flat withholding are for remote collaborators; employees are paid "
              "through the payroll run."),
            code="not_collaborator",
        )  # fmt: skip


@transaction.atomic
def collaborator_payment_create(
    *, actor: Any, company: Any, employee: Any, period_start: dt.date, period_end: dt.date,
    work_logs: Iterable[Any] | None = None, amount: Decimal | None = None,
    has_commitment: bool = False, description: str = "",
) -> CollaboratorPayment:  # fmt: skip
    authorise(actor, company, PERM)
    _check_person(company, employee)
    if period_end < period_start:
        raise ValidationFailed(_("The period ends before it starts."), code="invalid_period")
    logs: list[Any] = []
    open_logs = _open_logs(company, employee)
    if work_logs is not None:
        wanted = [log.pk for log in work_logs]
        logs = list(open_logs.filter(pk__in=wanted))
        if len(logs) != len(set(wanted)):
            raise ValidationFailed(
                _("Only approved work of this collaborator not yet in a payment can be paid."),
                code="worklog_not_payable",
            )
    elif amount is None:
        logs = list(open_logs.filter(date__gte=period_start, date__lte=period_end))
    if amount is None:
        amount = sum((Decimal(log.amount or 0) for log in logs), Decimal(0))
    amount = Decimal(amount).quantize(Decimal(1))
    if amount <= 0:
        raise ValidationFailed(
            _("There is no approved work to pay in this period."), code="nothing_to_pay"
        )
    today = timezone.localdate()
    payment = CollaboratorPayment.objects.create(
        company=company, employee=employee, number=_next_number(company, period_end.year),
        period_start=period_start, period_end=period_end, description=description[:300],
        amount=amount, has_commitment=has_commitment,
        withheld=withholding_for(amount, today, company, has_commitment),
        created_by=None if isinstance(actor, str) or actor is None else actor,
    )  # type: ignore[misc]  # fmt: skip
    if logs:
        payment.work_logs.set(logs)
    audit_record(
        event_type="COLLABORATOR_PAYMENT_CREATED", actor=actor, company=company, target=payment,
        after={"number": payment.number, "collaborator": employee.code, "work_logs": len(logs),
               "commitment": has_commitment},
    )  # fmt: skip
    return payment


def _locked(payment: CollaboratorPayment, company: Any) -> CollaboratorPayment:
    if payment.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Collaborator payment")})
    return CollaboratorPayment.objects.select_for_update().get(pk=payment.pk)


def _state(payment: CollaboratorPayment, *allowed: str) -> None:
    if payment.state not in allowed:
        raise Conflict(
            _("This payment is %(state)s; it cannot be changed this way.")
            % {"state": payment.get_state_display()},
            code="payment_state",
        )


@transaction.atomic
def collaborator_payment_pay(
    *, actor: Any, company: Any, payment: CollaboratorPayment, paid_on: dt.date
) -> CollaboratorPayment:
    from backoffice.hr.enums import WorkLogState

    authorise(actor, company, PERM)
    payment = _locked(payment, company)
    _state(payment, PaymentState.DRAFT)
    payment.withheld = withholding_for(payment.amount, paid_on, company, payment.has_commitment)
    payment.state, payment.paid_on = PaymentState.PAID, paid_on
    payment.save(update_fields=["withheld", "state", "paid_on", "updated_at"])
    payment.work_logs.update(state=WorkLogState.PAID)
    audit_record(
        event_type="COLLABORATOR_PAYMENT_PAID", actor=actor, company=company, target=payment,
        after={"number": payment.number, "paid_on": paid_on.isoformat()},
    )  # fmt: skip
    return payment


def payment_accounts(company: Any) -> dict[str, str]:
    from backoffice.payroll.services.settings import payroll_settings

    accounts = dict(payroll_settings(company).get("accounts") or {})
    return {
        "expense": str(accounts.get("collaborator_expense") or accounts.get("expense") or "642"),
        "pit": str(accounts.get("pit") or "3335"),
        "bank": str(accounts.get("bank") or "1121"),
    }


def payment_lines(payment: CollaboratorPayment) -> list[Any]:
    from backoffice.accounting.posting import LineInput

    acc = payment_accounts(payment.company)
    label = f"{payment.number} {payment.employee.full_name}"[:200]
    amount, withheld = Decimal(payment.amount), Decimal(payment.withheld)
    lines = [LineInput(account=acc["expense"], debit=amount, description=label)]
    if withheld:
        lines.append(LineInput(account=acc["pit"], credit=withheld, description=label))
    lines.append(LineInput(account=acc["bank"], credit=amount - withheld, description=label))
    return lines


@transaction.atomic
def collaborator_payment_post(
    *, actor: Any, company: Any, payment: CollaboratorPayment
) -> CollaboratorPayment:
    from backoffice.accounting.models import EntrySource
    from backoffice.accounting.posting import entry_create

    authorise(actor, company, PERM)
    payment = _locked(payment, company)
    _state(payment, PaymentState.PAID)
    assert payment.paid_on is not None
    entry = entry_create(
        actor=SYSTEM_ACTOR, company=company, date=payment.paid_on,
        description=f"Thanh toán cộng tác viên {payment.number} — {payment.employee.full_name}",
        lines=payment_lines(payment), partner=payment.employee.full_name[:200],
        reference=payment.number, source=EntrySource.PAYROLL,
        idempotency_key=f"payroll-collaborator:{payment.public_id}", post=True,
    )  # fmt: skip
    payment.state, payment.entry = PaymentState.POSTED, entry
    payment.save(update_fields=["state", "entry", "updated_at"])
    audit_record(
        event_type="COLLABORATOR_PAYMENT_POSTED", actor=actor, company=company, target=payment,
        after={"number": payment.number, "entry": entry.number},
    )  # fmt: skip
    return payment


@transaction.atomic
def collaborator_payment_cancel(
    *, actor: Any, company: Any, payment: CollaboratorPayment
) -> CollaboratorPayment:
    """A draft or paid payment (a posted one is corrected in the ledger); its work
    logs become payable again."""
    from backoffice.hr.enums import WorkLogState

    authorise(actor, company, PERM)
    payment = _locked(payment, company)
    _state(payment, PaymentState.DRAFT, PaymentState.PAID)
    if payment.state == PaymentState.PAID:
        payment.work_logs.update(state=WorkLogState.APPROVED)
    payment.state = PaymentState.CANCELLED
    payment.save(update_fields=["state", "updated_at"])
    audit_record(
        event_type="COLLABORATOR_PAYMENT_CANCELLED", actor=actor, company=company,
        target=payment, after={"number": payment.number},
    )  # fmt: skip
    return payment
