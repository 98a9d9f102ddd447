"""CLI: contracts.

``backoffice hr contract-alerts [--company CODE] [--on YYYY-MM-DD]`` creates the
expiry tasks (idempotent; run it daily from cron, e.g. ``15 6 * * *``).
``backoffice hr contracts --company CODE [--expiring DAYS]`` lists contracts
(no salaries: the CLI is an operator's tool).
"""

from __future__ import annotations

import click

from backoffice.cli import (
    company_arg,
    date_arg,
    emit,
    format_option,
    setup_django,
)


def register(group: click.Group) -> None:
    @group.command("contract-alerts")
    @click.option(
        "--company", "company_code", default=None, help="Only this company (default: all)."
    )
    @click.option("--on", "on", default=None, help="As of this date (default: today).")
    @format_option
    def contract_alerts(company_code: str | None, on: str | None, fmt: str) -> None:
        """Create a task for every contract ending within 30 days (once per contract)."""
        setup_django()
        from backoffice.hr.services.contracts import contract_expiry_alerts

        created = contract_expiry_alerts(company=company_arg(company_code), on=date_arg(on, "--on"))
        emit([{"created": created}], fmt, ["created"])

    @group.command("contracts")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option(
        "--expiring", type=int, default=None, help="Only active ones ending within N days."
    )
    @format_option
    def contracts(company_code: str, expiring: int | None, fmt: str) -> None:
        """List contracts (number, person, type, state, dates)."""
        setup_django()
        from django.utils import timezone

        from backoffice.hr.models import Contract
        from backoffice.hr.selectors.contracts import expiring_q

        qs = Contract.objects.filter(company=company_arg(company_code)).select_related("employee")
        if expiring is not None:
            qs = qs.filter(expiring_q(timezone.localdate(), expiring))
        rows = [
            {
                "number": c.number,
                "employee": c.employee.code,
                "name": c.employee.full_name,
                "type": c.contract_type,
                "state": c.state,
                "start": c.start_date.isoformat(),
                "end": c.end_date.isoformat() if c.end_date else "",
            }
            for c in qs.order_by("number")
        ]
        emit(rows, fmt, ["number", "employee", "name", "type", "state", "start", "end"])
