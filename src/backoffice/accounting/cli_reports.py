"""``backoffice accounting trial-balance | report | close`` (SPEC §4).

trial-balance --format json is a stable contract: a list of objects with keys
code, name, opening_debit, opening_credit, period_debit, period_credit,
closing_debit, closing_credit (amounts as decimal strings in the company
currency, a balance on one side only).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from backoffice.cli import (
    EXIT_USAGE,
    company_arg,
    date_arg,
    emit,
    fail,
    format_option,
    setup_django,
)

TB_COLUMNS = [
    "code",
    "name",
    "opening_debit",
    "opening_credit",
    "period_debit",
    "period_credit",
    "closing_debit",
    "closing_credit",
]


@click.command("trial-balance")
@click.option("--company", "company_code", required=True, help="Company code.")
@click.option("--from", "date_from", default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, help="Last day (YYYY-MM-DD).")
@format_option
def trial_balance_cmd(company_code: str, date_from: str | None, date_to: str | None, fmt: str):
    """Trial balance (bảng cân đối số phát sinh): per account with activity or a
    balance, opening, period and closing debit/credit. Without --from/--to:
    from the first entry to the last."""
    setup_django()
    from backoffice.accounting import reports

    company = company_arg(company_code)
    lo, hi = date_arg(date_from, "--from"), date_arg(date_to, "--to")
    if lo and hi and lo > hi:
        fail("--from is after --to", EXIT_USAGE)
    tb = reports.trial_balance(company=company, date_from=lo, date_to=hi)
    emit([r.as_dict() for r in tb], fmt, TB_COLUMNS)


STATEMENTS = {
    "balance-sheet": "balance_sheet",
    "income-statement": "income_statement",
    "cash-flow": "cash_flow",
}


@click.command("report")
@click.argument("kind", type=click.Choice(sorted(STATEMENTS)))
@click.option("--company", "company_code", required=True, help="Company code.")
@click.option("--from", "date_from", default=None, help="First day (YYYY-MM-DD).")
@click.option(
    "--to", "date_to", default=None, help="Last day, or the balance sheet's date (YYYY-MM-DD)."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the statement to FILE.xlsx or FILE.pdf instead of printing it.",
)
@format_option
def report_cmd(kind, company_code, date_from, date_to, output, fmt):
    """A financial statement: balance-sheet (B01), income-statement (B02),
    cash-flow (B03, indirect). Default range: the fiscal year to date."""
    setup_django()
    from django.utils import timezone

    from backoffice.accounting import exports, reports

    company = company_arg(company_code)
    lo, hi = date_arg(date_from, "--from"), date_arg(date_to, "--to")
    span_lo, span_hi = reports.ledger_span(company)
    hi = hi or span_hi or timezone.localdate()
    lo = lo or reports._fiscal_year_start(company, hi)
    if lo > hi:
        fail("--from is after --to", EXIT_USAGE)
    if kind == "balance-sheet":
        st = reports.balance_sheet(company=company, as_of=hi)
    elif kind == "income-statement":
        st = reports.income_statement(company=company, date_from=lo, date_to=hi)
    else:
        st = reports.cash_flow(company=company, date_from=lo, date_to=hi)
    if output:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix not in ("xlsx", "pdf"):
            fail("--output must end in .xlsx or .pdf", EXIT_USAGE)
        from backoffice.core.exceptions import ApplicationError

        try:
            content, _ctype, _ext = exports.export(exports.statement_table(st), company, suffix)
        except ApplicationError as exc:
            fail(exc.message)
        Path(output).write_bytes(content)
        click.echo(f"Wrote {st.form} to {output}.")
        return
    rows = [
        {
            "code": ln.code,
            "label": ln.label,
            "amount": str(ln.amount),
            "prior": "" if ln.prior is None else str(ln.prior),
        }
        for ln in st.lines
    ]
    emit(rows, fmt, ["code", "label", "amount", "prior"])


@click.command("close")
@click.option("--company", "company_code", required=True, help="Company code.")
@click.option("--period", "period_label", required=True, help="Period to close (YYYY-MM).")
@click.option(
    "--acknowledge",
    multiple=True,
    help="Checklist item to acknowledge (drafts, suspense, negative_cash, bank_unconfirmed).",
)
@click.option("--note", default="", help="Note kept with the acknowledgements.")
def close_cmd(company_code, period_label, acknowledge, note):
    """Close a period: the pre-close checklist, then revenue and expenses to 911
    and the result to 421. Re-runnable after the period was reopened."""
    setup_django()
    from backoffice.accounting.closing import close_checklist, period_close
    from backoffice.accounting.models import Period
    from backoffice.core.exceptions import ApplicationError

    company = company_arg(company_code)
    try:
        year, month = (int(x) for x in period_label.split("-"))
        start = date(year, month, 1)
    except ValueError:
        fail(f"--period: expected YYYY-MM, got {period_label}", EXIT_USAGE)
    period = Period.objects.filter(company=company, start__lte=start, end__gte=start).first()
    if period is None:
        fail(f"no accounting period for {period_label}", EXIT_USAGE)
    try:
        result = period_close(actor="cli", period=period, acknowledge=acknowledge, note=note)
    except ApplicationError as exc:
        for item in close_checklist(period=period):
            mark = "ok" if item.ok else "BLOCKS"
            click.echo(f"  [{mark}] {item.key}: {item.label} {item.detail}".rstrip(), err=True)
        fail(exc.message)
    numbers = ", ".join(e.number for e in result.entries) or "-"
    click.echo(f"Closed {period_label}: result {result.profit}; closing entries {numbers}.")


def register(group: click.Group) -> None:
    group.add_command(trial_balance_cmd)
    group.add_command(report_cmd)
    group.add_command(close_cmd)
