"""Vouchers (chứng từ kế toán) printed to PDF in the customary Vietnamese layout,
and the amount in Vietnamese words.

The printed form is the statutory one, so its labels are Vietnamese whatever
the interface language: phiếu thu (Mẫu số 01-TT), phiếu chi (Mẫu số 02-TT),
giấy báo nợ, giấy báo có and phiếu kế toán, with the company, number, date
("Ngày .. tháng .. năm ...."), Nợ/Có accounts, partner, reason, the amount in
figures and in words, and the signature boxes. A draft prints with a
"NHÁP / DRAFT" mark across the page.

``amount_in_words_vi`` lives here because core has no such helper; it is the
one other apps (payroll's payslips, payments) should call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

from backoffice.accounting.models import Entry, EntryState, VoucherType
from backoffice.core.money import format_vnd, round_half_up

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# --- the amount in words -----------------------------------------------------------------


def _group_words(value: int, *, full: bool) -> str:
    """Words for 0..999; ``full`` reads a group after a higher one with all its
    digits, as vouchers do: 5 -> "không trăm linh năm", 45 -> "không trăm bốn mươi lăm"."""
    from num2words import num2words

    words = num2words(value, lang="vi")
    if full and value < 100:
        words = f"không trăm linh {words}" if value < 10 else f"không trăm {words}"
    # Customary voucher reading: "linh" for a zero tens digit and "tư" for a 4 after "mươi".
    return words.replace(" lẻ ", " linh ").replace("mươi bốn", "mươi tư")


def _below_billion(number: int, *, full: bool) -> str:
    parts: list[str] = []
    for scale, size in (("triệu", 10**6), ("nghìn", 10**3), ("", 1)):
        value, number = divmod(number, size)
        if value:
            parts.append(_group_words(value, full=full))
            if scale:
                parts.append(scale)
            full = True  # every group after the first is read with all its digits
    return " ".join(parts)


def _integer_words(number: int, *, full: bool = False) -> str:
    """Above a tỷ (10^9) the reading repeats: 10^12 is "một nghìn tỷ"."""
    if number == 0:
        return "không"
    high, low = divmod(number, 10**9)
    if not high:
        return _below_billion(low, full=full)
    text = f"{_integer_words(high, full=full)} tỷ"
    return f"{text} {_below_billion(low, full=True)}" if low else text


def amount_in_words_vi(amount: Decimal | int, currency: str = "VND") -> str:
    """``1234567`` -> "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng chẵn".

    VND is read in whole đồng (rounded half-up) and ends with "chẵn"; another currency
    reads its minor unit ("... đô la Mỹ và năm mươi xu"). A negative amount starts with "Âm".
    """
    if isinstance(amount, float):
        raise TypeError("amounts are Decimal, never float")
    value = Decimal(amount)
    sign = "âm " if value < 0 else ""
    value = abs(value)
    currency = currency.upper()
    if currency == "VND":
        whole = int(round_half_up(value, 0))
        text = f"{sign}{_integer_words(whole)} đồng chẵn"
    else:
        unit, minor = _CURRENCY_WORDS.get(currency, (currency, "xu"))
        cents = round_half_up(value, 2)
        whole, frac = int(cents), int((cents - int(cents)) * 100)
        text = f"{sign}{_integer_words(whole)} {unit}"
        text += f" và {_integer_words(frac)} {minor}" if frac else " chẵn"
    return text[0].upper() + text[1:]


_CURRENCY_WORDS = {
    "USD": ("đô la Mỹ", "xu"),
    "EUR": ("euro", "xu"),
    "JPY": ("yên Nhật", "sen"),
    "CNY": ("nhân dân tệ", "hào"),
}


# --- the PDF ------------------------------------------------------------------------------

TITLES = {
    VoucherType.RECEIPT: "PHIẾU THU",
    VoucherType.PAYMENT: "PHIẾU CHI",
    VoucherType.BANK_DEBIT: "GIẤY BÁO NỢ",
    VoucherType.BANK_CREDIT: "GIẤY BÁO CÓ",
    VoucherType.JOURNAL: "PHIẾU KẾ TOÁN",
}
FORM_NUMBERS = {VoucherType.RECEIPT: "01-TT", VoucherType.PAYMENT: "02-TT"}
CIRCULARS = {
    "tt99": "Thông tư số 99/2025/TT-BTC ngày 27/10/2025 của Bộ Tài chính",
    "tt133": "Thông tư số 133/2016/TT-BTC ngày 26/08/2016 của Bộ Tài chính",
}
SIGNATURES = {
    VoucherType.RECEIPT: ["Giám đốc", "Kế toán trưởng", "Người nộp tiền", "Người lập phiếu",
                          "Thủ quỹ"],
    VoucherType.PAYMENT: ["Giám đốc", "Kế toán trưởng", "Người nhận tiền", "Người lập phiếu",
                          "Thủ quỹ"],
}  # fmt: skip
OTHER_SIGNATURES = ["Người lập", "Kế toán trưởng", "Giám đốc"]


def vietnamese_date(day) -> str:
    return f"Ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def voucher_amount(entry: Entry) -> Decimal:
    """The voucher's amount in the company currency: the total debit."""
    if entry.total:
        return Decimal(entry.total)
    return sum((line.debit for line in entry.lines.all()), Decimal(0))


