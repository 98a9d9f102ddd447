"""Fixtures shared by the interview tests (no tests here): on top of ``rec``,
a candidate in the interview stage, a room, and ``day``: a working Monday at
least two weeks ahead (not a holiday), so scheduling is always in the future."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

TZ = timezone.get_default_timezone()


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=TZ)


def working_monday(company: Any) -> dt.date:
    from backoffice.hr.services.calendar import WORKING, day_kind

    day = timezone.localdate() + dt.timedelta(days=14)
    while (
        day.weekday() != 0
        or day_kind(company, day) != WORKING
        or (day_kind(company, day + dt.timedelta(days=1)) != WORKING)
    ):
        day += dt.timedelta(days=1)
    return day


@dataclass
class InterviewWorld:
    rec: Any
    org: Any
    company: Any
    candidate: Any
    application: Any
    room: Any
    day: dt.date  # a working Monday (and Tuesday) in the future
    hr: Any  # HR officer (schedules)


def make_application(rec, *, name="Phạm Minh Tuấn", email="tuan.pham@example.vn", company=None):
    from backoffice.recruitment.models import Application, Candidate

    company = company or rec.company
    now = timezone.now()
    cand = Candidate.objects.create(
        company=company, full_name=name, email=email, phone="0901234567",
        cv_text="Python Django", consent_at=now,
        consent_until=timezone.localdate() + dt.timedelta(days=365),
    )  # fmt: skip
    return Application.objects.create(
        company=company, candidate=cand, posting=rec.posting, stage=rec.stages["interview"],
        applied_at=now, stage_entered_at=now,
    )  # fmt: skip


@pytest.fixture
def iw(rec):
    from backoffice.recruitment.models import Room

    app = make_application(rec)
    room = Room.objects.create(company=rec.company, name="Phòng họp Sen", location="Tầng 3")
    return InterviewWorld(rec, rec.org, rec.company, app.candidate, app, room,
                          working_monday(rec.company), rec.org.hr_officer)  # fmt: skip


def schedule(iw, start, end, people, **kw):
    from backoffice.recruitment.services.interviews import interview_schedule

    kw.setdefault("room", iw.room)
    return interview_schedule(actor=iw.hr, application=kw.pop("application", iw.application),
                              starts_at=start, ends_at=end, interviewers=people, **kw)  # fmt: skip


def approved_leave(company, employee, start, end, *, start_half=False, end_half=False):
    from backoffice.hr.models import LeaveRequest, LeaveType

    lt, _c = LeaveType.objects.get_or_create(
        company=company, code="AL", defaults={"name": "Nghỉ phép năm", "category": "annual"}
    )
    return LeaveRequest.objects.create(
        company=company, employee=employee, leave_type=lt, start_date=start, end_date=end,
        start_half=start_half, end_half=end_half, state="approved",
    )  # fmt: skip
