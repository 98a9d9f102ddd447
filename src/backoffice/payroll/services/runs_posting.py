"""Posting a paid run to the ledger (accounting.posting.entry_create, posted).

Two entries, each with an idempotency key so a retry never posts twice:

* the accrual, dated the month's last day: Dr expense by department (gross,
  then the employer's contributions and union fund) / Cr 334 gross;
  Dr 334 / Cr 3383, 3384, 3386 (3385 on Circular 133), 3335, 3382 and the
  after-tax deductions account for what is withheld from the employees;
  Cr 3383, 3384, 3386/3385, 3382 for the employer's share;
* the payment, dated the day paid: Dr 334 / Cr bank for the net.

334 therefore nets to zero once both are posted. The accounts come from the
payroll settings (:mod:`.settings`). Adjustment runs post their differences
(a negative amount goes on the other side).

The payroll officer posts under ``payroll.manage_run``; the entries are
written with the label ``payroll`` as the ledger actor. The period rule is
kept: an open period takes the posting, a closed one only from someone who may
post into a closed period, a locked one from nobody.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.models import Department
from backoffice.payroll.enums import RunState
from backoffice.payroll.models import PayrollRun
from backoffice.payroll.services.settings import expense_account, payroll_settings

ZERO = Decimal(0)
LEDGER_ACTOR = "payroll"


def _line(account: str, amount: Decimal, *, debit: bool, text: str, department: Any = None) -> Any:
    from backoffice.accounting.ledger import LineInput

    if amount < 0:
        amount, debit = -amount, not debit
    return LineInput(
        account=account, debit=amount if debit else ZERO, credit=ZERO if debit else amount,
        description=text[:200], department=department,
    )  # fmt: skip


def _lines(spec: list[tuple[str, Decimal, bool, str, Any]]) -> list[Any]:
    return [_line(a, amt, debit=d, text=t, department=dep) for a, amt, d, t, dep in spec if amt]


def accrual_lines(run: PayrollRun) -> list[Any]:
    settings = payroll_settings(run.company)
    acc = settings["accounts"]
    from backoffice.payroll.services.runs import TOTAL_KEYS

    t = {k: Decimal(run.totals.get(k) or 0) for k in TOTAL_KEYS}
    period = f"{run.month:02d}/{run.year}"
    depts = {d.code: d for d in Department.objects.filter(company=run.company)}
    spec: list[tuple[str, Decimal, bool, str, Any]] = []
    for code, row in (run.totals.get("by_department") or {}).items():
        account = expense_account(settings, code)
        dept = depts.get(code)
        spec.append((account, Decimal(row["gross"]), True,
                     _("Salaries %(p)s") % {"p": period}, dept))  # fmt: skip
        spec.append((account, Decimal(row["employer"]), True,
                     _("Employer insurance and union fund %(p)s") % {"p": period}, dept))  # fmt: skip
    withheld = t["insurance_ee"] + t["pit"] + t["union_dues"] + t["other_deductions"]
    spec += [
        (acc["payable"], t["gross"], False, _("Salaries payable %(p)s") % {"p": period}, None),
        (acc["payable"], withheld, True, _("Withheld from salaries %(p)s") % {"p": period}, None),
        (acc["si"], t["ee_si"], False, _("Social insurance, employees"), None),
        (acc["hi"], t["ee_hi"], False, _("Health insurance, employees"), None),
        (acc["ui"], t["ee_ui"], False, _("Unemployment insurance, employees"), None),
        (acc["pit"], t["pit"], False, _("Personal income tax withheld"), None),
        (acc["union"], t["union_dues"], False, _("Trade-union dues"), None),
        (acc["deductions"], t["other_deductions"], False, _("Other deductions"), None),
        (acc["si"], t["er_si"], False, _("Social insurance, employer"), None),
        (acc["hi"], t["er_hi"], False, _("Health insurance, employer"), None),
        (acc["ui"], t["er_ui"], False, _("Unemployment insurance, employer"), None),
        (acc["union"], t["union_fund"], False, _("Trade-union fund"), None),
    ]
    return _lines(spec)


def payment_lines(run: PayrollRun) -> list[Any]:
    acc = payroll_settings(run.company)["accounts"]
    net = Decimal(run.totals.get("net") or 0)
    period = f"{run.month:02d}/{run.year}"
    text = _("Net salaries paid %(p)s") % {"p": period}
    return _lines([(acc["payable"], net, True, text, None), (acc["bank"], net, False, text, None)])


def _post(actor: Any, run: PayrollRun, day: dt.date, lines: list[Any], key: str,
          description: str) -> Any:  # fmt: skip
    from backoffice.accounting.models import EntrySource
    from backoffice.accounting.posting import entry_create

    if len(lines) < 2:
        return None
    # The ledger actor is a label; a closed period keeps the rule of the person posting.
    return entry_create(
        actor=LEDGER_ACTOR, company=run.company, date=day, description=description,
        lines=lines, source=EntrySource.PAYROLL, reference=str(run.public_id)[:8],
        idempotency_key=f"payroll:{run.public_id}:{key}", post=True, on_behalf_of=actor,
    )  # fmt: skip


@transaction.atomic
def run_post(*, actor: Any, run: PayrollRun) -> PayrollRun:
    """Post a paid run: the accrual (month end) and the payment (day paid)."""
    from backoffice.payroll.services.common import authorise
    from backoffice.payroll.services.runs import MANAGE, _require_state, _snapshot, lock

    run = lock(run)
    authorise(actor, run.company, MANAGE)
    if run.state == RunState.POSTED:
        return run  # a retry: nothing more to post
    _require_state(
        run, (RunState.PAID,), "not_paid", _("Only a paid run can be posted to the ledger.")
    )
    assert run.paid_on is not None
    end = dt.date(run.year, run.month, calendar.monthrange(run.year, run.month)[1])
    period = f"{run.month:02d}/{run.year}"
    accrual = _post(actor, run, end, accrual_lines(run), "accrual",
                    _("Payroll %(p)s") % {"p": period})  # fmt: skip
    payment = _post(actor, run, run.paid_on, payment_lines(run), "payment",
                    _("Salary payment %(p)s") % {"p": period})  # fmt: skip
    run.accrual_entry, run.payment_entry = accrual, payment
    run.state, run.posted_at = RunState.POSTED, timezone.now()
    run.save(update_fields=["accrual_entry", "payment_entry", "state", "posted_at", "updated_at"])
    audit_record(
        event_type="PAYROLL_RUN_POSTED", actor=actor, company=run.company, target=run,
        after={**_snapshot(run), "accrual_entry": getattr(accrual, "number", None),
               "payment_entry": getattr(payment, "number", None)},
    )  # fmt: skip
    return run
