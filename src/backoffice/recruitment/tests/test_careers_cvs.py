"""CVs the careers tests upload: generated here, in Vietnamese with
diacritics, as a PDF (fpdf2 + the DejaVu fonts, as the payslip PDF) and as a
DOCX (python-docx). The tests of this module prove that the text extracted
from both keeps the diacritics (what screening and search depend on)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

CV_LINES = [
    "Nguyễn Thị Hồng Nhung",
    "Lập trình viên Python — 5 năm kinh nghiệm",
    "Kỹ năng: Python, Django, PostgreSQL, Git",
    "Học vấn: Cử nhân Công nghệ thông tin, Đại học Bách khoa Hà Nội",
    "Ngoại ngữ: Tiếng Anh (IELTS 7.0)",
    "Kinh nghiệm: 2019 - 2024 Công ty Phần mềm Sài Gòn, phát triển hệ thống kế toán",
]


def cv_pdf(lines: list[str] | None = None) -> bytes:
    from fpdf import FPDF

    from backoffice.accounting.exports import FONT_FILES, font_dir

    pdf = FPDF(unit="mm", format="A4")
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(font_dir() / name))
    pdf.add_page()
    pdf.set_font("DejaVu", "", 11)
    for line in lines or CV_LINES:
        pdf.cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def cv_docx(lines: list[str] | None = None) -> bytes:
    import docx

    document = docx.Document()
    for line in lines or CV_LINES:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def upload(kind: str = "pdf", name: str | None = None, data: bytes | None = None):
    if data is None:
        data = cv_pdf() if kind == "pdf" else cv_docx()
    mime = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }.get(kind, "application/octet-stream")
    return SimpleUploadedFile(name or f"CV Nguyễn Nhung.{kind}", data, content_type=mime)


def test_pdf_and_docx_text_keeps_vietnamese_diacritics():
    from backoffice.records.text import extract_text

    for kind, data in (("pdf", cv_pdf()), ("docx", cv_docx())):
        text = extract_text(data, kind)
        assert "Nguyễn Thị Hồng Nhung" in text, kind
        assert "Cử nhân Công nghệ thông tin" in text, kind
