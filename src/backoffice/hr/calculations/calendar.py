"""The working-day calendar, pure (no ORM).

Layers, later ones win:

1. the weekly pattern of the work schedule (``"1111100"``: Monday to Friday);
2. Vietnam's public holidays from the ``holidays`` package (Labour Code
   Art. 112: New Year, Tết, Hùng Kings, 30 April, 1 May, National Day, with
   the package's observed days and government swap days); a swap day in the
   package ("Day off (substituted from 22/08/2026)") also makes the replaced
   rest day a working day;
3. ``hr/data/holidays_vn.csv``: holidays the package may lack, by date or
   yearly from an effective date (24 November from 1 July 2026, Resolution
   28/2026/QH16);
4. the company's own overrides (``HolidayOverride``): a day off (the swap days
   a private employer announces for Tết) or a working day (a make-up Saturday).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

WORKING, REST, HOLIDAY = "working", "rest", "holiday"
DEFAULT_PATTERN = "1111100"
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "holidays_vn.csv"
_SUBSTITUTED = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


@functools.cache
def _file_rows() -> tuple[tuple[str, str, str, dt.date], ...]:
    rows = []
    with DATA_FILE.open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            rows.append(
                (
                    rec["date"].strip(),
                    rec["name"].strip(),
                    (rec.get("repeat") or "").strip(),
                    dt.date.fromisoformat(rec["effective_from"].strip()),
                )
            )
    return tuple(rows)


@functools.cache
def _year(year: int) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """(holidays of the year with their Vietnamese names, rest days made working)."""
    import holidays

    base = holidays.country_holidays("VN", years=[year], language="vi")
    found: dict[dt.date, str] = {}
    workdays: set[dt.date] = set()
    for day, name in sorted(base.items()):
        found[day] = name
        # The package names a swap day after the rest day it replaces, in every language.
        en = holidays.country_holidays("VN", years=[year], language="en_US").get(day, "")
        if "substituted" in en:
            m = _SUBSTITUTED.search(en)
            if m:
                month, dom, yr = (int(g) for g in m.groups())
                workdays.add(dt.date(yr, month, dom))
    for when, name, repeat, effective_from in _file_rows():
        if repeat == "yearly":
            month, dom = (int(p) for p in when.split("-"))
            day = dt.date(year, month, dom)
        else:
            day = dt.date.fromisoformat(when)
            if day.year != year:
                continue
        if day >= effective_from:
            found.setdefault(day, name)
    return found, frozenset(workdays)


def public_holidays(year: int) -> dict[dt.date, str]:
    """Vietnam's public holidays of ``year`` (package + data file), name by date."""
    return dict(_year(year)[0])


def swapped_workdays(year: int) -> frozenset[dt.date]:
    """Weekly rest days the government turned into working days (swap days)."""
    return _year(year)[1]


def _valid_pattern(pattern: str | None) -> str:
    pattern = (pattern or DEFAULT_PATTERN).strip()
    if len(pattern) != 7 or set(pattern) - {"0", "1"}:
        return DEFAULT_PATTERN
    return pattern


def day_kind(
    day: dt.date,
    *,
    pattern: str = DEFAULT_PATTERN,
    overrides: Mapping[dt.date, bool] | None = None,
) -> str:
    """``"working"``, ``"rest"`` or ``"holiday"`` for one day.

    ``overrides`` maps a date to True (a day off: shown as a holiday) or False
    (a working day, whatever the base layers say)."""
    if overrides and day in overrides:
        return HOLIDAY if overrides[day] else WORKING
    if day in _year(day.year)[0]:
        return HOLIDAY
    if day in _year(day.year)[1]:
        return WORKING
    return WORKING if _valid_pattern(pattern)[day.weekday()] == "1" else REST


def days_between(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def working_days(
    start: dt.date,
    end: dt.date,
    *,
    pattern: str = DEFAULT_PATTERN,
    overrides: Mapping[dt.date, bool] | None = None,
) -> list[dt.date]:
    return [
        d for d in days_between(start, end)
        if day_kind(d, pattern=pattern, overrides=overrides) == WORKING
    ]  # fmt: skip


def holidays_between(
    start: dt.date,
    end: dt.date,
    *,
    overrides: Mapping[dt.date, bool] | None = None,
    override_names: Mapping[dt.date, str] | None = None,
) -> list[tuple[dt.date, str]]:
    """Holidays in ``[start, end]`` with their names (company overrides applied)."""
    out: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _year(year)[0].items():
            if start <= day <= end:
                out[day] = name
    for day, off in (overrides or {}).items():
        if not start <= day <= end:
            continue
        if off:
            out[day] = (override_names or {}).get(day, "") or out.get(day, "")
        else:
            out.pop(day, None)
    return sorted(out.items())
