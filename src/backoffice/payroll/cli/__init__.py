"""``backoffice payroll ...``: one module per area adds its commands."""

from __future__ import annotations

import click

from backoffice.payroll.cli import calculator, collaborators, reports, runs


def register(main: click.Group) -> None:
    @main.group(name="payroll")
    def payroll() -> None:
        """Payroll: gross<->net, runs, payslips, reports, collaborator payments."""

    for module in (calculator, runs, reports, collaborators):
        module.register(payroll)
