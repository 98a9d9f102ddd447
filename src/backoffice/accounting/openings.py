"""Carried-forward opening balances (:class:`OpeningBalance`).

A report's opening balances are the sums of every posted line before its
range. Adding up AccountBalance for every period since the books began makes
the trial balance slower each year (QUALITY S2: < 10 % from 1 to 3 years of
history). Once every period before a fiscal-year start is **locked** — what a
company does after filing the year's statements — nothing can change those
sums any more (posting into a locked period is refused), so they are stored
once, per account, as of that date; reports add only the periods after it.

Invariant: a snapshot as of X exists only while every period that starts
before X is locked. :func:`refresh` builds the missing ones after a lock;
:func:`invalidate` drops those after a period that is unlocked, or that is
created before them (a fiscal year opened in the past). They run in the
period-state and fiscal-year services' transactions.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Sum

from backoffice.accounting.models import (
    AccountBalance,
    FiscalYear,
    OpeningBalance,
    Period,
    PeriodState,
)


def _locked_through(company: Any) -> date | None:
    """The end of the last fiscal year before which every period is locked."""
    last_end: date | None = None
    periods = Period.objects.filter(company=company).order_by("start")
    year_ends = dict(FiscalYear.objects.filter(company=company).values_list("id", "end"))
    for fiscal_year_id, end, state in periods.values_list("fiscal_year_id", "end", "state"):
        if state != PeriodState.LOCKED:
            break
        if end == year_ends.get(fiscal_year_id):
            last_end = end
    return last_end


def refresh(company: Any) -> list[date]:
    """Build the snapshots the locked years allow and do not have yet; their dates."""
    through = _locked_through(company)
    if through is None:
        return []
    have = set(OpeningBalance.objects.filter(company=company).values_list("as_of", flat=True))
    wanted = [
        end + timedelta(days=1)
        for end in FiscalYear.objects.filter(company=company, end__lte=through).values_list(
            "end", flat=True
        )
    ]
    built = []
    for as_of in sorted(set(wanted) - have):
        rows = (
            AccountBalance.objects.filter(company=company, period__end__lt=as_of)
            .values("account_id")
            .annotate(d=Sum("debit"), c=Sum("credit"))
            .order_by("account_id")
        )
        OpeningBalance.objects.bulk_create(
            OpeningBalance(
                company=company,
                account_id=r["account_id"],
                as_of=as_of,
                debit=r["d"] or 0,
                credit=r["c"] or 0,
            )
            for r in rows
        )
        built.append(as_of)
    return built


def invalidate(company: Any, since: date) -> int:
    """A period starting on ``since`` was unlocked (or opened before a
    snapshot, in an earlier fiscal year): drop every snapshot that counts it."""
    deleted, _ = OpeningBalance.objects.filter(company=company, as_of__gt=since).delete()
    return deleted


def usable(periods: list[dict[str, Any]], before: date) -> date | None:
    """The latest fiscal-year start on or before ``before`` with every earlier
    period locked: where a snapshot may stand. ``periods``: the company's, by
    start, with ``start``, ``end``, ``state`` and ``fiscal_year_id``."""
    candidate: date | None = None
    previous: dict[str, Any] | None = None
    for p in periods:
        if p["start"] > before:
            return candidate
        if previous is not None and p["fiscal_year_id"] != previous["fiscal_year_id"]:
            candidate = p["start"]
        if p["state"] != PeriodState.LOCKED:
            return candidate
        previous = p
    if previous is not None and previous["end"] < before:
        candidate = previous["end"] + timedelta(days=1)  # after the last year, all locked
    return candidate


def read(company: Any, as_of: date, accounts: list[int] | None = None) -> dict[int, Decimal]:
    """The snapshot as of ``as_of``: net debit balance per account (one query;
    empty when it was not built). Plain SQL: the ORM's per-value Decimal
    conversion of two columns cost 4x the query itself (S2)."""
    table = OpeningBalance._meta.db_table
    sql = f"SELECT account_id, debit - credit FROM {table} WHERE company_id = %s AND as_of = %s"  # noqa: S608  # nosec B608 - our table name
    params: list[Any] = [getattr(company, "pk", company), as_of]
    if accounts is not None:
        if not accounts:
            return {}
        sql += f" AND account_id IN ({', '.join(['%s'] * len(accounts))})"  # noqa: S608  # nosec B608 - placeholders
        params += accounts
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # SQLite answers int or float, PostgreSQL Decimal: through str, exactly
        return {account_id: Decimal(str(net)) for account_id, net in cursor.fetchall()}
