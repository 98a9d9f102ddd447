"""S8 (PostgreSQL): concurrent posting into ONE journal. 4 worker processes
each post N entries one at a time through ``services.entry_create(post=True)``
into the general journal (one voucher series: the hottest case), vs 1 worker
posting N entries, in the same run. Afterwards the series is checked: numbers
1..count with no gap and no duplicate, every entry posted, no deadlock (a
worker counts every error it gets; none are retried). Target: 4 workers >=
1.5 x the throughput of one; 0 gaps, 0 duplicates, 0 deadlocks.

The CPU each round kept busy is read too (the workers' processes and their
PostgreSQL backends, from /proc when the server is local): a single worker
near 1 CPU means posting is bound by CPU, not by waiting on locks, and then
4 workers can go no faster than the machine's CPUs allow.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from decimal import Decimal

from bench.ledger import common

N = int(os.environ.get("BENCH_S8_N", "200" if common.QUICK else "1000"))
WORKERS = int(os.environ.get("BENCH_S8_WORKERS", "4"))


def _proc_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) of a local process, from /proc; None if unreadable."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker(n: int, seed: int, start_at: float) -> None:
    """A child process: post n entries, report JSON on stdout."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
    import django

    django.setup()
    from django.db import connection

    from backoffice.accounting import services
    from backoffice.accounting.generate import ledger
    from backoffice.core.models import Company

    company = Company.objects.get(code=common.COMPANY)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    last = common.START_YEAR + common.YEARS - 1
    items = list(ledger(seed=seed, entries=n + 61, years=1, start_year=last))[1 : n + 1]
    inputs = [
        (e.date, e.description,
         [services.LineInput(account=c, debit=Decimal(d), credit=Decimal(k)) for c, d, k in e.lines])
        for e in items
    ]  # fmt: skip
    while time.time() < start_at:
        time.sleep(0.005)
    begin = time.time()
    cpu0, backend0 = time.process_time(), _proc_cpu(backend)
    posted = errors = deadlocks = 0
    messages: list[str] = []
    for day, desc, lines in inputs:
        try:
            services.entry_create(
                actor=common.ACTOR, company=company, date=day, description=desc, lines=lines,
                journal="GEN", post=True,
            )  # fmt: skip
            posted += 1
        except Exception as exc:  # noqa: BLE001 - counted and reported, not retried
            errors += 1
            if "deadlock" in str(exc).lower():
                deadlocks += 1
            if len(messages) < 3:
                messages.append(f"{type(exc).__name__}: {exc}"[:200])
    end = time.time()
    backend1 = _proc_cpu(backend)
    cpu = time.process_time() - cpu0
    if backend0 is not None and backend1 is not None:
        cpu += backend1 - backend0
    else:
        cpu = None  # the server is not local: its CPU is not ours to read
    print(json.dumps({"posted": posted, "errors": errors, "deadlocks": deadlocks,
                      "begin": begin, "end": end, "messages": messages, "cpu": cpu}))  # fmt: skip


def _round(workers: int, seed0: int) -> dict:
    start_at = time.time() + 6 + workers
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bench.ledger.s8_concurrent",
                "worker",
                str(N),
                str(seed0 + i),
                str(start_at),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(workers)
    ]
    results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
    begin = min(r["begin"] for r in results)
    end = max(r["end"] for r in results)
    return {
        "posted": sum(r["posted"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "deadlocks": sum(r["deadlocks"] for r in results),
        "seconds": end - begin,
        "cpu": None if any(r["cpu"] is None for r in results) else sum(r["cpu"] for r in results),
        "messages": [m for r in results for m in r["messages"]],
    }


def _series_check(company) -> tuple[int, int, int]:
    """(count, gaps, duplicates) of the general journal's numbers, per year."""
    from backoffice.accounting.models import Entry, VoucherSequence

    gaps = dups = count = 0
    by_year: dict[str, list[int]] = {}
    for number in Entry.objects.filter(company=company, journal__code="GEN", state="posted")\
            .values_list("number", flat=True):  # fmt: skip
        m = re.match(r"^(.*?)(\d+)$", number)
        assert m, number
        by_year.setdefault(m.group(1), []).append(int(m.group(2)))
    for nums in by_year.values():
        count += len(nums)
        dups += len(nums) - len(set(nums))
        gaps += max(nums) - len(set(nums))
    seq_total = sum(
        VoucherSequence.objects.filter(company=company, journal__code="GEN").values_list(
            "last_number", flat=True
        )
    )
    gaps += abs(seq_total - count)
    return count, gaps, dups


def main() -> int:
    common.setup_django()
    from backoffice.core.models import Company

    vendor = common.vendor()
    if vendor != "postgresql":
        print("S8 runs on PostgreSQL only", flush=True)
        return 0
    common.books()
    from django.db import connection

    connection.close()
    single = _round(1, 1000)
    multi = _round(WORKERS, 2000)
    company = Company.objects.get(code=common.COMPANY)
    count, gaps, dups = _series_check(company)
    expected = single["posted"] + multi["posted"]
    lost = expected - count
    r1 = single["posted"] / single["seconds"]
    r4 = multi["posted"] / multi["seconds"]
    speedup = r4 / r1
    errors = single["errors"] + multi["errors"]
    deadlocks = single["deadlocks"] + multi["deadlocks"]
    ok = gaps == 0 and dups == 0 and deadlocks == 0 and lost == 0 and errors == 0
    line = (
        f"S8 concurrent posting (postgresql, one journal): 1 worker {r1:,.0f} entries/s, "
        f"{WORKERS} workers {r4:,.0f} entries/s = {speedup:.2f}x ({N:,} entries a worker); "
        f"{count:,} numbers: gaps {gaps}, duplicates {dups}, lost {lost}, deadlocks {deadlocks}, "
        f"other errors {errors - deadlocks}; targets: >=1.5x {'MET' if speedup >= 1.5 else 'MISSED'}, "
        f"0 gaps/duplicates/deadlocks {'MET' if ok else 'MISSED'}"
    )
    if single["cpu"] is not None and multi["cpu"] is not None:
        line += (
            f"; the single worker kept {single['cpu'] / single['seconds']:.2f} CPU busy "
            f"(its process + its PostgreSQL backend), {WORKERS} workers "
            f"{multi['cpu'] / multi['seconds']:.2f} CPUs"
        )
    if single["messages"] or multi["messages"]:
        line += f" (first errors: {(single['messages'] + multi['messages'])[:2]})"
    common.write_row("ledger-s8-postgresql", line)
    common.drop_database()
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        worker(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    else:
        sys.exit(main())
