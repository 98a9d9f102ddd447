"""Real-looking CVs for the screening and duplicate tests, written as PDF
(fpdf2 with the DejaVu fonts, as the payslip) and DOCX (python-docx)."""

from __future__ import annotations

import io

VI_STRONG = """NGUYỄN VĂN MINH
Lập trình viên Backend Python
Điện thoại: 0912 345 678 · Email: minh.nguyen@gmail.com · Quận Cầu Giấy, Hà Nội

MỤC TIÊU NGHỀ NGHIỆP
Hơn 5 năm kinh nghiệm phát triển ứng dụng web với Python và Django, mong muốn
đóng góp vào hệ thống quản trị doanh nghiệp quy mô lớn.

KINH NGHIỆM LÀM VIỆC
03/2021 - nay: Công ty Cổ phần Phần mềm Sao Việt — Trưởng nhóm backend
Thiết kế API REST bằng Django REST framework, tối ưu truy vấn PostgreSQL,
triển khai Celery và Redis, quản lý mã nguồn bằng Git, review code cho 4 thành viên.
06/2018 - 02/2021: Công ty TNHH Giải pháp Số Hà Thành — Lập trình viên Python
Xây dựng hệ thống báo cáo, tích hợp thanh toán, viết kiểm thử tự động với pytest.

HỌC VẤN
2014 - 2018: Trường Đại học Bách khoa Hà Nội — Cử nhân Công nghệ thông tin, GPA 3.2/4

KỸ NĂNG
Python, Django, PostgreSQL, MySQL, Docker, Git, Linux, HTML/CSS

NGOẠI NGỮ
Tiếng Anh: IELTS 6.5 — đọc hiểu tài liệu kỹ thuật tốt
"""

VI_JUNIOR = """TRẦN THỊ HƯƠNG
Nhân viên kinh doanh
Điện thoại: 0987 654 321 · Email: huong.tran@yahoo.com · TP. Hồ Chí Minh

KINH NGHIỆM LÀM VIỆC
2023 – nay: Công ty TNHH Thương mại Phú Thành — Nhân viên bán hàng
Chăm sóc khách hàng, lập báo giá bằng Excel, theo dõi công nợ.

HỌC VẤN
2020 - 2023: Trường Cao đẳng Kinh tế Đối ngoại — Quản trị kinh doanh

KỸ NĂNG
Tin học văn phòng (Word, Excel), giao tiếp, đàm phán
"""

EN_STRONG = """JOHN PHAM
Senior Software Engineer
Phone: +84 903 111 222 · Email: john.pham@outlook.com · Ho Chi Minh City

SUMMARY
Software engineer with 6+ years of experience building web platforms in Python.

WORK EXPERIENCE
Jan 2022 - Present — Tiki Corporation, Backend Engineer
Built order services with Django and MySQL; CI with GitHub Actions and Git.
2019 - 2021 — KMS Technology, Software Engineer
Python microservices, PostgreSQL, Kubernetes.

EDUCATION
2015 - 2019: Ho Chi Minh City University of Technology — Master of Computer Science

LANGUAGES
English: TOEIC 900; Japanese: JLPT N3
"""

EN_WEAK = """ANNA LE
Marketing Assistant
Email: anna.le@example.com

EXPERIENCE
2024 - present: Digital agency, content writer for social media campaigns.

EDUCATION
High school diploma, Le Hong Phong High School

SKILLS
Canva, copywriting, Facebook Ads
"""


def pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    from backoffice.accounting.exports import FONT_FILES, font_dir

    fonts = font_dir()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    for style, name in FONT_FILES.items():
        pdf.add_font("DejaVu", style, str(fonts / name))
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for i, line in enumerate(text.splitlines()):
        heading = i == 0 or (line.isupper() and len(line) < 45)
        pdf.set_font("DejaVu", "B" if heading else "", 13 if i == 0 else 10)
        pdf.multi_cell(width, 5.5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    lines = text.splitlines()
    document.add_heading(lines[0], level=1)
    for line in lines[1:]:
        if line.isupper() and len(line) < 45:
            document.add_heading(line, level=2)
        elif line:
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_application(rec, *, name="Nguyễn Văn Minh", email="minh.nguyen@gmail.com",
                     phone="0912345678", cv_text=VI_STRONG, stage=None, posting=None,
                     company=None, applied_days_ago=0):  # fmt: skip
    """A candidate and their application in ``stage`` (default: new), created
    directly (a fixture, not the applying flow under test)."""
    import datetime as dt

    from django.utils import timezone

    from backoffice.core.fields import blind_index
    from backoffice.recruitment.models import Application, Candidate, StageChange
    from backoffice.recruitment.screening import simhash

    company = company or rec.company
    at = timezone.now() - dt.timedelta(days=applied_days_ago)
    cand = Candidate.objects.create(
        company=company, full_name=name, email=email, phone=phone, cv_text=cv_text,
        email_index=blind_index(email.lower(), purpose="test.email") if email else "",
        phone_index=blind_index(phone, purpose="test.phone") if phone else "",
        cv_fingerprint=simhash(cv_text), consent_at=at,
    )  # fmt: skip
    stage = stage or rec.stages["new"]
    app = Application.objects.create(
        company=company, candidate=cand, posting=posting or rec.posting, stage=stage,
        applied_at=at, stage_entered_at=at,
    )  # fmt: skip
    StageChange.objects.create(application=app, to_stage=stage, at=at)
    return app
