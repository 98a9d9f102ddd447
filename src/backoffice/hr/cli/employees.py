"""CLI: ``backoffice hr import-employees | export-employees | headcount | apply-job-changes``.

The CLI acts as the operator of the installation (audit label ``cli``), like the
other apps' imports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from backoffice.cli import (
    EXIT_FAILED,
    company_arg,
    date_arg,
    emit,
    fail,
    format_option,
    progress_printer,
    setup_django,
)


class CliActor(str):
    """The operator at the console: every permission, recorded as "cli" in the audit log."""

    pk = None
    is_authenticated = False

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return True


CLI = CliActor("cli")


@click.command("import-employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--company", "company_code", required=True, help="Company code.")
def import_employees(file: Path, company_code: str) -> None:
    """Import people from an .xlsx or .csv file (header row: code, full_name, kind,
    date_of_birth, gender, email, phone, ..., department, position, manager, hire_date,
    salary). All or nothing: every error is printed with its row number."""
    setup_django()
    from backoffice.core.exceptions import ApplicationError
    from backoffice.hr.services.employees_import import employees_import

    company = company_arg(company_code)
    bar = progress_printer("import")
    try:
        result = employees_import(actor=CLI, company=company, data=file.read_bytes(),
                                  filename=file.name, progress=lambda d, t: bar(d, t))  # fmt: skip
    except ApplicationError as exc:
        bar.close()
        for error in exc.extra.get("errors", []):
            click.echo(f"row {error['row']}: {error['message']}", err=True)
        fail(exc.message, EXIT_FAILED)
    bar.close()
    click.echo(f"Imported {result['created']} people into {company.code}.")


@click.command("export-employees")
@click.option("--company", "company_code", required=True, help="Company code.")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (.xlsx or .csv).")  # fmt: skip
@click.option("--status", default="", help="Only this status (active, left ...).")
def export_employees(company_code: str, output: Path, status: str) -> None:
    """Export people with identifiers masked (no salaries)."""
    setup_django()
    from backoffice.hr.models import Employee
    from backoffice.hr.selectors.employees import employee_row, employee_search
    from backoffice.hr.services.employees_import import employees_export

    company = company_arg(company_code)
    fmt = "xlsx" if output.suffix.lower() == ".xlsx" else "csv"
    qs = employee_search(
        Employee.objects.filter(company=company).select_related("department", "position",
                                                                 "manager"), status=status)  # fmt: skip
    content, _ctype, _ext = employees_export(rows=(employee_row(e) for e in qs.order_by("code")),
                                             fmt=fmt)  # fmt: skip
    output.write_bytes(content)
    click.echo(f"Exported {qs.count()} people to {output}.")


@click.command("headcount")
@click.option("--company", "company_code", required=True, help="Company code.")
@click.option("--on", "on", default=None, help="Day (YYYY-MM-DD); default today.")
@click.option("--by", type=click.Choice(["department", "position", "contract_type"]),
              default="department", show_default=True)  # fmt: skip
@format_option
def headcount(company_code: str, on: str | None, by: str, fmt: str) -> None:
    """Headcount on a day by department, position or contract type (last row: total)."""
    setup_django()
    from django.utils import timezone

    from backoffice.hr import reports

    company = company_arg(company_code)
    day = date_arg(on, "--on") or timezone.localdate()
    rows = reports.headcount(user=CLI, company=company, on=day, by=by)
    emit(rows, fmt, ["key", "label", "count"])


@click.command("apply-job-changes")
@click.option("--company", "company_code", default=None, help="Company code (default: all).")
def apply_job_changes(company_code: str | None) -> None:
    """Bring current departments/positions in line with job changes now in force (daily)."""
    setup_django()
    from backoffice.hr.services.employees import job_changes_apply

    company = company_arg(company_code) if company_code else None
    click.echo(f"Updated {job_changes_apply(company=company)} people.")


def register(group: click.Group) -> None:
    for command in (import_employees, export_employees, headcount, apply_job_changes):
        group.add_command(command)
