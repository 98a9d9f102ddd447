"""An expense claim approved in workflow is posted to the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest

from backoffice.accounting import services
from backoffice.accounting.expense_claims import post_approved_claims
from backoffice.accounting.models import Entry, EntryState, Line, Period, PeriodState
from backoffice.core.models import AuditEvent
from backoffice.workflow import services as wf
from backoffice.workflow.models import DocState
from backoffice.workflow.tests.conftest import org  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _approved_claim(org):  # noqa: F811
    claim = wf.expense_claim_create(
        actor=org.staff,
        company=org.company,
        title="Công tác Đà Nẵng",
        lines=[
            {"description": "Vé máy bay", "amount": Decimal(3_000_000), "category": "travel",
             "vat_rate": 10},
            {"description": "Taxi", "amount": Decimal(250_000), "category": "transport"},
        ],
    )  # fmt: skip
    claim = wf.expense_claim_submit(actor=org.staff, company=org.company, claim=claim)
    for approver in (org.manager, org.chief):
        wf.approval_decide(
            actor=approver, company=org.company, request=claim.approval, approve=True
        )
    claim.refresh_from_db()
    return claim


def _lines(entry):
    return sorted(
        (ln.account.code, ln.debit, ln.credit, ln.department_id)
        for ln in Line.objects.filter(entry=entry).select_related("account")
    )


def test_approval_posts_the_claim(org):  # noqa: F811
    services.books_create(actor=None, company=org.company, chart="tt99")
    claim = _approved_claim(org)
    assert claim.state == DocState.POSTED
    entry = Entry.objects.get(company=org.company, source="expense")
    assert entry.state == EntryState.POSTED
    assert claim.posted_reference == entry.number
    vat = claim.lines.get(description="Vé máy bay").vat_amount
    assert vat == Decimal(300_000)
    total = Decimal(3_250_000) + vat
    assert _lines(entry) == sorted(
        [
            ("1331", vat, Decimal(0), None),
            ("3388", Decimal(0), total, None),
            ("642", Decimal(3_250_000), Decimal(0), org.sales.pk),
        ]
    )


def test_books_refusing_keeps_the_approval_and_posts_later(org):  # noqa: F811
    services.books_create(actor=None, company=org.company, chart="tt99")
    Period.objects.filter(company=org.company).update(state=PeriodState.LOCKED)
    claim = _approved_claim(org)
    assert claim.state == DocState.APPROVED  # the approval stands
    assert not Entry.objects.filter(company=org.company, source="expense").exists()
    failure = AuditEvent.objects.get(event_type="EXPENSE_CLAIM_POSTING_FAILED")
    assert failure.after["code"] == "period_locked"

    Period.objects.filter(company=org.company).update(state=PeriodState.OPEN)
    entries = post_approved_claims(company=org.company, actor=org.chief)
    claim.refresh_from_db()
    assert len(entries) == 1
    assert claim.state == DocState.POSTED
    # Running it again posts nothing twice.
    assert post_approved_claims(company=org.company, actor=org.chief) == []
    assert Entry.objects.filter(company=org.company, source="expense").count() == 1
