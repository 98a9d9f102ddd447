"""Demo attendance: time-clock days for the demo employees (called by the HR demo,
``hr.demo``): the previous month and this month up to yesterday (only the last
30 days above 2,000 people, so ``backoffice demo --employees 10000`` stays fast).

Realistic shape: check-in 07:40-08:15, check-out 17:00-17:25; about one working
day in eight with overtime until 18:30-21:30; a few people working a Saturday
or Sunday; a few absences; nobody on a public holiday except a small on-call
crew. Hours are computed by the same arithmetic as the services, rows are
bulk-inserted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from backoffice.hr.calculations.attendance import Limits, ScheduleSpec, split_day
from backoffice.hr.enums import AttendanceSource
from backoffice.hr.models import AttendanceRecord

BATCH = 5000


def _window(count: int) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    end = today - dt.timedelta(days=1)
    if count > 2000:
        return today - dt.timedelta(days=30), end
    first_this = today.replace(day=1)
    return (first_this - dt.timedelta(days=1)).replace(day=1), end


def _time(minutes: int) -> dt.time:
    minutes %= 24 * 60
    return dt.time(minutes // 60, minutes % 60)


def demo(*, company: Any, employees: list[Any], rng: Any, fake: Any = None) -> int:
    """Create the demo attendance; returns the number of records."""
    from backoffice.hr.selectors.attendance import default_schedule
    from backoffice.hr.services.attendance import (
        day_kind_function,
        limits_on,
        work_schedule_defaults_create,
    )

    work_schedule_defaults_create(company=company)
    schedule = default_schedule(company)
    spec = ScheduleSpec.of(schedule)
    start, end = _window(len(employees))
    if end < start:
        return 0
    kind_of = day_kind_function()
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    kinds = {d: kind_of(company, d, schedule=schedule) for d in days}
    limits: Limits = limits_on(company, end)
    cache: dict[tuple[Any, ...], dict[str, Any]] = {}
    existing = set(
        AttendanceRecord.objects.filter(company=company, date__range=(start, end)).values_list(
            "employee_id", "date"
        )
    )
    rows: list[AttendanceRecord] = []
    made = 0
    for emp in employees:
        if getattr(emp, "kind", "employee") != "employee":
            continue
        keen = rng.random() < 0.25  # works overtime more often
        for day in days:
            if day < emp.hire_date or (emp.termination_date and day > emp.termination_date):
                continue
            if (emp.pk, day) in existing:
                continue
            kind = kinds[day]
            if kind == "working":
                if rng.random() < 0.03:  # absent (leave or sick, handled by the leave area)
                    continue
                check_in = 8 * 60 - 20 + rng.randrange(0, 36, 5)
                check_out = 17 * 60 + rng.randrange(0, 26, 5)
                if rng.random() < (0.3 if keen else 0.08):
                    check_out = 18 * 60 + 30 + rng.randrange(0, 181, 15)
            elif rng.random() < (0.06 if kind == "rest" and keen else 0.005):
                check_in, check_out = 8 * 60, 12 * 60 + rng.randrange(0, 301, 30)
            else:
                continue
            key = (kind, check_in, check_out, day.weekday())
            if key not in cache:
                split = split_day(day, _time(check_in), _time(check_out), kind, spec, limits)
                cache[key] = split.as_fields()
            rows.append(AttendanceRecord(
                company=company, employee_id=emp.pk, date=day, check_in=_time(check_in),
                check_out=_time(check_out), source=AttendanceSource.IMPORT, **cache[key],
            ))  # fmt: skip
            if len(rows) >= BATCH:
                AttendanceRecord.objects.bulk_create(rows, batch_size=BATCH)
                made += len(rows)
                rows = []
    AttendanceRecord.objects.bulk_create(rows, batch_size=BATCH)
    return made + len(rows)
