"""Attendance arithmetic, without the ORM: split a day's check-in/check-out into
normal hours, night hours and overtime by kind, and flag the legal caps.

Labour Code 2019: normal hours Art. 105, night 22:00-06:00 Art. 106, overtime
limits Art. 107 (50 % of the normal daily hours, 40 h a month, 200 h a year or
300 h in the sectors of Art. 107.3 / Decree 145/2020 Art. 61-62), pay rates by
kind Art. 98 (hence the separate buckets). The values come from ``hr.rules``;
the callers pass them in, so everything here is testable with exact numbers.

Choices where the law is silent (documented in the HR guide):

* A shift belongs to the day it starts on; a check-out earlier than the
  check-in means the next morning.
* On a working day, time inside the schedule's window (less the break) is
  normal time; time before the start or after the end is overtime. Each such
  stretch counts in whole blocks of ``block`` minutes (15 by default; the part
  next to the scheduled window is kept), so a check-in at 07:52 is not 8 minutes
  of overtime.
* On a rest day or a public holiday, all the time worked (less the schedule's
  break when the shift spans it) is overtime of that kind, in whole blocks.
* The night part of overtime is reported separately (the extra 20 % of
  Art. 98.3); normal hours worked at night (night-shift schedules) are the
  night hours (+30 %, Art. 98.2).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

WORKING, REST, HOLIDAY = "working", "rest", "holiday"
DAY_KINDS = (WORKING, REST, HOLIDAY)
ZERO = Decimal(0)
HUNDREDTH = Decimal("0.01")
DAY = 24 * 60

Interval = tuple[int, int]  # minutes from the day's 00:00 (may exceed 24 h)


def hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class ScheduleSpec:
    """The parts of a work schedule the arithmetic needs (``hr.WorkSchedule``)."""

    working_days: str = "1111100"  # Mon..Sun
    start: dt.time = dt.time(8, 0)
    end: dt.time = dt.time(17, 0)
    break_minutes: int = 60
    break_start: dt.time | None = dt.time(12, 0)
    half_days: str = "0000000"  # Mon..Sun, morning only

    @classmethod
    def of(cls, schedule: Any) -> ScheduleSpec:
        if schedule is None:
            return cls()
        return cls(
            working_days=schedule.working_days,
            start=schedule.start_time,
            end=schedule.end_time,
            break_minutes=int(schedule.break_minutes or 0),
            break_start=schedule.break_start,
            half_days=(schedule.half_days or "0000000"),
        )

    def works_on(self, day: dt.date) -> bool:
        return self.working_days[day.weekday()] == "1"

    def is_half_day(self, day: dt.date) -> bool:
        return len(self.half_days) == 7 and self.half_days[day.weekday()] == "1"

    def _full_window(self) -> Interval:
        start, end = _minute(self.start), _minute(self.end)
        if end <= start:
            end += DAY  # a night shift ends the next morning
        return start, end

    def break_window(self) -> Interval | None:
        if not self.break_minutes:
            return None
        start, end = self._full_window()
        if self.break_start is None:
            begin = start + (end - start - self.break_minutes) // 2
        else:
            begin = _minute(self.break_start)
            if begin < start:
                begin += DAY
        return begin, begin + self.break_minutes

    def window(self, day: dt.date) -> Interval:
        """The scheduled working time of ``day`` (a morning-only day ends at the break)."""
        start, end = self._full_window()
        if self.is_half_day(day):
            brk = self.break_window()
            end = brk[0] if brk else start + (end - start) // 2
        return start, end

    def normal_minutes(self, day: dt.date) -> int:
        start, end = self.window(day)
        brk = self.break_window()
        return (end - start) - (_overlap((start, end), brk) if brk else 0)

    @property
    def hours_per_day(self) -> Decimal:
        """Normal hours of a full working day (the window less the break)."""
        start, end = self._full_window()
        brk = self.break_window()
        return hours((end - start) - (_overlap((start, end), brk) if brk else 0))


def _overlap(a: Interval, b: Interval | None) -> int:
    if b is None:
        return 0
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _minus(a: Interval, b: Interval | None) -> list[Interval]:
    """``a`` without ``b`` (zero, one or two pieces)."""
    if b is None or _overlap(a, b) == 0:
        return [a] if a[1] > a[0] else []
    pieces = [(a[0], max(a[0], b[0])), (min(a[1], b[1]), a[1])]
    return [p for p in pieces if p[1] > p[0]]


def night_intervals(night_start: int = 22, night_end: int = 6) -> list[Interval]:
    """Night time around the shift's day: yesterday evening to the day after tomorrow."""
    return [(d * DAY + night_start * 60, (d + 1) * DAY + night_end * 60) for d in (-1, 0, 1)]


