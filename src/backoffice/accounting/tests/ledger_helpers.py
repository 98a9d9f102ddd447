"""Shared set-up for the ledger tests: books, people with roles, a state snapshot."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backoffice.accounting import services
from backoffice.accounting.models import (
    AccountBalance,
    Entry,
    FiscalYear,
    Line,
    Period,
    VoucherSequence,
)
from backoffice.core.models import AuditEvent

D = Decimal
DAY = date(2026, 3, 10)


def books(make_company, code: str, chart: str = "tt99", **kw):
    """A company with its books and the fiscal year 2026."""
    company = make_company(code, chart=chart, **kw)
    services.books_create(actor="test", company=company)
    if not FiscalYear.objects.filter(company=company, start=date(2026, 1, 1)).exists():
        services.fiscal_year_create(actor="test", company=company, start=date(2026, 1, 1))
    return company


def person(make_user, company, *roles):
    user = make_user(company, roles=list(roles))
    user.active_company = company
    return user


def lines(*rows):
    """(account, debit, credit) tuples -> LineInput list."""
    return [services.LineInput(account=a, debit=D(d), credit=D(c)) for a, d, c in rows]


def post(company, *rows, actor="test", day=DAY, **kw):
    return services.entry_create(
        actor=actor, company=company, date=day, description=kw.pop("description", "Test"),
        lines=lines(*rows), post=True, **kw,
    )  # fmt: skip


def period(company, day=DAY) -> Period:
    return Period.objects.get(company=company, start__lte=day, end__gte=day)


def state() -> tuple:
    """Everything a ledger write could change, to assert that a refusal changed nothing."""
    return (
        list(Entry.objects.order_by("pk").values_list("pk", "state", "number", "total")),
        list(
            Line.objects.order_by("pk").values_list("pk", "entry_id", "debit", "credit", "posted")
        ),
        list(
            AccountBalance.objects.order_by("pk").values_list(
                "account_id", "period_id", "debit", "credit"
            )
        ),
        list(VoucherSequence.objects.order_by("pk").values_list("pk", "last_number")),
        AuditEvent.objects.count(),
    )
