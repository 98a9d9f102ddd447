"""Pure attendance arithmetic: normal / night / overtime by kind, with exact hours."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backoffice.hr.calculations.attendance import (
    CapCheck,
    ScheduleSpec,
    parse_date,
    parse_time,
    split_day,
)

STD = ScheduleSpec()  # 08:00-17:00, break 12:00-13:00, Monday to Friday
SAT = ScheduleSpec(working_days="1111110", half_days="0000010")
NIGHT = ScheduleSpec(start=dt.time(22, 0), end=dt.time(6, 0), break_minutes=60,
                     break_start=dt.time(2, 0))  # fmt: skip
WED = dt.date(2026, 11, 25)
SUN = dt.date(2026, 11, 29)
T = dt.time


def fields(split):
    return {k: v for k, v in split.as_fields().items() if v}


def test_standard_day_is_eight_normal_hours():
    assert STD.hours_per_day == D("8.00")
    assert fields(split_day(WED, T(8, 0), T(17, 0), "working", STD)) == {"worked_hours": D(8)}


def test_weekday_overtime_after_the_end_with_exact_hours():
    s = split_day(WED, T(8, 0), T(19, 30), "working", STD)
    assert fields(s) == {"worked_hours": D(8), "ot_weekday": D("2.5")}
    assert not s.over_daily_cap


def test_a_few_minutes_early_or_late_is_not_overtime():
    # 07:52 -> 8 minutes before the start, 17:10 -> 10 minutes: less than a 15-minute block.
    assert fields(split_day(WED, T(7, 52), T(17, 10), "working", STD)) == {"worked_hours": D(8)}
    # 40 minutes after the end: two whole blocks (30 minutes).
    assert split_day(WED, T(8, 0), T(17, 40), "working", STD).ot_weekday == D("0.5")


def test_weekday_overtime_into_the_night_has_its_night_part():
    s = split_day(WED, T(8, 0), T(23, 0), "working", STD)
    assert fields(s) == {"worked_hours": D(8), "ot_weekday": D(6), "ot_night": D(1)}
    assert s.daily_cap == D(4)
    assert s.over_daily_cap


def test_exactly_half_the_normal_day_is_within_the_daily_cap():
    s = split_day(WED, T(8, 0), T(21, 0), "working", STD)
    assert s.ot_weekday == D(4)
    assert not s.over_daily_cap


def test_late_arrival_gives_fewer_normal_hours():
    s = split_day(WED, T(9, 30), T(17, 0), "working", STD)
    assert fields(s) == {"worked_hours": D("6.5")}


def test_rest_day_all_overtime_less_the_break():
    s = split_day(SUN, T(8, 0), T(17, 0), "rest", STD)
    assert fields(s) == {"ot_rest_day": D(8)}
    assert s.daily_cap == D(12)


def test_holiday_overtime_at_night_crossing_midnight():
    s = split_day(dt.date(2026, 11, 24), T(18, 0), T(2, 0), "holiday", STD)
    assert fields(s) == {"ot_holiday": D(8), "ot_night": D(4)}


def test_holiday_overtime_over_twelve_hours_is_flagged():
    s = split_day(dt.date(2026, 9, 2), T(6, 0), T(20, 0), "holiday", STD)
    assert s.ot_holiday == D(13)
    assert s.over_daily_cap


def test_night_shift_normal_hours_are_night_hours():
    s = split_day(WED, T(22, 0), T(6, 0), "working", NIGHT)
    assert NIGHT.hours_per_day == D(7)
    assert fields(s) == {"worked_hours": D(7), "night_hours": D(7)}


def test_saturday_morning_schedule():
    sat = dt.date(2026, 11, 28)
    assert SAT.works_on(sat)
    assert SAT.is_half_day(sat)
    assert fields(split_day(sat, T(8, 0), T(12, 0), "working", SAT)) == {"worked_hours": D(4)}
    assert fields(split_day(sat, T(8, 0), T(14, 0), "working", SAT)) == {
        "worked_hours": D(4), "ot_weekday": D(2)}  # fmt: skip


def test_overtime_before_the_start_keeps_the_part_next_to_the_window():
    s = split_day(WED, T(5, 10), T(17, 0), "working", STD)
    # 05:10-08:00 = 2 h 50 -> 2 h 45 (05:15-08:00), of which 05:15-06:00 at night.
    assert fields(s) == {"worked_hours": D(8), "ot_weekday": D("2.75"), "ot_night": D("0.75")}


def test_only_a_check_in_gives_no_hours():
    assert fields(split_day(WED, T(8, 0), None, "working", STD)) == {}


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        split_day(WED, T(8, 0), T(17, 0), "weekend", STD)


@pytest.mark.parametrize(
    ("month", "year", "flags"),
    [
        (D(40), D(200), []),
        (D("40.25"), D(200), ["month_cap"]),
        (D(10), D("200.5"), ["year_cap"]),
        (D(41), D(201), ["month_cap", "year_cap"]),
    ],
)
def test_monthly_and_yearly_caps(month, year, flags):
    check = CapCheck(month_hours=month, year_hours=year, month_cap=D(40), year_cap=D(200))
    assert check.flags == flags


def test_parsing():
    assert parse_date("2026-11-27") == parse_date("27/11/2026") == dt.date(2026, 11, 27)
    assert parse_time("7:05") == T(7, 5)
    assert parse_time("17:05:59") == T(17, 5)
    for bad in ("31/02/2026", "2026-13-01", "hôm nay"):
        with pytest.raises(ValueError):
            parse_date(bad)
    for bad in ("25:00", "8h", ""):
        with pytest.raises(ValueError):
            parse_time(bad)


minutes = st.integers(min_value=0, max_value=24 * 60 - 1)
specs = st.sampled_from([STD, SAT, NIGHT])
kinds = st.sampled_from(["working", "rest", "holiday"])
days = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(day=days, cin=minutes, cout=minutes, kind=kinds, spec=specs)
def test_split_never_invents_time(day, cin, cout, kind, spec):
    """Whatever the times: every bucket is >= 0, normal + overtime never exceed the
    time present, the night parts never exceed their totals, normal time exists only
    on working days and never exceeds the scheduled day."""
    if cin == cout:
        return
    s = split_day(day, T(cin // 60, cin % 60), T(cout // 60, cout % 60), kind, spec)
    present = D((cout - cin) % (24 * 60)) / 60
    values = s.as_fields().values()
    assert all(v >= 0 for v in values)
    assert s.normal + s.overtime <= present + D("0.01")
    assert s.night <= s.normal
    assert s.ot_night <= s.overtime
    if kind != "working":
        assert s.normal == 0
        assert s.ot_weekday == 0
    else:
        assert s.normal <= spec.hours_per_day
        assert s.ot_rest_day == s.ot_holiday == 0
    assert s.over_daily_cap == (s.overtime > s.daily_cap)
