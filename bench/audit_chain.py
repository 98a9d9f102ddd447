"""Audit chain cost: every financial posting writes one audit event, so its
price bounds S4 (>= 1,000 entries/s). Measured side by side in one run, on a
scratch SQLite (or DATABASE_URL) database in a private BACKOFFICE_HOME:

- service: ``audit_record`` once per transaction (what a posting pays);
- floor: raw ``executemany`` INSERT of the same rows with precomputed hashes;
- verify: ``audit_verify`` over the chain vs a bare SHA-256 loop over the same payloads.

Medians of 5 runs; the figures that count are the ratios.
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

N = int(os.environ.get("BENCH_AUDIT_N", "2000"))
RUNS = 5


def _setup() -> None:
    os.environ.setdefault("BACKOFFICE_HOME", tempfile.mkdtemp(prefix="bo-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "backoffice.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _service_run(company) -> float:
    from django.db import transaction

    from backoffice.core.audit import audit_record

    start = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            audit_record(
                event_type="BENCH_POSTED",
                actor="bench",
                company=company,
                object_type="bench.entry",
                object_id=str(i),
                after={"amount": str(i)},
            )
    return time.perf_counter() - start


def _floor_run(company) -> float:
    from django.db import connection, transaction
    from django.utils import timezone

    rows, prev = [], "f" * 64
    now = timezone.now()
    for i in range(N):
        digest = hashlib.sha256(f"{prev}|{i}".encode()).hexdigest()
        rows.append(
            (
                10**9 + i,
                now,
                company.pk,
                "bench",
                "BENCH_FLOOR",
                "bench.entry",
                str(i),
                "",
                None,
                None,
                f'{{"amount": "{i}"}}',
                None,
                "success",
                prev,
                digest,
            )
        )
        prev = digest
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(
            "INSERT INTO core_auditevent (seq, created_at, company_id, actor_label, event_type,"
            " object_type, object_id, object_repr, actor_id, before, after, ip_address, outcome,"
            f" prev_hash, hash) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,{json_param},%s,%s,%s,%s)",
            rows,
        )
    elapsed = time.perf_counter() - start
    return elapsed


def _verify_run() -> tuple[float, int]:
    from backoffice.core.audit import audit_verify

    start = time.perf_counter()
    result = audit_verify(use_anchor=False)
    return time.perf_counter() - start, result.checked


def _sha_floor(count: int) -> float:
    start = time.perf_counter()
    prev = "0" * 64
    for i in range(count):
        prev = hashlib.sha256(f'{prev}|{{"seq":{i},"type":"BENCH"}}'.encode()).hexdigest()
    return time.perf_counter() - start


def main() -> None:
    _setup()
    from django.db import connection

    from backoffice.core.models import AuditEvent, Company

    company = Company.objects.create(code=f"BENCH{os.getpid()}", name="Bench")
    service, floor, verify, sha = [], [], [], []
    for _ in range(RUNS):
        service.append(_service_run(company))
        floor.append(_floor_run(company))
        with connection.cursor() as cur:  # the floor rows are outside the chain: drop them
            if connection.vendor == "postgresql":
                cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
            else:
                cur.execute("DROP TRIGGER IF EXISTS core_auditevent_no_delete")
            cur.execute("DELETE FROM core_auditevent WHERE event_type = 'BENCH_FLOOR'")
            if connection.vendor == "postgresql":
                cur.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
        seconds, checked = _verify_run()
        verify.append(seconds)
        sha.append(_sha_floor(checked))
    s, f, v, h = (statistics.median(x) for x in (service, floor, verify, sha))
    events = AuditEvent.objects.count()
    line = (
        f"audit chain ({connection.vendor}): record {N / s:,.0f} ev/s, "
        f"raw insert floor {N / f:,.0f} rows/s, ratio {s / f:.1f}x; "
        f"verify {events / v:,.0f} ev/s vs sha256 floor {events / h:,.0f}/s, "
        f"ratio {v / h:.1f}x (median of {RUNS}, {N} events a run)"
    )
    print(line)
    _write_row("audit-chain-" + connection.vendor, line)


def _write_row(key: str, line: str) -> None:
    path = Path(__file__).with_name("RESULTS.md")
    text = path.read_text() if path.exists() else "# Benchmark results\n\n"
    marker = f"<!-- {key} -->"
    row = f"- {marker} {time.strftime('%Y-%m-%d')}: {line}"
    lines = [ln for ln in text.splitlines() if marker not in ln]
    lines.append(row)
    path.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
