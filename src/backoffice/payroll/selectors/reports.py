"""Payroll reports.

Per person (``payroll.view_reports``: payroll officer, HR manager):

* the payroll register of a run (Mẫu 02-LĐTL columns: days, every earning,
  insurance by kind, union dues, PIT, other deductions, net, employer
  contributions and cost), with totals;
* insurance contributions by employee for a month (employee and employer
  shares by kind, the insurance base, the union fund);
* PIT withheld by employee for a month, a quarter or a year;
* the year-end finalisation worksheet: the year recomputed on the rules in
  force for the year (:func:`finalisation`).

Aggregates only (``payroll.view_aggregates``: chief accountant, data analyst,
also payroll and HR): totals by month and by department, no person; a
department with fewer than :data:`MIN_GROUP` people is merged into "Other
departments" so that no total is one person's pay.

Reports read the payslips of approved, paid and posted runs (regular and
adjustment runs of the period); the register reads one run in any state but
cancelled (it is how the run is checked before approval).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.exceptions import NotFound
from backoffice.core.selectors import _get, require_perm, scope_to_company
from backoffice.payroll.calculations.types import Bracket, MonthResult
from backoffice.payroll.enums import RunState
from backoffice.payroll.models import PayrollRun, Payslip
from backoffice.payroll.selectors.payslips import RELEASED, decoded
from backoffice.payroll.selectors.periods import Period

ZERO = Decimal(0)
MIN_GROUP = 3

# key, label; every amount column is a MonthResult field.
REGISTER_COLUMNS: list[tuple[str, Any]] = [
    ("base_pay", gettext_lazy("Salary for days worked")),
    ("allowances_taxable", gettext_lazy("Taxable allowances")),
    ("allowances_exempt", gettext_lazy("Exempt allowances")),
    ("overtime_pay", gettext_lazy("Overtime")),
    ("bonuses", gettext_lazy("Bonuses")),
    ("gross", gettext_lazy("Gross income")),
    ("insurance_base", gettext_lazy("Insurance base")),
    ("si", gettext_lazy("SI (employee)")),
    ("hi", gettext_lazy("HI (employee)")),
    ("ui", gettext_lazy("UI (employee)")),
    ("union_dues", gettext_lazy("Union dues")),
    ("family_deduction", gettext_lazy("Family deduction")),
    ("taxable_income", gettext_lazy("Taxable income")),
    ("pit", gettext_lazy("PIT")),
    ("other_deductions", gettext_lazy("Other deductions")),
    ("net", gettext_lazy("Net pay")),
    ("er_si", gettext_lazy("SI (employer)")),
    ("er_hi", gettext_lazy("HI (employer)")),
    ("er_ui", gettext_lazy("UI (employer)")),
    ("er_union_fund", gettext_lazy("Union fund")),
    ("total_cost", gettext_lazy("Total cost")),
]
INSURANCE_COLUMNS = ["insurance_base", "si", "hi", "ui", "er_si", "er_hi", "er_ui",
                     "er_union_fund", "insurance_total", "er_total"]  # fmt: skip
PIT_COLUMNS = ["gross", "assessable_income", "insurance_total", "family_deduction",
               "taxable_income", "pit"]  # fmt: skip
FINAL_COLUMNS = ["months", "assessable_income", "insurance_total", "personal_deduction",
                 "dependant_deduction", "taxable_income", "tax_due", "withheld",
                 "difference"]  # fmt: skip
AGGREGATE_COLUMNS = ["headcount", "gross", "insurance_total", "pit", "net", "employer",
                     "total_cost"]  # fmt: skip


def _employee(doc: dict[str, Any], slip: Payslip) -> dict[str, str]:
    emp = dict(doc.get("employee") or {})
    return {
        "code": str(emp.get("code") or slip.employee.code),
        "name": str(emp.get("name") or slip.employee.full_name),
        "department": str(emp.get("department") or (slip.department.name if slip.department
                                                      else "")),
    }  # fmt: skip


def _amounts(r: MonthResult) -> dict[str, Decimal]:
    out = {f.name: getattr(r, f.name) for f in dataclasses.fields(r) if f.name != "pit_by_bracket"}
    out["er_total"] = r.er_si + r.er_hi + r.er_ui + r.er_union_fund
    return out


def _released(company: Any, year: int, months: list[int]) -> Any:
    return (
        Payslip.objects.filter(
            company=company,
            run__company=company,
            run__year=year,
            run__month__in=months,
            run__state__in=RELEASED,
        )  # fmt: skip
        .select_related("employee", "department", "run")
        .order_by("employee__code", "run__month", "run__id")
    )


def _add(total: dict[str, Decimal], row: dict[str, Any], keys: list[str]) -> None:
    for k in keys:
        total[k] = total.get(k, ZERO) + row[k]


# --- per person -------------------------------------------------------------------------


def report_runs(*, user: Any, company: Any) -> QuerySet[PayrollRun]:
    """The company's runs a register can be made of (any but a cancelled one), newest first."""
    require_perm(user, "payroll.view_reports")
    runs = scope_to_company(PayrollRun.objects.exclude(state=RunState.CANCELLED), company)
    return runs.order_by("-year", "-month", "-id")


