"""CLI: attendance.

* ``backoffice hr import-attendance FILE --company CODE``: a time-clock CSV
  (``employee_code,date,check_in,check_out[,note]``), all-or-nothing; every error
  printed with its row number, exit code 1;
* ``backoffice hr attendance-summary --company CODE --employee NV00001 --month 2026-11``;
* ``backoffice hr overtime-report --company CODE --month 2026-11 [--format table|csv|json]``.

The actor is the installation's operator, audited as "cli".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from backoffice.cli import (
    EXIT_FAILED,
    EXIT_USAGE,
    company_arg,
    fail,
    month_arg,
    progress_printer,
    setup_django,
)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if k != "employee" or isinstance(v, str)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


@click.command("import-attendance")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--company", "company_code", required=True, help="Company code.")
def import_attendance(file: Path, company_code: str) -> None:
    """Import a time-clock CSV: header employee_code,date,check_in,check_out
    (+ optional note); dates 2026-11-27 or 27/11/2026, times HH:MM. All-or-nothing."""
    setup_django()
    from backoffice.core.exceptions import ApplicationError
    from backoffice.hr.services.attendance_import import (
        AttendanceImportFailed,
        attendance_import,
    )

    company = company_arg(company_code)
    try:
        data = file.read_bytes()
    except OSError as exc:
        fail(f"cannot read the file: {exc}", EXIT_USAGE)
    bar = progress_printer("attendance")
    try:
        result = attendance_import(actor="cli", company=company, file_bytes=data,
                                   filename=file.name, progress=bar)  # fmt: skip
    except AttendanceImportFailed as exc:
        bar.close()
        for error in exc.errors:
            click.echo(f"row {error.row}: {error.message}", err=True)
        fail(f"{len(exc.errors)} error(s); nothing was imported", EXIT_FAILED)
    except ApplicationError as exc:
        bar.close()
        fail(exc.message, EXIT_FAILED)
    finally:
        bar.close()
    click.echo(
        f"Imported {result['rows']} day(s) for {result['employees']} person(s) into "
        f"{company.code} ({result['created']} new, {result['updated']} replaced), "
        f"{result['from']} to {result['to']}."
    )


@click.command("attendance-summary")
@click.option("--company", "company_code", required=True, help="Company code.")
@click.option("--employee", "employee_code", required=True, help="Employee code.")
@click.option("--month", "month_text", required=True, help="YYYY-MM.")
def attendance_summary(company_code: str, employee_code: str, month_text: str) -> None:
    """One person's month as payroll reads it (JSON)."""
    setup_django()
    from backoffice.hr.models import Employee
    from backoffice.hr.selectors.attendance import month_summary

    company = company_arg(company_code)
    year, month = month_arg(month_text)
    employee = Employee.objects.filter(company=company, code=employee_code).first()
    if employee is None:
        fail(f"unknown employee: {employee_code}", EXIT_USAGE)
    summary = month_summary(company=company, employee=employee, year=year, month=month)
    click.echo(json.dumps(_plain(summary), ensure_ascii=False, indent=2))


@click.command("overtime-report")
@click.option("--company", "company_code", required=True, help="Company code.")
@click.option("--month", "month_text", required=True, help="YYYY-MM.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table")
@click.option("--flagged", is_flag=True, help="Only people over a cap.")
def overtime_report(company_code: str, month_text: str, fmt: str, flagged: bool) -> None:
    """Overtime of the month and the year to date against the legal caps."""
    setup_django()
    from backoffice.hr.selectors.attendance import overtime_report as report

    company = company_arg(company_code)
    year, month = month_arg(month_text)
    rows = report(company, year, month)
    if flagged:
        rows = [r for r in rows if r["flags"]]
    plain = [_plain({k: v for k, v in r.items() if k != "employee"}) for r in rows]
    if fmt == "json":
        click.echo(json.dumps(plain, ensure_ascii=False, indent=2))
        return
    head = ["code", "name", "department", "month_hours", "year_hours", "days_over_daily_cap",
            "flags"]  # fmt: skip
    if fmt == "csv":
        import csv
        import sys

        writer = csv.writer(sys.stdout)
        writer.writerow(head)
        for r in plain:
            writer.writerow([r[h] if h != "flags" else " ".join(r[h]) for h in head])
        return
    click.echo(f"{'code':<10} {'name':<28} {'month':>7} {'year':>8} {'days>cap':>8}  flags")
    for r in plain:
        click.echo(
            f"{r['code']:<10} {r['name'][:28]:<28} {r['month_hours']:>7} "
            f"{r['year_hours']:>8} {r['days_over_daily_cap']:>8}  {' '.join(r['flags'])}"
        )
    click.echo(f"{len(plain)} person(s); caps {plain[0]['month_cap'] if plain else '40'} h/month, "
               f"{plain[0]['year_cap'] if plain else '200'} h/year.")  # fmt: skip


def register(group: click.Group) -> None:
    for command in (import_attendance, attendance_summary, overtime_report):
        group.add_command(command)