def _accounts(lines: Sequence, side: str) -> str:
    codes: list[str] = []
    for line in lines:
        if getattr(line, side) and line.account.code not in codes:
            codes.append(line.account.code)
    return ", ".join(codes)


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdf.add_font("DejaVu", "BI", str(FONT_DIR / "DejaVuSans-BoldOblique.ttf"))
    pdf.set_creator("Back Office")
    return pdf


def vouchers_pdf(entries: Iterable[Entry]) -> bytes:
    """One voucher per page, in the order given."""
    pdf = _pdf()
    count = 0
    for entry in entries:
        _voucher_page(pdf, entry)
        count += 1
    if not count:
        pdf.add_page()
    return bytes(pdf.output())


def voucher_pdf(entry: Entry) -> bytes:
    return vouchers_pdf([entry])


def _voucher_page(pdf, entry: Entry) -> None:
    from fpdf.enums import XPos, YPos

    company = entry.company
    lines = list(entry.lines.select_related("account").order_by("position", "id"))
    vtype = VoucherType(entry.voucher_type)
    cash = vtype in FORM_NUMBERS
    amount = voucher_amount(entry)
    nl = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.add_page()
    if entry.state != EntryState.POSTED:
        _draft_mark(pdf)
    pdf.set_title(f"{TITLES[vtype]} {entry.number}".strip())

    # Header: the company on the left, the form number on the right.
    top = pdf.get_y()
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(width * 0.55, 5, f"Đơn vị: {company.name}", **nl)
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(width * 0.55, 5, f"Địa chỉ: {company.address or '................'}", **nl)
    if company.tax_code:
        pdf.multi_cell(width * 0.55, 5, f"Mã số thuế: {company.tax_code}", **nl)
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width * 0.55, top)
    pdf.set_font("DejaVu", "B", 10)
    form = f"Mẫu số {FORM_NUMBERS[vtype]}" if cash else ""
    if form:
        pdf.cell(width * 0.45, 5, form, align="C", **nl)
        pdf.set_x(pdf.l_margin + width * 0.55)
        pdf.set_font("DejaVu", "I", 8)
        circular = CIRCULARS.get(company.chart, CIRCULARS["tt99"])
        pdf.multi_cell(width * 0.45, 4, f"(Ban hành kèm theo {circular})", align="C", **nl)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)

    # Title, date, number and accounts.
    title_y = pdf.get_y()
    pdf.set_font("DejaVu", "B", 18)
    pdf.cell(width, 9, TITLES[vtype], align="C", **nl)
    pdf.set_font("DejaVu", "I", 10)
    pdf.cell(width, 6, vietnamese_date(entry.date), align="C", **nl)
    after_title = pdf.get_y()
    pdf.set_xy(pdf.l_margin + width * 0.72, title_y)
    pdf.set_font("DejaVu", "", 10)
    number = entry.number or "(chưa ghi sổ)"
    right = [
        f"Số: {number}",
        f"Nợ: {_accounts(lines, 'debit')}",
        f"Có: {_accounts(lines, 'credit')}",
    ]
    for text in right:
        pdf.set_x(pdf.l_margin + width * 0.72)
        pdf.multi_cell(width * 0.28, 5, text, **nl)
    pdf.set_y(max(after_title, pdf.get_y()) + 4)

    # Body.
    pdf.set_font("DejaVu", "", 11)
    words = amount_in_words_vi(amount, company.currency)
    figures = format_vnd(amount, company.currency)
    if cash:
        who = (
            "Họ và tên người nộp tiền"
            if vtype == VoucherType.RECEIPT
            else "Họ và tên người nhận tiền"
        )
        reason = "Lý do nộp" if vtype == VoucherType.RECEIPT else "Lý do chi"
        rows = [
            (f"{who}: ", entry.partner or "................................................"),
            ("Địa chỉ: ", "................................................................"),
            (f"{reason}: ", entry.description),
        ]
    else:
        rows = [("Đối tượng: ", entry.partner or "—"), ("Diễn giải: ", entry.description)]
    for label, value in rows:
        _labelled(pdf, width, label, value)
    _labelled(pdf, width, "Số tiền: ", figures, bold=True)
    _labelled(pdf, width, "Viết bằng chữ: ", words, italic=True)
    if entry.currency and entry.currency != company.currency:
        foreign = sum((ln.amount_currency for ln in lines if ln.debit), Decimal(0))
        _labelled(
            pdf,
            width,
            "Nguyên tệ: ",
            f"{format_vnd(foreign, entry.currency)}; tỷ giá: {format_vnd(entry.rate, 'VND')}",
        )
    if entry.reference:
        _labelled(pdf, width, "Kèm theo: ", f"{entry.reference} (chứng từ gốc)")
    else:
        _labelled(pdf, width, "Kèm theo: ", "........ chứng từ gốc")

    if not cash or len(lines) > 2:
        pdf.ln(2)
        _lines_table(pdf, width, lines, company.currency)

    # Signatures.
    pdf.ln(4)
    pdf.set_font("DejaVu", "I", 10)
    pdf.cell(width, 5, vietnamese_date(entry.date), align="R", **nl)
    names = SIGNATURES.get(vtype, OTHER_SIGNATURES)
    col = width / len(names)
    pdf.set_font("DejaVu", "B", 9)
    y = pdf.get_y()
    for i, name in enumerate(names):
        pdf.set_xy(pdf.l_margin + i * col, y)
        pdf.multi_cell(col, 5, name, align="C")
    pdf.set_font("DejaVu", "I", 8)
    y = pdf.get_y()
    for i, name in enumerate(names):
        pdf.set_xy(pdf.l_margin + i * col, y)
        hint = "(Ký, họ tên, đóng dấu)" if name == "Giám đốc" else "(Ký, họ tên)"
        pdf.multi_cell(col, 4, hint, align="C")
    pdf.ln(22)
    if cash:
        pdf.set_font("DejaVu", "", 10)
        received = "Đã nhận đủ số tiền (viết bằng chữ): "
        _labelled(pdf, width, received, "......................................................")


