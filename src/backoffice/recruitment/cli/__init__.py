"""``backoffice recruitment ...``: one module per area adds its commands, and
``tick`` runs the daily work of every area (run it from cron)."""

from __future__ import annotations

import click

from backoffice.recruitment.cli import pipeline, postings, reports, retention


def register(main: click.Group) -> None:
    @main.group(name="recruitment")
    def recruitment() -> None:
        """Recruitment: requisitions, postings, reminders, retention, reports."""

    for module in (postings, pipeline, retention, reports):
        module.register(recruitment)

    @recruitment.command("tick")
    def tick() -> None:
        """Daily work: reminder tasks, consent expiry, old rate-limit counters."""
        from backoffice.cli import emit, setup_django

        setup_django()
        from backoffice.core.ratelimit import ratelimit_prune
        from backoffice.recruitment.services.pipeline import reminders_create
        from backoffice.recruitment.services.retention import retention_run

        reminded = reminders_create()
        kept = retention_run(actor="cli")
        pruned = ratelimit_prune()
        emit(
            [{"reminders": reminded, "anonymised": kept["anonymised"],
              "failed": kept["failed"], "rate_limit_rows_pruned": pruned}],
            "table", ["reminders", "anonymised", "failed", "rate_limit_rows_pruned"],
        )  # fmt: skip