def report_run_get(*, user: Any, company: Any, public_id: Any) -> PayrollRun:
    """``public_id`` may be raw query-string text: anything but a UUID is "not found"."""
    try:
        public_id = uuid.UUID(str(public_id))
    except ValueError:
        public_id = None
    return _get(report_runs(user=user, company=company), public_id, _("Payroll run"))


def register(*, user: Any, company: Any, run: PayrollRun) -> dict[str, Any]:
    """{run, rows: [{code, name, department, standard_days, paid_days, <columns>}], totals}"""
    require_perm(user, "payroll.view_reports")
    if run.company_id != company.pk or run.state == RunState.CANCELLED:
        raise NotFound(_("%(what)s not found.") % {"what": _("Payroll run")})
    keys = [k for k, _label in REGISTER_COLUMNS]
    rows, totals = [], {k: ZERO for k in keys}
    slips = Payslip.objects.filter(run=run).select_related("employee", "department")
    for slip in slips.order_by("employee__code"):
        doc, r = decoded(slip)
        row = {**_employee(doc, slip), "standard_days": slip.standard_days,
               "paid_days": slip.paid_days, **{k: v for k, v in _amounts(r).items() if k in keys}}  # fmt: skip
        rows.append(row)
        _add(totals, row, keys)
    return {"run": run, "rows": rows, "totals": totals, "columns": REGISTER_COLUMNS}


def _per_person(company: Any, period: Period, keys: list[str]) -> dict[str, Any]:
    people: dict[int, dict[str, Any]] = {}
    totals = {k: ZERO for k in keys}
    for slip in _released(company, period.year, period.months):
        doc, r = decoded(slip)
        amounts = _amounts(r)
        row = people.setdefault(slip.employee_id, {**_employee(doc, slip), "months": set(),
                                                   "employee_id": slip.employee_id,
                                                   **{k: ZERO for k in keys}})  # fmt: skip
        row["months"].add(slip.run.month)
        for k in keys:
            row[k] += amounts[k]
            totals[k] += amounts[k]
    rows = sorted(people.values(), key=lambda x: x["code"])
    for row in rows:
        row["months"] = len(row["months"])
    return {"period": period, "rows": rows, "totals": totals}


def insurance(*, user: Any, company: Any, period: Period) -> dict[str, Any]:
    """Insurance contributions by employee (usually one month)."""
    require_perm(user, "payroll.view_reports")
    return _per_person(company, period, INSURANCE_COLUMNS)


