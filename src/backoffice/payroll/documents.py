"""The payslip (phiếu lương) as a PDF: A4, fpdf2 with the DejaVu fonts of
:mod:`backoffice.accounting.exports` (every Vietnamese diacritic), amounts as
1.234.567 ₫. The text is Vietnamese whatever the reader's language: it is the
document the employee keeps.

Layout: the company (name, address, tax code); the title "PHIẾU LƯƠNG THÁNG
MM/YYYY"; the employee (code, name, department, position) and the paid days;
I. income lines, II. deductions (insurance by kind, union dues, PIT, other),
III. net pay ("Thực lĩnh"); the PIT working (income subject to tax, family
deduction, taxable income, tax by bracket); the employer's contributions for
information; the signatures.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backoffice.core.money import format_vnd
from backoffice.payroll.selectors.payslips import FAMILY, Line, PayslipView

# The payslip's own words (the document is Vietnamese for everyone).
LABELS_VI: dict[str, str] = {
    "Salary for days worked": "Lương theo ngày công",
    "Overtime and night work": "Làm thêm giờ, làm đêm",
    "Allowances": "Phụ cấp",
    "Bonuses": "Thưởng",
    "Gross income": "Tổng thu nhập",
    "Social insurance": "Bảo hiểm xã hội (BHXH)",
    "Health insurance": "Bảo hiểm y tế (BHYT)",
    "Unemployment insurance": "Bảo hiểm thất nghiệp (BHTN)",
    "Trade-union dues": "Đoàn phí công đoàn",
    "Personal income tax": "Thuế thu nhập cá nhân (TNCN)",
    "Other deductions": "Khấu trừ khác",
    "Total deductions": "Tổng khấu trừ",
    "Income subject to tax": "Thu nhập chịu thuế",
    "Insurance base": "Tiền lương đóng bảo hiểm",
    "Family deduction": "Giảm trừ gia cảnh",
    "Taxable income": "Thu nhập tính thuế",
    "Employer social insurance": "BHXH (kể cả quỹ TNLĐ-BNN)",
    "Employer health insurance": "BHYT",
    "Employer unemployment insurance": "BHTN",
    "Trade-union fund": "Kinh phí công đoàn",
    "Total cost to the company": "Tổng chi phí của công ty",
}


def money(value: Decimal | int) -> str:
    return format_vnd(value)


def _vi(line: Line) -> str:
    return line.name or LABELS_VI.get(line.key, line.key)


def payslip_pdf_bytes(view: PayslipView, company: Any) -> bytes:
    from fpdf import FPDF

    from backoffice.accounting.exports import FONT_FILES, font_dir, signature_block

    fonts = font_dir()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def text(value: str, size: float = 9, bold: bool = False, align: str = "L") -> None:
        pdf.set_font("DejaVu", "B" if bold else "", size)
        pdf.multi_cell(width, size * 0.55, value, align=align, new_x="LMARGIN", new_y="NEXT")

    text(f"Đơn vị: {company.name}", 10, bold=True)
    if company.address:
        text(f"Địa chỉ: {company.address}", 8.5)
    if company.tax_code:
        text(f"Mã số thuế: {company.tax_code}", 8.5)
    pdf.ln(4)
    text(f"PHIẾU LƯƠNG THÁNG {view.period}", 15, bold=True, align="C")
    if view.payslip.run.kind == "adjustment":
        text("(Bảng điều chỉnh)", 9, align="C")
    pdf.ln(3)
    emp = view.employee
    half = width / 2
    for left, right in (
        (f"Họ và tên: {emp.get('name', '')}", f"Mã nhân viên: {emp.get('code', '')}"),
        (f"Phòng ban: {emp.get('department', '') or '—'}",
         f"Chức danh: {emp.get('position', '') or '—'}"),
        (f"Ngày công chuẩn: {_days(view.payslip.standard_days)}",
         f"Ngày công hưởng lương: {_days(view.payslip.paid_days)}"),
    ):  # fmt: skip
        pdf.set_font("DejaVu", "", 9.5)
        pdf.cell(half, 6, left)
        pdf.cell(half, 6, right, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    def section(title: str, lines: list[Line]) -> None:
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_fill_color(235, 240, 248)
        pdf.cell(width, 7, title, border=1, fill=True, new_x="LMARGIN", new_y="NEXT")
        for ln in lines:
            pdf.set_font("DejaVu", "B" if ln.total else "", 9.5)
            label = _vi(ln) + (f" ({ln.note})" if ln.note else "")
            if ln.key == FAMILY and view.dependants:
                label += f" ({view.dependants} người phụ thuộc)"
            pdf.cell(width * 0.68, 6.5, label, border=1)
            pdf.cell(width * 0.32, 6.5, money(ln.amount), border=1, align="R",
                     new_x="LMARGIN", new_y="NEXT")  # fmt: skip

    section("I. THU NHẬP", view.earnings)
    section("II. CÁC KHOẢN KHẤU TRỪ", view.deductions)
    pdf.set_font("DejaVu", "B", 11)
    pdf.set_fill_color(220, 235, 220)
    pdf.cell(width * 0.68, 8, "III. THỰC LĨNH", border=1, fill=True)
    pdf.cell(width * 0.32, 8, money(view.net), border=1, align="R", fill=True,
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.ln(3)
    brackets = [
        Line("", b.tax, name=f"Bậc {b.seq}: {_rate(b.rate)} × {money(b.taxable)}")
        for b in view.result.pit_by_bracket
        if b.taxable
    ]
    section("Cách tính thuế TNCN", [*view.tax, *brackets])
    pdf.ln(3)
    section("Công ty đóng thêm (để biết)", view.employer)
    pdf.ln(6)
    signature_block(pdf, width, ("Người lao động", "Người lập biểu", "Giám đốc"))
    return bytes(pdf.output())


def _days(value: Decimal) -> str:
    d = Decimal(value)
    return (f"{d.normalize():f}" if d != d.to_integral() else str(int(d))).replace(".", ",")


def _rate(rate: Decimal) -> str:
    pct = (Decimal(rate) * 100).normalize()
    return f"{pct:f}".replace(".", ",") + " %"


def payslip_filename(view: PayslipView) -> str:
    run = view.payslip.run
    code = "".join(
        ch if ch.isalnum() or ch in "-_" else "-" for ch in view.employee.get("code", "")
    )
    return f"phieu-luong-{run.year}-{run.month:02d}-{code}.pdf"
