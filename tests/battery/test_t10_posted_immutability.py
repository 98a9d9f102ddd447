"""T10 posted immutability: try to change or delete posted entries and their lines,
and to write into closed/locked periods, through every layer below the desk/API
(services, ORM save/delete, QuerySet.update()/delete(), bulk_update, raw SQL).
Figure: attempts and how many succeeded (must be 0). The desk and API paths call
the same services (their tests live with the desk helper's)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from backoffice.accounting import services
from backoffice.accounting.models import AccountBalance, Entry, Line, PeriodState
from backoffice.accounting.tests.ledger_helpers import books, period, person, post, state
from backoffice.core.enums import Role
from backoffice.core.exceptions import ApplicationError

pytestmark = pytest.mark.django_db


def _attempts(entry, draft_in_locked, accountant, chief):
    line = entry.lines.first()
    e_id = entry.pk

    def orm_save_entry():
        entry.description = "changed"
        entry.save()

    def orm_save_line():
        line.debit = line.debit + 1
        line.save()

    yield (
        "service entry_update",
        lambda: services.entry_update(actor=chief, entry=entry, description="x"),
    )
    yield "service entry_delete", lambda: services.entry_delete(actor=chief, entry=entry)
    yield "service entry_post again", lambda: services.entry_post(actor=chief, entry=entry)
    yield (
        "service post into locked period",
        lambda: services.entry_post(actor=chief, entry=draft_in_locked),
    )
    yield (
        "service reverse into locked period",
        lambda: services.entry_reverse(actor=chief, entry=entry),
    )
    yield (
        "service accountant posts into closed period",
        lambda: post(
            entry.company, ("642", 1, 0), ("331", 0, 1), actor=accountant, day=date(2026, 2, 10)
        ),
    )
    yield "orm save entry", orm_save_entry
    yield "orm save line", orm_save_line
    yield "orm delete entry", lambda: Entry.objects.get(pk=e_id).delete()
    yield "orm delete line", lambda: Line.objects.get(pk=line.pk).delete()
    yield (
        "orm create line",
        lambda: Line.objects.create(
            entry_id=e_id,
            company_id=entry.company_id,
            account_id=line.account_id,
            date=line.date,
            period_id=line.period_id,
            debit=Decimal(5),
            currency="VND",
            amount_currency=Decimal(5),
        ),
    )
    yield "update() entry amount", lambda: Entry.objects.filter(pk=e_id).update(total=Decimal(1))
    yield "update() entry state", lambda: Entry.objects.filter(pk=e_id).update(state="draft")
    yield (
        "update() entry date",
        lambda: Entry.objects.filter(pk=e_id).update(date=date(2026, 3, 11)),
    )
    yield "update() lines", lambda: Line.objects.filter(entry_id=e_id).update(debit=Decimal(7))
    yield (
        "update() line account",
        lambda: Line.objects.filter(pk=line.pk).update(
            account_id=AccountBalance.objects.exclude(account_id=line.account_id).first().account_id
        ),
    )
    yield (
        "bulk_update lines",
        lambda: Line.objects.bulk_update([Line(pk=line.pk, credit=Decimal(3))], ["credit"]),
    )
    yield "queryset delete lines", lambda: Line.objects.filter(entry_id=e_id).delete()
    yield "queryset delete entries", lambda: Entry.objects.filter(pk=e_id).delete()
    for sql in (
        "UPDATE accounting_line SET debit = debit * 2 WHERE entry_id = %s",
        "UPDATE accounting_line SET posted = FALSE WHERE entry_id = %s",
        "DELETE FROM accounting_line WHERE entry_id = %s",
        "UPDATE accounting_entry SET description = 'x' WHERE id = %s",
        "UPDATE accounting_entry SET number = '' WHERE id = %s",
        "DELETE FROM accounting_entry WHERE id = %s",
    ):
        yield (
            f"raw {sql.split(' WHERE')[0]}",
            lambda sql=sql: connection.cursor().execute(sql, [e_id]),
        )


def test_t10_posted_entries_cannot_change(make_company, make_user):
    company = books(make_company, "T10")
    chief = person(make_user, company, Role.CHIEF_ACCOUNTANT)
    accountant = person(make_user, company, Role.ACCOUNTANT)
    entry = post(company, ("642", 1_000, 0), ("1331", 100, 0), ("331", 0, 1_100), actor=chief)
    services.entry_create(
        actor=chief, company=company, date=date(2026, 1, 10), description="Nháp",
        lines=[services.LineInput("642", debit=Decimal(5)), services.LineInput("331", credit=Decimal(5))],
    )  # fmt: skip
    draft_in_locked = Entry.objects.get(company=company, description="Nháp")
    january, february, march = (period(company, date(2026, m, 5)) for m in (1, 2, 3))
    services.period_set_state(actor=chief, period=february, state=PeriodState.CLOSED)
    services.period_set_state(actor=chief, period=january, state=PeriodState.CLOSED)
    services.period_set_state(actor=chief, period=january, state=PeriodState.LOCKED)
    services.period_set_state(actor=chief, period=march, state=PeriodState.CLOSED)
    services.period_set_state(actor=chief, period=march, state=PeriodState.LOCKED)
    before = state()
    attempts = succeeded = 0
    leaks = []
    for label, attempt in _attempts(entry, draft_in_locked, accountant, chief):
        attempts += 1
        try:
            with transaction.atomic():
                attempt()
                if connection.vendor == "postgresql":
                    connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
        except (ApplicationError, DatabaseError):
            continue
        succeeded += 1
        leaks.append(label)
    unchanged = state() == before
    print(f"T10 posted immutability ({connection.vendor}): attempts {attempts}, succeeded {succeeded}, "
          f"books unchanged {unchanged}")  # fmt: skip
    assert succeeded == 0, leaks
    assert unchanged