def _labelled(pdf, width, label: str, value: str, *, bold=False, italic=False) -> None:
    from fpdf.enums import XPos, YPos

    pdf.set_font("DejaVu", "", 11)
    label_w = pdf.get_string_width(label) + 1
    x = pdf.get_x()
    pdf.cell(label_w, 6, label)
    style = ("B" if bold else "") + ("I" if italic else "")
    pdf.set_font("DejaVu", style, 11)
    pdf.multi_cell(width - (pdf.get_x() - x), 6, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _lines_table(pdf, width, lines, currency: str) -> None:
    from fpdf.enums import XPos, YPos

    cols = [("Tài khoản", 0.17), ("Diễn giải", 0.43), ("Nợ", 0.2), ("Có", 0.2)]
    pdf.set_font("DejaVu", "B", 9)
    for label, share in cols:
        pdf.cell(width * share, 6, label, border=1, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 9)
    total_d = total_c = Decimal(0)
    for line in lines:
        total_d += line.debit
        total_c += line.credit
        values = [
            line.account.code,
            (line.description or line.account.name)[:60],
            format_vnd(line.debit, currency) if line.debit else "",
            format_vnd(line.credit, currency) if line.credit else "",
        ]
        for (_label, share), value, align in zip(cols, values, "LLRR", strict=True):
            pdf.cell(width * share, 6, value, border=1, align=align)
        pdf.ln()
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(width * 0.6, 6, "Cộng", border=1, align="R")
    pdf.cell(width * 0.2, 6, format_vnd(total_d, currency), border=1, align="R")
    pdf.cell(
        width * 0.2,
        6,
        format_vnd(total_c, currency),
        border=1,
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _draft_mark(pdf) -> None:
    with pdf.local_context(text_color=(220, 220, 220)):
        pdf.set_font("DejaVu", "B", 60)
        with pdf.rotation(30, x=pdf.w / 2, y=pdf.h / 2):
            pdf.text(pdf.w / 2 - 85, pdf.h / 2, "NHÁP / DRAFT")
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
