"""Background jobs of the records app (registered from AppConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from backoffice.core.jobs import Progress, job_kind


@job_kind("records.extract_text", label=_("Index a document's text"))
def extract_text_job(*, progress: Progress, company: Any, actor: Any, document: str) -> dict:
    from backoffice.records.models import Document
    from backoffice.records.services import document_reindex

    doc = Document.objects.select_related("company").get(company=company, public_id=document)
    progress.update(0, 1)
    chars = document_reindex(document=doc)
    progress.update(1, 1)
    return {"document": document, "chars": chars}


@job_kind(
    "records.retention_due",
    permission="records.view_disposalbatch",
    label=_("List documents due for disposal"),
)
def retention_due_job(*, progress: Progress, company: Any, actor: Any) -> dict:
    """What the retention schedule says may go (the desk filter shows the same list)."""
    from django.utils.translation import gettext

    from backoffice.records.selectors import retention_due_unscoped

    due = list(retention_due_unscoped(company=company).values_list("public_id", flat=True))
    progress.update(
        len(due), len(due), gettext("%(n)s documents due for disposal") % {"n": len(due)}
    )
    return {"due": len(due), "documents": [str(d) for d in due[:1000]]}
