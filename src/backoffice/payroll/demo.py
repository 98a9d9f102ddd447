"""Demo payroll (a ``backoffice demo`` step, after the HR and ledger steps).

Pay items for the demo people: a lunch allowance (ăn giữa ca, paid in cash:
730,000 a month to June 2026, 1,200,000 from July 2026, the PIT-exempt cap in
force), a phone allowance for the sales staff, a responsibility allowance for
managers. Then the last closed month's payroll run, through the same services
a payroll officer uses from the desk: created, computed, submitted, approved
by the HR manager in the approval engine, paid and posted, so the ledger holds
the salary postings and every employee finds a payslip in the portal
(nv00001@demo.backoffice.vn can log in).

Deterministic (no randomness beyond the HR demo's data) and bulk-inserted
items; the run is skipped above 2,000 employees, where the HR demo only keeps
the last 30 days of attendance (``bench/payroll.py`` times big runs).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from typing import Any

from django.utils import timezone

log = logging.getLogger("backoffice.demo")

MAX_RUN_EMPLOYEES = 2000
MEAL_OLD, MEAL_NEW = Decimal(730_000), Decimal(1_200_000)
MEAL_CHANGE = dt.date(2026, 7, 1)  # Decree 253/2026 Art. 8.2.g: exempt up to 1,200,000
PHONE = Decimal(500_000)
RESPONSIBILITY = Decimal(2_000_000)
SALES = ("KD", "KD-HN", "KD-HCM")
OFFICER, HR_MANAGER = "tienluong", "truongphongns"


def last_closed_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def demo_items(company: Any, *, history: bool = True) -> int:
    """Recurring pay items of the demo employees (bulk; amounts encrypted by the
    field). ``history=False`` (big demos) leaves out the rows that ended before
    today (the 730,000 lunch allowance to June 2026)."""
    from backoffice.core import rawsql
    from backoffice.hr.models import Employee
    from backoffice.payroll.enums import ItemCategory, TaxTreatment
    from backoffice.payroll.models import PayItem

    if PayItem.objects.filter(company=company).exists():
        return 0
    people = Employee.objects.filter(company=company, kind="employee").select_related(
        "department", "position"
    )
    rows: list[PayItem] = []
    for emp in people.order_by("code"):
        start = max(emp.hire_date, dt.date(2024, 1, 1))

        def add(name: str, amount: Decimal, tax: str, frm: dt.date, to: dt.date | None = None,
                *, insurable: bool = False, emp: Any = emp) -> None:  # fmt: skip
            if to is not None and to < frm:
                return
            values: dict[str, Any] = {  # amount: the encrypted field takes the Decimal
                "company": company, "employee": emp, "name": name,
                "category": ItemCategory.ALLOWANCE, "tax_treatment": tax, "insurable": insurable,
                "prorate": True, "amount": amount, "valid_from": frm,
                "valid_to": to or emp.termination_date,
            }  # fmt: skip
            rows.append(PayItem(**values))

        if history or timezone.localdate() < MEAL_CHANGE:
            add("Phụ cấp ăn trưa", MEAL_OLD, TaxTreatment.MEAL, start,
                MEAL_CHANGE - dt.timedelta(days=1))  # fmt: skip
        add("Phụ cấp ăn trưa", MEAL_NEW, TaxTreatment.MEAL, max(start, MEAL_CHANGE))
        if emp.department is not None and emp.department.code in SALES:
            add("Phụ cấp điện thoại", PHONE, TaxTreatment.TAXABLE, start)
        if emp.position is not None and emp.position.level == "manager":
            add("Phụ cấp trách nhiệm", RESPONSIBILITY, TaxTreatment.TAXABLE, start,
                insurable=True)  # fmt: skip
    rawsql.insert(rows, returning=False)  # plain model: what bulk_create stores, cheaper
    return len(rows)


def demo_runs(company: Any, *, today: dt.date | None = None) -> list[Any]:
    """The last closed month's run: computed, approved, paid and posted."""
    from django.contrib.contenttypes.models import ContentType

    from backoffice.core.demo import DEMO_DOMAIN
    from backoffice.core.models import User
    from backoffice.payroll.models import PayrollRun
    from backoffice.payroll.services import runs
    from backoffice.workflow.models import ApprovalRequest
    from backoffice.workflow.services import approval_decide

    today = today or timezone.localdate()
    year, month = last_closed_month(today)
    if PayrollRun.objects.filter(company=company, year=year, month=month).exists():
        return []
    officer = User.objects.get(email=f"{OFFICER}@{DEMO_DOMAIN}")
    manager = User.objects.get(email=f"{HR_MANAGER}@{DEMO_DOMAIN}")
    for user in (officer, manager):
        setattr(user, "active_company", company)  # noqa: B010 - the request's company
    run = runs.run_create(actor=officer, company=company, year=year, month=month)
    run = runs.run_compute(actor=officer, run=run) or run
    run = runs.run_submit(actor=officer, run=run) or run
    request = (
        ApprovalRequest.objects.filter(
            company=company,
            subject_type=ContentType.objects.get_for_model(PayrollRun),
            subject_id=run.pk,
            state="pending",
        )
        .order_by("-id")
        .first()
    )
    if request is not None:
        approval_decide(
            actor=manager, company=company, request=request, approve=True,
            comment="Đã kiểm tra bảng lương",
        )  # fmt: skip
    run.refresh_from_db()
    paid_on = min(today, dt.date(today.year, today.month, 5))
    run = runs.run_mark_paid(actor=officer, run=run, paid_on=paid_on) or run
    run = runs.run_post(actor=officer, run=run) or run
    run.refresh_from_db()
    return [run]


def demo_step(*, company: Any, employees: int = 30, **context: Any) -> None:
    from backoffice.core.demo import DEMO_CODE

    if company.code != DEMO_CODE:
        return
    started = time.monotonic()
    items = demo_items(company, history=employees <= MAX_RUN_EMPLOYEES)
    made = []
    if employees <= MAX_RUN_EMPLOYEES:
        from backoffice.core.exceptions import ApplicationError

        try:
            made = demo_runs(company)
        except ApplicationError:  # the demo stays usable; tests/scenarios catch the cause
            log.warning("payroll demo: the run could not be completed", exc_info=True)
    else:
        log.info("payroll demo: %d employees, no run (bench/payroll.py times big runs)", employees)
    log.info(
        "payroll demo: %d pay items, runs %s in %.1f s",
        items, [f"{r.month:02d}/{r.year} {r.state}" for r in made], time.monotonic() - started,
    )  # fmt: skip
