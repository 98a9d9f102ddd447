"""Payroll reports as tables: one shape for the desk page, the XLSX file
(openpyxl; amounts as numbers formatted ``#,##0``) and the API/CLI rows.

Each report of :mod:`backoffice.payroll.selectors.reports` has a ``*_table``
function here; :func:`to_xlsx` writes one or more tables, one sheet each,
under the customary header (company, address, tax code, title, period).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from backoffice.payroll.selectors import reports as rep

TEXT, AMOUNT, NUMBER = "text", "amount", "number"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ReportTable:
    title: str
    period: str
    columns: list[tuple[str, str, str]]  # key, label, kind
    rows: list[dict[str, Any]]
    totals: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def cells(self, row: dict[str, Any]) -> list[Any]:
        return [row.get(key) for key, _label, _kind in self.columns]

    def as_json(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            return str(v) if isinstance(v, Decimal) else v

        return {
            "title": self.title, "period": self.period,
            "columns": [{"key": k, "label": str(label), "kind": kind}
                        for k, label, kind in self.columns],
            "rows": [{k: plain(r.get(k)) for k, _l, _k in self.columns} for r in self.rows],
            "totals": ({k: plain(self.totals.get(k)) for k, _l, _k in self.columns}
                       if self.totals is not None else None),
            "notes": self.notes,
        }  # fmt: skip


def _person_columns() -> list[tuple[str, str, str]]:
    return [("code", _("Code"), TEXT), ("name", _("Employee"), TEXT),
            ("department", _("Department"), TEXT)]  # fmt: skip


def _totals(data: dict[str, Any], label_key: str = "name") -> dict[str, Any]:
    return {label_key: _("Total"), **data["totals"]}


def register_table(data: dict[str, Any]) -> ReportTable:
    run = data["run"]
    columns = [*_person_columns(), ("standard_days", _("Standard days"), NUMBER),
               ("paid_days", _("Paid days"), NUMBER)]  # fmt: skip
    columns += [(k, str(label), AMOUNT) for k, label in rep.REGISTER_COLUMNS]
    title = _("Payroll register")
    period = f"{run.month:02d}/{run.year}" + (f" — {run.title}" if run.title else "")
    return ReportTable(title, period, columns, data["rows"], _totals(data))


def insurance_table(data: dict[str, Any]) -> ReportTable:
    labels = {
        "insurance_base": _("Insurance base"), "si": _("SI (employee)"),
        "hi": _("HI (employee)"), "ui": _("UI (employee)"), "er_si": _("SI (employer)"),
        "er_hi": _("HI (employer)"), "er_ui": _("UI (employer)"),
        "er_union_fund": _("Union fund"), "insurance_total": _("Employee total"),
        "er_total": _("Employer total"),
    }  # fmt: skip
    columns = _person_columns() + [(k, labels[k], AMOUNT) for k in rep.INSURANCE_COLUMNS]
    return ReportTable(_("Insurance contributions by employee"), data["period"].label, columns,
                       data["rows"], _totals(data))  # fmt: skip


def pit_table(data: dict[str, Any]) -> ReportTable:
    labels = {
        "gross": _("Gross income"), "assessable_income": _("Income subject to tax"),
        "insurance_total": _("Employee insurance"), "family_deduction": _("Family deduction"),
        "taxable_income": _("Taxable income"), "pit": _("PIT withheld"),
    }  # fmt: skip
    columns = [*_person_columns(), ("tax_code", _("Personal tax code"), TEXT),
               ("months", _("Months"), NUMBER)]  # fmt: skip
    columns += [(k, labels[k], AMOUNT) for k in rep.PIT_COLUMNS]
    return ReportTable(_("PIT withheld by employee"), data["period"].label, columns,
                       data["rows"], _totals(data))  # fmt: skip


def finalisation_table(data: dict[str, Any]) -> ReportTable:
    labels = {
        "months": _("Months"), "assessable_income": _("Income subject to tax"),
        "insurance_total": _("Employee insurance"), "personal_deduction": _("Personal deduction"),
        "dependant_deduction": _("Dependant deduction"), "taxable_income": _("Taxable income"),
        "tax_due": _("Tax on the annual scale"), "withheld": _("PIT withheld"),
        "difference": _("To pay (+) / refund (-)"),
    }  # fmt: skip
    columns = [*_person_columns(), ("dependant_months", _("Dependant-months"), NUMBER)]
    columns += [(k, labels[k], NUMBER if k == "months" else AMOUNT) for k in rep.FINAL_COLUMNS]
    notes = [_("Recomputed on the rules in force on %(d)s: the monthly brackets x 12, the "
               "personal deduction x 12 and the dependant deduction x the dependant-months.")
             % {"d": data["rules_on"].strftime("%d/%m/%Y")}]  # fmt: skip
    if data["non_residents"]:
        notes.append(_("Non-residents (20 %% final, not finalised): %(codes)s")
                     % {"codes": ", ".join(data["non_residents"])})  # fmt: skip
    return ReportTable(_("PIT finalisation worksheet"), str(data["year"]), columns,
                       data["rows"], _totals(data), notes)  # fmt: skip


def _aggregate_columns(first: tuple[str, str, str]) -> list[tuple[str, str, str]]:
    labels = {
        "headcount": _("Headcount"), "gross": _("Gross income"),
        "insurance_total": _("Employee insurance"), "pit": _("PIT"), "net": _("Net pay"),
        "employer": _("Employer contributions"), "total_cost": _("Total cost"),
    }  # fmt: skip
    return [first] + [(k, labels[k], NUMBER if k == "headcount" else AMOUNT)
                      for k in rep.AGGREGATE_COLUMNS]  # fmt: skip


def aggregate_tables(data: dict[str, Any]) -> list[ReportTable]:
    by_month = ReportTable(_("Payroll totals by month"), str(data["year"]),
                           _aggregate_columns(("label", _("Month"), TEXT)), data["months"],
                           data["totals"])  # fmt: skip
    by_dept = ReportTable(_("Payroll totals by department"), str(data["year"]),
                          _aggregate_columns(("label", _("Department"), TEXT)),
                          data["departments"], data["totals"])  # fmt: skip
    return [by_month, by_dept]


def collaborator_table(data: dict[str, Any]) -> ReportTable:
    columns = [("code", _("Code"), TEXT), ("name", _("Collaborator"), TEXT),
               ("payments", _("Payments"), NUMBER), ("amount", _("Amount paid"), AMOUNT),
               ("withheld", _("PIT withheld"), AMOUNT), ("net", _("Net paid"), AMOUNT)]  # fmt: skip
    return ReportTable(_("PIT withheld from collaborators"), data["period"].label, columns,
                       data["rows"], {"name": _("Total"), **data["totals"]})  # fmt: skip


def to_xlsx(tables: list[ReportTable], company: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    for i, table in enumerate(tables):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = table.title[:31]
        head = [[f"Đơn vị: {company.name}"], [f"Địa chỉ: {company.address}"],
                [f"Mã số thuế: {company.tax_code}"], [], [table.title], [table.period], [],
                [str(label) for _k, label, _kind in table.columns]]  # fmt: skip
        for line in head:
            ws.append(line)
        ws.cell(row=5, column=1).font = Font(bold=True, size=14)
        for cell in ws[len(head)]:
            cell.font = bold
        amount_cols = [c for c, (_k, _l, kind) in enumerate(table.columns, start=1)
                       if kind == AMOUNT]  # fmt: skip
        rows = [*table.rows, *([table.totals] if table.totals is not None else [])]
        # The row number is counted here: ``ws.max_row`` walks every cell (quadratic).
        for r, row in enumerate(rows, start=len(head) + 1):
            ws.append([int(v) if isinstance(v, Decimal) and v == v.to_integral() else
                       (float(v) if isinstance(v, Decimal) else v) for v in table.cells(row)])  # fmt: skip
            for col in amount_cols:
                ws.cell(row=r, column=col).number_format = "#,##0"
        if table.totals is not None:
            for col in range(1, len(table.columns) + 1):
                ws.cell(row=len(head) + len(rows), column=col).font = bold
        for note in table.notes:
            ws.append([note])
        for col, (_k, label, kind) in enumerate(table.columns, start=1):
            width = 14 if kind != TEXT else max(10, min(32, len(str(label)) + 4))
            ws.column_dimensions[get_column_letter(col)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
