"""The ICS invitation parsed back with ``icalendar``: method, stable UID,
growing SEQUENCE, UTC times, attendees, location, cancellation."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from backoffice.recruitment.ics import interview_ics
from backoffice.recruitment.tests.test_interviews_world import at, schedule

pytest_plugins = ["backoffice.recruitment.tests.test_interviews_world"]


def _event(data: bytes):
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    return cal, events[0]


def _mails(event):
    found = event.get("attendee")
    found = found if isinstance(found, list) else [found]
    return {str(a).removeprefix("mailto:"): a for a in found}


def test_request_is_valid_and_complete(iw):
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10, 30), [iw.org.manager, iw.org.staff],
                         note="Ghi chú nội bộ")  # fmt: skip
    cal, ev = _event(interview_ics(interview))
    assert str(cal["method"]) == "REQUEST"
    assert str(cal["version"]) == "2.0"
    assert "Back Office" in str(cal["prodid"])
    assert str(ev["uid"]) == interview.uid
    assert int(ev["sequence"]) == 0
    assert str(ev["status"]) == "CONFIRMED"
    start, end = ev.decoded("dtstart"), ev.decoded("dtend")
    assert start == at(iw.day, 9)
    assert end == at(iw.day, 10, 30)
    assert start.utcoffset() == dt.timedelta(0)  # written in UTC
    assert ev.decoded("dtstamp").tzinfo is not None
    assert str(ev["summary"]) == interview.title
    assert str(ev["location"]) == "Phòng họp Sen — Tầng 3"
    assert "Phạm Minh Tuấn" in str(ev["description"])
    assert "Ghi chú nội bộ" in str(ev["description"])
    attendees = _mails(ev)
    assert set(attendees) == {"tp@a.vn", "nv@a.vn", "tuan.pham@example.vn"}
    assert str(attendees["tp@a.vn"].params["cn"]) == "Hoàng Trưởng Phòng"
    assert attendees["tuan.pham@example.vn"].params["rsvp"] == "TRUE"
    assert str(ev["organizer"]) == "mailto:ns@a.vn"
    # The candidate's copy has no panel note.
    _cal, cand = _event(interview_ics(interview, for_candidate=True))
    assert "Ghi chú nội bộ" not in str(cand["description"])


def test_uid_stable_sequence_grows_cancel(iw):
    from backoffice.recruitment.services.interviews import interview_cancel, interview_reschedule

    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    _c, first = _event(interview_ics(interview))
    interview_reschedule(actor=iw.hr, interview=interview, starts_at=at(iw.day, 13),
                         ends_at=at(iw.day, 14), room=None, mode="online",
                         online_link="https://meet.example.vn/x")  # fmt: skip
    interview.refresh_from_db()
    _c, second = _event(interview_ics(interview))
    assert str(second["uid"]) == str(first["uid"])
    assert int(second["sequence"]) == 1
    assert second.decoded("dtstart") == at(iw.day, 13)
    assert str(second["location"]) == "https://meet.example.vn/x"
    interview_cancel(actor=iw.hr, interview=interview)
    interview.refresh_from_db()
    cal, third = _event(interview_ics(interview, "CANCEL"))
    assert str(cal["method"]) == "CANCEL"
    assert str(third["status"]) == "CANCELLED"
    assert str(third["uid"]) == str(first["uid"])
    assert int(third["sequence"]) == 2
    # A cancelled interview's ICS is a cancellation whatever is asked.
    cal, _ev = _event(interview_ics(interview))
    assert str(cal["method"]) == "CANCEL"


def test_lines_are_folded_and_text_escaped(iw):
    interview = schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager],
                         title="Phỏng vấn; vòng 1, kỹ thuật " + "x" * 120)  # fmt: skip
    data = interview_ics(interview)
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    _c, ev = _event(data)
    assert str(ev["summary"]) == interview.title