def pit(*, user: Any, company: Any, period: Period) -> dict[str, Any]:
    """PIT withheld by employee for a month, a quarter or a year; the personal tax
    code is shown to holders of ``hr.reveal_pii`` (masked otherwise)."""
    from backoffice.core.fields import mask
    from backoffice.hr.models import Employee

    require_perm(user, "payroll.view_reports")
    data = _per_person(company, period, PIT_COLUMNS)
    reveal = bool(user.has_perm("hr.reveal_pii"))
    ids = [r["employee_id"] for r in data["rows"]]
    codes = {e.pk: str(e.tax_code or "") for e in Employee.objects.filter(pk__in=ids)}
    for row in data["rows"]:
        code = codes.get(row["employee_id"], "")
        row["tax_code"] = code if reveal else mask(code)
    return data


def annual_rules(rules: Any) -> Any:
    """The monthly scale x 12 (the annual scale of the finalisation)."""
    brackets = tuple(
        Bracket(None if b.upper is None else b.upper * 12, b.rate) for b in rules.pit_brackets
    )
    return dataclasses.replace(rules, pit_brackets=brackets)


def annual_tax(taxable: Decimal, rules: Any) -> Decimal:
    from backoffice.payroll.calculations import pit_brackets

    return sum((b.tax for b in pit_brackets(taxable, annual_rules(rules))), ZERO)


def finalisation(
    *, user: Any, company: Any, year: int, on: dt.date | None = None
) -> dict[str, Any]:
    """The year-end PIT finalisation worksheet of the residents paid in ``year``.

    The year is recomputed on the rules in force for it (``on``, default 1
    December of the year: for 2026 the 5-bracket scale and 15.5M / 6.2M
    deductions even where the months were withheld on the old scale):
    taxable = income subject to tax - employee insurance - personal deduction
    x 12 (Circular 111/2013 Art. 9.1.c: a full year at finalisation) -
    dependant deduction x the dependant-months of the payslips; tax = the
    annual scale (monthly brackets x 12); difference = tax - withheld
    (positive: to pay, negative: to refund). Non-residents (20 % final) are
    listed apart.
    """
    from backoffice.payroll.selectors.periods import rules_on

    require_perm(user, "payroll.view_reports")
    rules = rules_on(on or dt.date(year, 12, 1), company)
    people: dict[int, dict[str, Any]] = {}
    non_residents: set[str] = set()
    for slip in _released(company, year, list(range(1, 13))):
        doc, r = decoded(slip)
        inputs = doc.get("inputs") or {}
        emp = _employee(doc, slip)
        if inputs.get("resident", True) is False:
            non_residents.add(emp["code"])
            continue
        row = people.setdefault(slip.employee_id, {**emp, "month_set": set(),
                                                   "dependant_months": 0,
                                                   "assessable_income": ZERO,
                                                   "insurance_total": ZERO, "withheld": ZERO})  # fmt: skip
        row["month_set"].add(slip.run.month)
        if slip.run.kind == "regular":
            row["dependant_months"] += int(inputs.get("dependants") or 0)
        row["assessable_income"] += r.assessable_income
        row["insurance_total"] += r.insurance_total
        row["withheld"] += r.pit
    keys = FINAL_COLUMNS[1:]
    totals = {k: ZERO for k in keys}
    rows = []
    for row in sorted(people.values(), key=lambda x: x["code"]):
        row["months"] = len(row.pop("month_set"))
        row["personal_deduction"] = rules.personal_deduction * 12
        row["dependant_deduction"] = rules.dependant_deduction * row["dependant_months"]
        row["taxable_income"] = max(ZERO, row["assessable_income"] - row["insurance_total"]
                                    - row["personal_deduction"] - row["dependant_deduction"])  # fmt: skip
        row["tax_due"] = annual_tax(row["taxable_income"], rules)
        row["difference"] = row["tax_due"] - row["withheld"]
        _add(totals, row, keys)
        rows.append(row)
    return {"year": year, "rules_on": rules.on, "rows": rows, "totals": totals,
            "non_residents": sorted(non_residents)}  # fmt: skip


