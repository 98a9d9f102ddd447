"""Payroll run reads.

* Payroll staff (``payroll.view_run``: payroll officer, HR manager) see the
  company's runs, their payslips and every amount.
* Aggregates-only roles (``payroll.view_aggregates``: chief accountant, data
  analyst) see the runs and :func:`run_totals_public` (totals, by department,
  departments of fewer than :data:`MIN_GROUP` people folded together so no
  person's pay can be read off), never a payslip.
* Anyone else: nothing (an employee reads their own payslips through
  ``payroll.selectors.payslips``). Another company's runs are never visible.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import PermissionDenied
from backoffice.core.selectors import _get, scope_to_company
from backoffice.payroll.models import PayrollRun, Payslip, RunItem

VIEW = "payroll.view_run"
AGGREGATES = "payroll.view_aggregates"
MIN_GROUP = 3


def may_see_amounts(user: Any) -> bool:
    return bool(user.has_perm(VIEW))


def may_see_runs(user: Any) -> bool:
    return bool(user.has_perm(VIEW) or user.has_perm(AGGREGATES))


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You do not have permission to do this."), extra={"perm": VIEW})


def run_list(*, user: Any, company: Any) -> QuerySet[PayrollRun]:
    if not may_see_runs(user):
        raise _denied()
    return scope_to_company(PayrollRun.objects.select_related("adjusts"), company).order_by(
        "-year", "-month", "-id"
    )


def run_get_for_user(*, user: Any, company: Any, public_id: Any) -> PayrollRun:
    return _get(run_list(user=user, company=company), public_id, _("Payroll run"))


def payslip_list(*, user: Any, company: Any, run: PayrollRun) -> QuerySet[Payslip]:
    """The payslips of a run (payroll staff only)."""
    if not may_see_amounts(user):
        raise _denied()
    if company is None or run.company_id != company.pk:
        return Payslip.objects.none()
    return (
        Payslip.objects.filter(company=company, run=run)
        .select_related("employee", "department", "run")
        .order_by("employee__code")
    )


def payslip_get_for_user(*, user: Any, company: Any, run: PayrollRun, public_id: Any) -> Payslip:
    return _get(payslip_list(user=user, company=company, run=run), public_id, _("Payslip"))


def run_items(*, user: Any, company: Any, run: PayrollRun) -> QuerySet[RunItem]:
    """The one-off items of a run (payroll staff only)."""
    if not may_see_amounts(user):
        raise _denied()
    if company is None or run.company_id != company.pk:
        return RunItem.objects.none()
    return RunItem.objects.filter(company=company, run=run).select_related("employee")


def payslip_data(payslip: Payslip) -> dict[str, Any]:
    """The decrypted payslip: period, kind, employee, inputs, result (and for
    an adjustment ``full`` and ``already_paid``). The caller checks access."""
    data: dict[str, Any] = json.loads(payslip.data or "{}")
    return data


def payslip_rows(payslips: Any) -> list[dict[str, Any]]:
    """The register of a run: one row per payslip with the amounts a table shows."""
    rows = []
    for slip in payslips:
        data = payslip_data(slip)
        result, emp = data.get("result") or {}, data.get("employee") or {}
        ins = result.get("insurance") or {}
        rows.append({
            "payslip": slip, "public_id": slip.public_id,
            "code": emp.get("code") or slip.employee.code,
            "name": emp.get("name") or slip.employee.full_name,
            "department": emp.get("department", ""), "position": emp.get("position", ""),
            "standard_days": slip.standard_days, "paid_days": slip.paid_days,
            "gross": Decimal(result.get("gross") or 0),
            "insurance": Decimal(ins.get("total") or 0),
            "union_dues": Decimal(result.get("union_dues") or 0),
            "pit": Decimal(result.get("pit") or 0),
            "other_deductions": Decimal(result.get("other_deductions") or 0),
            "net": Decimal(result.get("net") or 0),
            "total_cost": Decimal((result.get("employer") or {}).get("total_cost") or 0),
        })  # fmt: skip
    return rows


def run_totals_public(run: PayrollRun) -> dict[str, Any]:
    """Totals safe for aggregates-only roles: the run's sums, and by
    department only where at least :data:`MIN_GROUP` people are paid (the
    smaller departments are summed into one line ``""``/"Other")."""
    totals = dict(run.totals or {})
    totals.pop("selection", None)
    depts = totals.pop("by_department", {}) or {}
    shown: dict[str, Any] = {}
    other: dict[str, Any] = {"name": _("Other departments"), "headcount": 0}
    for code, row in depts.items():
        if row.get("headcount", 0) >= MIN_GROUP and code:
            shown[code] = row
            continue
        other["headcount"] += row.get("headcount", 0)
        for key in ("gross", "employer", "net", "total_cost"):
            other[key] = str(Decimal(other.get(key, 0)) + Decimal(row.get(key) or 0))
    if other["headcount"]:
        if other["headcount"] < MIN_GROUP and shown:
            # fold the small remainder into the smallest shown department
            smallest = min(shown, key=lambda c: shown[c]["headcount"])
            merged = dict(shown.pop(smallest))
            other["headcount"] += merged["headcount"]
            for key in ("gross", "employer", "net", "total_cost"):
                other[key] = str(Decimal(other[key]) + Decimal(merged.get(key) or 0))
        shown[""] = other
    if totals.get("headcount", 0) < MIN_GROUP:
        return {"headcount": totals.get("headcount", 0), "by_department": {}, "hidden": True}
    totals["by_department"] = shown
    return totals
