"""Calendar invitations (RFC 5545) for interviews, built with ``icalendar``.

One VCALENDAR (PRODID, VERSION 2.0, METHOD REQUEST or CANCEL) with one
VEVENT: the interview's stable UID (a reschedule or a cancellation updates the
same event in the attendees' calendars), its SEQUENCE (grows on every
change), DTSTAMP, DTSTART/DTEND in UTC, SUMMARY, LOCATION (the room, or the
online link), DESCRIPTION, ORGANIZER, one ATTENDEE per interviewer and one
for the candidate, STATUS CONFIRMED or CANCELLED.

The candidate's copy leaves out the panel's private note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from backoffice.recruitment.enums import InterviewMode, InterviewState

PRODID = "-//Back Office//Recruitment interviews//VI"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def interview_place(interview: Any) -> str:
    """Where the interview happens, as people read it: the room (and its
    location), the online link, or "phone"."""
    if interview.mode == InterviewMode.ONLINE and interview.online_link:
        return str(interview.online_link)
    if interview.room_id:
        room = interview.room
        return f"{room.name} — {room.location}" if room.location else room.name
    if interview.mode == InterviewMode.PHONE:
        return _("Phone call")
    posting = interview.application.posting
    return posting.location or _("On site")


def _address(email: str, name: str, **params: str) -> vCalAddress:
    addr = vCalAddress(f"mailto:{email}")
    addr.params["cn"] = vText(name or email)
    for key, value in params.items():
        addr.params[key.replace("_", "-")] = vText(value)
    return addr


def interview_ics(interview: Any, method: str = REQUEST, *, for_candidate: bool = False) -> bytes:
    """The invitation (``REQUEST``) or its cancellation (``CANCEL``) as bytes."""
    method = method.upper()
    if method not in (REQUEST, CANCEL):
        raise ValueError(f"unknown iTIP method {method!r}")
    cancelled = method == CANCEL or interview.state == InterviewState.CANCELLED
    application = interview.application
    candidate = application.candidate
    posting = application.posting

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", CANCEL if cancelled else REQUEST)

    event = Event()
    event.add("uid", interview.uid)
    event.add("sequence", int(interview.sequence))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC).replace(microsecond=0))
    event.add("dtstart", interview.starts_at.astimezone(dt.UTC))
    event.add("dtend", interview.ends_at.astimezone(dt.UTC))
    event.add("summary", interview.title)
    event.add("location", interview_place(interview))
    lines = [
        _("Candidate: %(name)s") % {"name": candidate.full_name},
        _("Position: %(title)s") % {"title": posting.title},
    ]
    if interview.online_link:
        lines.append(_("Online link: %(url)s") % {"url": interview.online_link})
        event.add("url", interview.online_link)
    if interview.note and not for_candidate:
        lines.append(interview.note)
    event.add("description", "\n".join(lines))
    organizer = interview.organizer
    event.add(
        "organizer",
        _address(
            (organizer.email if organizer else "") or settings.DEFAULT_FROM_EMAIL,
            organizer.full_name if organizer else interview.company.name,
        ),
    )
    for user in interview.interviewers.all().order_by("email"):
        event.add(
            "attendee",
            _address(user.email, user.full_name, role="REQ-PARTICIPANT",
                     partstat="NEEDS-ACTION", rsvp="TRUE", cutype="INDIVIDUAL"),
        )  # fmt: skip
    if candidate.email:
        event.add(
            "attendee",
            _address(candidate.email, candidate.full_name, role="REQ-PARTICIPANT",
                     partstat="NEEDS-ACTION", rsvp="TRUE", cutype="INDIVIDUAL"),
        )  # fmt: skip
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return bytes(cal.to_ical())


def ics_filename(interview: Any) -> str:
    return f"phong-van-{interview.public_id}.ics"