# --- aggregates only --------------------------------------------------------------------


FIGURES = AGGREGATE_COLUMNS[1:]


def _group(label: str, parts: list[dict[str, Any]]) -> dict[str, Any]:
    people: set[int] = set().union(*(p["people"] for p in parts))
    return {"label": label, "people": people, "headcount": len(people),
            **{k: sum((p[k] for p in parts), ZERO) for k in FIGURES}}  # fmt: skip


def _months_grouped(months: list[dict[str, Any]], year: int) -> list[dict[str, Any]]:
    """Consecutive months merged until each group pays at least MIN_GROUP people
    ("05-06/2026"); a small last group joins the one before."""
    groups: list[list[dict[str, Any]]] = []
    for m in months:
        if groups and len(set().union(*(x["people"] for x in groups[-1]))) < MIN_GROUP:
            groups[-1].append(m)
        else:
            groups.append([m])
    if len(groups) > 1 and len(set().union(*(x["people"] for x in groups[-1]))) < MIN_GROUP:
        last = groups.pop()
        groups[-1] += last

    def label(g: list[dict[str, Any]]) -> str:
        first, last = g[0]["month"], g[-1]["month"]
        return f"{first:02d}/{year}" if first == last else f"{first:02d}-{last:02d}/{year}"

    return [_group(label(g), g) for g in groups]


def _departments_grouped(depts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Departments of fewer than MIN_GROUP people merged into "Other departments";
    if that line is still too small, the smallest department joins it (else the
    total minus the shown departments would give it away)."""
    big = sorted((d for d in depts if len(d["people"]) >= MIN_GROUP), key=lambda d: d["label"])
    small = [d for d in depts if len(d["people"]) < MIN_GROUP]
    if small and len(set().union(*(d["people"] for d in small))) < MIN_GROUP and big:
        smallest = min(big, key=lambda d: len(d["people"]))
        big.remove(smallest)
        small.append(smallest)
    other = _("Other departments (fewer than %(n)s people each)") % {"n": MIN_GROUP}
    return [_group(d["label"], [d]) for d in big] + ([_group(other, small)] if small else [])


def aggregates(*, user: Any, company: Any, year: int) -> dict[str, Any]:
    """Totals by month and by department for ``year``; no person's amount.

    Every line counts at least :data:`MIN_GROUP` people, and the lines add up to
    the total, so no difference of two figures is one person's pay: small months
    are merged with the next, small departments into "Other departments". A year
    paying fewer than MIN_GROUP people shows headcounts only."""
    require_perm(user, "payroll.view_aggregates")
    months: dict[int, dict[str, Any]] = {}
    depts: dict[str, dict[str, Any]] = {}
    for slip in _released(company, year, list(range(1, 13))):
        doc, r = decoded(slip)
        a = _amounts(r)
        figures = {"gross": a["gross"], "insurance_total": a["insurance_total"], "pit": a["pit"],
                   "net": a["net"], "employer": a["er_total"], "total_cost": a["total_cost"]}  # fmt: skip
        name = _employee(doc, slip)["department"] or _("No department")
        for bucket in (
            months.setdefault(slip.run.month, {"month": slip.run.month, "people": set(),
                                               **{k: ZERO for k in figures}}),
            depts.setdefault(name, {"label": name, "people": set(),
                                    **{k: ZERO for k in figures}}),
        ):  # fmt: skip
            bucket["people"].add(slip.employee_id)
            for k, v in figures.items():
                bucket[k] += v
    month_rows = _months_grouped([months[m] for m in sorted(months)], year)
    dept_rows = _departments_grouped(list(depts.values()))
    total = _group(_("Total"), month_rows) if month_rows else _group(_("Total"), [])
    for row in [*month_rows, *dept_rows, total]:
        row.pop("people")
        if row["headcount"] < MIN_GROUP:
            row.update({k: None for k in FIGURES})
    return {"year": year, "months": month_rows, "departments": dept_rows, "totals": total}
