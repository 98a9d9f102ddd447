"""HR reports (aggregates, ``hr.view_reports``): headcount by department, position or
contract type on a date and over time, joiners and leavers, turnover rate,
contract expiries and leave liability; one XLSX workbook of them all.

Definitions (the issue is silent; chosen and documented in the HR guide):
* a person is *in the headcount* on a day when start date <= day and (no last
  working day, or last working day >= day); remote collaborators are counted
  apart (``kind``), never in the employees' headcount;
* *joiners* start within the period, *leavers* have their last working day in it;
* *turnover rate* = leavers / average headcount x 100, average headcount =
  (headcount on the first day + headcount on the last day) / 2, two decimals.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from backoffice.core.models import Company
from backoffice.core.selectors import require_perm
from backoffice.hr.enums import ContractState, ContractType, PersonKind
from backoffice.hr.models import Contract, Employee

BY = ("department", "position", "contract_type")


def _people(company: Company, kind: str = PersonKind.EMPLOYEE) -> list[dict[str, Any]]:
    return list(
        Employee.objects.filter(company=company, kind=kind).values(
            "id", "code", "full_name", "hire_date", "termination_date", "termination_reason",
            "department__code", "department__name", "position__code", "position__name",
        )
    )  # fmt: skip


def _in_force(p: dict[str, Any], on: dt.date) -> bool:
    return p["hire_date"] <= on and (p["termination_date"] is None or p["termination_date"] >= on)


def _contract_types(company: Company, on: dt.date) -> dict[int, str]:
    rows = (
        Contract.objects.filter(company=company, start_date__lte=on)
        .filter(state__in=[ContractState.ACTIVE, ContractState.ENDED, ContractState.TERMINATED])
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gte=on))
        .order_by("start_date", "id")
        .values_list("employee_id", "contract_type")
    )
    return dict(rows)  # the latest started wins


def _key(p: dict[str, Any], by: str, types: dict[int, str]) -> tuple[str, str]:
    if by == "department":
        return p["department__code"] or "", p["department__name"] or _("No department")
    if by == "position":
        return p["position__code"] or "", p["position__name"] or _("No position")
    kind = types.get(p["id"], "")
    return kind, str(ContractType(kind).label) if kind else _("No contract")


def headcount(*, user: Any, company: Company, on: dt.date, by: str = "department"):
    """[{key, label, count}] sorted by label, and the total as the last row."""
    require_perm(user, "hr.view_reports")
    if by not in BY:
        raise ValueError(by)
    types = _contract_types(company, on) if by == "contract_type" else {}
    counts: Counter[tuple[str, str]] = Counter(
        _key(p, by, types) for p in _people(company) if _in_force(p, on)
    )
    rows = [{"key": k, "label": label, "count": n} for (k, label), n in counts.items()]
    rows.sort(key=lambda r: r["label"])
    rows.append({"key": "", "label": _("Total"), "count": sum(counts.values())})
    return rows


def month_ends(start: dt.date, end: dt.date) -> list[dt.date]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
        out.append(min(nxt - dt.timedelta(days=1), end))
        y, m = nxt.year, nxt.month
    return out


def headcount_series(*, user: Any, company: Company, start: dt.date, end: dt.date,
                     by: str = "department") -> dict[str, Any]:  # fmt: skip
    """Headcount at each month end (the last point is ``end``): {dates, series: [{label,
    counts}], totals}."""
    require_perm(user, "hr.view_reports")
    people = _people(company)
    dates = month_ends(start, end)
    series: dict[tuple[str, str], list[int]] = {}
    totals = []
    for i, on in enumerate(dates):
        types = _contract_types(company, on) if by == "contract_type" else {}
        present = [p for p in people if _in_force(p, on)]
        totals.append(len(present))
        for p in present:
            series.setdefault(_key(p, by, types), [0] * len(dates))[i] += 1
    rows = [{"key": k, "label": label, "counts": c} for (k, label), c in series.items()]
    rows.sort(key=lambda r: r["label"])
    return {"dates": dates, "series": rows, "totals": totals}


def joiners_leavers(*, user: Any, company: Company, start: dt.date, end: dt.date):
    require_perm(user, "hr.view_reports")
    people = _people(company)
    joiners = sorted(
        (p for p in people if start <= p["hire_date"] <= end), key=lambda p: p["hire_date"]
    )
    leavers = sorted(
        (p for p in people if p["termination_date"] and start <= p["termination_date"] <= end),
        key=lambda p: p["termination_date"],
    )
    months = []
    for on in month_ends(start, end):
        first = max(on.replace(day=1), start)
        months.append({
            "month": on.strftime("%m/%Y"),
            "joiners": sum(1 for p in joiners if first <= p["hire_date"] <= on),
            "leavers": sum(1 for p in leavers if first <= p["termination_date"] <= on),
        })  # fmt: skip
    return {"joiners": joiners, "leavers": leavers, "months": months}


def turnover(*, user: Any, company: Company, start: dt.date, end: dt.date) -> dict[str, Any]:
    require_perm(user, "hr.view_reports")
    people = _people(company)
    opening = sum(1 for p in people if _in_force(p, start))
    closing = sum(1 for p in people if _in_force(p, end))
    leavers = sum(
        1 for p in people if p["termination_date"] and start <= p["termination_date"] <= end
    )
    average = Decimal(opening + closing) / 2
    rate = (
        (Decimal(leavers) * 100 / average).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if average
        else Decimal("0.00")
    )
    return {"opening": opening, "closing": closing, "average": average, "leavers": leavers,
            "rate": rate}  # fmt: skip


def contract_expiries(*, user: Any, company: Company, start: dt.date, end: dt.date):
    """Active contracts whose end date falls in the period, soonest first."""
    require_perm(user, "hr.view_reports")
    rows = (
        Contract.objects.filter(
            company=company, state=ContractState.ACTIVE, end_date__gte=start, end_date__lte=end
        )  # fmt: skip
        .select_related("employee", "employee__department")
        .order_by("end_date", "number")
    )
    return [
        {"number": c.number, "employee_code": c.employee.code, "employee": c.employee.full_name,
         "department": c.employee.department.name if c.employee.department_id else "",
         "contract_type": c.get_contract_type_display(), "end_date": c.end_date,
         "days_left": (c.end_date - start).days}
        for c in rows
    ]  # fmt: skip


def leave_liability(*, user: Any, company: Company, on: dt.date) -> list[dict[str, Any]] | None:
    """``hr.services.leave.leave_liability``; money amounts only for salary roles."""
    from backoffice.hr.services.leave import leave_liability as liability

    require_perm(user, "hr.view_reports")
    rows = list(liability(company=company, on=on, user=user))
    if not user.has_perm("core.view_salary"):
        rows = [{k: v for k, v in r.items() if k != "amount"} for r in rows]
    return rows


def liability_by_department(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """The leave liability summed per department (the page; the XLSX has every person)."""
    if rows is None:
        return None
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        agg = out.setdefault(r.get("department") or _("No department"),
                             {"people": set(), "days": Decimal(0), "amount": None})  # fmt: skip
        agg["people"].add(r.get("code"))
        agg["days"] += Decimal(str(r.get("days") or 0))
        if r.get("amount") is not None:
            agg["amount"] = (agg["amount"] or Decimal(0)) + Decimal(str(r["amount"]))
    return [{"department": k, "people": len(v["people"]), "days": v["days"],
             "amount": v["amount"]} for k, v in sorted(out.items())]  # fmt: skip


def workbook(*, user: Any, company: Company, start: dt.date, end: dt.date) -> bytes:
    """Every report of the period in one XLSX file (one sheet each)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], rows: list[list[Any]], first: bool = False):
        ws = wb.active if first else wb.create_sheet()
        ws.title = title[:31]
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append(row)
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 50)
        return ws

    for i, by in enumerate(BY):
        data = headcount_series(user=user, company=company, start=start, end=end, by=by)
        header = [_("Group")] + [d.strftime("%d/%m/%Y") for d in data["dates"]]
        rows = [[r["label"], *r["counts"]] for r in data["series"]]
        rows.append([_("Total"), *data["totals"]])
        title = {"department": _("By department"), "position": _("By position"),
                 "contract_type": _("By contract type")}[by]  # fmt: skip
        sheet(title, header, rows, first=i == 0)
    jl = joiners_leavers(user=user, company=company, start=start, end=end)
    sheet(_("Joiners and leavers"), [_("Month"), _("Joiners"), _("Leavers")],
          [[m["month"], m["joiners"], m["leavers"]] for m in jl["months"]])  # fmt: skip
    t = turnover(user=user, company=company, start=start, end=end)
    sheet(
        _("Turnover"),
        [_("Opening"), _("Closing"), _("Average"), _("Leavers"), _("Rate %")],
        [[t["opening"], t["closing"], float(t["average"]), t["leavers"], float(t["rate"])]],
    )
    sheet(_("Contract expiries"),
          [_("Contract"), _("Code"), _("Employee"), _("Department"), _("Type"), _("End date")],
          [[c["number"], c["employee_code"], c["employee"], c["department"],
            c["contract_type"], c["end_date"].strftime("%d/%m/%Y")]
           for c in contract_expiries(user=user, company=company, start=end,
                                      end=end + dt.timedelta(days=90))])  # fmt: skip
    liability = leave_liability(user=user, company=company, on=end)
    if liability:
        keys = list(liability[0].keys())
        sheet(_("Leave liability"), keys,
              [[str(r.get(k, "")) if not isinstance(r.get(k), (int, float, Decimal)) else r[k]
                for k in keys] for r in liability])  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
