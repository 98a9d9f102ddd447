"""CLI: the pipeline.

``backoffice recruitment remind [--company CODE]`` creates the reminder tasks
for applications waiting longer than their stage's reminder days (once per
stay in a stage; run it daily from cron, e.g. ``30 6 * * *``).
"""

from __future__ import annotations

import click

from backoffice.cli import company_arg, emit, format_option, setup_django


def register(group: click.Group) -> None:
    @group.command("remind")
    @click.option(
        "--company", "company_code", default=None, help="Only this company (default: all)."
    )
    @format_option
    def remind(company_code: str | None, fmt: str) -> None:
        """Create a task for every candidate waiting too long in a stage."""
        setup_django()
        from backoffice.recruitment.services.pipeline import reminders_create

        created = reminders_create(company=company_arg(company_code))
        emit([{"created": created}], fmt, ["created"])
