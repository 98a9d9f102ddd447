"""CLI: onboarding/offboarding and collaborators.

* ``backoffice hr collaborator-access [--company CODE] [--on YYYY-MM-DD]``: close the
  portal access of collaborators whose agreement has ended (idempotent; run daily
  from cron, e.g. ``5 0 * * *``).
* ``backoffice hr checklist-defaults [--company CODE]``: the default checklist
  templates and the ``collaborator_work`` approval policy where missing.
* ``backoffice hr onboarding-cases --company CODE [--state open|done|cancelled]
  [--kind onboarding|offboarding]``: cases with their progress.
* ``backoffice hr onboarding-refresh [--company CODE]``: mark done the open cases
  whose tasks are all closed (and make finished hires active).
"""

from __future__ import annotations

import datetime as dt

import click

from backoffice.cli import EXIT_USAGE, company_arg, emit, fail, format_option, setup_django


def _companies(code: str | None):
    from backoffice.core.models import Company

    comp = company_arg(code)
    return [comp] if comp is not None else list(Company.objects.filter(is_active=True))


def register(group: click.Group) -> None:
    @group.command("collaborator-access")
    @click.option("--company", "company_code", default=None, help="Only this company.")
    @click.option("--on", "on", default=None, help="As of this date (default: today).")
    @format_option
    def collaborator_access(company_code: str | None, on: str | None, fmt: str) -> None:
        """Close the portal access of collaborators whose agreement has ended."""
        setup_django()
        from backoffice.hr.services.collaborators import collaborator_access_sync

        day = None
        if on:
            try:
                day = dt.date.fromisoformat(on)
            except ValueError:
                fail(f"not a date (YYYY-MM-DD): {on}", EXIT_USAGE)
        closed = collaborator_access_sync(company=company_arg(company_code), on=day)
        emit([{"closed": closed}], fmt, ["closed"])

    @group.command("checklist-defaults")
    @click.option("--company", "company_code", default=None, help="Only this company.")
    @format_option
    def checklist_defaults(company_code: str | None, fmt: str) -> None:
        """Create the default checklist templates and work-log policy where missing."""
        setup_django()
        from django.db import transaction

        from backoffice.hr.services.collaborators import worklog_policy_ensure
        from backoffice.hr.services.onboarding import checklist_defaults_create

        rows = []
        for c in _companies(company_code):
            with transaction.atomic():
                made = checklist_defaults_create(company=c, actor="cli")
                worklog_policy_ensure(company=c, actor="cli")
            rows.append({"company": c.code, "created": ", ".join(t.name for t in made)})
        emit(rows, fmt, ["company", "created"])

    @group.command("onboarding-cases")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option("--state", default=None, type=click.Choice(["open", "done", "cancelled"]))
    @click.option("--kind", default=None, type=click.Choice(["onboarding", "offboarding"]))
    @format_option
    def onboarding_cases(company_code: str, state: str | None, kind: str | None, fmt: str) -> None:
        """Onboarding and offboarding cases with their task progress."""
        setup_django()
        from backoffice.hr.models import OnboardingCase
        from backoffice.hr.selectors.onboarding import with_progress

        qs = with_progress(
            OnboardingCase.objects.filter(company=company_arg(company_code)).select_related(
                "employee"
            )
        )
        if state:
            qs = qs.filter(state=state)
        if kind:
            qs = qs.filter(kind=kind)
        rows = [
            {"code": c.employee.code, "name": c.employee.full_name, "kind": c.kind,
             "date": c.reference_date.strftime("%d/%m/%Y"), "state": c.state,
             "done": f"{c.n_done}/{c.n_tasks}", "open": c.n_open}
            for c in qs.order_by("-reference_date", "id")
        ]  # fmt: skip
        emit(rows, fmt, ["code", "name", "kind", "date", "state", "done", "open"])

    @group.command("onboarding-refresh")
    @click.option("--company", "company_code", default=None, help="Only this company.")
    @format_option
    def onboarding_refresh(company_code: str | None, fmt: str) -> None:
        """Mark done the open cases whose tasks are all closed."""
        setup_django()
        from backoffice.hr.models import OnboardingCase
        from backoffice.hr.services.onboarding import case_refresh

        qs = OnboardingCase.objects.filter(state="open")
        comp = company_arg(company_code)
        if comp is not None:
            qs = qs.filter(company=comp)
        done = sum(case_refresh(case=c) for c in qs.select_related("company", "employee"))
        emit([{"done": done}], fmt, ["done"])
