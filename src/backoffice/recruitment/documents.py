"""The offer letter (thư mời nhận việc) as a PDF: A4, fpdf2 with the DejaVu
fonts (every Vietnamese diacritic). The text is Vietnamese whatever the
reader's language: it is the document the candidate keeps.

The letter comes from a template (plain text with ``{{ placeholders }}``,
Django template syntax without HTML escaping; line marks: ``# `` title,
``## `` heading, ``^ `` centred line, ``- `` bullet). The salary is printed in
figures (1.234.567 đồng) and in words (``num2words(lang="vi")``); the letter
ends with the customary signature block.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import Context, Engine
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError

DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
EMPLOYMENT_TYPES_VI = {
    "full_time": "Toàn thời gian",
    "part_time": "Bán thời gian",
    "contract": "Hợp đồng có thời hạn",
    "internship": "Thực tập",
}

OFFER_TEMPLATE = """\
^ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
^ Độc lập - Tự do - Hạnh phúc
Số: {{ number }}
# THƯ MỜI NHẬN VIỆC
Kính gửi: Ông/Bà {{ candidate_name }}
{{ company_name }} trân trọng cảm ơn Ông/Bà đã quan tâm và tham gia quá trình tuyển dụng. \
Chúng tôi vui mừng thông báo Ông/Bà đã được chọn cho vị trí dưới đây với các điều kiện sau:
## 1. Vị trí công việc
- Chức danh: {{ job_title }}
- Phòng ban: {{ department }}
- Hình thức làm việc: {{ employment_type }}
- Địa điểm làm việc: {{ work_location }}
## 2. Thời gian
- Ngày bắt đầu làm việc: {{ start_date }}
- Thời gian thử việc: {{ probation_days }} ngày
## 3. Thu nhập
- Mức lương (gộp, theo tháng): {{ salary }} đồng
- Bằng chữ: {{ salary_words }}
## 4. Phúc lợi
{% for b in benefits %}- {{ b }}
{% empty %}- Theo quy định của Công ty và pháp luật lao động hiện hành.
{% endfor %}## 5. Xác nhận
Vui lòng xác nhận việc nhận lời mời trước ngày {{ expires_on }}. Sau thời hạn này, \
thư mời có thể không còn hiệu lực.
Chúng tôi rất mong được chào đón Ông/Bà gia nhập {{ company_name }}.
"""

_ENGINE = Engine(autoescape=False)


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


def money_vi(value: Decimal | int | None) -> str:
    if value is None:
        return "…"
    return f"{int(value):,}".replace(",", ".")


def words_vi(value: Decimal | int | None) -> str:
    """``15000000`` → "Mười lăm triệu đồng"."""
    if value is None:
        return "…"
    from num2words import num2words

    text = num2words(int(value), lang="vi")
    return text[:1].upper() + text[1:] + " đồng"


def _d(day: Any) -> str:
    return day.strftime("%d/%m/%Y") if day else "…"


def context_for(offer: Any) -> dict[str, Any]:
    company = offer.company
    app = offer.application
    posting = app.posting
    benefits = [ln.strip(" -•\t") for ln in (offer.benefits or "").splitlines() if ln.strip()]
    return {
        "number": offer.number or "…",
        "company_name": company.name,
        "company_address": company.address or "…",
        "candidate_name": app.candidate.full_name,
        "job_title": offer.job_title,
        "department": offer.department.name if offer.department_id else "…",
        "position": offer.position.name if offer.position_id else "…",
        "employment_type": EMPLOYMENT_TYPES_VI.get(offer.employment_type, offer.employment_type),
        "work_location": posting.location or company.address or "…",
        "start_date": _d(offer.start_date),
        "probation_days": offer.probation_days,
        "salary": money_vi(offer.salary),
        "salary_words": words_vi(offer.salary),
        "benefits": benefits,
        "expires_on": _d(offer.expires_on),
    }


def render_lines(offer: Any, template: str | None = None) -> list[str]:
    text = _ENGINE.from_string(template or OFFER_TEMPLATE).render(Context(context_for(offer)))
    return text.splitlines()


def offer_letter_pdf(offer: Any) -> bytes:
    """The offer letter of ``offer`` as PDF bytes (Vietnamese)."""
    from fpdf import FPDF

    fonts = font_dir()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    company = offer.company
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(width, 5, company.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8.5)
    if company.address:
        pdf.multi_cell(width, 4.5, f"Địa chỉ: {company.address}", new_x="LMARGIN", new_y="NEXT")
    if company.tax_code:
        pdf.multi_cell(width, 4.5, f"Mã số thuế: {company.tax_code}", new_x="LMARGIN",
                       new_y="NEXT")  # fmt: skip
    pdf.ln(3)
    for line in render_lines(offer):
        if line.startswith("# "):
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 15)
            pdf.multi_cell(width, 8, line[2:].strip(), align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        elif line.startswith("## "):
            pdf.ln(1)
            pdf.set_font("DejaVu", "B", 10.5)
            pdf.multi_cell(width, 6, line[3:].strip(), new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("^ "):
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(width, 5.5, line[2:].strip(), align="C", new_x="LMARGIN", new_y="NEXT")
        elif line.startswith("- "):
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5.5, "• " + line[2:].strip(), new_x="LMARGIN", new_y="NEXT")
        elif line.strip():
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5.5, line.strip(), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    signature_block(pdf, width, ("Người nhận thư xác nhận", "Đại diện Công ty"))
    return bytes(pdf.output())


def signature_block(pdf: Any, width: float, labels: tuple[str, ...]) -> None:
    """The date line on the right, then the signers, each "(Ký, ghi rõ họ tên)"."""
    part = width / len(labels)
    pdf.set_font("DejaVu", "", 8.5)
    pdf.cell(width - part, 5, "")
    pdf.cell(part, 5, "Ngày ..... tháng ..... năm .......", align="C", new_x="LMARGIN",
             new_y="NEXT")  # fmt: skip
    pdf.set_font("DejaVu", "B", 10)
    for label in labels:
        pdf.cell(part, 6, label, align="C")
    pdf.ln()
    pdf.set_font("DejaVu", "", 8)
    for _label in labels:
        pdf.cell(part, 4, "(Ký, ghi rõ họ tên)", align="C")
    pdf.ln()


def offer_letter_filename(offer: Any) -> str:
    code = "".join(ch if ch.isalnum() else "-" for ch in (offer.number or "thu-moi"))
    return f"thu-moi-nhan-viec-{code}.pdf"
