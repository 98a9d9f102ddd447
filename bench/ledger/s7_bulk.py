"""S7: demo generation + bulk load of the ledger: ``generate.ledger`` (the
deterministic generator) feeding ``generate.bulk_load`` (posted, numbered,
balances maintained, one audit event per batch), timed together, into empty
books; vs two floors on the same rows and tables, in the same run: Django
``bulk_create`` of the entries and lines, and a raw ``executemany`` of them
(the floors insert rows that are already generated; drafts, so no numbering,
balance or trigger work). Targets: >= 100,000 lines/s; a 1M-line demo <= 60 s.
"""

from __future__ import annotations

import os
import sys
import uuid
from decimal import Decimal

from bench.ledger import common

ENTRIES = int(os.environ.get("BENCH_S7_ENTRIES", str(common.ENTRIES)))
# a whole 1M-line load three ways takes minutes: one run at full size
RUNS = int(os.environ.get("BENCH_S7_RUNS", "5" if common.QUICK else "1"))


def _params() -> dict:
    return {"seed": common.SEED, "entries": ENTRIES, "years": common.YEARS,
            "start_year": common.START_YEAR}  # fmt: skip


def _ours(company) -> tuple[float, int]:
    from backoffice.accounting.generate import bulk_load, ledger

    seconds, (_e, lines) = common.timed(
        lambda: bulk_load(company, ledger(**_params()), actor=common.ACTOR)
    )
    return seconds, lines


def _rows(company):
    from backoffice.accounting.generate import ledger
    from backoffice.accounting.models import Account, Journal, Period

    acc = dict(Account.objects.filter(company=company).values_list("code", "pk"))
    jr = dict(Journal.objects.filter(company=company).values_list("code", "pk"))
    per = {(p.start.year, p.start.month): p.pk for p in Period.objects.filter(company=company)}
    out = []
    for e in ledger(**_params()):
        pid = per[(e.date.year, e.date.month)]
        out.append((e, jr[e.journal], pid, [(acc[c], d, k) for c, d, k in e.lines]))
    return out


def _bulk_create(company, rows) -> float:
    from django.db import transaction

    from backoffice.accounting.models import Entry, Line

    def run() -> None:
        with transaction.atomic():
            for start in range(0, len(rows), 50_000):
                part = rows[start : start + 50_000]
                entries = Entry.objects.bulk_create(
                    [
                        Entry(company_id=company.pk, journal_id=j, period_id=p, date=e.date,
                              description=e.description, currency="VND", source="demo",
                              total=Decimal(sum(x[1] for x in e.lines)))
                        for e, j, p, _ls in part
                    ],
                    batch_size=2000,
                )  # fmt: skip
                Line.objects.bulk_create(
                    [
                        Line(entry_id=obj.pk, company_id=company.pk, account_id=a, date=e.date,
                             period_id=p, position=i, debit=Decimal(d), credit=Decimal(k),
                             currency="VND", amount_currency=Decimal(d - k))
                        for obj, (e, _j, p, ls) in zip(entries, part, strict=True)
                        for i, (a, d, k) in enumerate(ls, 1)
                    ],
                    batch_size=2000,
                )  # fmt: skip

    return common.timed(run)[0]


def _raw(company, rows) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    pg = connection.vendor == "postgresql"
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())

    def run() -> None:
        with transaction.atomic(), connection.cursor() as cur:
            if pg:
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence('accounting_entry', 'id'))"
                    " FROM generate_series(1, %s)",
                    [len(rows)],
                )
                ids = [r[0] for r in cur.fetchall()]
            else:
                cur.execute("SELECT COALESCE(MAX(id), 0) FROM accounting_entry")
                top = cur.fetchone()[0]
                ids = list(range(top + 1, top + 1 + len(rows)))
            for start in range(0, len(rows), 50_000):
                entries, lines = [], []
                for eid, (e, j, p, ls) in zip(
                    ids[start:], rows[start : start + 50_000], strict=False
                ):
                    day = ops.adapt_datefield_value(e.date)
                    entries.append(
                        (eid, uuid.uuid4() if pg else uuid.uuid4().hex, now, now, company.pk, j, p,
                         day, "PKT", "", e.description, "", "", "draft", "demo", "VND", 1,
                         sum(x[1] for x in ls))
                    )  # fmt: skip
                    for i, (a, d, k) in enumerate(ls, 1):
                        lines.append((eid, company.pk, a, day, p, False, i, "", d, k, "VND", d - k))
                cur.executemany(
                    "INSERT INTO accounting_entry (id, public_id, created_at, updated_at,"
                    " company_id, journal_id, period_id, date, voucher_type, number, description,"
                    " reference, partner, state, source, currency, rate, total) VALUES (%s, %s,"
                    " %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    entries,
                )
                cur.executemany(
                    "INSERT INTO accounting_line (entry_id, company_id, account_id, date,"
                    " period_id, posted, position, description, debit, credit, currency,"
                    " amount_currency) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    lines,
                )

    return common.timed(run)[0]


def main() -> int:
    common.setup_django()
    from backoffice.core.models import Company

    vendor = common.vendor()
    common.books()
    snap = common.Snapshot()
    ours, bulk, raw = [], [], []
    n_lines = 0
    for _ in range(RUNS):
        snap.restore()
        company = Company.objects.get(code=common.COMPANY)
        seconds, n_lines = _ours(company)
        ours.append(seconds)
        snap.restore()
        company = Company.objects.get(code=common.COMPANY)
        rows = _rows(company)
        bulk.append(_bulk_create(company, rows))
        snap.restore()
        company = Company.objects.get(code=common.COMPANY)
        raw.append(_raw(company, rows))
        del rows
    snap.drop()
    o, b, r = common.median(ours), common.median(bulk), common.median(raw)
    rate = n_lines / o
    per_million = o / n_lines * 1_000_000
    line = (
        f"S7 demo ledger generation + bulk load ({vendor}, {ENTRIES:,} entries/{common.YEARS}y): "
        f"{n_lines:,} lines in {o:.1f} s = {rate:,.0f} lines/s posted (numbered, balances, audit) vs "
        f"Django bulk_create {n_lines / b:,.0f} lines/s ({o / b:.2f}x its time) and raw executemany "
        f"{n_lines / r:,.0f} lines/s ({o / r:.2f}x), floors without posting; median of {RUNS}; "
        f"targets: >=100k lines/s {'MET' if rate >= 100_000 else 'MISSED'}, 1M lines <=60 s "
        f"{'MET' if per_million <= 60 else 'MISSED'} ({per_million:.0f} s per 1M)"
    )
    common.write_row(f"ledger-s7-{vendor}", line)
    common.drop_database()
    return 0


if __name__ == "__main__":
    sys.exit(main())
