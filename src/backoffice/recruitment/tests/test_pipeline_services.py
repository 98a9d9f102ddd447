"""Pipeline services: screening stored on the application, moves (stage
history, audit, automatic stage e-mail), rejects (one, bulk in one
transaction), e-mail from a template, reminder tasks once per stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as djmail
from django.utils import timezone

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.recruitment.models import Application, EmailTemplate, StageChange
from backoffice.recruitment.services import pipeline as svc
from backoffice.recruitment.tests.cvs import VI_JUNIOR, make_application

pytestmark = pytest.mark.django_db


def _template(rec, **kw):
    kw.setdefault("kind", "stage")
    kw.setdefault("name", "Mời sơ tuyển")
    kw.setdefault("subject", "{job_title}: {candidate_name}")
    kw.setdefault("body", "Chào {candidate_name}, hồ sơ của bạn đã vào vòng {stage}. {reason}")
    return EmailTemplate.objects.create(company=rec.company, **kw)


def test_screen_stores_score_and_fingerprint(rec):
    app = make_application(rec)
    app.candidate.cv_fingerprint = ""
    app.candidate.save()
    svc.application_screen(application=app)
    app.refresh_from_db()
    assert app.score >= 90
    assert app.score_detail["items"]
    assert app.candidate.cv_fingerprint
    weak = make_application(rec, name="Trần Thị Hương", email="h@x.vn", cv_text=VI_JUNIOR)
    svc.application_screen(application=weak)
    weak.refresh_from_db()
    assert weak.score < 50
    assert {m["requirement"] for m in weak.score_detail["missing"]} >= {"Python", "bachelor"}


def test_move_writes_history_audit_and_auto_email(rec, django_capture_on_commit_callbacks):
    org = rec.org
    app = make_application(rec, applied_days_ago=2)
    screening = rec.stages["screening"]
    _template(rec, stage=screening, auto_send=True)
    _template(rec, stage=rec.stages["interview"], auto_send=False, name="Không tự gửi")
    with django_capture_on_commit_callbacks(execute=True):
        svc.application_move(actor=org.hr_officer, application=app, stage=screening, note="CV tốt")
    app.refresh_from_db()
    assert app.stage == screening
    assert app.state == "active"
    assert (timezone.now() - app.stage_entered_at).total_seconds() < 60
    change = StageChange.objects.filter(application=app).order_by("-id").first()
    assert change.from_stage == rec.stages["new"]
    assert change.to_stage == screening
    assert change.actor == org.hr_officer
    assert change.note == "CV tốt"
    ev = AuditEvent.objects.get(event_type="APPLICATION_MOVED")
    assert ev.after["stage"] == "screening"
    assert ev.before["stage"] == "new"
    assert len(djmail.outbox) == 1
    assert djmail.outbox[0].to == ["minh.nguyen@gmail.com"]
    assert djmail.outbox[0].subject == "Lập trình viên Python: Nguyễn Văn Minh"
    assert f"vòng {screening.name}." in djmail.outbox[0].body
    # No auto_send: no e-mail; notify=False: none either.
    with django_capture_on_commit_callbacks(execute=True):
        svc.application_move(actor=org.hr_officer, application=app, stage=rec.stages["interview"])
    assert len(djmail.outbox) == 1


def test_move_refusals(rec, hr_org):
    app = make_application(rec)
    org = rec.org
    with pytest.raises(PermissionDenied):
        svc.application_move(actor=org.staff, application=app, stage=rec.stages["screening"])
    with pytest.raises(PermissionDenied):  # the hiring manager sees, but does not move
        svc.application_move(actor=org.manager, application=app, stage=rec.stages["screening"])
    with pytest.raises(ValidationFailed) as exc:
        svc.application_move(actor=org.hr_officer, application=app, stage=rec.stages["hired"])
    assert exc.value.code == "use_hire"
    with pytest.raises(ValidationFailed) as exc:
        svc.application_move(actor=org.hr_officer, application=app, stage=rec.stages["rejected"])
    assert exc.value.code == "use_reject"
    from backoffice.recruitment.services.stages import stages_ensure

    foreign = stages_ensure(company=hr_org.other_company)[1]
    with pytest.raises(ValidationFailed):
        svc.application_move(actor=org.hr_officer, application=app, stage=foreign)
    svc.application_reject(actor=org.hr_officer, application=app, reason="Không phù hợp")
    with pytest.raises(Conflict):
        svc.application_move(actor=org.hr_officer, application=app, stage=rec.stages["screening"])


def test_reject_with_reason_and_template(rec, django_capture_on_commit_callbacks):
    org = rec.org
    app = make_application(rec)
    with pytest.raises(ValidationFailed):
        svc.application_reject(actor=org.hr_officer, application=app, reason="  ")
    tpl = _template(rec, kind="rejection", name="Từ chối", subject="Kết quả ứng tuyển",
                    body="Rất tiếc: {reason}")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        svc.application_reject(actor=org.hr_officer, application=app,
                               reason="Chưa đủ kinh nghiệm", template=tpl)  # fmt: skip
    app.refresh_from_db()
    assert app.state == "rejected"
    assert app.stage == rec.stages["rejected"]
    assert app.rejection_reason == "Chưa đủ kinh nghiệm"
    assert app.decided_at
    assert djmail.outbox[-1].body == "Rất tiếc: Chưa đủ kinh nghiệm"
    assert AuditEvent.objects.filter(event_type="APPLICATION_REJECTED").count() == 1
    assert AuditEvent.objects.filter(event_type="CANDIDATE_EMAILED").count() == 1


def test_bulk_reject_is_all_or_nothing(rec, django_capture_on_commit_callbacks):
    org = rec.org
    apps = [make_application(rec, name=f"Ứng viên {i}", email=f"u{i}@x.vn", phone=f"09000000{i}")
            for i in range(3)]  # fmt: skip
    closed = make_application(rec, name="Đã loại", email="d@x.vn", phone="0911111111")
    svc.application_reject(actor=org.hr_officer, application=closed, reason="Trùng")
    with pytest.raises(Conflict):
        svc.applications_reject(
            actor=org.hr_officer, applications=[*apps, closed], reason="Đủ người"
        )
    assert Application.objects.filter(pk__in=[a.pk for a in apps], state="active").count() == 3
    tpl = _template(rec, kind="rejection", name="Từ chối", body="{candidate_name}: {reason}")
    with django_capture_on_commit_callbacks(execute=True):
        n = svc.applications_reject(actor=org.hr_officer, applications=apps, reason="Đủ người",
                                    template=tpl)  # fmt: skip
    assert n == 3
    assert Application.objects.filter(pk__in=[a.pk for a in apps], state="rejected").count() == 3
    assert sorted(m.body for m in djmail.outbox) == [f"Ứng viên {i}: Đủ người" for i in range(3)]


def test_email_from_template(rec, django_capture_on_commit_callbacks):
    app = make_application(rec)
    tpl = _template(rec, kind="other", name="Bổ sung", body="{candidate_name} {unknown}")
    with pytest.raises(PermissionDenied):
        svc.application_email(actor=rec.org.staff, application=app, template=tpl)
    with django_capture_on_commit_callbacks(execute=True):
        svc.application_email(actor=rec.org.hr_officer, application=app, template=tpl)
    assert djmail.outbox[-1].body == "Nguyễn Văn Minh {unknown}"


def test_reminders_once_per_stay(rec):
    from backoffice.workflow.models import Task

    org = rec.org
    now = timezone.now()
    fresh = make_application(rec, name="Mới nộp", email="m@x.vn", phone="0922222222")
    old = make_application(rec, applied_days_ago=4)  # "new" reminds after 3 days
    assert svc.reminders_create(company=rec.company, now=now) == 1
    task = Task.objects.get(company=rec.company)
    assert task.assignee == org.hr_officer  # the requisition's creator
    assert "Nguyễn Văn Minh" in task.title
    assert task.link_id == old.pk
    assert svc.reminders_create(company=rec.company, now=now) == 0  # once per stay
    svc.application_move(actor=org.hr_officer, application=old, stage=rec.stages["screening"])
    old.refresh_from_db()
    assert old.reminded_at is None
    assert svc.reminders_create(company=rec.company, now=now + dt.timedelta(days=4)) == 1
    assert svc.reminders_create(company=rec.company, now=now + dt.timedelta(days=6)) == 1  # fresh
    fresh.refresh_from_db()
    assert fresh.reminded_at is not None


def test_reminder_goes_to_hr_when_no_creator(rec):
    from backoffice.workflow.models import Task

    rec.requisition.created_by = None
    rec.requisition.save()
    make_application(rec, applied_days_ago=10)
    assert svc.reminders_create(now=timezone.now()) == 1
    assert Task.objects.get(company=rec.company).assignee == rec.org.hr_officer


def test_reminders_job_kind_registered(rec):
    from backoffice.core.jobs import registered_kinds

    assert "recruitment.reminders" in registered_kinds()


def test_remind_cli(rec):
    from click.testing import CliRunner

    from backoffice.cli import main
    from backoffice.workflow.models import Task

    make_application(rec, applied_days_ago=5)
    result = CliRunner().invoke(main, ["recruitment", "remind", "--company", rec.company.code])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    assert Task.objects.filter(company=rec.company).count() == 1
    again = CliRunner().invoke(main, ["recruitment", "remind"])
    assert again.exit_code == 0
    assert Task.objects.filter(company=rec.company).count() == 1
