"""`backoffice records ...` subcommands."""

from __future__ import annotations

import click

from backoffice.cli import emit, fail, format_option, setup_django


def register(main: click.Group) -> None:
    main.add_command(records)


@click.group()
def records() -> None:
    """Document store: key rotation, retention."""


@records.command("rotate-keys")
def rotate_keys() -> None:
    """Re-wrap every file's data key under a new records wrapping key (files unchanged)."""
    setup_django()
    from backoffice.core.exceptions import ApplicationError
    from backoffice.records.services import keys_rotate

    try:
        result = keys_rotate(actor="cli")
    except ApplicationError as exc:
        fail(exc.message)
    click.echo(
        f"Rotated records keys {result['from']} -> {result['to']}: "
        f"{result['rewrapped']} data keys re-wrapped."
    )


@records.command("retention-due")
@click.option("--company", "company_code", default=None, help="Company code (default: all).")
@format_option
def retention_due(company_code: str | None, fmt: str) -> None:
    """List documents past their retention period and not on legal hold."""
    setup_django()
    from backoffice.core.models import Company
    from backoffice.records.models import RetentionRule
    from backoffice.records.selectors import retention_due_unscoped

    companies = Company.objects.filter(is_active=True)
    if company_code:
        companies = companies.filter(code=company_code)
        if not companies.exists():
            fail(f"no company {company_code}")
    rows = []
    for company in companies.order_by("code"):
        years = dict(RetentionRule.objects.filter(company=company).values_list("doc_type", "years"))
        for doc in retention_due_unscoped(company=company):
            rows.append(
                {
                    "company": company.code,
                    "id": str(doc.public_id),
                    "title": doc.title,
                    "doc_type": doc.doc_type,
                    "classification": doc.classification,
                    "document_date": doc.document_date.isoformat(),
                    "retention_years": years.get(doc.doc_type, ""),
                }
            )
    emit(rows, fmt, ["company", "id", "title", "doc_type", "classification", "document_date",
                     "retention_years"])  # fmt: skip
