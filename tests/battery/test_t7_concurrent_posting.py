"""T7 concurrent posting: W worker *processes* post N entries each through the real
service (``entry_create(post=True)``) into one cash journal of a private
installation (its own BACKOFFICE_HOME; on PostgreSQL a scratch database), all at
once. Every worker also re-submits the same D entries under shared idempotency
keys. Afterwards: nothing lost, no duplicates, voucher numbers gap-free per
series, AccountBalance equal to the sum of the posted lines (drift 0), total
debit = total credit.

Bounded in ``make test`` (4 workers x 50 entries); ``make battery``
(BACKOFFICE_BATTERY_FULL=1) runs the QUALITY.md size, 8 x 250.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from urllib.parse import quote

import pytest
from django.db import connection

pytestmark = pytest.mark.slow

FULL = os.environ.get("BACKOFFICE_BATTERY_FULL") == "1"
WORKERS, PER_WORKER = (8, 250) if FULL else (4, 50)
DUPLICATES = 5
_SCRUB = ("BACKOFFICE_DEBUG", "BACKOFFICE_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE",
          "PYTEST_CURRENT_TEST", "PYTEST_XDIST_WORKER")  # fmt: skip

SETUP = """
import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings"); django.setup()
from datetime import date
from backoffice.core import services as core
from backoffice.accounting import services
company = core.company_create(actor="t7", code="T7", name="T7", chart="tt99")
if not company.fiscalyear_set.filter(start=date(2026, 1, 1)).exists():
    services.fiscal_year_create(actor="t7", company=company, start=date(2026, 1, 1))
"""

WORKER = """
import django, os, sys, json, time; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings"); django.setup()
from datetime import date
from decimal import Decimal
from backoffice.accounting import services
from backoffice.core.models import Company
worker, n, dups, start_at = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
company = Company.objects.get(code="T7")
L = services.LineInput
def lines(i):
    amount = Decimal(1000 * (i + 1) + worker)
    if i % 2 == 0:  # cash in: phiếu thu
        return [L("1111", debit=amount), L("5111", credit=amount)]
    return [L("642", debit=amount), L("1331", debit=Decimal(worker + 1)), L("1111", credit=amount + worker + 1)]
errors = []
while time.time() < start_at:
    time.sleep(0.01)
for i in range(n):
    for key, k in [(f"w{worker}-{i}", i)] + ([(f"dup-{i}", i)] if i < dups else []):
        try:
            services.entry_create(actor="t7", company=company, date=date(2026, 3, 1 + i % 28),
                                  description=f"T7 {key}", lines=lines(k), journal="CASH",
                                  post=True, idempotency_key=key)
        except Exception as exc:
            errors.append(f"{key}: {type(exc).__name__}: {exc}")
print(json.dumps({"errors": errors}))
"""

VERIFY = """
import django, os, json, re; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings"); django.setup()
from collections import defaultdict
from django.db.models import Sum
from backoffice.accounting.models import Entry, Line, AccountBalance
entries = list(Entry.objects.filter(company__code="T7").values_list("number", "state", "idempotency_key", "voucher_type"))
series = defaultdict(list)
for number, state, key, vt in entries:
    m = re.fullmatch(r"(.+)/(\\d{5})", number)
    series[m.group(1) if m else "?"].append(int(m.group(2)) if m else -1)
gaps = sum(max(v) - len(set(v)) for v in series.values())
dup_numbers = sum(len(v) - len(set(v)) for v in series.values())
keys = [k for _n, _s, k, _v in entries]
lines = Line.objects.filter(company__code="T7", posted=True)
per_acc = {(a, p): (d, c) for a, p, d, c in lines.values("account_id", "period_id").annotate(d=Sum("debit"), c=Sum("credit")).values_list("account_id", "period_id", "d", "c")}
bal = {(b.account_id, b.period_id): (b.debit, b.credit) for b in AccountBalance.objects.filter(company__code="T7")}
drift = sum(1 for k in set(per_acc) | set(bal) if per_acc.get(k) != bal.get(k))
tot = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
print(json.dumps({
    "entries": len(entries), "posted": sum(1 for e in entries if e[1] == "posted"),
    "distinct_keys": len(set(keys)), "gaps": gaps, "duplicate_numbers": dup_numbers,
    "drift": drift, "unbalanced": int(tot["d"] != tot["c"]), "series": {k: len(v) for k, v in series.items()},
}))
"""


def _server_params() -> dict:
    s = connection.settings_dict
    params = {"host": s.get("HOST"), "port": s.get("PORT"), "user": s.get("USER"),
              "password": s.get("PASSWORD")}  # fmt: skip
    return {k: str(v) for k, v in params.items() if v}


@pytest.fixture
def installation(tmp_path):
    """A private installation: env for the child processes."""
    vendor = connection.vendor
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env["BACKOFFICE_HOME"] = str(tmp_path / "home")
    pg_name = None
    if vendor == "postgresql":
        import psycopg
        from psycopg import sql

        pg_name = f"t7_{uuid.uuid4().hex[:12]}"
        params = _server_params()
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(pg_name)))
        auth = quote(params.get("user", "postgres"), safe="")
        if params.get("password"):
            auth += ":" + quote(params["password"], safe="")
        env["DATABASE_URL"] = (
            f"postgres://{auth}@{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/{pg_name}"
        )
    try:
        yield env
    finally:
        if pg_name:
            import psycopg
            from psycopg import sql

            with psycopg.connect(dbname="postgres", autocommit=True, **_server_params()) as c:
                c.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(pg_name)
                    )
                )


def _python(env, code, *args, timeout=600):
    proc = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", code, *map(str, args)], env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def test_t7_concurrent_posting(installation, db):
    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.skip(f"no T7 for {connection.vendor}")
    env = installation
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "backoffice", "manage", "migrate", "--skip-checks", "-v0"],
        env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    _python(env, SETUP)
    start_at = time.time() + 8  # every worker is set up and waiting before the gun
    procs = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", WORKER, str(w), str(PER_WORKER), str(DUPLICATES), str(start_at)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for w in range(WORKERS)
    ]
    errors = []
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, err[-3000:]
        errors += json.loads(out.strip().splitlines()[-1])["errors"]
    seconds = time.time() - start_at
    figures = json.loads(_python(env, VERIFY).strip().splitlines()[-1])
    expected = WORKERS * PER_WORKER + DUPLICATES
    lost = expected - figures["entries"]
    duplicates = figures["entries"] - figures["distinct_keys"] + figures["duplicate_numbers"]
    print(
        f"T7 concurrent posting ({connection.vendor}, {WORKERS} processes x {PER_WORKER} entries "
        f"+ {DUPLICATES} shared keys each): {figures['entries']} entries in {seconds:.1f} s; "
        f"lost {lost}, duplicates {duplicates}, gaps {figures['gaps']}, drift {figures['drift']}, "
        f"unbalanced {figures['unbalanced']}, errors {len(errors)}"
    )
    assert errors == [], errors[:5]
    assert figures["posted"] == figures["entries"]
    assert (lost, duplicates, figures["gaps"], figures["drift"], figures["unbalanced"]) == (
        0,
        0,
        0,
        0,
        0,
    )
