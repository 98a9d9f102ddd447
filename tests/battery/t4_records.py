"""T4 table of the records app: its desk screens, URLs and one row per company.

Documents' rows are internal (visible to every holder of ``records.view_document``);
the finer classification rule is proven in ``records/tests/test_access.py``.
"""

from __future__ import annotations

from t4_base import Row, Screen

DESK = {
    "records.document": Screen(
        "records.view_document", "records.add_document", "records.change_document", None
    ),
    "records.retentionrule": Screen(
        "records.view_retentionrule",
        "records.add_retentionrule",
        "records.change_retentionrule",
        "records.delete_retentionrule",
    ),
    "records.disposalbatch": Screen("records.view_disposalbatch"),
}
EXTRA_URLS: dict[str, str] = {}
# /desk/files/documents/<id>/download/: through records.selectors.document_open.
APP_URLS = {"records": {"document_download"}}


def build_rows(a, b, alpha, bravo):
    from backoffice.records.models import DisposalBatch, Document, RetentionRule

    def doc(company, user, tag):
        d = Document.objects.create(
            company=company, title=f"{tag}-DOC-TITLE", uploaded_by=user, current_version=0
        )
        return Row(d, d.title, str(d.public_id))

    def rule(company, tag):
        r = RetentionRule.objects.create(
            company=company, doc_type=f"{tag.lower()}_type", name=f"{tag}-RULE-NAME", years=5
        )
        return Row(r, r.name, str(r.public_id))

    def batch(company, user, tag):
        x = DisposalBatch.objects.create(company=company, title=f"{tag}-DISPOSAL", proposed_by=user)
        return Row(x, x.title, str(x.public_id))

    return {
        "records.document": {"own": doc(a, alpha, "ALPHA"), "other": doc(b, bravo, "BRAVO")},
        "records.retentionrule": {"own": rule(a, "ALPHA"), "other": rule(b, "BRAVO")},
        "records.disposalbatch": {
            "own": batch(a, alpha, "ALPHA"),
            "other": batch(b, bravo, "BRAVO"),
        },
    }
