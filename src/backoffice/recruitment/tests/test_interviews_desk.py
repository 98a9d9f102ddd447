"""Desk pages of interviews: agenda, scheduling form (propose slots, clash
message, force), detail (reschedule, cancel, ICS), scorecard form,
side-by-side page; who may open what (an interviewer sees only their
interviews; an employee not on the panel and company B see nothing)."""

from __future__ import annotations

from django.core import mail as django_mail
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from backoffice.recruitment.tests.test_interviews_world import at, make_application, schedule

pytest_plugins = ["backoffice.recruitment.tests.test_interviews_world"]
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _client(desk_login, user, company):
    client = Client(**EN)
    desk_login(client, user, company)
    return client


def _url(name, *args):
    return reverse(f"recruitment:{name}", args=args)


def test_agenda_scope(iw, desk_login):
    mine = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff], title="PV-STAFF-ONLY")
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    schedule(iw, at(iw.day, 13), at(iw.day, 14), [iw.org.other_manager], application=other,
             title="PV-OTHER-PANEL", room=None)  # fmt: skip
    hr = _client(desk_login, iw.hr, iw.company).get(_url("interviews"))
    assert hr.status_code == 200
    assert "Phạm Minh Tuấn" in hr.text
    assert "Lê Văn Bình" in hr.text
    staff = _client(desk_login, iw.org.staff, iw.company).get(_url("interviews"))
    assert staff.status_code == 200
    assert "Phạm Minh Tuấn" in staff.text
    assert "Lê Văn Bình" not in staff.text
    # The hiring manager sees the interviews of their posting.
    manager = _client(desk_login, iw.org.manager, iw.company).get(_url("interviews"))
    assert "Phạm Minh Tuấn" in manager.text
    assert "Lê Văn Bình" in manager.text
    # Not on any panel: nothing; company B: nothing.
    for user, company in ((iw.org.director, iw.company), (iw.org.accountant, iw.company),
                          (iw.org.outsider_hr, iw.org.other_company)):  # fmt: skip
        page = _client(desk_login, user, company).get(_url("interviews"))
        assert "Phạm Minh Tuấn" not in page.text
    assert mine.pk


def test_detail_and_ics_access(iw, desk_login):
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff])
    for user in (iw.hr, iw.org.staff, iw.org.manager):  # HR, panel, hiring manager
        client = _client(desk_login, user, iw.company)
        assert client.get(_url("interview_detail", interview.public_id)).status_code == 200
        ics = client.get(_url("interview_ics", interview.public_id))
        assert ics.status_code == 200
        assert ics["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(ics.content)
        assert str(cal["method"]) == "REQUEST"
    for user, company in ((iw.org.other_manager, iw.company), (iw.org.director, iw.company),
                          (iw.org.outsider_hr, iw.org.other_company)):  # fmt: skip
        client = _client(desk_login, user, company)
        for name in ("interview_detail", "interview_ics", "interview_scorecard"):
            page = client.get(_url(name, interview.public_id))
            assert page.status_code == 404, (user, name)
            assert "Phạm Minh Tuấn" not in page.text
        page = client.get(_url("scorecards", iw.application.public_id))
        assert page.status_code == 404
        page = client.get(_url("interview_new", iw.application.public_id))
        assert page.status_code in (403, 404)
        assert "Phạm Minh Tuấn" not in page.text


def test_schedule_form_propose_then_schedule(iw, desk_login, django_capture_on_commit_callbacks):
    client = _client(desk_login, iw.hr, iw.company)
    url = _url("interview_new", iw.application.public_id)
    page = client.get(url)
    assert page.status_code == 200
    assert "Hoàng Trưởng Phòng" in page.text
    base = {"interviewers": [str(iw.org.manager.public_id), str(iw.org.staff.public_id)],
            "duration": "60", "mode": "onsite", "room": str(iw.room.public_id),
            "day_from": iw.day.isoformat(), "day_to": iw.day.isoformat()}  # fmt: skip
    page = client.post(url, {**base, "op": "propose"})
    assert page.status_code == 200
    assert 'id="interview-slots"' in page.text
    assert f"{iw.day.isoformat()}T08:00" in page.text
    assert f"{iw.day.isoformat()}T13:00" in page.text
    assert f"{iw.day.isoformat()}T12:00" not in page.text  # the break
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {**base, "op": "schedule", "slot": f"{iw.day.isoformat()}T09:00",
                                 "title": "Vòng 1"})  # fmt: skip
    assert done.status_code == 302
    interview = iw.application.interviews.get()
    assert done["Location"] == _url("interview_detail", interview.public_id)
    assert interview.starts_at == at(iw.day, 9)
    assert {tuple(sorted(m.to)) for m in django_mail.outbox} == {
        ("nv@a.vn", "tp@a.vn"), ("tuan.pham@example.vn",)}  # fmt: skip


