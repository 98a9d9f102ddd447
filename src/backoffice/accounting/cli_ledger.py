"""``backoffice accounting import-accounts | import-journal | rates import`` (SPEC §4).

Both imports are all-or-nothing: on bad input nothing is stored, every error is
printed with its row number (the header is row 1) and the exit code is 1.
The actor is the installation's operator, audited as "cli".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from backoffice.cli import (
    EXIT_FAILED,
    EXIT_USAGE,
    company_arg,
    fail,
    progress_printer,
    setup_django,
)

file_argument = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
company_option = click.option("--company", "company_code", required=True, help="Company code.")


def _run(label: str, func: Any, *, with_progress: bool = False, **kwargs: Any) -> Any:
    """Call an import service; print every row error and exit 1 if it refuses."""
    from backoffice.accounting.imports import ImportFailed
    from backoffice.core.exceptions import ApplicationError

    bar = progress_printer(label)
    try:
        return func(progress=bar, **kwargs) if with_progress else func(**kwargs)
    except ImportFailed as exc:
        bar.close()
        for error in exc.errors:
            click.echo(f"row {error.row}: {error.message}", err=True)
        fail(f"{len(exc.errors)} error(s); nothing was imported", EXIT_FAILED)
    except ApplicationError as exc:
        bar.close()
        fail(exc.message, EXIT_FAILED)
    except (OSError, UnicodeDecodeError) as exc:
        bar.close()
        fail(f"cannot read the file: {exc}", EXIT_USAGE)
    finally:
        bar.close()
    return None  # pragma: no cover


@click.command("import-accounts")
@file_argument
@company_option
def import_accounts(file: Path, company_code: str) -> None:
    """Import a chart of accounts from CSV: header code,name,type,parent
    (type: asset, liability, equity, income, expense; parent optional)."""
    setup_django()
    from backoffice.accounting.services import accounts_import

    company = company_arg(company_code)
    count = _run("accounts", accounts_import, actor="cli", company=company, rows=file)
    click.echo(f"Imported {count} account(s) into {company.code}.")


@click.command("import-journal")
@file_argument
@company_option
def import_journal(file: Path, company_code: str) -> None:
    """Import and post journal entries from CSV: header
    entry,date,journal,description,account,debit,credit,currency. Rows that share
    `entry` form one entry; journal and currency may be empty (general journal,
    company currency). All-or-nothing."""
    setup_django()
    from backoffice.accounting.services import journal_import

    company = company_arg(company_code)
    result = _run(
        "import", journal_import, with_progress=True, actor="cli", company=company, file=file
    )
    click.echo(
        f"Imported and posted {result.entries} entries ({result.lines} lines) into {company.code}."
    )
    for series, (first, last) in sorted(result.numbers.items()):
        click.echo(f"  {series}: {first} .. {last}")


@click.group("rates")
def rates() -> None:
    """Exchange rates (company currency per unit of a foreign currency)."""


@rates.command("import")
@file_argument
@company_option
def rates_import_cmd(file: Path, company_code: str) -> None:
    """Import exchange rates from CSV: header currency,date,rate."""
    setup_django()
    from backoffice.accounting.services import rates_import

    company = company_arg(company_code)
    count = _run("rates", rates_import, actor="cli", company=company, file=file)
    click.echo(f"Imported {count} exchange rate(s) into {company.code}.")


@click.command("post-expense-claims")
@company_option
def post_expense_claims(company_code: str) -> None:
    """Post approved expense claims the books refused at approval time
    (e.g. the period was closed), once the cause is fixed."""
    setup_django()
    from backoffice.accounting.expense_claims import post_approved_claims

    company = company_arg(company_code)
    entries = post_approved_claims(company=company, actor="cli")
    click.echo(f"Posted {len(entries)} expense claim(s) in {company.code}.")


def register(group: click.Group) -> None:
    for command in (import_accounts, import_journal, rates, post_expense_claims):
        group.add_command(command)
