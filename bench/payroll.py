"""S5: a payroll run for 10,000 employees, computed, persisted, approved, paid
and posted to the ledger (`python -m bench.payroll`; `make bench` runs it).

For each database (SQLite in a private BACKOFFICE_HOME; PostgreSQL at
``BENCH_PG_URL`` in a database ``h_bench_payroll`` created and dropped here):

1. ``generate`` (one process): a migrated database, the company BENCH with its
   books, a payroll officer and an HR manager, and, in bulk inserts through the
   models (so the encrypted salary fields hold the right ciphertext), N
   employees with a contract and a hire JobChange, 5 % with a salary change on
   the 16th of the month, 10 % (1,000 of 10,000) with one or two dependants, a
   meal allowance for everyone, and one month of time-clock attendance (about
   22 rows each; some overtime). Its time is reported apart. The database is
   then kept as a snapshot (file copy / PostgreSQL template).
2. ``run`` (one process per repetition, the snapshot put back first):
   ``run_create`` + ``run_compute`` (computed and persisted), ``run_submit`` +
   the HR manager's ``approval_decide`` (the approval engine's callback marks
   the run approved), ``run_mark_paid``, ``run_post`` (ledger entries). Then,
   side by side in the same process, the floor: ``compute_month`` over prepared
   inputs (the same people, salaries, days, overtime, dependants, allowance)
   plus a raw ``executemany`` INSERT of the same payslip rows (the ciphertext
   the run stored) under a scratch run, in one transaction.

Reported: total seconds (median of BENCH_RUNS repetitions), each phase,
per-employee pure calculation time, the floor and the ratio, peak RSS of the
run process (``ru_maxrss``). Targets: <= 10 s, <= 3 x the floor, RSS <= 1 GB.

  BENCH_QUICK=1 python -m bench.payroll       # 500 employees, 3 runs
  BENCH_PAYROLL_EMPLOYEES=2000 BENCH_DBS=sqlite python -m bench.payroll
  BENCH_PROFILE=1 ...                          # cProfile of the first run
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.ledger.common import PG_BASE, pg_reachable
from bench.ledger.common import _pg_admin as pg_admin

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
EMPLOYEES = int(os.environ.get("BENCH_PAYROLL_EMPLOYEES", "500" if QUICK else "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3" if QUICK else "5"))
SEED = int(os.environ.get("BENCH_PAYROLL_SEED", "1"))
YEAR, MONTH = 2026, 10  # a closed month, the 2026 rules (5 brackets, 15.5M deduction)
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
COMPANY = "BENCHPR"
OFFICER = "luong@bench.backoffice.vn"
MANAGER = "tpns@bench.backoffice.vn"
MEAL = Decimal(730_000)
DEPARTMENTS = [
    ("BGD", "Ban Giám đốc"), ("KT", "Phòng Kế toán"), ("NS", "Phòng Nhân sự"),
    ("KD", "Phòng Kinh doanh"), ("SX1", "Xưởng sản xuất 1"), ("SX2", "Xưởng sản xuất 2"),
    ("CNTT", "Phòng Công nghệ thông tin"), ("KHO", "Kho vận"),
]  # fmt: skip
MARK = "S5-RESULT "


# --- the people (pure: the generator and the floor build the same plan) ----------


@dataclass(frozen=True)
class Person:
    index: int
    code: str
    name: str
    dept: str
    salary: Decimal
    raise_to: Decimal | None  # from the 16th of the month
    dependants: int
    keen: bool  # works overtime more often


def plan(count: int = EMPLOYEES, seed: int = SEED) -> list[Person]:
    rng = random.Random(seed)  # noqa: S311 - deterministic bench data, not security
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
    middle = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc", "Hữu", "Thanh"]
    given = ["An", "Bình", "Châu", "Dũng", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam", "Phúc",
             "Quang", "Sơn", "Trang", "Tuấn", "Việt", "Yến"]  # fmt: skip
    people = []
    for i in range(count):
        salary = Decimal(rng.randrange(16, 121) * 500_000)  # 8M to 60M
        raise_to = (salary * Decimal("1.1")).quantize(Decimal(100_000)) if i % 20 == 7 else None
        people.append(
            Person(
                index=i,
                code=f"NV{i + 1:05d}",
                name=f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)}",
                dept=DEPARTMENTS[1 + i % (len(DEPARTMENTS) - 1)][0] if i else "BGD",
                salary=salary,
                raise_to=raise_to,
                dependants=(1 + i % 2) if i % 10 == 3 else 0,
                keen=rng.random() < 0.25,
            )
        )
    return people


def month_days() -> list[dt.date]:
    first = dt.date(YEAR, MONTH, 1)
    nxt = dt.date(YEAR + MONTH // 12, MONTH % 12 + 1, 1)
    return [first + dt.timedelta(days=k) for k in range((nxt - first).days)]


def shifts(person: Person, kinds: dict[dt.date, str], seed: int = SEED) -> list[tuple]:
    """(day, kind, check-in minute, check-out minute) of one person's month."""
    rng = random.Random(f"{seed}-{person.index}")  # noqa: S311 - deterministic bench data
    out = []
    for day, kind in kinds.items():
        if kind == "working":
            check_out = 17 * 60
            if rng.random() < (0.3 if person.keen else 0.08):
                check_out = 18 * 60 + 30 + rng.randrange(0, 121, 30)
            out.append((day, kind, 8 * 60, check_out))
        elif kind == "rest" and person.keen and rng.random() < 0.1:
            out.append((day, kind, 8 * 60, 12 * 60))
    return out


