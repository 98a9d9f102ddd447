"""Attendance check in/out, tasks, documents and collaborators' work logs from the portal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from backoffice.core.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_home")]


def _pdf(text: str) -> SimpleUploadedFile:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, text)
    return SimpleUploadedFile(f"{text}.pdf", bytes(pdf.output()))


# --- attendance -------------------------------------------------------------------------
def test_check_in_then_out_today(staff_client, hr_org, monkeypatch):
    from backoffice.hr.models import AttendanceRecord
    from backoffice.portal.views import attendance

    monkeypatch.setattr(attendance, "_now_minute", lambda: dt.time(8, 0))
    url = reverse("portal:attendance_check")
    response = staff_client.post(url, {"action": "in"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="checkin"' in response.content.decode()
    rec = AttendanceRecord.objects.get(employee=hr_org.staff_emp)
    assert rec.date == timezone.localdate()
    assert rec.check_in
    assert not rec.check_out
    assert rec.source == "portal"
    again = staff_client.post(url, {"action": "in"}, HTTP_HX_REQUEST="true").content.decode()
    assert "error" in again
    monkeypatch.setattr(attendance, "_now_minute", lambda: dt.time(17, 30))
    response = staff_client.post(url, {"action": "out"})
    assert response.status_code == 302
    rec.refresh_from_db()
    assert (rec.check_in, rec.check_out) == (dt.time(8, 0), dt.time(17, 30))
    body = staff_client.get(reverse("portal:attendance")).content.decode()
    assert timezone.localdate().strftime("%d/%m/%Y") in body


def test_check_out_needs_a_check_in(staff_client, hr_org):
    from backoffice.hr.models import AttendanceRecord

    staff_client.post(reverse("portal:attendance_check"), {"action": "out"})
    assert not AttendanceRecord.objects.exists()


def test_attendance_month_lists_only_my_days(staff_client, hr_org):
    from backoffice.hr.models import AttendanceRecord

    for emp, day in ((hr_org.staff_emp, 3), (hr_org.manager_emp, 4)):
        AttendanceRecord.objects.create(company=hr_org.company, employee=emp,
                                        date=dt.date(2026, 11, day), check_in=dt.time(8),
                                        check_out=dt.time(17), worked_hours=Decimal(8))  # fmt: skip
    body = staff_client.get(reverse("portal:attendance") + "?month=2026-11").content.decode()
    assert "03/11/2026" in body
    assert "04/11/2026" not in body
    assert staff_client.get(reverse("portal:attendance") + "?month=bad").status_code == 200


# --- tasks ------------------------------------------------------------------------------
def _task(company, assignee, creator, title):
    from backoffice.workflow.models import Task

    return Task.objects.create(company=company, title=title, assignee=assignee,
                               created_by=creator)  # fmt: skip


def test_complete_my_task(staff_client, hr_org):
    task = _task(hr_org.company, hr_org.staff, hr_org.hr_officer, "Ký nội quy")
    response = staff_client.post(reverse("portal:task_complete", args=[task.public_id]),
                                 HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    assert f"task-{task.public_id}" in response.content.decode()
    task.refresh_from_db()
    assert task.state == "done"
    assert AuditEvent.objects.filter(event_type="TASK_COMPLETED", actor_id=hr_org.staff.pk).exists()


def test_someone_elses_task_is_not_found(staff_client, hr_org):
    task = _task(hr_org.company, hr_org.manager, hr_org.hr_officer, "Việc của trưởng phòng")
    assert "Việc của trưởng phòng" not in staff_client.get(reverse("portal:tasks")).content.decode()
    url = reverse("portal:task_complete", args=[task.public_id])
    assert staff_client.post(url).status_code == 404
    task.refresh_from_db()
    assert task.state != "done"


# --- documents --------------------------------------------------------------------------
def test_documents_of_my_record_are_listed_and_downloaded(staff_client, hr_org):
    from backoffice.records.services import document_attach

    mine = document_attach(actor=hr_org.hr_officer, company=hr_org.company,
                           owner=hr_org.staff_emp, uploaded_file=_pdf("QD-tiep-nhan"),
                           title="Quyết định tiếp nhận", classification="confidential")  # fmt: skip
    theirs = document_attach(actor=hr_org.hr_officer, company=hr_org.company,
                             owner=hr_org.manager_emp, uploaded_file=_pdf("QD-bo-nhiem"),
                             title="Quyết định bổ nhiệm", classification="confidential")  # fmt: skip
    body = staff_client.get(reverse("portal:documents")).content.decode()
    assert "Quyết định tiếp nhận" in body
    assert "Quyết định bổ nhiệm" not in body
    response = staff_client.get(reverse("portal:document_download", args=[mine.public_id]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(event_type="DOCUMENT_READ", actor_id=hr_org.staff.pk).exists()
    url = reverse("portal:document_download", args=[theirs.public_id])
    assert staff_client.get(url).status_code == 404


# --- collaborators ------------------------------------------------------------------------
def test_collaborator_logs_work_and_submits_it(client, portal_login, hr_org, collaborator):
    from backoffice.hr.models import WorkLog

    portal_login(client, collaborator["user"], hr_org.company)
    today = timezone.localdate()
    response = client.post(reverse("portal:worklogs"), {
        "date": today.isoformat(), "description": "Dịch chương 3", "hours": "4",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    log = WorkLog.objects.get(employee=collaborator["employee"])
    assert log.amount == Decimal("1000000")
    body = client.get(reverse("portal:worklogs")).content.decode()
    assert "Dịch chương 3" in body
    assert "1.000.000 ₫" in body
    response = client.post(reverse("portal:worklog_submit", args=[log.public_id]))
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.state == "submitted"


def test_collaborator_cannot_submit_someone_elses_log(client, portal_login, hr_org,
                                                     collaborator, make_user, make_employee):  # fmt: skip
    from backoffice.core.enums import Role
    from backoffice.hr.models import WorkLog

    other_user = make_user(hr_org.company, roles=[Role.COLLABORATOR], email="ctv2@a.vn",
                           is_staff=False)  # fmt: skip
    other = make_employee(hr_org.company, user=other_user, kind="collaborator",
                          full_name="Người Khác")  # fmt: skip
    log = WorkLog.objects.create(company=hr_org.company, employee=other,
                                 contract=collaborator["contract"], date=timezone.localdate(),
                                 description="Không phải của tôi")  # fmt: skip
    portal_login(client, collaborator["user"], hr_org.company)
    assert "Không phải của tôi" not in client.get(reverse("portal:worklogs")).content.decode()
    assert client.post(reverse("portal:worklog_submit", args=[log.public_id])).status_code == 404


def test_work_log_accepts_a_decimal_comma_and_refuses_bad_input(client, portal_login, hr_org,
                                                                 collaborator):  # fmt: skip
    from backoffice.hr.models import WorkLog

    portal_login(client, collaborator["user"], hr_org.company)
    today = timezone.localdate().isoformat()
    response = client.post(reverse("portal:worklogs"),
                           {"date": today, "description": "Hiệu đính", "hours": "1,5"})  # fmt: skip
    assert response.status_code == 302
    assert WorkLog.objects.get().hours == Decimal("1.5")
    response = client.post(reverse("portal:worklogs"),
                           {"date": today, "description": "", "hours": "30"})  # fmt: skip
    assert response.status_code == 422
    assert WorkLog.objects.count() == 1


def test_my_contract_document_is_listed(staff_client, hr_org):
    from backoffice.hr.models import Contract
    from backoffice.records.services import document_attach

    def contract(emp, number):
        return Contract.objects.create(
            company=hr_org.company,
            employee=emp,
            number=number,
            contract_type="indefinite",
            state="active",
            start_date=dt.date(2024, 1, 2),
        )

    mine = contract(hr_org.staff_emp, "HĐLĐ-2024-0001")
    theirs = contract(hr_org.manager_emp, "HĐLĐ-2024-0002")
    docs = [
        document_attach(
            actor=hr_org.hr_manager,
            company=hr_org.company,
            owner=owner,
            uploaded_file=_pdf(owner.number[-4:]),
            title=title,
            classification="confidential",
        )  # fmt: skip
        for owner, title in ((mine, "Hợp đồng của Lan"), (theirs, "Hợp đồng trưởng phòng"))
    ]
    body = staff_client.get(reverse("portal:documents")).content.decode()
    assert "Hợp đồng của Lan" in body
    assert "Hợp đồng trưởng phòng" not in body
    ok = staff_client.get(reverse("portal:document_download", args=[docs[0].public_id]))
    assert ok.status_code == 200
    url = reverse("portal:document_download", args=[docs[1].public_id])
    assert staff_client.get(url).status_code == 404
