"""The working-day calendar: holidays package (VN) + data file + company overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice.hr.calculations import calendar as cal

D = dt.date


def test_tet_2026_is_five_holidays():
    tet = [d for d, _n in cal.holidays_between(D(2026, 2, 1), D(2026, 2, 28))]
    assert tet == [D(2026, 2, d) for d in (16, 17, 18, 19, 20)]


def test_culture_day_24_november_from_2026_only():
    assert cal.day_kind(D(2026, 11, 24)) == cal.HOLIDAY  # a Tuesday
    assert cal.day_kind(D(2025, 11, 24)) == cal.WORKING  # a Monday, before 01/07/2026
    assert cal.public_holidays(2027)[D(2027, 11, 24)]


def test_day_kinds_and_weekly_pattern():
    assert cal.day_kind(D(2026, 11, 28)) == cal.REST  # Saturday
    assert cal.day_kind(D(2026, 11, 28), pattern="1111110") == cal.WORKING
    assert cal.day_kind(D(2026, 11, 27)) == cal.WORKING
    assert cal.day_kind(D(2026, 11, 27), pattern="bad") == cal.WORKING  # falls back to Mon-Fri


def test_swap_day_makes_the_replaced_saturday_a_working_day():
    # The package moves Saturday 22/08/2026 to Monday 31/08/2026.
    assert cal.day_kind(D(2026, 8, 31)) == cal.HOLIDAY
    assert cal.day_kind(D(2026, 8, 22)) == cal.WORKING
    assert D(2026, 8, 22) in cal.swapped_workdays(2026)


def test_overrides_win():
    overrides = {D(2026, 2, 13): True, D(2026, 2, 20): False}
    assert cal.day_kind(D(2026, 2, 13), overrides=overrides) == cal.HOLIDAY
    assert cal.day_kind(D(2026, 2, 20), overrides=overrides) == cal.WORKING
    names = {D(2026, 2, 13): "Nghỉ bù Tết"}
    hol = cal.holidays_between(D(2026, 2, 12), D(2026, 2, 21), overrides=overrides,
                               override_names=names)  # fmt: skip
    assert hol[0] == (D(2026, 2, 13), "Nghỉ bù Tết")
    assert D(2026, 2, 20) not in dict(hol)


def test_working_days_around_tet():
    days = cal.working_days(D(2026, 2, 9), D(2026, 2, 27))
    assert len(days) == 10  # 15 weekdays minus the 5 days of Tết
    assert D(2026, 2, 16) not in days


@pytest.mark.django_db
def test_company_calendar_service_and_overrides(hr_org):
    from backoffice.core.exceptions import Conflict, PermissionDenied
    from backoffice.hr.services import calendar as svc

    c = hr_org.company
    assert svc.day_kind(c, D(2026, 2, 16)) == "holiday"
    assert len(svc.working_days(c, D(2026, 2, 9), D(2026, 2, 27))) == 10
    with pytest.raises(PermissionDenied):
        svc.holiday_override_save(actor=hr_org.staff, company=c, date=D(2026, 2, 13), name="x")
    o = svc.holiday_override_save(
        actor=hr_org.hr_officer, company=c, date=D(2026, 2, 13), name="Nghỉ bù Tết"
    )
    with pytest.raises(Conflict):
        svc.holiday_override_save(actor=hr_org.hr_officer, company=c, date=D(2026, 2, 13), name="y")
    assert svc.day_kind(c, D(2026, 2, 13)) == "holiday"
    assert svc.day_kind(hr_org.other_company, D(2026, 2, 13)) == "working"
    assert (D(2026, 2, 13), "Nghỉ bù Tết") in svc.holidays_between(c, D(2026, 2, 1), D(2026, 2, 28))
    svc.holiday_override_delete(actor=hr_org.hr_officer, company=c, override=o)
    assert svc.day_kind(c, D(2026, 2, 13)) == "working"


@pytest.mark.django_db
def test_employee_schedule_counts(hr_org):
    from backoffice.hr.models import WorkSchedule
    from backoffice.hr.services import calendar as svc

    sat = WorkSchedule.objects.create(company=hr_org.company, name="T2-T7", working_days="1111110")
    days = svc.working_days(hr_org.company, D(2026, 11, 23), D(2026, 11, 29), schedule=sat)
    assert days == [D(2026, 11, d) for d in (23, 25, 26, 27, 28)]  # 24/11 is a holiday