def _night(pieces: list[Interval], nights: list[Interval]) -> int:
    return sum(_overlap(p, n) for p in pieces for n in nights)


def _length(pieces: list[Interval]) -> int:
    return sum(b - a for a, b in pieces)


def _keep_first(pieces: list[Interval], minutes: int) -> list[Interval]:
    """The first ``minutes`` of the pieces, in time order."""
    out: list[Interval] = []
    for a, b in pieces:
        take = min(b - a, minutes)
        if take > 0:
            out.append((a, a + take))
            minutes -= take
    return out


def _floor(minutes: int, block: int) -> int:
    return minutes - minutes % block if block > 1 else minutes


@dataclass(frozen=True)
class DaySplit:
    """One day's hours by kind (hours, 2 decimals)."""

    kind: str
    normal: Decimal = ZERO
    night: Decimal = ZERO  # normal hours worked at night
    ot_weekday: Decimal = ZERO
    ot_rest_day: Decimal = ZERO
    ot_holiday: Decimal = ZERO
    ot_night: Decimal = ZERO  # of the overtime above, the part worked at night
    daily_cap: Decimal = ZERO
    flags: tuple[str, ...] = field(default=())

    @property
    def overtime(self) -> Decimal:
        return self.ot_weekday + self.ot_rest_day + self.ot_holiday

    @property
    def over_daily_cap(self) -> bool:
        return "daily_cap" in self.flags

    def as_fields(self) -> dict[str, Decimal]:
        """The AttendanceRecord columns."""
        return {
            "worked_hours": self.normal,
            "night_hours": self.night,
            "ot_weekday": self.ot_weekday,
            "ot_rest_day": self.ot_rest_day,
            "ot_holiday": self.ot_holiday,
            "ot_night": self.ot_night,
        }


@dataclass(frozen=True)
class Limits:
    """Legal parameters in force on the day (``hr.rules``)."""

    night_start: int = 22
    night_end: int = 6
    ot_percent_daily: Decimal = Decimal(50)  # Art. 107.2.a, of the normal daily hours
    rest_day_max_hours: Decimal = Decimal(12)  # Decree 145/2020 Art. 60 (uncertain)
    block: int = 15  # overtime counts in whole blocks of minutes


