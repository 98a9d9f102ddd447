"""Demo documents: a few of each classification for the demo company."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from backoffice.core.enums import Classification

DEMO_DOCS = [
    ("Quy chế làm việc nội bộ", Classification.PUBLIC, "general", None, "quy-che.txt",
     "Quy chế làm việc: giờ làm việc từ 8h00 đến 17h00, nghỉ trưa 1 giờ."),
    ("Thông báo lịch nghỉ Tết", Classification.PUBLIC, "general", None, "thong-bao-tet.txt",
     "Thông báo lịch nghỉ Tết Nguyên đán cho toàn thể nhân viên."),
    ("Biên bản họp giao ban tháng", Classification.INTERNAL, "general", "BGD", "bien-ban.txt",
     "Biên bản họp giao ban: kế hoạch kinh doanh quý tới."),
    ("Hợp đồng thuê văn phòng", Classification.INTERNAL, "contract", "BGD", "hop-dong-thue.txt",
     "Hợp đồng thuê văn phòng tại 12 Nguyễn Huệ, thời hạn 3 năm."),
    ("Phiếu chi số PC0001", Classification.CONFIDENTIAL, "accounting_voucher", "KT", "pc0001.csv",
     "so_phieu,noi_dung,so_tien\nPC0001,Chi tiền mua văn phòng phẩm,1250000\n"),
    ("Hợp đồng lao động mẫu", Classification.CONFIDENTIAL, "labour_record", "NS", "hdld.txt",
     "Hợp đồng lao động không xác định thời hạn giữa công ty và người lao động."),
    ("Bảng lương tháng 12", Classification.SECRET, "payroll", "NS", "bang-luong.csv",
     "ho_ten,luong_co_ban\nNguyễn Văn A,15000000\n"),
    ("Báo cáo tài chính năm 2015", Classification.SECRET, "financial_statement", "KT",
     "bctc-2015.txt", "Báo cáo tài chính năm 2015: bảng cân đối kế toán."),
]  # fmt: skip


def demo_step(*, company: Any, **_context: Any) -> None:
    from backoffice.core.models import Department, User
    from backoffice.records.services import document_attach, retention_defaults_install

    retention_defaults_install(company=company)
    actor = User.objects.filter(email__startswith="tuanthu@").first()
    if actor is None:
        return
    actor.active_company = company  # the compliance officer uploads the demo set
    depts = {d.code: d for d in Department.objects.filter(company=company)}
    for title, classification, doc_type, dept, name, body in DEMO_DOCS:
        doc = document_attach(
            actor=actor,
            company=company,
            owner=None,
            uploaded_file=SimpleUploadedFile(name, body.encode()),
            title=title,
            classification=classification,
            doc_type=doc_type,
            department=depts.get(dept) if dept else None,
            tags=["demo", doc_type],
            document_date=dt.date(2015, 6, 30) if "2015" in title else None,
        )
        del doc
