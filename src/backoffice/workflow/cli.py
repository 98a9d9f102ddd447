"""`backoffice workflow ...` subcommands.

``backoffice workflow tick`` runs task recurrence and escalation of overdue
tasks. It is idempotent: run it every few minutes from cron or a systemd
timer (see docs/modules/workflow.md).
"""

from __future__ import annotations

import click

from backoffice.cli import company_arg, emit, format_option, setup_django


def register(main: click.Group) -> None:
    main.add_command(workflow)


@click.group()
def workflow() -> None:
    """Approvals, tasks and workload."""


@workflow.command("tick")
@click.option("--company", "company_code", default=None, help="Only this company (default: all).")
@format_option
def tick(company_code: str | None, fmt: str) -> None:
    """Create the next occurrences of repeating tasks and escalate overdue ones."""
    setup_django()
    from backoffice.workflow.services import workflow_tick

    result = workflow_tick(company=company_arg(company_code))
    emit([result], fmt, ["created", "escalated"])


@workflow.command("default-policies")
@click.option("--company", "company_code", default=None, help="Only this company (default: all).")
@format_option
def default_policies(company_code: str | None, fmt: str) -> None:
    """Create the default expense and purchase approval policies where missing."""
    setup_django()
    from django.db import transaction

    from backoffice.core.models import Company
    from backoffice.workflow.services import default_policies_create

    comp = company_arg(company_code)
    companies = [comp] if comp is not None else list(Company.objects.filter(is_active=True))
    rows = []
    for c in companies:
        with transaction.atomic():
            made = default_policies_create(company=c, actor="cli")
        rows.append({"company": c.code, "created": ", ".join(p.request_type for p in made)})
    emit(rows, fmt, ["company", "created"])