def test_schedule_form_shows_the_clash_and_may_force(iw, desk_login):
    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager], title="Đã có lịch")
    other = make_application(iw.rec, name="Lê Văn Bình", email="binh@example.vn")
    client = _client(desk_login, iw.hr, iw.company)
    url = _url("interview_new", other.public_id)
    data = {"interviewers": [str(iw.org.manager.public_id)], "duration": "60", "mode": "onsite",
            "date": iw.day.isoformat(), "start": "09:30", "op": "schedule"}  # fmt: skip
    page = client.post(url, data)
    assert page.status_code == 200
    assert 'id="interview-clash"' in page.text
    assert "Hoàng Trưởng Phòng" in page.text
    assert "Đã có lịch" in page.text
    assert 'id="interview-force"' in page.text
    assert not other.interviews.exists()
    assert client.post(url, {**data, "force": "1"}).status_code == 302
    assert other.interviews.count() == 1


def test_detail_reschedule_and_cancel(iw, desk_login, django_capture_on_commit_callbacks):
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    client = _client(desk_login, iw.hr, iw.company)
    url = _url("interview_detail", interview.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"op": "reschedule", "interviewers": [str(iw.org.manager.public_id)],
                              "date": iw.day.isoformat(), "start": "14:00", "duration": "45",
                              "mode": "onsite", "room": str(iw.room.public_id)})  # fmt: skip
    assert r.status_code == 302
    interview.refresh_from_db()
    assert interview.sequence == 1
    assert interview.ends_at == at(iw.day, 14, 45)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"op": "cancel", "reason": "Trùng lịch"})
    interview.refresh_from_db()
    assert interview.state == "cancelled"
    ics = Calendar.from_ical(client.get(_url("interview_ics", interview.public_id)).content)
    assert str(ics["method"]) == "CANCEL"
    assert any("METHOD:CANCEL" in m.attachments[0][1] for m in django_mail.outbox)


def test_panel_member_cannot_reschedule_or_cancel(iw, desk_login):
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff])
    client = _client(desk_login, iw.org.staff, iw.company)
    url = _url("interview_detail", interview.public_id)
    client.post(url, {"op": "cancel"})
    client.post(url, {"op": "reschedule", "interviewers": [str(iw.org.staff.public_id)],
                      "date": iw.day.isoformat(), "start": "14:00", "duration": "60"})  # fmt: skip
    interview.refresh_from_db()
    assert interview.state == "scheduled"
    assert interview.sequence == 0
    assert _client(desk_login, iw.org.staff, iw.company).get(
        _url("interview_new", iw.application.public_id)).status_code == 403  # fmt: skip


def test_scorecard_form_and_side_by_side(iw, desk_login):
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff, iw.org.other_manager])
    staff = _client(desk_login, iw.org.staff, iw.company)
    url = _url("interview_scorecard", interview.public_id)
    page = staff.get(url)
    assert page.status_code == 200
    assert "Giao tiếp" in page.text
    r = staff.post(url, {"rating_0": "4", "rating_1": "3", "rating_2": "5", "overall": "4",
                         "recommendation": "yes", "comment": "Ứng viên tốt"})  # fmt: skip
    assert r.status_code == 302
    assert interview.scorecards.count() == 1
    # The other interviewer has not submitted: the staff member's card is held back.
    other = _client(desk_login, iw.org.other_manager, iw.company)
    page = other.get(_url("scorecards", iw.application.public_id))
    assert page.status_code == 200
    assert 'id="scorecards-held-back"' in page.text
    assert "Ứng viên tốt" not in page.text
    # The hiring manager and HR see it side by side.
    for user in (iw.org.manager, iw.hr):
        page = _client(desk_login, user, iw.company).get(
            _url("scorecards", iw.application.public_id)
        )
        assert page.status_code == 200
        assert "Ứng viên tốt" in page.text
        assert "Nguyễn Thị Lan" in page.text
    # HR is not on the panel: no scorecard form.
    assert _client(desk_login, iw.hr, iw.company).get(url).status_code == 403


def test_application_panel_context(iw):
    from backoffice.recruitment.selectors.interviews import application_panel

    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.staff])
    hr = application_panel(iw.hr, iw.application)
    assert hr["may_schedule"]
    assert [r["interview"] for r in hr["interview_rows"]] == [interview]
    staff = application_panel(iw.org.staff, iw.application)
    assert not staff["may_schedule"]
    assert staff["interview_rows"][0]["mine_pending"]
    assert application_panel(iw.org.director, iw.application)["interview_rows"] == []
    from django.template.loader import render_to_string

    html = render_to_string("recruitment/interviews/_application_panel.html", hr)
    assert _url("interview_new", iw.application.public_id) in html
