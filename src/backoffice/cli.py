"""The ``backoffice`` command (SPEC §4). Its contracts are used by outside tools:
subcommands, options, output formats and exit codes must not drift.

Every subcommand honours BACKOFFICE_HOME and DATABASE_URL, has --help, and
exits non-zero with a one-line message on bad input.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from typing import Any

import click

EXIT_USAGE = 2
EXIT_FAILED = 1


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
    import django

    django.setup()


def fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def company_arg(code: str | None) -> Any:
    """The company named by a ``--company`` option (None when it was not
    given); an unknown code exits 2."""
    if code is None:
        return None
    from backoffice.core.models import Company

    company = Company.objects.filter(code=code).first()
    if company is None:
        fail(f"unknown company: {code}", EXIT_USAGE)
    return company


def date_arg(value: str | None, option: str = "date") -> dt.date | None:
    """An ISO date option (None when empty); anything else exits 2."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: not an ISO date (YYYY-MM-DD): {value}", EXIT_USAGE)
    raise AssertionError  # pragma: no cover - fail() exits


def month_arg(text: str, option: str = "--month") -> tuple[int, int]:
    """A ``YYYY-MM`` option as (year, month); anything else exits 2."""
    try:
        year, month = (int(x) for x in text.split("-"))
    except ValueError:
        fail(f"{option}: not YYYY-MM: {text}", EXIT_USAGE)
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        fail(f"{option}: not a valid month: {text}", EXIT_USAGE)
    return year, month


def emit(rows: list[dict[str, Any]], fmt: str, columns: list[str]) -> None:
    """Print rows as a table, CSV or JSON (the --format contract)."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return
    widths = {c: max([len(c)] + [len(str(r.get(c, ""))) for r in rows]) for c in columns}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        click.echo("  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns))


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


def progress_printer(label: str):
    """A CLI progress bar fed by job progress callbacks (done, total, message)."""
    state: dict[str, Any] = {"bar": None, "last": 0}

    def callback(done: int, total: int, message: str = "") -> None:
        if not total:
            return
        if state["bar"] is None:
            state["bar"] = click.progressbar(length=total, label=label, file=sys.stderr)
            state["bar"].__enter__()
        state["bar"].update(max(0, done - state["last"]))
        state["last"] = done

    def close() -> None:
        if state["bar"] is not None:
            state["bar"].__exit__(None, None, None)

    callback.close = close  # type: ignore[attr-defined]
    return callback


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="backoffice")
def main() -> None:
    """Back Office: run the back office of a Vietnamese company."""


# Apps that add subcommands (each module has ``register(main)``).
APP_CLIS = ("core", "records", "workflow", "accounting", "hr", "payroll", "recruitment")


def _register() -> None:
    from importlib import import_module

    for app in APP_CLIS:
        import_module(f"backoffice.{app}.cli").register(main)


_register()
