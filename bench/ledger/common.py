"""Shared plumbing of the ledger benchmarks: sizes, databases, the books, timing.

Sizes (environment):
- ``BENCH_QUICK=1``: a quick mode (20,000 entries, ~50k lines) for development;
- ``BENCH_LEDGER_ENTRIES`` (400,000), ``BENCH_LEDGER_YEARS`` (3),
  ``BENCH_LEDGER_SEED`` (1): the generated ledger;
- ``BENCH_RUNS`` (5): repetitions of the cheap measurements;
  ``BENCH_HEAVY_RUNS`` (3 at full size, 5 in quick mode): repetitions of a whole
  import / bulk load of the ledger;
- ``BENCH_DATA_DIR``: where the generated files are kept between runs.

Databases: SQLite in a private BACKOFFICE_HOME, and PostgreSQL at
``BENCH_PG_URL`` (postgres://postgres@127.0.0.1:5432) in databases named
``h_bench_*`` that the scenario creates and drops itself.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
ENTRIES = int(os.environ.get("BENCH_LEDGER_ENTRIES", "20000" if QUICK else "400000"))
YEARS = int(os.environ.get("BENCH_LEDGER_YEARS", "3"))
SEED = int(os.environ.get("BENCH_LEDGER_SEED", "1"))
START_YEAR = 2024
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
HEAVY_RUNS = int(os.environ.get("BENCH_HEAVY_RUNS", "5" if QUICK else "3"))
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
COMPANY = "BENCH"
ACTOR = "bench"  # a system actor label, as the CLI uses: audited, no role checks
RESULTS = Path(__file__).resolve().parent.parent / "RESULTS.md"


def data_dir() -> Path:
    default = Path(tempfile.gettempdir()) / "backoffice-bench-ledger"
    base = Path(os.environ.get("BENCH_DATA_DIR", default))
    return base / f"s{SEED}-e{ENTRIES}-y{YEARS}"


def ensure_data() -> dict[str, Any]:
    """The generated ledger in its four files (cached: generated once per size)."""
    d = data_dir()
    meta = d / "meta.json"
    if meta.exists():
        return {k: (Path(v) if k in _PATHS else v) for k, v in json.loads(meta.read_text()).items()}
    from backoffice.accounting.generate import write_all

    start = time.perf_counter()
    out = write_all(d, seed=SEED, entries=ENTRIES, years=YEARS, start_year=START_YEAR)
    out["generate_s"] = time.perf_counter() - start
    meta.write_text(json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in out.items()}))
    return out


_PATHS = {"dir", "accounts_csv", "journal_csv", "beancount", "hledger"}


# --- databases ------------------------------------------------------------------


def pg_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG_BASE}/postgres", connect_timeout=3).close()
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
    return True


def _pg_admin(*sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_BASE}/postgres", autocommit=True) as conn:
        for stmt in sql:
            conn.execute(stmt)


def db_env(vendor: str, name: str) -> dict[str, str]:
    """The environment of a scenario process: a private home and its database."""
    env = dict(os.environ)
    env["BACKOFFICE_HOME"] = tempfile.mkdtemp(prefix=f"bo-bench-{name}-")
    env["DJANGO_SETTINGS_MODULE"] = "backoffice.settings"
    if vendor == "postgresql":
        env["DATABASE_URL"] = f"{PG_BASE}/h_bench_{name}"
    else:
        env.pop("DATABASE_URL", None)
    return env


def setup_django() -> None:
    """Called in the scenario process: a fresh, migrated database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def vendor() -> str:
    from django.db import connection

    return connection.vendor


class Snapshot:
    """Save the database as it is (migrated, books ready) and put it back
    before each run, so every run starts from the same empty books."""

    def __init__(self) -> None:
        from django.db import connection

        self.vendor = connection.vendor
        connection.close()
        if self.vendor == "postgresql":
            self.name = connection.settings_dict["NAME"]
            self.template = f"{self.name}_tmpl"
            _pg_admin(
                f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)',
                f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}"',
            )
        else:
            self.path = Path(connection.settings_dict["NAME"])
            self._checkpoint()
            self.copy = self.path.with_suffix(".snapshot")
            shutil.copyfile(self.path, self.copy)

    def _checkpoint(self) -> None:
        import sqlite3

        con = sqlite3.connect(self.path)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()

    def restore(self) -> None:
        from django.db import connection

        connection.close()
        if self.vendor == "postgresql":
            _pg_admin(
                f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)',
                f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"',
            )
        else:
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.copy, self.path)

    def drop(self) -> None:
        if self.vendor == "postgresql":
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        else:
            self.copy.unlink(missing_ok=True)


def drop_database() -> None:
    """At the end of a PostgreSQL scenario: drop its database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        connection.close()
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def books() -> Any:
    """The bench company: Circular 99 books, the generator's sub-accounts and
    one fiscal year per generated year."""
    from backoffice.accounting.generate import ensure_books
    from backoffice.core import services
    from backoffice.core.models import Company

    company = Company.objects.filter(code=COMPANY).first()
    if company is None:
        company = services.company_create(actor=ACTOR, code=COMPANY, name="Công ty Bench")
    ensure_books(company, actor=ACTOR, seed=SEED, years=YEARS, start_year=START_YEAR)
    return company


# --- figures --------------------------------------------------------------------


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p99(xs: list[float]) -> float:
    ordered = sorted(xs)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def size_label() -> str:
    return f"{ENTRIES:,} entries/{YEARS}y" + (" (quick)" if QUICK else "")


def write_row(key: str, line: str) -> None:
    """Rewrite this scenario's row of RESULTS.md (same format as audit_chain)."""
    print(line, flush=True)
    if ENTRIES != 400_000 and not QUICK:  # a reduced size keeps its own row
        key = f"{key}-{ENTRIES // 1000}k"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    marker = f"<!-- {key} -->"
    row = f"- {marker} {time.strftime('%Y-%m-%d')}: {line}"
    lines = [ln for ln in text.splitlines() if marker not in ln]
    lines.append(row)
    RESULTS.write_text("\n".join(lines) + "\n")


def anchors() -> dict[str, Any]:
    """The anchor figures measured by the orchestrator in this run (anchors.json)."""
    path = data_dir() / "anchors.json"
    return json.loads(path.read_text()) if path.exists() else {}
