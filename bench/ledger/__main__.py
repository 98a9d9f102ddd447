"""`python -m bench.ledger`: the accounting benchmarks S1 S2 S3 S4 S7 S8.

Generates the ledger once (accounting.generate, cached in BENCH_DATA_DIR),
measures the anchors (beancount, beanquery, hledger) on it, then runs each
scenario in its own process on SQLite and on PostgreSQL (when reachable).
Every scenario prints one summary line and rewrites its row of RESULTS.md.

  BENCH_QUICK=1 python -m bench.ledger          # ~50k lines, for development
  python -m bench.ledger                        # full size: ~1M lines, 3 years
  BENCH_ONLY=S1,S2 BENCH_DBS=sqlite python -m bench.ledger
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.ledger import common

SCENARIOS = {
    # id: (module, databases it runs on)
    "S1": ("s1_import", ("sqlite", "postgresql")),
    "S2": ("s23_reports", ("sqlite", "postgresql")),  # S2 and S3 share one loaded database
    "S4": ("s4_posting", ("sqlite", "postgresql")),
    "S7": ("s7_bulk", ("sqlite", "postgresql")),
    "S8": ("s8_concurrent", ("postgresql",)),
}


def main() -> int:
    only = {s.strip().upper() for s in os.environ.get("BENCH_ONLY", "").split(",") if s.strip()}
    if "S3" in only:
        only.add("S2")
    dbs = [d.strip() for d in os.environ.get("BENCH_DBS", "sqlite,postgresql").split(",")]
    if "postgresql" in dbs and not common.pg_reachable():
        print(f"PostgreSQL not reachable at {common.PG_BASE}: SQLite only", flush=True)
        dbs.remove("postgresql")
    chosen = [s for s in SCENARIOS if not only or s in only]
    start = time.perf_counter()
    data = common.ensure_data()
    print(
        f"ledger: {data['entries']:,} entries, {data['lines']:,} lines over {common.YEARS} years "
        f"(seed {common.SEED}) in {data['dir']}",
        flush=True,
    )
    if {"S1", "S2"} & set(chosen):
        from bench.ledger import anchors

        figures = anchors.measure(data, common.HEAVY_RUNS, common.START_YEAR + common.YEARS - 1)
        print(f"anchors: {figures}", flush=True)
    failed = []
    for sid in chosen:
        module, where = SCENARIOS[sid]
        for db in dbs:
            if db not in where:
                continue
            env = common.db_env(db, module)
            env["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
            proc = subprocess.run([sys.executable, "-m", f"bench.ledger.{module}"], env=env)
            if proc.returncode:
                failed.append(f"{sid}/{db}")
    print(f"ledger benchmarks done in {time.perf_counter() - start:,.0f} s", flush=True)
    if failed:
        print(f"FAILED: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
