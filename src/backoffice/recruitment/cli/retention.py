"""``backoffice recruitment retention [--company CODE] [--dry-run] [--date YYYY-MM-DD]``:
anonymise the candidates whose consent to data processing expired and was
not renewed (Decree 13/2023; see ``recruitment.services.retention``).
Idempotent: run it daily from cron or a systemd timer. ``--dry-run`` only
counts. Exit 0 when every expired candidate was handled, 1 otherwise."""

from __future__ import annotations

import click

from backoffice.cli import company_arg, date_arg, emit, fail, format_option, setup_django


def register(group: click.Group) -> None:
    group.add_command(retention)


@click.command("retention")
@click.option("--company", "company_code", default=None, help="Only this company (default: all).")
@click.option("--dry-run", is_flag=True, help="Count the expired candidates, change nothing.")
@click.option("--date", "on", default=None, help="As if today were this day (YYYY-MM-DD).")
@format_option
def retention(company_code: str | None, dry_run: bool, on: str | None, fmt: str) -> None:
    """Anonymise candidates whose consent expired (their CVs are erased)."""
    setup_django()
    from backoffice.recruitment.services.retention import retention_run

    result = retention_run(company=company_arg(company_code), today=date_arg(on, "--date"),
                           dry_run=dry_run, actor="cli")  # fmt: skip
    result.pop("candidates", None)
    emit([result], fmt, ["expired", "anonymised", "failed", "documents_erased", "dry_run"])
    if result["failed"]:
        fail(f"{result['failed']} candidate(s) could not be anonymised (see the log)")
