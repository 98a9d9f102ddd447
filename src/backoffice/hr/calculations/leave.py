"""Annual leave entitlement and balances, pure (no ORM).

* Labour Code 2019 Art. 113.1: 12 working days a year (normal work), 14
  (minors, people with disabilities, heavy/hazardous work), 16 (especially
  heavy/hazardous work).
* Art. 114: +1 day for every full 5 years with the same employer. The day is
  earned ON the anniversary: the 5th anniversary on 10/06/2026 adds the day
  dated 10/06/2026; before that day it is not in the balance.
* Art. 113.2 and Decree 145/2020 Art. 66: fewer than 12 months of work gives
  (days + seniority days) / 12 x months worked. Our choice (documented): the
  year of joining and the year of leaving are pro-rated by calendar months; a
  month counts when the person works at least half of its calendar days; the
  result is rounded half-up to a half day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

BASE_DAYS = {"normal": 12, "heavy": 14, "very_heavy": 16}
HALF = Decimal("0.5")


def round_half_day(value: Decimal) -> Decimal:
    """Half-up to the nearest half day: 3.24 → 3, 3.25 → 3.5, 3.75 → 4."""
    return (value * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def full_years(start: dt.date, on: dt.date) -> int:
    """Whole years from ``start`` to ``on`` (29 February counts on 28 February)."""
    if on < start:
        return 0
    years = on.year - start.year
    try:
        anniversary = start.replace(year=on.year)
    except ValueError:  # 29 February in a common year
        anniversary = dt.date(on.year, 2, 28)
    return years - (on < anniversary)


def anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return dt.date(start.year + years, 2, 28)


def seniority_days(seniority_from: dt.date, on: dt.date, years_per_day: int = 5) -> int:
    """Art. 114: one day per full ``years_per_day`` years on ``on``."""
    return full_years(seniority_from, on) // years_per_day


def seniority_anniversaries(
    seniority_from: dt.date, year: int, years_per_day: int = 5
) -> list[dt.date]:
    """The days in ``year`` on which a further seniority day is earned."""
    out = []
    n = years_per_day
    while seniority_from.year + n <= year:
        day = anniversary(seniority_from, n)
        if day.year == year:
            out.append(day)
        n += years_per_day
    return out


def _month_counts(year: int, month: int, start: dt.date, end: dt.date) -> bool:
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    lo, hi = max(first, start), min(last, end)
    if hi < lo:
        return False
    return (hi - lo).days + 1 >= ((last - first).days + 1) / 2


def months_worked(year: int, hire: dt.date, leave: dt.date | None = None) -> int:
    """Calendar months of ``year`` that count (at least half of the month worked)."""
    start = max(hire, dt.date(year, 1, 1))
    end = min(leave or dt.date(year, 12, 31), dt.date(year, 12, 31))
    if end < start:
        return 0
    return sum(_month_counts(year, m, start, end) for m in range(1, 13))


def base_days(work_condition: str, table: dict[str, Decimal | int] | None = None) -> Decimal:
    table = table or BASE_DAYS
    return Decimal(table.get(work_condition, table["normal"]))


def yearly_grant(
    *,
    year: int,
    work_condition: str,
    hire_date: dt.date,
    seniority_from: dt.date | None = None,
    termination_date: dt.date | None = None,
    table: dict[str, Decimal | int] | None = None,
    years_per_day: int = 5,
) -> Decimal:
    """The days granted on 1 January of ``year`` (or on the start date for a
    joiner): base days plus the seniority days already earned on that date,
    pro-rated when the year is not worked in full. Seniority days earned later
    in the year are separate grants (:func:`seniority_anniversaries`)."""
    grant_on = max(dt.date(year, 1, 1), hire_date)
    if grant_on.year != year or (termination_date and termination_date < grant_on):
        return Decimal(0)
    days = base_days(work_condition, table) + seniority_days(
        seniority_from or hire_date, grant_on, years_per_day
    )
    full_year = hire_date <= dt.date(year, 1, 1) and (
        termination_date is None or termination_date >= dt.date(year, 12, 31)
    )
    if full_year:
        return days
    months = months_worked(year, hire_date, termination_date)
    return round_half_day(days * months / 12)


def monthly_amounts(total: Decimal, months: Iterable[int]) -> dict[int, Decimal]:
    """Split ``total`` over the given months so the parts add up exactly
    (cumulative rounding to 0.01)."""
    months = sorted(months)
    out: dict[int, Decimal] = {}
    done = Decimal(0)
    for i, month in enumerate(months, start=1):
        upto = (total * i / len(months)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        out[month] = upto - done
        done = upto
    return out


def counted_months(year: int, hire: dt.date, leave: dt.date | None = None) -> list[int]:
    start = max(hire, dt.date(year, 1, 1))
    end = min(leave or dt.date(year, 12, 31), dt.date(year, 12, 31))
    if end < start:
        return []
    return [m for m in range(1, 13) if _month_counts(year, m, start, end)]


def request_days(
    working: int,
    *,
    single_day: bool,
    start_half: bool = False,
    end_half: bool = False,
    start_counts: bool = True,
    end_counts: bool = True,
) -> Decimal:
    """Days a request draws: the counted days, minus half a day for a half
    first/last day (only when that day counts). A single day with either half
    flag is half a day."""
    days = Decimal(working)
    if single_day:
        if (start_half or end_half) and start_counts:
            return HALF
        return days
    if start_half and start_counts:
        days -= HALF
    if end_half and end_counts:
        days -= HALF
    return days


def balance(entries: Iterable[Decimal]) -> Decimal:
    """A balance is the sum of its ledger rows; nothing else."""
    return sum((Decimal(d) for d in entries), Decimal(0))


def carry_over(previous_balance: Decimal, cap: Decimal) -> tuple[Decimal, Decimal]:
    """(days carried into the next year, days expiring at year end)."""
    if previous_balance <= 0:
        return Decimal(0), Decimal(0)
    carried = min(previous_balance, max(cap, Decimal(0)))
    return carried, previous_balance - carried


def carried_left(carried: Decimal, used_before_expiry: Decimal) -> Decimal:
    """Carried days still unused at their expiry date: days taken before the
    expiry date use the carried days first."""
    return max(Decimal(0), carried - max(used_before_expiry, Decimal(0)))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
