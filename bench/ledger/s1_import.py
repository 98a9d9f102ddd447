"""S1: ``import-journal`` of the generated ledger into empty books, end to end
through ``services.journal_import`` (parse the CSV, validate every row,
number, post, balances, audit), vs beancount's loader (cache disabled) and
hledger on the same ledger, measured in the same run by the orchestrator.

Each run starts from the same snapshot: migrated, the company's books ready
(chart, sub-accounts, fiscal years), no entries. Targets: >= 100,000 lines/s
on SQLite and <= 0.5 x beancount's load time.
"""

from __future__ import annotations

import os
import sys

from bench.ledger import common

TUNED = os.environ.get("BENCH_S1_TUNED", "1") != "0"


def _check(company, data) -> str:
    from django.db.models import Count, Q, Sum

    from backoffice.accounting.models import AccountBalance, Entry, Line, VoucherSequence

    posted = Entry.objects.filter(company=company, state="posted").aggregate(
        n=Count("id"), blank=Count("id", filter=Q(number=""))
    )
    lines = Line.objects.filter(company=company, posted=True).aggregate(
        n=Count("id"), d=Sum("debit"), c=Sum("credit")
    )
    bal = AccountBalance.objects.filter(company=company).aggregate(d=Sum("debit"), c=Sum("credit"))
    seq = VoucherSequence.objects.filter(company=company).aggregate(n=Sum("last_number"))
    problems = []
    if posted["n"] != data["entries"] or posted["blank"]:
        problems.append(f"entries {posted['n']} (unnumbered {posted['blank']})")
    if lines["n"] != data["lines"] or lines["d"] != lines["c"]:
        problems.append(f"lines {lines['n']}")
    if (bal["d"], bal["c"]) != (lines["d"], lines["c"]):
        problems.append("AccountBalance != lines")
    if seq["n"] != data["entries"]:
        problems.append(f"sequences {seq['n']}")
    return "; ".join(problems)


def main() -> int:
    common.setup_django()
    from django.db import connection

    from backoffice.accounting import services
    from backoffice.core.models import Company

    data = common.ensure_data()
    vendor = common.vendor()
    common.books()
    snap = common.Snapshot()
    times = []
    problems = ""
    for _ in range(common.HEAVY_RUNS):
        snap.restore()
        company = Company.objects.get(code=common.COMPANY)
        seconds, result = common.timed(
            services.journal_import, actor=common.ACTOR, company=company, file=data["journal_csv"]
        )
        times.append(seconds)
        problems = problems or _check(company, data)
    tuned = []
    if vendor == "sqlite" and TUNED:
        # The same import with two connection PRAGMAs the settings could set
        # (statement journals in memory, a 256 MB page cache): what they buy.
        for _ in range(common.HEAVY_RUNS):
            snap.restore()
            company = Company.objects.get(code=common.COMPANY)
            with connection.cursor() as cur:
                cur.execute("PRAGMA temp_store = MEMORY")
                cur.execute("PRAGMA cache_size = -262144")
            seconds, _r = common.timed(
                services.journal_import,
                actor=common.ACTOR,
                company=company,
                file=data["journal_csv"],
            )
            tuned.append(seconds)
            problems = problems or _check(company, data)
    snap.drop()
    t = common.median(times)
    rate = data["lines"] / t
    a = common.anchors()
    parts = [
        f"S1 import-journal ({vendor}, {common.size_label()}): {data['lines']:,} lines in "
        f"{t:.1f} s = {rate:,.0f} lines/s (median of {len(times)}, runs {', '.join(f'{x:.1f}' for x in times)} s)"
    ]
    verdicts = []
    if a.get("beancount_load_s"):
        bean = common.median(a["beancount_load_s"])
        ratio = t / bean
        parts.append(
            f"beancount load {bean:.1f} s ({data['entries'] / bean:,.0f} txn/s): ratio {ratio:.2f}x"
        )
        verdicts.append(f"<=0.5x beancount {'MET' if ratio <= 0.5 else 'MISSED'}")
    if a.get("hledger_stats_s"):
        hl = common.median(a["hledger_stats_s"])
        parts.append(f"hledger stats {hl:.1f} s: ratio {t / hl:.2f}x")
    if vendor == "sqlite":
        verdicts.append(f">=100k lines/s {'MET' if rate >= 100_000 else 'MISSED'}")
    parts.append("targets: " + ", ".join(verdicts))
    if tuned:
        tt = common.median(tuned)
        parts.append(
            f"with PRAGMA temp_store=MEMORY + cache_size=256MB: {tt:.1f} s = "
            f"{data['lines'] / tt:,.0f} lines/s"
            + (f" ({tt / bean:.2f}x beancount)" if a.get("beancount_load_s") else "")
        )
    if problems:
        parts.append(f"CHECK FAILED: {problems}")
    common.write_row(f"ledger-s1-{vendor}", "; ".join(parts))
    common.drop_database()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
