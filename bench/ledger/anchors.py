"""The anchors, on the same generated ledger, in this benchmark run:

- beancount 3: ``loader.load_file`` with its cache disabled (S1);
- beanquery: ``SELECT account, sum(position) WHERE year = Y GROUP BY account``
  over the loaded entries (S2; the load itself is not counted: generous to it);
- Debian's hledger: ``hledger -f FILE stats`` (parse + check, S1) and
  ``hledger -f FILE balance -p Y`` (S2).

Run by the orchestrator in a child process (``python -m bench.ledger.anchors
beancount FILE RUNS YEAR``): beancount and hledger then do not share the
memory of the Django process. Figures go to anchors.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def beancount_runs(path: str, runs: int, year: int) -> dict[str, Any]:
    os.environ["BEANCOUNT_DISABLE_LOAD_CACHE"] = "1"
    from beancount import loader
    from beanquery.query import run_query

    loads, queries = [], []
    entries: list[Any] = []
    errors: list[Any] = []
    options: dict[str, Any] = {}
    for _ in range(runs):
        entries = errors = []
        options = {}
        start = time.perf_counter()
        entries, errors, options = loader.load_file(path)
        loads.append(time.perf_counter() - start)
    sql = f"SELECT account, sum(position) WHERE year = {year} GROUP BY account"
    rows: list[Any] = []
    for _ in range(runs):
        start = time.perf_counter()
        _, rows = run_query(entries, options, sql)
        queries.append(time.perf_counter() - start)
    txns = sum(1 for e in entries if type(e).__name__ == "Transaction")
    return {
        "beancount_load_s": loads,
        "beancount_errors": len(errors),
        "beancount_txns": txns,
        "beanquery_s": queries,
        "beanquery_rows": len(rows),
    }


def hledger_runs(path: str, runs: int, year: int) -> dict[str, Any]:
    exe = shutil.which("hledger")
    if exe is None:
        return {"hledger": "not installed (apt-get install hledger): anchor skipped"}
    stats, bal = [], []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([exe, "-f", path, "stats"], check=True, capture_output=True)
        stats.append(time.perf_counter() - start)
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [exe, "-f", path, "balance", "-p", str(year), "-N"], check=True, capture_output=True
        )
        bal.append(time.perf_counter() - start)
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    return {"hledger_stats_s": stats, "hledger_balance_s": bal, "hledger_version": version}


def measure(data: dict[str, Any], runs: int, year: int) -> dict[str, Any]:
    """Both anchors, each in a child process; the result is cached in anchors.json."""
    out: dict[str, Any] = {}
    # BENCH_ANCHOR_PYTHON: an interpreter that has beancount and beanquery, when
    # the project's environment does not (a `uv run` elsewhere drops the group).
    python = os.environ.get("BENCH_ANCHOR_PYTHON") or sys.executable
    for kind, path in (("beancount", data["beancount"]), ("hledger", data["hledger"])):
        proc = subprocess.run(
            [python, "-m", "bench.ledger.anchors", kind, str(path), str(runs), str(year)],
            check=True,
            capture_output=True,
            text=True,
        )
        out.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    (Path(data["dir"]) / "anchors.json").write_text(json.dumps(out))
    return out


if __name__ == "__main__":
    kind, path, n, y = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    fn = beancount_runs if kind == "beancount" else hledger_runs
    print(json.dumps(fn(path, n, y)))
