"""``backoffice payroll run`` and ``payroll runs``.

* ``payroll run --company CODE --month YYYY-MM [--compute] [--payslips]``: the
  month's regular run (created as a draft when there is none), computed with
  ``--compute``; prints the run (``--payslips``: its register instead).
* ``payroll runs --company CODE``: the company's runs.

The console operator acts as ``cli`` (every permission, audited as such).
"""

from __future__ import annotations

from typing import Any

import click

from backoffice.cli import (
    company_arg,
    emit,
    fail,
    format_option,
    month_arg,
    setup_django,
)

RUN_COLUMNS = ["id", "period", "kind", "state", "headcount", "gross", "pit", "net", "total_cost"]
SLIP_COLUMNS = ["code", "name", "department", "paid_days", "gross", "insurance", "pit", "net"]


def run_row(run: Any) -> dict[str, Any]:
    t = run.totals or {}
    return {
        "id": str(run.public_id), "period": f"{run.year}-{run.month:02d}", "kind": run.kind,
        "state": run.state, "headcount": t.get("headcount", ""), "gross": t.get("gross", ""),
        "pit": t.get("pit", ""), "net": t.get("net", ""), "total_cost": t.get("total_cost", ""),
    }  # fmt: skip


def register(group: click.Group) -> None:
    @group.command("run")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @click.option("--month", "month_text", required=True, help="YYYY-MM.")
    @click.option("--compute", is_flag=True, help="Compute (or recompute) the run.")
    @click.option("--payslips", is_flag=True, help="Print the payslip register.")
    @format_option
    def run(company_code: str, month_text: str, compute: bool, payslips: bool, fmt: str) -> None:
        """The month's regular payroll run: create it, compute it, show it."""
        setup_django()
        from backoffice.core.exceptions import ApplicationError
        from backoffice.payroll.enums import RunKind, RunState
        from backoffice.payroll.models import PayrollRun
        from backoffice.payroll.selectors.runs import payslip_rows
        from backoffice.payroll.services import runs as svc

        company = company_arg(company_code)
        year, month = month_arg(month_text)
        try:
            obj = (
                PayrollRun.objects.filter(company=company, year=year, month=month,
                                          kind=RunKind.REGULAR)
                .exclude(state=RunState.CANCELLED).first()
            ) or svc.run_create(actor="cli", company=company, year=year, month=month)  # fmt: skip
            if compute:
                obj = svc.run_compute(actor="cli", run=obj)
        except ApplicationError as exc:
            fail(exc.message)
        if payslips:
            rows = payslip_rows(obj.payslips.select_related("employee").order_by("employee__code"))
            emit([{k: str(r[k]) for k in SLIP_COLUMNS} for r in rows], fmt, SLIP_COLUMNS)
            return
        emit([run_row(obj)], fmt, RUN_COLUMNS)

    @group.command("runs")
    @click.option("--company", "company_code", required=True, help="Company code.")
    @format_option
    def runs(company_code: str, fmt: str) -> None:
        """The company's payroll runs, newest month first."""
        setup_django()
        from backoffice.payroll.models import PayrollRun

        company = company_arg(company_code)
        qs = PayrollRun.objects.filter(company=company).order_by("-year", "-month", "-id")
        emit([run_row(r) for r in qs], fmt, RUN_COLUMNS)
