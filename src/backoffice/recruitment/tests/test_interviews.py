"""Interview services: scheduling with clash detection (interviewers, room,
leave, working hours; HR may force), reschedule, cancel, done; the e-mails
carry the ICS; every change is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail as django_mail
from django.utils import translation

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.recruitment.tests.test_interviews_world import (
    approved_leave,
    at,
    make_application,
    schedule,
)

pytest_plugins = ["backoffice.recruitment.tests.test_interviews_world"]


def _audits(kind):
    from backoffice.core.models import AuditEvent

    return AuditEvent.objects.filter(event_type=kind)


def test_schedule_sends_ics_to_panel_and_candidate(iw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager, iw.org.staff],
                             note="Hỏi về Django ORM")  # fmt: skip
    assert interview.uid
    assert interview.sequence == 0
    assert interview.state == "scheduled"
    assert set(interview.interviewers.all()) == {iw.org.manager, iw.org.staff}
    assert interview.organizer == iw.hr
    assert "Phạm Minh Tuấn" in interview.title
    by_to = {tuple(sorted(m.to)): m for m in django_mail.outbox}
    panel = by_to[("nv@a.vn", "tp@a.vn")]
    candidate = by_to[("tuan.pham@example.vn",)]
    for message in (panel, candidate):
        ((name, content, mimetype),) = message.attachments
        assert name.endswith(".ics")
        assert mimetype == "text/calendar"
        assert "METHOD:REQUEST" in content
        assert interview.uid in content
    # The panel's note stays with the panel.
    assert "Django ORM" in panel.attachments[0][1]
    assert "Django ORM" in panel.body
    assert "Django ORM" not in candidate.attachments[0][1]
    assert "Django ORM" not in candidate.body
    assert "Phòng họp Sen" in candidate.body
    assert _audits("INTERVIEW_SCHEDULED").count() == 1


def test_nothing_is_sent_when_the_action_fails(iw, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationFailed),
    ):
        schedule(iw, at(iw.day, 10), at(iw.day, 9), [iw.org.manager])
    assert callbacks == []
    assert django_mail.outbox == []


def test_interviewer_clash_is_refused_naming_who(iw):
    first = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], title="Vòng 1 — An")
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    with translation.override("en"), pytest.raises(Conflict) as exc:
        schedule(iw, at(iw.day, 9, 30), at(iw.day, 10, 30), [iw.org.staff, iw.org.manager],
                 application=other, room=None)  # fmt: skip
    assert exc.value.code == "interview_clash"
    assert "Hoàng Trưởng Phòng" in exc.value.message
    assert "Vòng 1 — An" in exc.value.message
    assert "Nguyễn Thị Lan" not in exc.value.message
    clash = exc.value.extra["clashes"][0]
    assert clash["kind"] == "interviewer"
    assert clash["who"] == "Hoàng Trưởng Phòng"
    # Back to back is fine (half-open intervals).
    schedule(iw, at(iw.day, 10), at(iw.day, 11), [iw.org.manager], application=other)
    assert first.pk


def test_room_clash_is_refused_naming_the_room(iw):
    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], title="PV phòng Sen")
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    with translation.override("en"), pytest.raises(Conflict) as exc:
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff], application=other)
    assert "room Phòng họp Sen" in exc.value.message
    assert [c["kind"] for c in exc.value.extra["clashes"]] == ["room"]


def test_leave_and_working_hours_clash(iw):
    approved_leave(iw.company, iw.org.staff_emp, iw.day, iw.day, start_half=True)
    with translation.override("en"), pytest.raises(Conflict) as exc:
        schedule(iw, at(iw.day, 14), at(iw.day, 15), [iw.org.staff])
    assert "on leave" in exc.value.message
    with translation.override("en"), pytest.raises(Conflict) as exc:
        schedule(iw, at(iw.day, 17, 30), at(iw.day, 18, 30), [iw.org.manager])
    assert "outside working hours" in exc.value.message
    # The morning is fine.
    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff])


def test_hr_may_force_and_the_clash_is_audited(iw):
    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    forced = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], application=other,
                      force=True)  # fmt: skip
    event = _audits("INTERVIEW_SCHEDULED").order_by("-seq").first()
    assert event.after["forced"] is True
    assert event.after["clashes"]
    assert forced.pk


def test_scheduling_moves_an_early_application_to_the_interview_stage(iw):
    from backoffice.recruitment.models import Application, StageChange

    stages = iw.rec.stages
    Application.objects.filter(pk=iw.application.pk).update(stage=stages["screening"])
    iw.application.refresh_from_db()
    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    iw.application.refresh_from_db()
    assert iw.application.stage == stages["interview"]
    change = StageChange.objects.filter(application=iw.application).latest("id")
    assert (change.from_stage, change.to_stage) == (stages["screening"], stages["interview"])
    assert change.actor == iw.hr
    # already further on (an offer is being made): a second-round interview moves nothing
    Application.objects.filter(pk=iw.application.pk).update(stage=stages["offer"])
    iw.application.refresh_from_db()
    before = StageChange.objects.count()
    schedule(iw, at(iw.day, 14), at(iw.day, 15), [iw.org.manager])
    iw.application.refresh_from_db()
    assert iw.application.stage == stages["offer"]
    assert StageChange.objects.count() == before


def test_only_hr_schedules(iw):
    from backoffice.recruitment.services.interviews import interview_schedule

    # The hiring manager, an employee, the operations manager, HR of company B.
    for user in (iw.org.manager, iw.org.staff, iw.org.director, iw.org.outsider_hr):
        with pytest.raises(PermissionDenied):
            interview_schedule(actor=user, application=iw.application, starts_at=at(iw.day, 9),
                               ends_at=at(iw.day, 10), interviewers=[iw.org.manager])  # fmt: skip


def test_validation(iw):
    from backoffice.recruitment.models import Room

    with pytest.raises(ValidationFailed) as exc:
        schedule(iw, at(dt.date(2020, 1, 6), 9), at(dt.date(2020, 1, 6), 10), [iw.org.manager])
    assert exc.value.code == "in_the_past"
    with pytest.raises(ValidationFailed) as exc:
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], mode="online", room=None)
    assert exc.value.code == "link_required"
    with pytest.raises(ValidationFailed) as exc:
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], mode="online", room=None,
                 online_link="javascript:alert(1)")  # fmt: skip
    assert exc.value.code == "bad_link"
    foreign = Room.objects.create(company=iw.org.other_company, name="Phòng B")
    with pytest.raises(ValidationFailed) as exc:
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], room=foreign)
    assert exc.value.code == "cross_company_reference"
    with pytest.raises(ValidationFailed) as exc:
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.outsider_hr])
    assert exc.value.code == "interviewer_not_member"
    iw.application.state = "rejected"
    iw.application.save()
    with pytest.raises(ValidationFailed) as exc:
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    assert exc.value.code == "application_closed"


def test_online_interview_location_is_the_link(iw, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], mode="online", room=None,
                 online_link="https://meet.example.vn/abc-def")  # fmt: skip
    cand = next(m for m in django_mail.outbox if m.to == ["tuan.pham@example.vn"])
    assert "LOCATION:https://meet.example.vn/abc-def" in cand.attachments[0][1]


def test_reschedule_keeps_uid_and_bumps_sequence(iw, django_capture_on_commit_callbacks):
    from backoffice.recruitment.services.interviews import interview_reschedule

    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager, iw.org.staff])
    uid = interview.uid
    with django_capture_on_commit_callbacks(execute=True):
        moved = interview_reschedule(actor=iw.hr, interview=interview, starts_at=at(iw.day, 14),
                                     ends_at=at(iw.day, 15), interviewers=[iw.org.manager])  # fmt: skip
    assert moved.uid == uid
    assert moved.sequence == 1
    assert list(moved.interviewers.all()) == [iw.org.manager]
    contents = {tuple(m.to): m.attachments[0][1] for m in django_mail.outbox}
    assert "SEQUENCE:1" in contents[("tp@a.vn",)]
    assert "METHOD:REQUEST" in contents[("tp@a.vn",)]
    # The interviewer taken off the panel receives the cancellation.
    assert "METHOD:CANCEL" in contents[("nv@a.vn",)]
    assert "SEQUENCE:1" in contents[("tuan.pham@example.vn",)]
    assert _audits("INTERVIEW_RESCHEDULED").count() == 1
    # Its own old time does not clash with itself.
    interview_reschedule(actor=iw.hr, interview=moved, starts_at=at(iw.day, 14, 30),
                         ends_at=at(iw.day, 15, 30))  # fmt: skip


def test_reschedule_detects_clashes(iw):
    from backoffice.recruitment.services.interviews import interview_reschedule

    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], room=None)
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    second = schedule(iw, at(iw.day, 13), at(iw.day, 14), [iw.org.manager], application=other)
    with pytest.raises(Conflict):
        interview_reschedule(actor=iw.hr, interview=second, starts_at=at(iw.day, 9),
                             ends_at=at(iw.day, 10))  # fmt: skip
    second.refresh_from_db()
    assert second.sequence == 0


def test_cancel_sends_cancel_and_frees_time(iw, django_capture_on_commit_callbacks):
    from backoffice.recruitment.services.interviews import interview_cancel, interview_reschedule

    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    with django_capture_on_commit_callbacks(execute=True):
        interview_cancel(actor=iw.hr, interview=interview, reason="Ứng viên xin dời")
    interview.refresh_from_db()
    assert interview.state == "cancelled"
    assert interview.sequence == 1
    assert len(django_mail.outbox) == 2
    for message in django_mail.outbox:
        content = message.attachments[0][1]
        assert "METHOD:CANCEL" in content
        assert "STATUS:CANCELLED" in content
        assert interview.uid in content
    with pytest.raises(Conflict):
        interview_cancel(actor=iw.hr, interview=interview)
    with pytest.raises(Conflict):
        interview_reschedule(actor=iw.hr, interview=interview, starts_at=at(iw.day, 11),
                             ends_at=at(iw.day, 12))  # fmt: skip
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], application=other)


def test_done_by_panel_member_after_start(iw):
    from backoffice.recruitment.models import Interview
    from backoffice.recruitment.services.interviews import interview_done

    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    with pytest.raises(ValidationFailed):
        interview_done(actor=iw.org.manager, interview=interview)
    Interview.objects.filter(pk=interview.pk).update(
        starts_at=at(dt.date(2024, 1, 8), 9), ends_at=at(dt.date(2024, 1, 8), 10))  # fmt: skip
    interview.refresh_from_db()
    with pytest.raises(PermissionDenied):
        interview_done(actor=iw.org.staff, interview=interview)
    assert interview_done(actor=iw.org.manager, interview=interview).state == "done"


def test_company_interview_template_is_used(iw, django_capture_on_commit_callbacks):
    from backoffice.recruitment.models import EmailTemplate

    EmailTemplate.objects.create(
        company=iw.company, kind="interview", name="Mời phỏng vấn", language="vi",
        subject="Thư mời phỏng vấn {job_title}",
        body="Chào {candidate_name}, hẹn bạn lúc {interview_time} tại {interview_place}.",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    cand = next(m for m in django_mail.outbox if m.to == ["tuan.pham@example.vn"])
    assert cand.subject == "Thư mời phỏng vấn Lập trình viên Python"
    assert cand.body.startswith("Chào Phạm Minh Tuấn, hẹn bạn lúc ")
    assert "09:00–10:00" in cand.body
    assert "Phòng họp Sen" in cand.body
