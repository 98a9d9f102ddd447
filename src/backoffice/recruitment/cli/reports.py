"""``backoffice recruitment report [KIND] --company C [--from D --to D --posting ID]``.

KIND: funnel (default), postings, time_to_hire, time_in_stage, sources, or
``all``; ``--format table|csv|json``; ``--xlsx FILE`` writes every table to
one workbook instead. Aggregates only. The console operator acts as ``cli``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from backoffice.cli import EXIT_USAGE, company_arg, emit, fail, format_option, setup_django


def register(group: click.Group) -> None:
    from backoffice.recruitment.exports import KINDS

    @group.command("report")
    @click.argument("kind", type=click.Choice([*KINDS, "all"]), default="funnel")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="Applications from this day (default: a year ago).")  # fmt: skip
    @click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), default=None,
                  help="Applications to this day (default: today).")  # fmt: skip
    @click.option("--posting", "posting_id", default=None, help="One job posting's id.")
    @click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False), default=None,
                  help="Write the XLSX workbook (every table) to this file.")  # fmt: skip
    @format_option
    def report(kind: str, company_code: str, date_from: dt.datetime | None,
               date_to: dt.datetime | None, posting_id: str | None, xlsx: str | None,
               fmt: str) -> None:  # fmt: skip
        """Recruitment reports: funnel, per posting, time to hire, time in stage, sources."""
        setup_django()
        from backoffice.core.exceptions import ApplicationError
        from backoffice.hr.cli.employees import CLI
        from backoffice.recruitment import exports
        from backoffice.recruitment.selectors import reports as rep

        company = company_arg(company_code)
        try:
            filters = rep.filters_parse(
                company=company, date_from=date_from.date() if date_from else None,
                date_to=date_to.date() if date_to else None, posting=posting_id,
            )  # fmt: skip
            tables = exports.tables(rep.all_reports(user=CLI, company=company, filters=filters))
        except ApplicationError as exc:
            fail(exc.message, EXIT_USAGE)
            return
        if xlsx:
            Path(xlsx).write_bytes(exports.to_xlsx(tables, company))
            click.echo(f"{xlsx}: {len(tables)} tables")
            return
        for table in tables:
            if kind != "all" and table.key != kind:
                continue
            keys = [k for k, _l, _k in table.columns]
            emit([{k: r.get(k) for k in keys} for r in table.rows], fmt, keys)
