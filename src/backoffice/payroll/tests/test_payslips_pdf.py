"""The payslip PDF: Vietnamese text with its diacritics, every line, amounts as
1.234.567 ₫; who may generate it; the e-mail with the PDF attached."""

from __future__ import annotations

import io

import pytest
from django.core import mail

from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.payroll.services import payslips as svc
from backoffice.payroll.tests.h3_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company_a, company_b, make_user):
    return build(company_a, company_b, make_user)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_has_every_line_in_vietnamese(world):
    name, data = svc.payslip_pdf(user=world.user("payroll"), company=world.a,
                                 payslip=world.slips["staff"])  # fmt: skip
    assert name == "phieu-luong-2026-03-NV002.pdf"
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in (
        "PHIẾU LƯƠNG THÁNG 03/2026", "Công ty A", "Mã số thuế: 0312345678",
        "Nguyễn Thị Lan", "NV002", "Phòng Kinh doanh", "Nhân viên kinh doanh",
        "Ngày công hưởng lương: 22", "Lương theo ngày công (22/22)", "30.000.000 ₫",
        "Bảo hiểm xã hội (BHXH)", "2.400.000 ₫", "Bảo hiểm y tế (BHYT)", "450.000 ₫",
        "Bảo hiểm thất nghiệp (BHTN)", "300.000 ₫", "Thuế thu nhập cá nhân (TNCN)", "635.000 ₫",
        "Tạm ứng", "1.000.000 ₫", "Tổng khấu trừ", "4.785.000 ₫", "THỰC LĨNH", "25.215.000 ₫",
        "Giảm trừ gia cảnh", "15.500.000 ₫", "Thu nhập tính thuế", "11.350.000 ₫",
        "Bậc 2: 10 % × 1.350.000 ₫", "135.000 ₫", "Kinh phí công đoàn", "Người lao động",
    ):  # fmt: skip
        assert expected in text, expected
    ev = AuditEvent.objects.get(event_type="PAYSLIP_PDF_GENERATED")
    assert ev.object_id == str(world.slips["staff"].public_id)


def test_pdf_dependants_and_partial_month(world):
    _n, data = svc.payslip_pdf(user=world.user("hr_manager"), company=world.a,
                               payslip=world.slips["manager"])  # fmt: skip
    text = pdf_text(data)
    assert "Giảm trừ gia cảnh (2 người phụ thuộc)" in text
    assert "27.900.000 ₫" in text
    assert "39.537.500 ₫" in text
    _n, data = svc.payslip_pdf(user=world.user("payroll"), company=world.a,
                               payslip=world.slips["other"])  # fmt: skip
    assert "Lương theo ngày công (21/22)" in pdf_text(data)
    assert "Đặng Văn Đức" in pdf_text(data)


def test_employee_gets_own_released_payslip_only(world):
    staff = world.user("staff")
    _n, data = svc.payslip_pdf(user=staff, company=world.a, payslip=world.slips["staff"])
    assert "25.215.000 ₫" in pdf_text(data)
    for key in ("other", "manager", "staff_april"):  # someone else's; a run not approved
        with pytest.raises(NotFound):
            svc.payslip_pdf(user=staff, company=world.a, payslip=world.slips[key])
    with pytest.raises(NotFound):  # the manager does not see their team's payslips
        svc.payslip_pdf(user=world.user("manager"), company=world.a,
                        payslip=world.slips["staff"])  # fmt: skip
    with pytest.raises(NotFound):  # another company's payroll officer
        svc.payslip_pdf(user=world.user("outsider"), company=world.b,
                        payslip=world.slips["staff"])  # fmt: skip


def test_email_sends_pdf_and_is_audited(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        slip = svc.payslip_email(actor=world.user("payroll"), company=world.a,
                                 payslip=world.slips["staff"])  # fmt: skip
    assert slip.emailed_at is not None
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["lan@a.vn"]
    assert msg.subject == "Phiếu lương tháng 03/2026 — Công ty A"
    (fname, content, mime) = msg.attachments[0]
    assert fname == "phieu-luong-2026-03-NV002.pdf"
    assert mime == "application/pdf"
    assert "25.215.000 ₫" in pdf_text(content)
    ev = AuditEvent.objects.get(event_type="PAYSLIP_EMAILED")
    assert ev.after["to"] == "lan@a.vn"


def test_email_refusals(world):
    with pytest.raises(ValidationFailed) as exc:
        svc.payslip_email(actor=world.user("payroll"), company=world.a,
                          payslip=world.slips["staff_april"])  # fmt: skip
    assert exc.value.code == "run_not_approved"
    with pytest.raises(PermissionDenied):  # HR manager reads, does not send
        svc.payslip_email(actor=world.user("hr_manager"), company=world.a,
                          payslip=world.slips["staff"])  # fmt: skip
    with pytest.raises(PermissionDenied):
        svc.payslip_email(actor=world.user("staff"), company=world.a,
                          payslip=world.slips["staff"])  # fmt: skip
    world.emps["other"].email = ""
    world.emps["other"].save()
    world.users["other"].email = ""
    world.users["other"].save()
    slip = type(world.slips["other"]).objects.get(pk=world.slips["other"].pk)
    with pytest.raises(ValidationFailed) as exc:
        svc.payslip_email(actor=world.user("payroll"), company=world.a, payslip=slip)
    assert exc.value.code == "no_email"


def test_email_a_whole_run_as_a_job(world, django_capture_on_commit_callbacks):
    from backoffice.core.models import Job

    with django_capture_on_commit_callbacks(execute=True):
        job = svc.run_payslips_email(actor=world.user("payroll"), company=world.a,
                                     run=world.march)  # fmt: skip
    job = Job.objects.get(pk=job.pk)  # the immediate task backend ran it
    assert job.status == "succeeded", job.error
    assert job.result == {"sent": 3, "skipped": []}
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["duc@a.vn", "lan@a.vn", "manager@a.vn"]
    assert AuditEvent.objects.filter(event_type="PAYSLIP_EMAILED").count() == 3


def test_run_and_payslip_pages_link_the_actions(world, desk_login):
    from django.test import Client

    client = desk_login(Client(), world.users["payroll"], world.a)
    run = client.get(f"/desk/payroll/runs/{world.march.public_id}/").content.decode()
    assert f"/desk/payroll/runs/{world.march.public_id}/bank-file/" in run
    assert f"/desk/payroll/runs/{world.march.public_id}/email-payslips/" in run
    slip = world.slips["staff"].public_id
    page = client.get(f"/desk/payroll/runs/{world.march.public_id}/payslips/{slip}/")
    assert f"/desk/payroll/payslips/{slip}/pdf/" in page.content.decode()
    hr = desk_login(Client(), world.users["hr_manager"], world.a)
    run = hr.get(f"/desk/payroll/runs/{world.march.public_id}/").content.decode()
    assert "bank-file" not in run  # the HR manager reads, the payroll officer pays
