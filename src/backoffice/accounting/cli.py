"""`backoffice accounting ...` (SPEC §4): the group, with its commands in
``cli_ledger`` (import-accounts, import-journal, rates) and ``cli_reports``
(trial-balance and the other books)."""

from __future__ import annotations

from importlib import import_module

import click


@click.group()
def accounting() -> None:
    """The general ledger: charts, journal imports, books and reports."""


def register(main: click.Group) -> None:
    for module in ("cli_ledger", "cli_reports"):
        try:
            mod = import_module(f"backoffice.accounting.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"backoffice.accounting.{module}":
                raise
            continue
        mod.register(accounting)
    main.add_command(accounting)
