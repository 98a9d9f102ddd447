"""``backoffice payroll collaborator-...``: payments to remote collaborators.

* ``collaborator-payments --company C [--year Y]``: list (number, person, state,
  amount, withheld, paid on);
* ``collaborator-payment --company C --employee CODE --from D --to D
  [--amount N] [--commitment]``: create (the approved work of the period);
* ``collaborator-payment-pay --company C --number N --on D``, ``...-post``,
  ``...-cancel``;
* ``collaborator-withholding --company C --year Y [--month M | --quarter Q]``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import click

from backoffice.cli import EXIT_USAGE, date_arg, emit, fail, format_option, setup_django

COLUMNS = ["number", "employee", "name", "state", "period", "amount", "withheld", "paid_on"]


def _row(p: Any) -> dict[str, Any]:
    return {"number": p.number, "employee": p.employee.code, "name": p.employee.full_name,
            "state": p.state, "period": f"{p.period_start:%d/%m/%Y}-{p.period_end:%d/%m/%Y}",
            "amount": str(p.amount), "withheld": str(p.withheld),
            "paid_on": p.paid_on.isoformat() if p.paid_on else ""}  # fmt: skip


def _payment(company: Any, number: str) -> Any:
    from backoffice.payroll.models import CollaboratorPayment

    p = CollaboratorPayment.objects.filter(company=company, number=number).first()
    if p is None:
        fail(f"unknown payment: {number}", EXIT_USAGE)
    return p


def _do(action: Any) -> Any:
    from backoffice.core.exceptions import ApplicationError

    try:
        return action()
    except ApplicationError as exc:
        fail(f"{exc.code}: {exc.message}")


def register(group: click.Group) -> None:
    from backoffice.payroll.cli.reports import company_for

    @group.command("collaborator-payments")
    @click.option("--company", "company_code", required=True)
    @click.option("--year", type=int, default=None)
    @format_option
    def payments(company_code: str, year: int | None, fmt: str) -> None:
        """List collaborator payments."""
        setup_django()
        from backoffice.payroll.models import CollaboratorPayment

        qs = CollaboratorPayment.objects.filter(company=company_for(company_code))
        if year:
            qs = qs.filter(period_end__year=year)
        emit([_row(p) for p in qs.select_related("employee")], fmt, COLUMNS)

    @group.command("collaborator-payment")
    @click.option("--company", "company_code", required=True)
    @click.option("--employee", "code", required=True, help="Collaborator code.")
    @click.option("--from", "start", required=True)
    @click.option("--to", "end", required=True)
    @click.option("--amount", default=None, help="Pay this amount instead of the approved work.")
    @click.option("--commitment", is_flag=True, help="Commitment 08/CK-TNCN filed: no withholding.")
    @format_option
    def create(company_code: str, code: str, start: str, end: str, amount: str | None,
               commitment: bool, fmt: str) -> None:  # fmt: skip
        """Create a payment of the collaborator's approved work of the period."""
        setup_django()
        from backoffice.hr.cli.employees import CLI
        from backoffice.hr.models import Employee
        from backoffice.payroll.services.collaborators import collaborator_payment_create

        company = company_for(company_code)
        person = Employee.objects.filter(company=company, code=code).first()
        if person is None:
            fail(f"unknown collaborator: {code}", EXIT_USAGE)
        p = _do(lambda: collaborator_payment_create(
            actor=CLI, company=company, employee=person, period_start=date_arg(start, "--from"),
            period_end=date_arg(end, "--to"), amount=Decimal(amount) if amount else None,
            has_commitment=commitment))  # fmt: skip
        emit([_row(p)], fmt, COLUMNS)

    for verb in ("pay", "post", "cancel"):
        _state_command(group, verb)

    @group.command("collaborator-withholding")
    @click.option("--company", "company_code", required=True)
    @click.option("--year", type=int, required=True)
    @click.option("--month", type=click.IntRange(1, 12), default=None)
    @click.option("--quarter", type=click.IntRange(1, 4), default=None)
    @format_option
    def withholding(company_code: str, year: int, month: int | None, quarter: int | None,
                    fmt: str) -> None:  # fmt: skip
        """PIT withheld from collaborators by person (by payment date)."""
        setup_django()
        from backoffice.hr.cli.employees import CLI
        from backoffice.payroll.selectors.collaborators import withholding_report
        from backoffice.payroll.selectors.periods import Period

        data = _do(lambda: withholding_report(user=CLI, company=company_for(company_code),
                                              period=Period(year, month, quarter)))  # fmt: skip
        cols = ["code", "name", "payments", "amount", "withheld", "net"]
        rows = [{k: str(r[k]) if isinstance(r[k], Decimal) else r[k] for k in cols}
                for r in data["rows"]]  # fmt: skip
        rows.append({"code": "", "name": "TOTAL", **{k: str(v) for k, v in data["totals"].items()}})
        emit(rows, fmt, cols)


def _state_command(group: click.Group, verb: str) -> None:
    @group.command(f"collaborator-payment-{verb}")
    @click.option("--company", "company_code", required=True)
    @click.option("--number", required=True, help="Payment number (CTV-YYYY-NNNN).")
    @click.option("--on", "on", default=None, help="Payment date (pay; default today).")
    @format_option
    def command(company_code: str, number: str, on: str | None, fmt: str) -> None:
        setup_django()
        from django.utils import timezone

        from backoffice.hr.cli.employees import CLI
        from backoffice.payroll.cli.reports import company_for
        from backoffice.payroll.services import collaborators as svc

        company = company_for(company_code)
        payment = _payment(company, number)
        if verb == "pay":
            paid_on = date_arg(on, "--on") if on else timezone.localdate()
            p = _do(lambda: svc.collaborator_payment_pay(actor=CLI, company=company,
                                                         payment=payment, paid_on=paid_on))  # fmt: skip
        else:
            func = getattr(svc, f"collaborator_payment_{verb}")
            p = _do(lambda: func(actor=CLI, company=company, payment=payment))
        emit([_row(p)], fmt, COLUMNS)

    command.help = {"pay": "Mark a payment paid (withholding on the payment date's rules).",
                       "post": "Post a paid payment to the ledger.",
                    "cancel": "Cancel a draft or paid payment."}[verb]  # fmt: skip
