"""Reports to XLSX (openpyxl) and PDF (fpdf2, A4, DejaVu fonts for Vietnamese).

Every export starts with the customary header: "Đơn vị" (company name), "Địa
chỉ", "Mã số thuế", the form number ("Mẫu số S06-DN" ...), the report title
and period; amounts are numbers (XLSX format ``#,##0``); the PDF ends with the
signatures row "Người lập biểu / Kế toán trưởng / Giám đốc".

A report is first turned into a :class:`Table` (title, columns, rows), so both
formats share one layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from backoffice.accounting import reports
from backoffice.core.exceptions import ApplicationError
from backoffice.core.money import format_vnd, minor_unit

# The TTF fonts used in PDFs (Vietnamese glyphs): settings.BACKOFFICE["PDF_FONT_DIR"]
# or this default (Debian's fonts-dejavu-core).
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@dataclass
class Column:
    key: str
    label: str
    width: float  # mm on A4, also used for XLSX (x 0.5)
    amount: bool = False


@dataclass
class Table:
    form: str  # "S06-DN"
    title: str
    period: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    footer: list[dict[str, Any]] = field(default_factory=list)  # totals rows
    landscape: bool = False
    currency: str = "VND"


def _d(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _period(date_from: date | None, date_to: date | None) -> str:
    return _("From %(a)s to %(b)s") % {"a": _d(date_from), "b": _d(date_to)}


# --- report -> table -----------------------------------------------------------------------


def trial_balance_table(tb: reports.TrialBalance) -> Table:
    cols = [
        Column("code", _("Account"), 18),
        Column("name", _("Account name"), 62),
        Column("opening_debit", _("Opening debit"), 33, True),
        Column("opening_credit", _("Opening credit"), 33, True),
        Column("period_debit", _("Period debit"), 33, True),
        Column("period_credit", _("Period credit"), 33, True),
        Column("closing_debit", _("Closing debit"), 33, True),
        Column("closing_credit", _("Closing credit"), 33, True),
    ]
    rows = [{"code": r.code, "name": r.name, **{k: getattr(r, k) for k in r.AMOUNTS}} for r in tb]
    total = {"code": "", "name": _("Total"), **{k: getattr(tb.total, k) for k in tb.total.AMOUNTS}}
    return Table(
        form="S06-DN",
        title=_("TRIAL BALANCE"),
        period=_period(tb.date_from, tb.date_to),
        columns=cols,
        rows=rows,
        footer=[total],
        landscape=True,
        currency=tb.company.currency,
    )


def ledger_table(page: reports.LedgerPage, company: Any, form: str = "S03b-DN") -> Table:
    titles = {
        "S03b-DN": _("GENERAL LEDGER"),
        "S07-DN": _("CASH BOOK"),
        "S08-DN": _("BANK BOOK"),
    }
    cols = [
        Column("date", _("Date"), 20),
        Column("number", _("Voucher"), 24),
        Column("description", _("Description"), 77),
        Column("contra", _("Contra account"), 22),
        Column("debit", _("Debit"), 33, True),
        Column("credit", _("Credit"), 33, True),
        Column("balance", _("Balance"), 33, True),
    ]
    accounts = ", ".join(f"{a.code} {a.name}" for a in page.accounts[:3])
    rows = [
        {
            "date": _d(r.date),
            "number": r.number,
            "description": r.description,
            "contra": ", ".join(r.contra),
            "debit": r.debit,
            "credit": r.credit,
            "balance": r.balance,
        }
        for r in page.rows
    ]
    head = {"description": _("Opening balance"), "balance": page.page_opening}
    footer = [
        {"description": _("Total for the period"), "debit": page.total_debit,
         "credit": page.total_credit},
        {"description": _("Closing balance"), "balance": page.closing},
    ]  # fmt: skip
    return Table(
        form=form,
        title=f"{titles.get(form, form)} — {accounts}",
        period=_period(page.date_from, page.date_to),
        columns=cols,
        rows=[head, *rows],
        footer=footer,
        landscape=True,
        currency=company.currency,
    )


def journal_table(page: reports.JournalPage, company: Any) -> Table:
    cols = [
        Column("date", _("Date"), 20),
        Column("number", _("Voucher"), 26),
        Column("description", _("Description"), 110),
        Column("account", _("Account"), 22),
        Column("debit", _("Debit"), 38, True),
        Column("credit", _("Credit"), 38, True),
    ]
    rows = [
        {
            "date": _d(r.date) if r.first else "",
            "number": r.number if r.first else "",
            "description": r.description,
            "account": r.account_code,
            "debit": r.debit or None,
            "credit": r.credit or None,
        }
        for r in page.rows
    ]
    footer = [{"description": _("Total"), "debit": page.total_debit, "credit": page.total_credit}]
    return Table(
        form="S03a-DN",
        title=_("GENERAL JOURNAL"),
        period=_period(page.date_from, page.date_to),
        columns=cols,
        rows=rows,
        footer=footer,
        landscape=True,
        currency=company.currency,
    )


def statement_table(st: reports.Statement) -> Table:
    if st.kind == "balance_sheet":
        current, prior = _("End of period"), _("Start of year")
        period = _("As at %(d)s") % {"d": _d(st.date_to)}
    else:
        current, prior = _("This period"), _("Same period last year")
        period = _period(st.date_from, st.date_to)
    cols = [
        Column("label", _("Item"), 98),
        Column("code", _("Line code"), 14),
        Column("note", _("Note"), 16),
        Column("amount", current, 31, True),
        Column("prior", prior, 31, True),
    ]
    rows = [
        {
            "label": ("  " * ln.indent) + ln.label,
            "code": ln.code,
            "note": "",
            "amount": ln.amount,
            "prior": ln.prior,
            "_bold": ln.bold,
        }
        for ln in st.lines
    ]
    return Table(
        form=st.form,
        title=st.title,
        period=period,
        columns=cols,
        rows=rows,
        currency=st.company.currency,
    )


# --- writers -------------------------------------------------------------------------------


def _number_format(currency: str) -> str:
    places = minor_unit(currency)
    return "#,##0" + ("." + "0" * places if places else "")


def to_xlsx(table: Table, company: Any) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = table.form[:31] or "Report"
    bold = Font(bold=True)
    ncols = len(table.columns)
    for label, value in (
        (_("Company"), company.name),
        (_("Address"), company.address),
        (_("Tax code"), company.tax_code),
    ):
        ws.append([f"{label}: {value}"])
    ws.cell(row=1, column=ncols, value=f"Mẫu số {table.form}").font = bold
    ws.append([])
    ws.append([table.title])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=14)
    ws.append([table.period])
    ws.append([_("Currency: %(c)s") % {"c": table.currency}])
    ws.append([])
    ws.append([c.label for c in table.columns])
    for cell in ws[ws.max_row]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    fmt = _number_format(table.currency)
    for row in [*table.rows, *table.footer]:
        values = []
        for c in table.columns:
            v = row.get(c.key)
            if c.amount and v is not None and v != "":
                v = Decimal(v)
                v = int(v) if v == v.to_integral_value() else float(v)
            values.append(v)
        ws.append(values)
        r = ws.max_row
        for i, c in enumerate(table.columns, start=1):
            if c.amount:
                ws.cell(row=r, column=i).number_format = fmt
            if row in table.footer or row.get("_bold"):
                ws.cell(row=r, column=i).font = bold
    for i, c in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(8, c.width * 0.55)
    ws.append([])
    ws.append(["Người lập biểu", "", "Kế toán trưởng", "", "Giám đốc"][: max(ncols, 3)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def font_dir() -> Path:
    configured = (getattr(settings, "BACKOFFICE", {}) or {}).get("PDF_FONT_DIR")
    path = Path(configured or DEFAULT_FONT_DIR)
    missing = [f for f in FONT_FILES.values() if not (path / f).exists()]
    if missing:
        raise ApplicationError(
            _(
                "The PDF fonts are missing (%(files)s in %(dir)s). Install the DejaVu fonts "
                "(Debian: fonts-dejavu-core) or set BACKOFFICE['PDF_FONT_DIR']."
            )
            % {"files": ", ".join(missing), "dir": path},
            code="pdf_fonts_missing",
        )
    return path


def _fmt_amount(value: Any, currency: str) -> str:
    if value is None or value == "":
        return ""
    v = Decimal(value)
    text = format_vnd(abs(v), currency).rsplit(" ", 1)[0]  # figure only; unit in the header
    return f"({text})" if v < 0 else text


def to_pdf(table: Table, company: Any) -> bytes:
    from fpdf import FPDF

    fonts = font_dir()
    pdf = FPDF(orientation="L" if table.landscape else "P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    scale = width / sum(c.width for c in table.columns)
    widths = [c.width * scale for c in table.columns]

    pdf.set_font("DejaVu", "B", 9)
    y = pdf.get_y()
    pdf.multi_cell(width * 0.6, 5, f"Đơn vị: {company.name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    if company.address:
        pdf.multi_cell(
            width * 0.6, 4.5, f"Địa chỉ: {company.address}", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.cell(width * 0.6, 4.5, f"Mã số thuế: {company.tax_code}", new_x="LMARGIN", new_y="NEXT")
    after = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width * 0.6, y)
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(width * 0.4, 5, f"Mẫu số {table.form}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, max(after, pdf.get_y()) + 4)
    pdf.set_font("DejaVu", "B", 13)
    pdf.cell(width, 7, table.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.cell(width, 5, table.period, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 5, f"Đơn vị tính: {table.currency}", align="R", new_x="LMARGIN", new_y="NEXT")

    def header() -> None:
        pdf.set_font("DejaVu", "B", 7.5)
        for c, w in zip(table.columns, widths, strict=True):
            pdf.cell(w, 7, c.label, border=1, align="C")
        pdf.ln()

    header()
    for row in [*table.rows, *table.footer]:
        if pdf.get_y() > pdf.h - 20:
            pdf.add_page()
            header()
        pdf.set_font("DejaVu", "B" if (row in table.footer or row.get("_bold")) else "", 7.5)
        for c, w in zip(table.columns, widths, strict=True):
            v = row.get(c.key)
            text = _fmt_amount(v, table.currency) if c.amount else ("" if v is None else str(v))
            while text and pdf.get_string_width(text) > w - 1.5:
                text = text[:-2] + "…"
            pdf.cell(w, 5.5, text, border=1, align="R" if c.amount else "L")
        pdf.ln()

    pdf.ln(6)
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    signature_block(pdf, width, ("Người lập biểu", "Kế toán trưởng", "Giám đốc"))
    return bytes(pdf.output())


def signature_block(pdf: Any, width: float, labels: tuple[str, str, str]) -> None:
    """The customary foot of a Vietnamese document: the date line on the right,
    then three signers, each "(Ký, họ tên)"."""
    third = width / 3
    pdf.set_font("DejaVu", "", 8)
    pdf.cell(third * 2, 5, "")
    pdf.cell(
        third, 5, "Ngày ..... tháng ..... năm .......", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", "B", 9)
    for label in labels:
        pdf.cell(third, 5, label, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 7.5)
    for _label in labels:
        pdf.cell(third, 4, "(Ký, họ tên)", align="C")


def export(table: Table, company: Any, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file extension) for ``fmt`` "xlsx" or "pdf"."""
    if fmt == "xlsx":
        return (
            to_xlsx(table, company),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    if fmt == "pdf":
        return to_pdf(table, company), "application/pdf", "pdf"
    raise ApplicationError(_("Unknown export format: %(f)s.") % {"f": fmt}, code="bad_format")