# --- databases ---------------------------------------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backoffice.settings")
    import django

    django.setup()


def _snapshot_paths() -> tuple[str, str]:
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    return name, (f"{name}_tmpl" if connection.vendor == "postgresql" else f"{name}.snapshot")


def _snapshot_save() -> None:
    from django.db import connection

    vendor = connection.vendor
    name, copy = _snapshot_paths()
    connection.close()
    if vendor == "postgresql":
        pg_admin(
            f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)',
            f'CREATE DATABASE "{copy}" TEMPLATE "{name}"',
        )
    else:
        import sqlite3

        con = sqlite3.connect(name)
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
        shutil.copyfile(name, copy)


def _snapshot_restore() -> None:
    from django.db import connection

    vendor = connection.vendor
    name, copy = _snapshot_paths()
    connection.close()
    if vendor == "postgresql":
        pg_admin(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'CREATE DATABASE "{name}" TEMPLATE "{copy}"',
        )
    else:
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(copy, name)


def _drop_all() -> None:
    from django.db import connection

    name, copy = _snapshot_paths()
    connection.close()
    if connection.vendor == "postgresql":
        pg_admin(
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)',
        )


# --- 1. generation -----------------------------------------------------------------


def _company() -> Any:
    from backoffice.accounting.models import FiscalYear
    from backoffice.accounting.services import fiscal_year_create
    from backoffice.core import services
    from backoffice.core.enums import Role
    from backoffice.core.models import Department, User

    company = services.company_create(actor="bench", code=COMPANY, name="Công ty TNHH Bench")
    if not FiscalYear.objects.filter(company=company, start__year=YEAR).exists():
        fiscal_year_create(actor="bench", company=company, start=dt.date(YEAR, 1, 1))
    for code, name in DEPARTMENTS:
        Department.objects.create(company=company, code=code, name=name)
    for email, name, role in (
        (OFFICER, "Vũ Thị Lương", Role.PAYROLL_OFFICER),
        (MANAGER, "Hoàng Văn Nam", Role.HR_MANAGER),
    ):
        services.user_create(
            actor=None, company=company, email=email, full_name=name,
            password="Kh0ng-doan-duoc!", roles=[role],
        )  # fmt: skip
    assert User.objects.filter(email=OFFICER).exists()
    return company


