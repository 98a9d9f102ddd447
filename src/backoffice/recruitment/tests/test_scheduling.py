"""Slot finding: the pure arithmetic, then the panel's availability from HR
data (working hours and schedules, holidays, full and half days of approved
leave, existing interviews, the room)."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice.recruitment import scheduling as s
from backoffice.recruitment.tests.test_interviews_world import approved_leave, at, schedule

pytest_plugins = ["backoffice.recruitment.tests.test_interviews_world"]

D = dt.date(2027, 3, 1)
H = dt.timedelta(hours=1)


def t(hh, mm=0):
    return at(D, hh, mm)


# --- pure -------------------------------------------------------------------------------------
def test_free_slots_steps_and_busy():
    slots = s.free_slots([(t(8), t(12))], [(t(9), t(10))], H, dt.timedelta(minutes=30))
    assert slots == [(t(8), t(9)), (t(10), t(11)), (t(10, 30), t(11, 30)), (t(11), t(12))]


def test_free_slots_align_to_the_clock_and_limit():
    slots = s.free_slots([(t(8, 7), t(10))], [], dt.timedelta(minutes=30))
    assert slots[0] == (t(8, 15), t(8, 45))
    assert s.free_slots([(t(8), t(17))], [], H, limit=3) == [
        (t(8), t(9)), (t(8, 15), t(9, 15)), (t(8, 30), t(9, 30))]  # fmt: skip
    with pytest.raises(ValueError):
        s.free_slots([(t(8), t(9))], [], dt.timedelta(0))


def test_panel_windows_intersect_and_subtract_busy():
    windows = {1: [(t(8), t(12)), (t(13), t(17))], 2: [(t(9), t(18))]}
    busy = {2: [(t(14), t(15))]}
    assert s.panel_windows(windows, busy) == [(t(9), t(12)), (t(13), t(14)), (t(15), t(17))]
    assert s.panel_windows({}) == []


def test_merge_subtract_intersect_edges():
    assert s.merge([(t(9), t(10)), (t(10), t(11)), (t(12), t(12))]) == [(t(9), t(11))]
    assert s.subtract([(t(8), t(12))], [(t(7), t(13))]) == []
    assert s.intersect([(t(8), t(9))], [(t(9), t(10))]) == []


def test_clashes_are_half_open():
    busy = [
        ("interviewer", 1, "An", "PV 1", t(9), t(10)),
        ("room", 7, "Sen", "PV 2", t(10), t(11)),
        ("interviewer", 2, "Bình", "PV 3", t(8), t(9)),
    ]
    found = s.clashes((t(9, 30), t(10, 30)), busy)
    assert [(c.kind, c.who, c.what) for c in found] == [
        ("interviewer", "An", "PV 1"), ("room", "Sen", "PV 2")]  # fmt: skip
    assert s.clashes((t(11), t(12)), busy) == []
    assert s.outside((t(16, 30), t(17, 30)), [(t(8), t(17))])
    assert not s.outside((t(16), t(17)), [(t(8), t(17))])


# --- from HR data -----------------------------------------------------------------------------
def _slots(iw, people, day_from=None, day_to=None, duration=H, room=None):
    from backoffice.recruitment.services.interviews import interview_slots

    return interview_slots(company=iw.company, interviewers=people, day_from=day_from or iw.day,
                           day_to=day_to or day_from or iw.day, duration=duration, room=room,
                           step=H)  # fmt: skip


def _starts(slots):
    return [a.strftime("%H:%M") for a, _b in slots]


FULL_DAY = ["08:00", "09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00"]


def test_default_working_hours_minus_break(iw):
    assert _starts(_slots(iw, [iw.org.manager, iw.org.staff])) == FULL_DAY


def test_employee_work_schedule_is_used(iw):
    from backoffice.hr.models import WorkSchedule

    late = WorkSchedule.objects.create(
        company=iw.company, name="Ca muộn", start_time=dt.time(10), end_time=dt.time(19),
        break_start=dt.time(13), break_minutes=60,
    )  # fmt: skip
    iw.org.staff_emp.work_schedule = late
    iw.org.staff_emp.save()
    assert _starts(_slots(iw, [iw.org.staff])) == [
        "10:00", "11:00", "12:00", "14:00", "15:00", "16:00", "17:00", "18:00"]  # fmt: skip
    # The panel: both at work, neither on a break.
    assert _starts(_slots(iw, [iw.org.manager, iw.org.staff])) == [
        "10:00", "11:00", "14:00", "15:00", "16:00"]  # fmt: skip


def test_company_default_schedule_for_people_without_one(iw):
    from backoffice.hr.models import WorkSchedule

    WorkSchedule.objects.create(company=iw.company, name="Chuẩn", start_time=dt.time(7, 30),
                                end_time=dt.time(16, 30), break_start=dt.time(11, 30),
                                is_default=True)  # fmt: skip
    # The HR officer has no employee record: the company default applies to them too.
    assert _starts(_slots(iw, [iw.hr])) == [
        "08:00", "09:00", "10:00", "13:00", "14:00", "15:00"]  # fmt: skip


def test_full_day_leave_blocks_the_day(iw):
    approved_leave(iw.company, iw.org.staff_emp, iw.day, iw.day)
    assert _slots(iw, [iw.org.manager, iw.org.staff]) == []
    assert _starts(_slots(iw, [iw.org.manager])) == FULL_DAY
    # Only approved leave counts.
    from backoffice.hr.models import LeaveRequest

    LeaveRequest.objects.update(state="pending")
    assert _starts(_slots(iw, [iw.org.staff])) == FULL_DAY


def test_multi_day_leave_with_half_days(iw):
    tuesday = iw.day + dt.timedelta(days=1)
    # Monday afternoon off (first day, afternoon only) and Tuesday morning off.
    approved_leave(iw.company, iw.org.staff_emp, iw.day, tuesday, start_half=True, end_half=True)
    both = _slots(iw, [iw.org.staff], iw.day, tuesday)
    assert [(a.date(), a.strftime("%H:%M")) for a, _b in both] == [
        *[(iw.day, h) for h in ("08:00", "09:00", "10:00", "11:00")],
        *[(tuesday, h) for h in ("13:00", "14:00", "15:00", "16:00")],
    ]


def test_single_half_days(iw):
    approved_leave(iw.company, iw.org.staff_emp, iw.day, iw.day, end_half=True)  # morning off
    assert _starts(_slots(iw, [iw.org.staff])) == ["13:00", "14:00", "15:00", "16:00"]
    tuesday = iw.day + dt.timedelta(days=1)
    approved_leave(iw.company, iw.org.staff_emp, tuesday, tuesday, start_half=True)  # afternoon
    assert _starts(_slots(iw, [iw.org.staff], tuesday)) == ["08:00", "09:00", "10:00", "11:00"]


def test_holidays_have_no_slots(iw):
    from backoffice.hr.models import HolidayOverride

    HolidayOverride.objects.create(company=iw.company, date=iw.day, name="Nghỉ bù")
    assert _slots(iw, [iw.org.manager]) == []
    # A make-up Saturday is a working day.
    saturday = iw.day + dt.timedelta(days=5)
    assert _slots(iw, [iw.org.manager], saturday) == []
    HolidayOverride.objects.create(company=iw.company, date=saturday, name="Làm bù",
                                   is_day_off=False)  # fmt: skip
    assert _starts(_slots(iw, [iw.org.manager], saturday)) == FULL_DAY


def test_weekend_and_public_holiday(iw):
    from backoffice.hr.calculations.calendar import public_holidays

    year = iw.day.year + 1
    national_day = dt.date(year, 9, 2)
    assert national_day in public_holidays(year)
    from backoffice.recruitment.services.interviews import availability

    found = availability(iw.company, [iw.org.manager], national_day, national_day)
    assert found[iw.org.manager.pk].windows == []
    sunday = iw.day - dt.timedelta(days=1)
    assert _slots(iw, [iw.org.manager], sunday) == []


def test_existing_interviews_and_room_are_busy(iw):
    schedule(iw, at(iw.day, 9), at(iw.day, 10), [iw.org.manager])
    assert _starts(_slots(iw, [iw.org.manager, iw.org.staff])) == [
        h for h in FULL_DAY if h != "09:00"]  # fmt: skip
    assert _starts(_slots(iw, [iw.org.staff])) == FULL_DAY
    # The staff member is free at 09:00, but the room is not.
    assert "09:00" not in _starts(_slots(iw, [iw.org.staff], room=iw.room))
    # A cancelled interview frees the time.
    from backoffice.recruitment.models import Interview

    Interview.objects.update(state="cancelled")
    assert _starts(_slots(iw, [iw.org.manager], room=iw.room)) == FULL_DAY


def test_slot_period_and_panel_are_checked(iw):
    from backoffice.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        _slots(iw, [iw.org.manager], iw.day, iw.day + dt.timedelta(days=40))
    assert exc.value.code == "period_too_long"
    with pytest.raises(ValidationFailed) as exc:
        _slots(iw, [iw.org.outsider_hr])
    assert exc.value.code == "interviewer_not_member"
    with pytest.raises(ValidationFailed):
        _slots(iw, [])
