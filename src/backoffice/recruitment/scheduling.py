"""Interview scheduling arithmetic, pure (no ORM): intervals of aware datetimes.

* a person's *windows* are when they are at work (working hours of working
  days, minus the break, minus leave);
* *busy* intervals are what they already do then (other interviews) — and a
  room's busy intervals are its interviews;
* a panel is free when every member is: the intersection of their windows,
  minus everybody's busy intervals (``panel_windows``);
* ``free_slots`` cuts the free time into slots of ``duration`` starting on a
  ``step`` boundary of the clock (every 15 minutes by default);
* ``clashes`` lists what overlaps a proposed interval (who or what, with what).

Intervals are half-open ``[start, end)``: an interview ending at 10:00 does
not clash with one starting at 10:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Interval = tuple[dt.datetime, dt.datetime]
STEP = dt.timedelta(minutes=15)


def overlaps(a: Interval, b: Interval) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined; empty ones dropped."""
    out: list[Interval] = []
    for start, end in sorted(i for i in intervals if i[1] > i[0]):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(windows: Iterable[Interval], busy: Iterable[Interval]) -> list[Interval]:
    """``windows`` minus every ``busy`` interval."""
    blocks = merge(busy)
    out: list[Interval] = []
    for w_start, w_end in merge(windows):
        cursor = w_start
        for b_start, b_end in blocks:
            if b_end <= cursor or b_start >= w_end:
                continue
            if b_start > cursor:
                out.append((cursor, b_start))
            cursor = max(cursor, b_end)
            if cursor >= w_end:
                break
        if cursor < w_end:
            out.append((cursor, w_end))
    return out


def intersect(a: Iterable[Interval], b: Iterable[Interval]) -> list[Interval]:
    """The time that is in both lists."""
    left, right = merge(a), merge(b)
    out: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            out.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def panel_windows(
    windows: Mapping[Hashable, Sequence[Interval]],
    busy: Mapping[Hashable, Sequence[Interval]] | None = None,
) -> list[Interval]:
    """When every member of the panel is at work and not busy."""
    if not windows:
        return []
    busy = busy or {}
    common: list[Interval] | None = None
    for key, person in windows.items():
        free = subtract(person, busy.get(key, ()))
        common = free if common is None else intersect(common, free)
    return common or []


def _align(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    """The first ``step`` boundary of the clock at or after ``moment`` (its own day)."""
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    offset = moment - midnight
    steps = -(-offset // step)  # ceiling division of timedeltas
    return midnight + steps * step


def free_slots(
    day_windows: Iterable[Interval],
    busy: Iterable[Interval],
    duration: dt.timedelta,
    step: dt.timedelta = STEP,
    *,
    limit: int | None = None,
) -> list[Interval]:
    """Every slot of ``duration`` that fits in ``day_windows`` minus ``busy``,
    starting on a ``step`` boundary (09:00, 09:15 ...), in time order."""
    if duration <= dt.timedelta(0) or step <= dt.timedelta(0):
        raise ValueError("duration and step must be positive")
    slots: list[Interval] = []
    for start, end in subtract(day_windows, busy):
        cursor = _align(start, step)
        while cursor + duration <= end:
            slots.append((cursor, cursor + duration))
            if limit is not None and len(slots) >= limit:
                return slots
            cursor += step
    return slots


@dataclass(frozen=True)
class Clash:
    """``who``: the person or room that is not free; ``what``: why (another
    interview's title, "leave", "outside working hours"); ``start``/``end``:
    the interval of the clash (None for "outside working hours")."""

    kind: str  # "interviewer" | "room"
    key: Any
    who: str
    what: str
    start: dt.datetime | None = None
    end: dt.datetime | None = None


def clashes(
    proposed: Interval,
    busy: Iterable[tuple[str, Any, str, str, dt.datetime, dt.datetime]],
) -> list[Clash]:
    """The entries of ``busy`` — ``(kind, key, who, what, start, end)`` — that
    overlap ``proposed``, in time order."""
    found = [
        Clash(kind, key, who, what, start, end)
        for kind, key, who, what, start, end in busy
        if overlaps(proposed, (start, end))
    ]
    return sorted(found, key=lambda c: (c.start or proposed[0], c.who))


def outside(proposed: Interval, windows: Iterable[Interval]) -> bool:
    """True when ``proposed`` is not entirely within one of ``windows``."""
    return not any(w[0] <= proposed[0] and proposed[1] <= w[1] for w in merge(windows))
