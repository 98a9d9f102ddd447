"""``backoffice payroll report KIND``, ``payroll payslip-pdf``, ``payroll bank-file``.

* ``payroll report register --company C --year Y --month M`` (the regular run
  of the month; ``--run UUID`` for another), ``report insurance --year --month``,
  ``report pit --year [--month | --quarter]``, ``report finalisation --year``,
  ``report totals --year``; ``--format table|csv|json``, ``--xlsx FILE`` writes
  the workbook instead.
* ``payroll payslip-pdf --company C --employee CODE --year Y --month M --output FILE``
* ``payroll bank-file --company C --year Y --month M --output FILE``

The console operator acts as ``cli`` (every permission, audited as such).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from backoffice.cli import EXIT_USAGE, company_arg, emit, fail, format_option, setup_django

KINDS = ("register", "insurance", "pit", "finalisation", "totals")


def company_for(code: str) -> Any:
    return company_arg(code)


def run_for(company: Any, year: int | None, month: int | None, run_id: str | None) -> Any:
    from backoffice.payroll.enums import RunKind, RunState
    from backoffice.payroll.models import PayrollRun

    qs = PayrollRun.objects.filter(company=company).exclude(state=RunState.CANCELLED)
    run = (qs.filter(public_id=run_id) if run_id else
           qs.filter(year=year or 0, month=month or 0, kind=RunKind.REGULAR)).first()  # fmt: skip
    if run is None:
        fail("no such payroll run", EXIT_USAGE)
    return run


def _plain(value: Any) -> Any:
    from decimal import Decimal

    return str(value) if isinstance(value, Decimal) else value


def _tables(kind: str, company: Any, year: int, month: int | None, quarter: int | None,
            run_id: str | None) -> list[Any]:  # fmt: skip
    from backoffice.hr.cli.employees import CLI
    from backoffice.payroll import exports
    from backoffice.payroll.selectors import reports as rep
    from backoffice.payroll.selectors.periods import Period

    if kind == "register":
        run = run_for(company, year, month, run_id)
        return [exports.register_table(rep.register(user=CLI, company=company, run=run))]
    if kind == "insurance":
        if month is None:
            fail("--month is required", EXIT_USAGE)
        return [exports.insurance_table(rep.insurance(user=CLI, company=company,
                                                      period=Period(year, month)))]  # fmt: skip
    if kind == "pit":
        return [exports.pit_table(rep.pit(user=CLI, company=company,
                                          period=Period(year, month, quarter)))]  # fmt: skip
    if kind == "finalisation":
        return [exports.finalisation_table(rep.finalisation(user=CLI, company=company, year=year))]
    return exports.aggregate_tables(rep.aggregates(user=CLI, company=company, year=year))


def register(group: click.Group) -> None:
    @group.command("report")
    @click.argument("kind", type=click.Choice(KINDS))
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option("--year", type=int, required=True)
    @click.option("--month", type=click.IntRange(1, 12), default=None)
    @click.option("--quarter", type=click.IntRange(1, 4), default=None)
    @click.option("--run", "run_id", default=None, help="A run's id (register).")
    @click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), default=None,
                  help="Write the XLSX workbook to this file.")  # fmt: skip
    @format_option
    def report(kind: str, company_code: str, year: int, month: int | None,
               quarter: int | None, run_id: str | None, xlsx: str | None, fmt: str) -> None:  # fmt: skip
        """A payroll report: register, insurance, pit, finalisation or totals."""
        setup_django()
        from backoffice.core.exceptions import ApplicationError
        from backoffice.payroll import exports

        company = company_for(company_code)
        try:
            tables = _tables(kind, company, year, month, quarter, run_id)
        except ApplicationError as exc:
            fail(exc.message, EXIT_USAGE)
            return
        if xlsx:
            Path(xlsx).write_bytes(exports.to_xlsx(tables, company))
            click.echo(f"{xlsx}: {sum(len(t.rows) for t in tables)} rows")
            return
        for table in tables:
            keys = [k for k, _l, _k in table.columns]
            rows = [{k: _plain(r.get(k)) for k in keys} for r in table.rows]
            if table.totals is not None:
                rows.append({k: _plain(table.totals.get(k)) for k in keys})
            emit(rows, fmt, keys)

    @group.command("payslip-pdf")
    @click.option("--company", "company_code", required=True)
    @click.option("--employee", "code", required=True, help="Employee code.")
    @click.option("--year", type=int, required=True)
    @click.option("--month", type=click.IntRange(1, 12), required=True)
    @click.option("--output", type=click.Path(dir_okay=False), required=True)
    def payslip_pdf(company_code: str, code: str, year: int, month: int, output: str) -> None:
        """Write one employee's payslip of the month's regular run as PDF."""
        setup_django()
        from backoffice.hr.cli.employees import CLI
        from backoffice.payroll.models import Payslip
        from backoffice.payroll.services.payslips import payslip_pdf as make

        company = company_for(company_code)
        run = run_for(company, year, month, None)
        slip = Payslip.objects.filter(run=run, employee__code=code).first()
        if slip is None:
            fail(f"no payslip of {code} in {month:02d}/{year}", EXIT_USAGE)
            return
        _name, data = make(user=CLI, company=company, payslip=slip)
        Path(output).write_bytes(data)
        click.echo(f"{output}: {len(data)} bytes")

    @group.command("bank-file")
    @click.option("--company", "company_code", required=True)
    @click.option("--year", type=int, required=True)
    @click.option("--month", type=click.IntRange(1, 12), required=True)
    @click.option("--output", type=click.Path(dir_okay=False), required=True)
    def bank_file(company_code: str, year: int, month: int, output: str) -> None:
        """Write the bank transfer CSV of the month's approved regular run."""
        setup_django()
        from backoffice.core.exceptions import ApplicationError
        from backoffice.hr.cli.employees import CLI
        from backoffice.payroll.bankfile import bank_file as make

        company = company_for(company_code)
        try:
            out = make(actor=CLI, company=company, run=run_for(company, year, month, None))
        except ApplicationError as exc:
            fail(exc.message)
            return
        Path(output).write_bytes(out.content)
        click.echo(f"{output}: {out.count} transfers, total {out.total}")
        if out.missing:
            click.echo(f"no bank account: {', '.join(out.missing)}", err=True)
