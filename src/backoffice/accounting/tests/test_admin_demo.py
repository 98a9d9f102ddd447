"""The demo books (core.demo step): realistic, balanced, deterministic, and shown
on the desk."""

from __future__ import annotations

from datetime import date

import pytest

from backoffice.accounting import demo, reports
from backoffice.accounting.models import Entry, EntrySource, EntryState


@pytest.fixture
def demo_company(make_company):
    company = make_company("DEMOX", name="Công ty Demo")
    count = demo.company_books(company, seed=3)
    return company, count


def test_demo_books_are_balanced_and_realistic(demo_company):
    company, count = demo_company
    entries = Entry.objects.filter(company=company)
    months = date.today().month
    assert count == entries.count() >= 15 * months
    assert entries.filter(source=EntrySource.DEMO, state=EntryState.DRAFT).exists()
    assert entries.filter(reversal_of__isnull=False).count() == 1
    tb = reports.trial_balance(company=company)
    assert tb.total.period_debit == tb.total.period_credit > 0
    closing = {row.code: row for row in tb.rows}
    # Money on hand and in the bank never goes negative at the end.
    for code in ("1111", "1121"):
        assert closing[code].closing_credit == 0, code
    # Every voucher type of the desk appears.
    assert set(entries.values_list("voucher_type", flat=True)) == {"PT", "PC", "BN", "BC", "PKT"}


def test_demo_books_are_deterministic_for_a_seed(make_company):
    from django.db import transaction

    company = make_company("DA")

    def run():
        with transaction.atomic():
            demo.company_books(company, seed=5)
            books = [
                (e.date, e.voucher_type, e.number, e.description, e.total, e.state)
                for e in Entry.objects.filter(company=company).order_by("date", "id")
            ]
            transaction.set_rollback(True)
        return books

    first = run()
    assert first
    assert run() == first
