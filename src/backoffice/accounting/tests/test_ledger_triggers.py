"""The database guards the books against raw SQL (migration 0002), on SQLite and
PostgreSQL: unbalanced posted entries, changes to posted lines and entries."""

from __future__ import annotations

import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from backoffice.accounting.models import Account, Entry, Journal, Line
from backoffice.accounting.tests.ledger_helpers import DAY, books, period, post, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(make_company):
    return books(make_company, "TRG")


def raw(sql, params=()):
    """Run SQL in its own savepoint; on PostgreSQL check deferred constraints now."""
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(sql, list(params))


def new_entry(company, state_="draft"):
    journal = Journal.objects.get(company=company, code="GEN")
    uid = uuid.uuid4()
    now = timezone.now()
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO accounting_entry (public_id, created_at, updated_at, company_id, "
            "journal_id, period_id, date, voucher_type, number, description, reference, partner, "
            "state, source, currency, rate, total) VALUES "
            "(%s, %s, %s, %s, %s, %s, %s, 'PKT', '', 'raw', '', '', %s, 'manual', 'VND', 1, 0)",
            [uid if connection.vendor == "postgresql" else uid.hex, now, now, company.pk, journal.pk, period(company).pk,
             DAY, state_],
        )  # fmt: skip
    return Entry.objects.order_by("-pk").first()


def add_line(entry, code, debit, credit, posted=True):
    acc = Account.objects.get(company=entry.company, code=code)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO accounting_line (entry_id, company_id, account_id, date, period_id, posted, "
            "position, description, debit, credit, currency, amount_currency) "
            "VALUES (%s, %s, %s, %s, %s, %s, 1, '', %s, %s, 'VND', %s)",
            [entry.pk, entry.company_id, acc.pk, DAY, entry.period_id, posted, debit, credit,
             debit - credit],
        )  # fmt: skip


def test_raw_unbalanced_entry_cannot_become_posted(company):
    with transaction.atomic():
        entry = new_entry(company)
        add_line(entry, "642", 100, 0)
        add_line(entry, "331", 0, 99)
    with pytest.raises(IntegrityError):
        raw("UPDATE accounting_entry SET state = 'posted' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.state == "draft"


def test_raw_single_line_entry_cannot_become_posted(company):
    entry = new_entry(company)
    add_line(entry, "642", 100, 0)
    with pytest.raises(IntegrityError):
        raw("UPDATE accounting_entry SET state = 'posted' WHERE id = %s", [entry.pk])


def test_raw_insert_of_a_posted_entry_without_balanced_lines_is_refused(company):
    before = state()

    def insert_posted():
        with transaction.atomic():
            if connection.vendor == "postgresql":
                connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
            new_entry(company, "posted")

    with pytest.raises(IntegrityError):
        insert_posted()
    assert state() == before


def test_raw_balanced_entry_may_be_posted(company):
    entry = new_entry(company)
    add_line(entry, "642", 100, 0)
    add_line(entry, "331", 0, 100)
    raw("UPDATE accounting_entry SET state = 'posted' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.state == "posted"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounting_line SET debit = debit + 1 WHERE entry_id = %s",
        "UPDATE accounting_line SET posted = FALSE WHERE entry_id = %s",
        "DELETE FROM accounting_line WHERE entry_id = %s",
        "UPDATE accounting_entry SET date = '2026-03-11' WHERE id = %s",
        "UPDATE accounting_entry SET state = 'draft' WHERE id = %s",
        "UPDATE accounting_entry SET number = 'X' WHERE id = %s",
        "DELETE FROM accounting_entry WHERE id = %s",
    ],
)
def test_raw_changes_to_a_posted_entry_are_refused(company, sql):
    entry = post(company, ("642", 100, 0), ("331", 0, 100))
    before = state()
    with pytest.raises(IntegrityError):
        raw(sql, [entry.pk])
    assert state() == before


def test_raw_line_added_to_a_posted_entry_is_refused(company):
    entry = post(company, ("642", 100, 0), ("331", 0, 100))
    before = state()
    with pytest.raises(IntegrityError), transaction.atomic():
        add_line(entry, "642", 5, 0)
    assert state() == before


def test_raw_line_moved_into_a_posted_entry_is_refused(company):
    posted = post(company, ("642", 100, 0), ("331", 0, 100))
    draft = new_entry(company)
    add_line(draft, "642", 7, 0, posted=False)
    with pytest.raises(IntegrityError):
        raw("UPDATE accounting_line SET entry_id = %s WHERE entry_id = %s", [posted.pk, draft.pk])
    assert Line.objects.filter(entry=posted).count() == 2


def test_postgresql_refuses_truncate_of_the_ledger(company):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    post(company, ("642", 100, 0), ("331", 0, 100))
    with pytest.raises(IntegrityError):
        raw("TRUNCATE accounting_line CASCADE")
    assert Line.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_postgresql_checks_posted_entries_again_at_commit(make_company):
    """With the immediate guard switched off inside the transaction, the deferred
    constraint trigger still refuses the unbalanced posted entry at COMMIT."""
    if connection.vendor != "postgresql":
        pytest.skip("deferred constraint triggers are PostgreSQL's")
    company = books(make_company, "TRC")

    def post_unbalanced_without_the_immediate_guard():
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute("ALTER TABLE accounting_entry DISABLE TRIGGER acct_entry_guard")
            entry = new_entry(company, "posted")
            add_line(entry, "642", 100, 0)
        # leaving the block commits: the deferred check runs and fails

    with pytest.raises(IntegrityError):
        post_unbalanced_without_the_immediate_guard()
    assert not Entry.objects.filter(company=company).exists()
    with connection.cursor() as cur:  # the ALTER TABLE rolled back with the rest
        cur.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'acct_entry_guard'")
        assert cur.fetchone() == ("O",)