def generate() -> dict[str, Any]:
    """The bench company and its people, in bulk (called in a fresh database)."""
    from backoffice.core.models import Department
    from backoffice.hr.calculations.attendance import ScheduleSpec, split_day
    from backoffice.hr.enums import AttendanceSource, ContractState, ContractType
    from backoffice.hr.models import AttendanceRecord, Contract, Dependant, Employee, JobChange
    from backoffice.hr.selectors.attendance import default_schedule
    from backoffice.hr.services.attendance import limits_on, work_schedule_defaults_create
    from backoffice.hr.services.calendar import CompanyCalendar

    figures: dict[str, Any] = {}
    start = time.perf_counter()
    company = _company()
    people = plan()
    depts = {d.code: d for d in Department.objects.filter(company=company)}
    hired = dt.date(2024, 1, 2)
    first = dt.date(YEAR, MONTH, 1)
    mid = dt.date(YEAR, MONTH, 16)
    emps = Employee.objects.bulk_create(
        [
            Employee(
                company=company, code=p.code, full_name=p.name, department=depts[p.dept],
                hire_date=hired - dt.timedelta(days=p.index % 700), status="active",
                email=f"nv{p.index + 1:05d}@bench.backoffice.vn", wage_region=1,
                is_union_member=p.index % 4 == 0,
            )
            for p in people
        ],
        batch_size=2000,
    )  # fmt: skip
    if not emps or emps[0].pk is None:
        emps = list(Employee.objects.filter(company=company).order_by("code"))
    changes, contracts, deps = [], [], []
    for p, e in zip(people, emps, strict=True):
        dept = depts[p.dept]
        changes.append(JobChange(company=company, employee=e, kind="hire",
                                 effective_date=e.hire_date, department=dept, salary=p.salary))  # fmt: skip
        contracts.append(Contract(
            company=company, employee=e, number=f"HĐLĐ-{p.index + 1:05d}",
            contract_type=ContractType.INDEFINITE, state=ContractState.ACTIVE,
            department=dept, start_date=e.hire_date, salary=p.salary,
        ))  # fmt: skip
        if p.raise_to is not None:
            changes.append(JobChange(company=company, employee=e, kind="salary",
                                     effective_date=mid, department=dept, salary=p.raise_to,
                                     note="Điều chỉnh lương"))  # fmt: skip
        for k in range(p.dependants):
            deps.append(Dependant(company=company, employee=e, full_name=f"Con {k + 1} {p.name}",
                                  relationship="Con", date_of_birth=dt.date(2015 + k, 5, 1),
                                  registered_from=dt.date(2025, 1, 1)))  # fmt: skip
    JobChange.objects.bulk_create(changes, batch_size=2000)
    Contract.objects.bulk_create(contracts, batch_size=2000)
    Dependant.objects.bulk_create(deps, batch_size=2000)
    figures["dependants"] = sum(1 for p in people if p.dependants)
    figures["raises"] = sum(1 for p in people if p.raise_to is not None)
    _meal_allowances(company, emps, first)
    figures["people_s"] = time.perf_counter() - start

    began = time.perf_counter()
    work_schedule_defaults_create(company=company)
    spec = ScheduleSpec.of(default_schedule(company))
    days = month_days()
    calendar = CompanyCalendar(company, days[0], days[-1])
    kinds = {d: calendar.day_kind(d) for d in days}
    limits = limits_on(company, days[-1])
    cache: dict[tuple[Any, ...], dict[str, Any]] = {}
    rows: list[AttendanceRecord] = []
    made = 0

    def hm(minutes: int) -> dt.time:
        return dt.time(minutes // 60, minutes % 60)

    for p, e in zip(people, emps, strict=True):
        for day, kind, cin, cout in shifts(p, kinds):
            key = (kind, cin, cout, day.weekday())
            if key not in cache:
                cache[key] = split_day(day, hm(cin), hm(cout), kind, spec, limits).as_fields()
            rows.append(AttendanceRecord(
                company=company, employee_id=e.pk, date=day, check_in=hm(cin),
                check_out=hm(cout), source=AttendanceSource.IMPORT, **cache[key],
            ))  # fmt: skip
            if len(rows) >= 5000:
                AttendanceRecord.objects.bulk_create(rows, batch_size=5000)
                made += len(rows)
                rows = []
    AttendanceRecord.objects.bulk_create(rows, batch_size=5000)
    figures["attendance_rows"] = made + len(rows)
    figures["attendance_s"] = time.perf_counter() - began
    figures["working_days"] = sum(1 for k in kinds.values() if k == "working")
    figures["generate_s"] = time.perf_counter() - start
    figures["employees"] = len(emps)
    return figures


def _meal_allowances(company: Any, emps: list[Any], first: dt.date) -> None:
    try:
        from backoffice.payroll.models import PayItem
    except ImportError:  # pragma: no cover - the payroll app is installed
        return
    PayItem.objects.bulk_create(
        [
            PayItem(
                company=company,
                employee=e,
                name="Phụ cấp ăn trưa",
                category="allowance",
                tax_treatment="meal",
                prorate=True,
                amount=MEAL,
                valid_from=dt.date(2025, 1, 1),
            )  # fmt: skip
            for e in emps
        ],
        batch_size=2000,
    )


# --- 2. the run and its floor --------------------------------------------------------


def _actors() -> tuple[Any, Any, Any]:
    from backoffice.core.models import Company, User

    company = Company.objects.get(code=COMPANY)
    officer = User.objects.get(email=OFFICER)
    manager = User.objects.get(email=MANAGER)
    for u in (officer, manager):
        u.active_company = company
    return company, officer, manager


def _approve(company: Any, run: Any, manager: Any) -> Any:
    """The HR manager approves the run's request through the approval engine."""
    from django.contrib.contenttypes.models import ContentType

    from backoffice.payroll.models import PayrollRun
    from backoffice.workflow.models import ApprovalRequest
    from backoffice.workflow.services import approval_decide

    req = (
        ApprovalRequest.objects.filter(
            company=company,
            subject_type=ContentType.objects.get_for_model(PayrollRun),
            subject_id=run.pk,
        )
        .order_by("-id")
        .first()
    )
    if req is not None and req.state == "pending":
        approval_decide(actor=manager, company=company, request=req, approve=True, comment="OK")
    return PayrollRun.objects.get(pk=run.pk)


def measure_run() -> dict[str, Any]:
    """One timed run (from the snapshot): create, compute, approve, pay, post."""
    from django.urls import get_resolver

    from backoffice.hr.models import Employee
    from backoffice.payroll.services import runs

    # What a serving process has loaded already: the URLconf (the approval
    # e-mail reverses a URL) and the modules of the path; not timed.
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    company, officer, manager = _actors()
    phases: dict[str, float] = {}
    t = time.perf_counter()
    run = runs.run_create(actor=officer, company=company, year=YEAR, month=MONTH)
    run = runs.run_compute(actor=officer, run=run) or run
    phases["create_compute"] = time.perf_counter() - t
    t2 = time.perf_counter()
    run = runs.run_submit(actor=officer, run=run) or run
    run = _approve(company, run, manager)
    phases["approve"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    last = dt.date(YEAR + MONTH // 12, MONTH % 12 + 1, 1) - dt.timedelta(days=1)
    run = runs.run_mark_paid(actor=officer, run=run, paid_on=last + dt.timedelta(days=5)) or run
    phases["pay"] = time.perf_counter() - t3
    t4 = time.perf_counter()
    run = runs.run_post(actor=officer, run=run) or run
    phases["post"] = time.perf_counter() - t4
    total = time.perf_counter() - t
    run.refresh_from_db()
    if (
        run.state != "posted"
        or run.payslips.count() != Employee.objects.filter(company=company).count()
    ):
        raise RuntimeError(f"the run ended {run.state} with {run.payslips.count()} payslips")
    from backoffice.accounting.models import Line

    entry_ids = [i for i in (run.accrual_entry_id, run.payment_entry_id) if i]
    return {
        "total_s": total,
        "phases": phases,
        "state": run.state,
        "payslips": run.payslips.count(),
        "ledger_lines": Line.objects.filter(entry_id__in=entry_ids).count(),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "run_id": run.pk,
    }


def prepared_inputs(company: Any) -> list[Any]:
    """The MonthInput of every bench person, built from the plan (not timed)."""
    from backoffice.hr.services.calendar import CompanyCalendar
    from backoffice.payroll.calculations.types import Item, MonthInput, Overtime, SalarySegment

    days = month_days()
    calendar = CompanyCalendar(company, days[0], days[-1])
    kinds = {d: calendar.day_kind(d) for d in days}
    working = [d for d, k in kinds.items() if k == "working"]
    standard = Decimal(len(working))
    before = Decimal(sum(1 for d in working if d.day < 16))
    from backoffice.hr.calculations.attendance import ScheduleSpec, split_day
    from backoffice.hr.selectors.attendance import default_schedule
    from backoffice.hr.services.attendance import limits_on

    spec = ScheduleSpec.of(default_schedule(company))
    limits = limits_on(company, days[-1])
    cache: dict[tuple[Any, ...], Any] = {}
    out = []
    for p in plan():
        ot = {"weekday": Decimal(0), "rest": Decimal(0), "night": Decimal(0)}
        for day, kind, cin, cout in shifts(p, kinds):
            key = (kind, cin, cout, day.weekday())
            if key not in cache:
                cache[key] = split_day(
                    day, dt.time(cin // 60, cin % 60), dt.time(cout // 60, cout % 60), kind,
                    spec, limits,
                )  # fmt: skip
            s = cache[key]
            ot["weekday"] += s.ot_weekday
            ot["rest"] += s.ot_rest_day
            ot["night"] += s.ot_night
        if p.raise_to is None:
            segments: tuple[SalarySegment, ...] = (SalarySegment(p.salary, standard),)
        else:
            segments = (
                SalarySegment(p.salary, before),
                SalarySegment(p.raise_to, standard - before),
            )
        out.append(
            MonthInput(
                standard_days=standard,
                segments=segments,
                items=(Item("Phụ cấp ăn trưa", MEAL, "allowance", "meal"),),
                overtime=Overtime(weekday=ot["weekday"], rest_day=ot["rest"], night=ot["night"]),
                dependants=p.dependants,
                union_member=p.index % 4 == 0,
            )
        )
    return out


def measure_floor(company: Any, run_id: int) -> dict[str, float]:
    """compute_month over prepared inputs + raw executemany of the run's payslip rows."""
    from django.db import connection, transaction

    from backoffice.payroll.calculations import compute_month
    from backoffice.payroll.models import PayrollRun
    from backoffice.payroll.rules import month_rules_date, rules_for

    inputs = prepared_inputs(company)
    rules = rules_for(month_rules_date(YEAR, MONTH), company)
    t = time.perf_counter()
    for inp in inputs:
        compute_month(inp, rules)
    calc = time.perf_counter() - t

    table = "payroll_payslip"
    with connection.cursor() as cur:
        cols = [c.name for c in connection.introspection.get_table_description(cur, table)]
        cols = [c for c in cols if c != "id"]
        cur.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE run_id = %s", [run_id])  # noqa: S608
        rows = [list(r) for r in cur.fetchall()]
    scratch = PayrollRun.objects.create(
        company=company, year=YEAR, month=MONTH, kind="adjustment", title="bench floor"
    )
    run_col, pid_col = cols.index("run_id"), cols.index("public_id") if "public_id" in cols else -1
    for r in rows:
        r[run_col] = scratch.pk
        if pid_col >= 0:
            r[pid_col] = uuid.uuid4() if connection.vendor == "postgresql" else uuid.uuid4().hex
    sql = (
        f"INSERT INTO {table} ({', '.join(cols)}) "  # noqa: S608 - fixed names
        f"VALUES ({', '.join(['%s'] * len(cols))})"
    )
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.executemany(sql, rows)
    insert = time.perf_counter() - t
    return {"calc_s": calc, "insert_s": insert, "floor_s": calc + insert, "rows": len(rows)}


def run_once(profile: bool) -> dict[str, Any]:
    _django()
    _snapshot_restore()
    if profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        result = measure_run()
        prof.disable()
        out = Path(tempfile.gettempdir()) / f"bench-payroll-{_vendor()}.prof"
        prof.dump_stats(str(out))
        stats = pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
        result["profile"] = str(out)
    else:
        result = measure_run()
    company, _o, _m = _actors()
    result["floor"] = measure_floor(company, result["run_id"])
    return result


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


# --- orchestration -------------------------------------------------------------------


def _env(vendor: str) -> dict[str, str]:
    env = dict(os.environ)
    env["BACKOFFICE_HOME"] = tempfile.mkdtemp(prefix="bo-bench-payroll-")
    env["DJANGO_SETTINGS_MODULE"] = "backoffice.settings"
    if vendor == "postgresql":
        env["DATABASE_URL"] = f"{PG_BASE}/h_bench_payroll"
    else:
        env.pop("DATABASE_URL", None)
    return env


def _child(env: dict[str, str], *args: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.payroll", *args], env=env, capture_output=True, text=True
    )
    if proc.stderr.strip():
        sys.stderr.write(proc.stderr)
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])
    sys.stdout.write(proc.stdout)
    raise RuntimeError(f"bench.payroll {' '.join(args)} failed (exit {proc.returncode})")


def _row(vendor: str, gen: dict[str, Any], runs: list[dict[str, Any]]) -> str:
    med = statistics.median
    total = med([r["total_s"] for r in runs])
    calc = med([r["floor"]["calc_s"] for r in runs])
    insert = med([r["floor"]["insert_s"] for r in runs])
    floor = med([r["floor"]["floor_s"] for r in runs])
    ratio = med([r["total_s"] / r["floor"]["floor_s"] for r in runs])
    rss = max(r["rss_mb"] for r in runs)
    phases = {k: med([r["phases"][k] for r in runs]) for k in runs[0]["phases"]}
    n = gen["employees"]
    met = [
        f"<=10s {'MET' if total <= 10 else 'MISSED'}",
        f"<=3x floor {'MET' if ratio <= 3 else 'MISSED'}",
        f"RSS<=1GB {'MET' if rss <= 1024 else 'MISSED'}",
    ]
    return (
        f"S5 payroll run ({vendor}, {n:,} employees, {gen['working_days']} working days, "
        f"{gen['attendance_rows']:,} attendance rows, {gen['raises']} mid-month raises, "
        f"{gen['dependants']:,} with dependants): {total:.2f} s total = create+compute "
        f"{phases['create_compute']:.2f} + approve {phases['approve']:.2f} + paid "
        f"{phases['pay']:.2f} + posted {phases['post']:.2f} ({n / total:,.0f} payslips/s; "
        f"{runs[0]['ledger_lines']} ledger lines); pure calculation {calc:.2f} s "
        f"({calc / n * 1e6:,.0f} us/employee); floor {floor:.2f} s (calc + raw executemany "
        f"{insert:.2f} s of the same {runs[0]['floor']['rows']:,} payslip rows): ratio "
        f"{ratio:.1f}x; peak RSS {rss:,.0f} MB; median of {len(runs)}; generation "
        f"{gen['generate_s']:.1f} s (people {gen['people_s']:.1f} s, attendance "
        f"{gen['attendance_s']:.1f} s); targets: {', '.join(met)}"
    )


def write_row(key: str, line: str) -> None:
    print(line, flush=True)
    if not QUICK and EMPLOYEES != 10_000:
        key = f"{key}-{EMPLOYEES // 1000}k"
    if QUICK:
        key = f"{key}-quick"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n\n"
    heading = "## Payroll (issue 6): S5"
    if heading not in text:
        text = text.rstrip("\n") + f"\n\n{heading}\n"
    marker = f"<!-- {key} -->"
    row = f"- {marker} {time.strftime('%Y-%m-%d')}: {line}"
    lines = [ln for ln in text.splitlines() if marker not in ln]
    at = lines.index(heading) + 1
    while at < len(lines) and lines[at].startswith("- <!-- payroll-s5"):
        at += 1
    lines.insert(at, row)
    RESULTS.write_text("\n".join(lines) + "\n")


def main() -> int:
    dbs = [d.strip() for d in os.environ.get("BENCH_DBS", "sqlite,postgresql").split(",")]
    if "postgresql" in dbs and not pg_reachable():
        print(f"PostgreSQL not reachable at {PG_BASE}: SQLite only", flush=True)
        dbs.remove("postgresql")
    profile = os.environ.get("BENCH_PROFILE", "") not in ("", "0")
    failed = []
    for vendor in dbs:
        env = _env(vendor)
        try:
            gen = _child(env, "generate")
            print(f"S5 {vendor}: generated {gen}", flush=True)
            runs = []
            for k in range(RUNS):
                r = _child(env, "run", "--profile" if profile and k == 0 else "--no-profile")
                print(
                    f"S5 {vendor} run {k + 1}: {r['total_s']:.2f} s {r['phases']} "
                    f"floor {r['floor']} rss {r['rss_mb']:.0f} MB state {r['state']}",
                    flush=True,
                )
                runs.append(r)
            write_row(f"payroll-s5-{vendor}", _row(vendor, gen, runs))
        except RuntimeError as exc:
            print(exc, flush=True)
            failed.append(vendor)
        finally:
            _child_drop(env)
    return 1 if failed else 0


def _child_drop(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "bench.payroll", "drop"], env=env, check=False)
    shutil.rmtree(env["BACKOFFICE_HOME"], ignore_errors=True)


def _cli(argv: list[str]) -> int:
    if not argv:
        return main()
    cmd = argv[0]
    if cmd == "generate":
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith("postgres"):
            name = url.rsplit("/", 1)[1]
            pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
        _django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        figures = generate()
        _snapshot_save()
        print(MARK + json.dumps(figures), flush=True)
    elif cmd == "run":
        result = run_once(profile="--profile" in argv)
        print(MARK + json.dumps(result, default=str), flush=True)
    elif cmd == "drop":
        _django()
        _drop_all()
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(_cli(sys.argv[1:]))
