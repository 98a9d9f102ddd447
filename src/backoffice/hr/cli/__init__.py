"""``backoffice hr ...``: one module per area adds its commands."""

from __future__ import annotations

import click

from backoffice.hr.cli import attendance, contracts, employees, leave, onboarding


def register(main: click.Group) -> None:
    @main.group(name="hr")
    def hr() -> None:
        """Human resources: employees, contracts, leave, attendance, onboarding."""

    for module in (employees, contracts, leave, attendance, onboarding):
        module.register(hr)
