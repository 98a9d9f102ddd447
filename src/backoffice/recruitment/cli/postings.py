"""``backoffice recruitment postings ...`` and ``recruitment requisitions ...``.

* ``recruitment postings list --company CODE [--state STATE]``;
* ``recruitment postings publish --company CODE SLUG`` / ``close``: by the
  posting's address (slug) or id;
* ``recruitment requisitions list --company CODE [--state STATE]``.

The console operator acts as ``cli`` (every permission, audited as such).
"""

from __future__ import annotations

from typing import Any

import click

from backoffice.cli import company_arg, emit, fail, format_option, setup_django

POSTING_COLUMNS = ["id", "slug", "title", "requisition", "state", "openings", "deadline",
                   "published_at"]  # fmt: skip
REQUISITION_COLUMNS = ["id", "number", "title", "department", "headcount", "hired", "state",
                       "salary_min", "salary_max"]  # fmt: skip


def posting_row(p: Any) -> dict[str, Any]:
    return {
        "id": str(p.public_id), "slug": p.slug, "title": p.title,
        "requisition": p.requisition.number if p.requisition_id else "", "state": p.state,
        "openings": p.openings, "deadline": p.deadline.isoformat() if p.deadline else "",
        "published_at": p.published_at.isoformat() if p.published_at else "",
    }  # fmt: skip


def requisition_row(r: Any) -> dict[str, Any]:
    return {
        "id": str(r.public_id), "number": r.number, "title": r.title,
        "department": r.department.code, "headcount": r.headcount, "hired": r.hired_count,
        "state": r.state,
        "salary_min": "" if r.salary_min is None else str(r.salary_min),
        "salary_max": "" if r.salary_max is None else str(r.salary_max),
    }  # fmt: skip


def _posting(company: Any, ref: str) -> Any:
    import uuid

    from backoffice.recruitment.models import JobPosting

    qs = JobPosting.objects.filter(company=company).select_related("requisition", "company")
    try:
        found = qs.filter(public_id=uuid.UUID(ref)).first()
    except ValueError:
        found = qs.filter(slug=ref).first()
    if found is None:
        fail(f"no job posting {ref!r} in company {company.code}")
    return found


def register(group: click.Group) -> None:
    @group.group("postings")
    def postings() -> None:
        """Job postings: list, publish, close."""

    @postings.command("list")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option("--state", default="", type=click.Choice(["", "draft", "published", "closed"]))
    @format_option
    def postings_list(company_code: str, state: str, fmt: str) -> None:
        """The company's job postings, newest first."""
        setup_django()
        from backoffice.recruitment.models import JobPosting

        company = company_arg(company_code)
        qs = JobPosting.objects.filter(company=company).select_related("requisition")
        if state:
            qs = qs.filter(state=state)
        emit([posting_row(p) for p in qs.order_by("-created_at", "-id")], fmt, POSTING_COLUMNS)

    def _change(action: str) -> Any:
        @click.option("--company", "company_code", required=True, help="Company code.")
        @click.argument("ref")
        @format_option
        def command(company_code: str, ref: str, fmt: str) -> None:
            setup_django()
            from backoffice.core.exceptions import ApplicationError
            from backoffice.recruitment.services import postings as svc

            company = company_arg(company_code)
            posting = _posting(company, ref)
            try:
                func = svc.posting_publish if action == "publish" else svc.posting_close
                posting = func(actor="cli", posting=posting)
            except ApplicationError as exc:
                fail(exc.message)
            emit([posting_row(posting)], fmt, POSTING_COLUMNS)

        command.__doc__ = (
            "Publish a job posting (REF: its address or id)."
            if action == "publish"
            else "Close a job posting (REF: its address or id)."
        )
        return command

    postings.command("publish")(_change("publish"))
    postings.command("close")(_change("close"))

    @group.group("requisitions")
    def requisitions() -> None:
        """Job requisitions."""

    @requisitions.command("list")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option(
        "--state", default="",
        type=click.Choice(["", "draft", "pending", "approved", "rejected", "filled", "cancelled"]),
    )  # fmt: skip
    @format_option
    def requisitions_list(company_code: str, state: str, fmt: str) -> None:
        """The company's job requisitions, newest first."""
        setup_django()
        from backoffice.recruitment.models import JobRequisition

        company = company_arg(company_code)
        qs = JobRequisition.objects.filter(company=company).select_related("department")
        if state:
            qs = qs.filter(state=state)
        rows = [requisition_row(r) for r in qs.order_by("-created_at", "-id")]
        emit(rows, fmt, REQUISITION_COLUMNS)
