"""Recruitment reports as tables: one shape for the desk page, the XLSX file
(openpyxl, one sheet per table under the customary header: company, address,
tax code, title, period) and the API/CLI rows. Aggregates only."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

TEXT, NUMBER, PERCENT, DAYS = "text", "number", "percent", "days"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("funnel", "postings", "time_to_hire", "time_in_stage", "sources")


@dataclass
class ReportTable:
    key: str
    title: str
    period: str
    columns: list[tuple[str, str, str]]  # key, label, kind
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)

    def cells(self, row: dict[str, Any]) -> list[Any]:
        return [row.get(key) for key, _label, _kind in self.columns]

    def display_rows(self) -> list[list[tuple[str, str]]]:
        """(text, kind) per cell, for the desk page."""
        out = []
        for row in self.rows:
            line = []
            for (_key, _label, kind), value in zip(self.columns, self.cells(row), strict=True):
                line.append((show(value, kind), kind))
            out.append(line)
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "period": self.period,
            "columns": [{"key": k, "label": str(label), "kind": kind}
                        for k, label, kind in self.columns],
            "rows": [{k: r.get(k) for k, _l, _k in self.columns} for r in self.rows],
            "notes": self.notes,
        }  # fmt: skip


def show(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == PERCENT:
        return f"{value:.1f} %".replace(".", ",")
    if kind == DAYS:
        return f"{value:.1f}".replace(".", ",")
    if kind == NUMBER:
        return f"{int(value):,}".replace(",", ".")
    return str(value)


def funnel_table(data: dict[str, Any]) -> ReportTable:
    cols = [("label", _("Stage"), TEXT), ("reached", _("Applications reaching it"), NUMBER),
            ("of_applied", _("Share of applications (%)"), PERCENT),
            ("of_previous", _("Share of the previous stage (%)"), PERCENT)]  # fmt: skip
    notes = [
        _("Applications: %(n)s; rejected: %(r)s; withdrawn: %(w)s.")
        % {"n": data["applications"], "r": data["rejected"], "w": data["withdrawn"]}
    ]
    return ReportTable("funnel", _("Funnel conversion per stage"), data["filters"].label, cols,
                       data["stages"], notes)  # fmt: skip


def postings_table(data: dict[str, Any]) -> ReportTable:
    from backoffice.recruitment.enums import StageKind
    from backoffice.recruitment.selectors.reports import FUNNEL_KINDS

    cols = [("posting", _("Job posting"), TEXT), ("applications", _("Applications"), NUMBER)]
    cols += [(f"reached_{k}", str(StageKind(k).label), NUMBER) for k in FUNNEL_KINDS[1:]]
    cols += [("hire_rate", _("Hire rate"), PERCENT)]
    return ReportTable("postings", _("Funnel per job posting"), data["filters"].label, cols,
                       data["postings"])  # fmt: skip


def _days_columns(first: tuple[str, str, str] | None = None) -> list[tuple[str, str, str]]:
    cols = [first] if first else []
    return cols + [("count", _("Applications"), NUMBER), ("median", _("Median days"), DAYS),
                   ("average", _("Average days"), DAYS), ("min", _("Shortest"), DAYS),
                   ("max", _("Longest"), DAYS)]  # fmt: skip


def time_to_hire_table(data: dict[str, Any]) -> ReportTable:
    return ReportTable("time_to_hire", _("Time to hire (days from applying to hired)"),
                       data["filters"].label, _days_columns(), [data])  # fmt: skip


def time_in_stage_table(data: dict[str, Any]) -> ReportTable:
    return ReportTable("time_in_stage", _("Time in stage (days)"), data["filters"].label,
                       _days_columns(("stage", _("Stage"), TEXT)), data["rows"],
                       [_("The current stay of an application in progress counts until now.")])  # fmt: skip


def sources_table(data: dict[str, Any]) -> ReportTable:
    cols = [("label", _("Source"), TEXT), ("applications", _("Applications"), NUMBER),
            ("interviewed", _("Reached interview"), NUMBER), ("hired", _("Hired"), NUMBER),
            ("interview_rate", _("Interview rate"), PERCENT),
            ("hire_rate", _("Hire rate"), PERCENT)]  # fmt: skip
    return ReportTable("sources", _("Source effectiveness"), data["filters"].label, cols,
                       data["rows"])  # fmt: skip


def tables(data: dict[str, Any]) -> list[ReportTable]:
    """All report tables from ``selectors.reports.all_reports``."""
    return [
        funnel_table(data["funnel"]),
        postings_table(data["funnel"]),
        time_to_hire_table(data["time_to_hire"]),
        time_in_stage_table(data["time_in_stage"]),
        sources_table(data["sources"]),
    ]


def to_xlsx(report_tables: list[ReportTable], company: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold = Font(bold=True)
    for i, table in enumerate(report_tables):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = table.title[:31].replace("/", "-")
        head = [[f"Đơn vị: {company.name}"], [f"Địa chỉ: {company.address or ''}"],
                [f"Mã số thuế: {company.tax_code or ''}"], [], [table.title], [table.period], [],
                [str(label) for _k, label, _kind in table.columns]]  # fmt: skip
        for line in head:
            ws.append(line)
        ws.cell(row=5, column=1).font = Font(bold=True, size=14)
        for cell in ws[len(head)]:
            cell.font = bold
        for r, row in enumerate(table.rows, start=len(head) + 1):
            ws.append(table.cells(row))
            for c, (_k, _l, kind) in enumerate(table.columns, start=1):
                if kind in (PERCENT, DAYS):
                    ws.cell(row=r, column=c).number_format = "0.0"
                elif kind == NUMBER:
                    ws.cell(row=r, column=c).number_format = "#,##0"
        for note in table.notes:
            ws.append([note])
        for col, (_k, label, kind) in enumerate(table.columns, start=1):
            width = 14 if kind != TEXT else max(12, min(40, len(str(label)) + 8))
            ws.column_dimensions[get_column_letter(col)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