def split_day(
    day: dt.date,
    check_in: dt.time | None,
    check_out: dt.time | None,
    kind: str,
    spec: ScheduleSpec,
    limits: Limits | None = None,
) -> DaySplit:
    """Split one day's presence into normal, night and overtime hours.

    ``kind`` is the calendar's answer for the day (``working``, ``rest`` or
    ``holiday``: ``hr.services.calendar.day_kind``)."""
    if kind not in DAY_KINDS:
        raise ValueError(f"unknown day kind {kind!r}")
    limits = limits or Limits()
    if check_in is None or check_out is None:
        return DaySplit(kind=kind, daily_cap=_daily_cap(kind, spec, limits))
    start, end = _minute(check_in), _minute(check_out)
    if end <= start:
        end += DAY
    worked: Interval = (start, end)
    nights = night_intervals(limits.night_start, limits.night_end)
    brk = spec.break_window()
    cap = _daily_cap(kind, spec, limits)
    if kind == WORKING:
        ws, we = spec.window(day)
        inside = (max(start, ws), min(end, we))
        half = spec.is_half_day(day)
        normal = _minus(inside, None if half else brk) if inside[1] > inside[0] else []
        overtime: list[Interval] = []
        if start < ws:  # before the start: keep the part next to the window
            seg_end = min(end, ws)
            kept = _floor(seg_end - start, limits.block)
            if kept:
                overtime.append((seg_end - kept, seg_end))
        if end > we:  # after the end: keep the part next to the window
            seg_start = max(start, we)
            kept = _floor(end - seg_start, limits.block)
            if kept:
                overtime.append((seg_start, seg_start + kept))
        ot_minutes = _length(overtime)
        result = {
            "normal": hours(_length(normal)),
            "night": hours(_night(normal, nights)),
            "ot_weekday": hours(ot_minutes),
            "ot_night": hours(_night(overtime, nights)),
        }
    else:
        pieces = _minus(worked, brk)
        kept = _keep_first(pieces, _floor(_length(pieces), limits.block))
        ot_minutes = _length(kept)
        bucket = "ot_rest_day" if kind == REST else "ot_holiday"
        result = {bucket: hours(ot_minutes), "ot_night": hours(_night(kept, nights))}
    flags = ("daily_cap",) if hours(ot_minutes) > cap else ()
    return DaySplit(kind=kind, daily_cap=cap, flags=flags, **result)


def _daily_cap(kind: str, spec: ScheduleSpec, limits: Limits) -> Decimal:
    """Most overtime allowed in one day: 50 % of the normal daily hours on a
    working day (Art. 107.2.a); on a rest day or holiday, ``rest_day_max_hours``."""
    if kind == WORKING:
        return (spec.hours_per_day * limits.ot_percent_daily / 100).quantize(HUNDREDTH)
    return limits.rest_day_max_hours


# --- monthly and yearly caps ------------------------------------------------------------


@dataclass(frozen=True)
class CapCheck:
    month_hours: Decimal
    year_hours: Decimal  # from 1 January to the end of the month
    month_cap: Decimal
    year_cap: Decimal
    days_over_daily_cap: int = 0

    @property
    def over_month(self) -> bool:
        return self.month_hours > self.month_cap

    @property
    def over_year(self) -> bool:
        return self.year_hours > self.year_cap

    @property
    def over_day(self) -> bool:
        return self.days_over_daily_cap > 0

    @property
    def flags(self) -> list[str]:
        return [
            name
            for name, on in (
                ("month_cap", self.over_month),
                ("year_cap", self.over_year),
                ("daily_cap", self.over_day),
            )
            if on
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "month_hours": self.month_hours,
            "year_hours": self.year_hours,
            "month_cap": self.month_cap,
            "year_cap": self.year_cap,
            "days_over_daily_cap": self.days_over_daily_cap,
            "over_month": self.over_month,
            "over_year": self.over_year,
            "over_day": self.over_day,
            "flags": self.flags,
        }


# --- parsing (time-clock files, forms) --------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_HM = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def parse_date(text: str) -> dt.date:
    """ISO (2026-11-27) or Vietnamese dd/mm/yyyy (27/11/2026); ValueError otherwise."""
    text = (text or "").strip()
    match = _DMY.match(text)
    if match:
        d, m, y = (int(g) for g in match.groups())
        return dt.date(y, m, d)
    return dt.date.fromisoformat(text)


def parse_time(text: str) -> dt.time:
    """HH:MM or HH:MM:SS (seconds are dropped); ValueError otherwise."""
    match = _HM.match((text or "").strip())
    if not match:
        raise ValueError(text)
    h, m = int(match.group(1)), int(match.group(2))
    return dt.time(h, m)
