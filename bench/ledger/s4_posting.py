"""S4: posting entries one at a time through the service,
``services.entry_create(post=True)`` (validate, period check, gap-free number,
balances, one audit event, one transaction each), on books that already hold
one year of history, vs the raw ``executemany`` floor: the same entries and
lines inserted with plain SQL in one transaction (no numbering, balances or
audit). Target: >= 1,000 entries/s on SQLite.
"""

from __future__ import annotations

import os
import sys
import uuid
from decimal import Decimal

from bench.ledger import common

N = int(os.environ.get("BENCH_S4_N", "300" if common.QUICK else "1000"))
HISTORY = int(os.environ.get("BENCH_S4_HISTORY", "5000" if common.QUICK else "100000"))


def _entries(year: int, seed: int) -> list:
    from backoffice.accounting.generate import ledger

    items = list(ledger(seed=seed, entries=N + 61, years=1, start_year=year))
    return items[1 : N + 1]


def _service_run(company, items) -> float:
    from backoffice.accounting import services

    def post_all() -> None:
        for e in items:
            services.entry_create(
                actor=common.ACTOR,
                company=company,
                date=e.date,
                description=e.description,
                journal=e.journal,
                lines=[
                    services.LineInput(account=c, debit=Decimal(d), credit=Decimal(k))
                    for c, d, k in e.lines
                ],  # fmt: skip
                post=True,
            )

    return common.timed(post_all)[0]


def _floor_run(company, items) -> float:
    """Plain INSERTs of the same rows (lines first, then the posted entries)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from backoffice.accounting.models import Account, Journal, Period

    pg = connection.vendor == "postgresql"
    ops = connection.ops
    acc = dict(Account.objects.filter(company=company).values_list("code", "pk"))
    jr = dict(Journal.objects.filter(company=company).values_list("code", "pk"))
    per = {(p.start.year, p.start.month): p.pk for p in Period.objects.filter(company=company)}
    now = ops.adapt_datetimefield_value(timezone.now())

    def insert() -> None:
        with transaction.atomic(), connection.cursor() as cur:
            if pg:
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence('accounting_entry', 'id'))"
                    " FROM generate_series(1, %s)",
                    [len(items)],
                )
                ids = [r[0] for r in cur.fetchall()]
            else:
                cur.execute("SELECT COALESCE(MAX(id), 0) FROM accounting_entry")
                top = cur.fetchone()[0]
                cur.execute("SELECT seq FROM sqlite_sequence WHERE name = 'accounting_entry'")
                row = cur.fetchone()
                top = max(top, row[0] if row else 0)
                ids = list(range(top + 1, top + 1 + len(items)))
            lines, entries = [], []
            for eid, e in zip(ids, items, strict=True):
                pid = per[(e.date.year, e.date.month)]
                day = ops.adapt_datefield_value(e.date)
                for pos, (c, d, k) in enumerate(e.lines, 1):
                    lines.append(
                        (eid, company.pk, acc[c], day, pid, True, pos, "", d, k, "VND", d - k)
                    )
                entries.append(
                    (eid, uuid.uuid4() if pg else uuid.uuid4().hex, now, now, company.pk,
                     jr[e.journal], pid, day, "PKT", f"FLOOR/{eid}", e.description, "", "",
                     "posted", "manual", "VND", 1, sum(x[1] for x in e.lines))
                )  # fmt: skip
            cur.executemany(
                "INSERT INTO accounting_line (entry_id, company_id, account_id, date, period_id,"
                " posted, position, description, debit, credit, currency, amount_currency)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                lines,
            )
            cur.executemany(
                "INSERT INTO accounting_entry (id, public_id, created_at, updated_at, company_id,"
                " journal_id, period_id, date, voucher_type, number, description, reference,"
                " partner, state, source, currency, rate, total) VALUES (%s, %s, %s, %s, %s, %s,"
                " %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                entries,
            )

    return common.timed(insert)[0]


def main() -> int:
    common.setup_django()
    from backoffice.accounting.generate import bulk_load, ledger

    vendor = common.vendor()
    company = common.books()
    first = common.START_YEAR
    last = common.START_YEAR + common.YEARS - 1
    if HISTORY:
        bulk_load(company, ledger(seed=common.SEED, entries=HISTORY, years=1, start_year=first),
                  actor=common.ACTOR)  # fmt: skip
    service, floor = [], []
    for run in range(common.RUNS):
        items = _entries(last, seed=100 + run)
        service.append(_service_run(company, items))
        floor.append(_floor_run(company, _entries(last - 1, seed=200 + run)))
    s, f = common.median(service), common.median(floor)
    rate = N / s
    line = (
        f"S4 posting one entry at a time ({vendor}, {HISTORY:,} entries of history): "
        f"entry_create(post=True) {rate:,.0f} entries/s ({s / N * 1000:.2f} ms each) vs raw "
        f"executemany floor {N / f:,.0f} entries/s: {s / f:.0f}x; median of {common.RUNS} runs of "
        f"{N:,} entries (2-5 lines)"
    )
    if vendor == "sqlite":
        line += f"; target >=1,000/s {'MET' if rate >= 1000 else 'MISSED'}"
    common.write_row(f"ledger-s4-{vendor}", line)
    common.drop_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
