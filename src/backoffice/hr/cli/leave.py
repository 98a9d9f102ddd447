"""CLI: ``backoffice hr leave-accrue | holidays | leave-setup``.

The CLI acts as the operator of the installation (audit label
``hr.leave_accrue`` / ``system``). Run ``leave-accrue`` daily from cron: it is
idempotent and writes seniority days on their anniversary, monthly accruals,
carry-over on 1 January and expiries when they fall due.
"""

from __future__ import annotations

import datetime as dt

import click

from backoffice.cli import EXIT_USAGE, company_arg, emit, fail, format_option, setup_django


def _year(year: int | None) -> int:
    from backoffice.hr.services.leave import today

    year = year or today().year
    if not 1900 <= year <= 2200:
        fail(f"--year: choose a year between 1900 and 2200: {year}", EXIT_USAGE)
    return year


def register(group: click.Group) -> None:
    @group.command("leave-accrue")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option("--year", type=int, default=None, help="Leave year (default: this year).")
    @click.option("--on", "on", default=None, help="Accrue up to this day (YYYY-MM-DD).")
    @format_option
    def leave_accrue(company_code: str, year: int | None, on: str | None, fmt: str) -> None:
        """Grant annual leave (Labour Code Art. 113/114), carry over and expire days."""
        setup_django()
        from backoffice.core.exceptions import ApplicationError
        from backoffice.hr.services.leave import leave_accrue as accrue

        company = company_arg(company_code)
        year = _year(year)
        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError:
            fail(f"--on: not an ISO date (YYYY-MM-DD): {on}", EXIT_USAGE)
        try:
            rows = accrue(actor=None, company=company, year=year, on=day)
        except ApplicationError as exc:
            fail(exc.message)
        emit([{"company": company.code, "year": year, "rows": rows}], fmt,
             ["company", "year", "rows"])  # fmt: skip

    @group.command("holidays")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option("--year", type=int, default=None, help="Year (default: this year).")
    @format_option
    def holidays(company_code: str, year: int | None, fmt: str) -> None:
        """The company's public holidays and days off of a year (with overrides)."""
        setup_django()
        from backoffice.hr.services.calendar import CompanyCalendar

        company = company_arg(company_code)
        year = _year(year)
        cal = CompanyCalendar(company, dt.date(year, 1, 1), dt.date(year, 12, 31))
        rows = [{"date": d.strftime("%d/%m/%Y"), "weekday": d.strftime("%a"), "name": n}
                for d, n in cal.holidays()]  # fmt: skip
        emit(rows, fmt, ["date", "weekday", "name"])

    @group.command("leave-setup")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @format_option
    def leave_setup(company_code: str, fmt: str) -> None:
        """Create the default leave types and the leave approval policy where missing."""
        setup_django()
        from django.db import transaction

        from backoffice.hr.services.leave import leave_policy_ensure, leave_types_default_create

        company = company_arg(company_code)
        with transaction.atomic():
            made = leave_types_default_create(company=company, actor="cli")
            leave_policy_ensure(company=company, actor="cli")
        emit([{"company": company.code, "created": ", ".join(t.code for t in made)}], fmt,
             ["company", "created"])  # fmt: skip
