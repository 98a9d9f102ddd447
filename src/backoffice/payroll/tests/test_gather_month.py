"""Gathering a month of HR data for a run (March 2026: 22 working days)."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice.payroll.services.gather import gather_month
from backoffice.payroll.tests.runs_world import (
    MONTH,
    YEAR,
    D,
    attend,
    build_world,
    dependant,
    hire,
    leave,
    raise_salary,
    weekdays,
)


@pytest.fixture
def world(db, make_user):
    return build_world(make_user)


def _one(company, emp):
    (person,) = [p for p in gather_month(company, YEAR, MONTH) if p.employee.pk == emp.pk]
    return person


@pytest.mark.django_db
def test_who_is_paid(world):
    c = world.company
    full = hire(c, 20_000_000)
    hire(c, 10_000_000, hired=dt.date(2026, 4, 1))  # starts next month
    hire(c, 10_000_000, left=dt.date(2026, 2, 27))  # left last month
    hire(c, 10_000_000, kind="collaborator")  # paid by collaborator payments
    joiner = hire(c, 10_000_000, hired=dt.date(2026, 3, 31))
    leaver = hire(c, 10_000_000, left=dt.date(2026, 3, 2))
    paid = {p.employee.pk for p in gather_month(c, YEAR, MONTH)}
    assert paid == {full.pk, joiner.pk, leaver.pk}
    assert gather_month(world.other_company, YEAR, MONTH) == []


@pytest.mark.django_db
def test_full_month_without_time_tracking(world):
    emp = hire(world.company, 20_000_000, dept=world.sales)
    p = _one(world.company, emp)
    assert p.inp.standard_days == D(22)
    assert [(s.monthly_salary, s.paid_days) for s in p.inp.segments] == [(D(20_000_000), D(22))]
    assert p.inp.insured
    assert not p.inp.foreign
    assert p.inp.resident
    assert p.department == world.sales
    assert p.inputs["time_tracked"] is False


@pytest.mark.django_db
def test_joiner_and_leaver_are_paid_for_their_days_of_a_full_month(world):
    joiner = hire(world.company, 22_000_000, hired=dt.date(2026, 3, 16))
    leaver = hire(world.company, 22_000_000, left=dt.date(2026, 3, 13))
    pj, pl = _one(world.company, joiner), _one(world.company, leaver)
    assert (pj.inp.standard_days, pj.inp.segments[0].paid_days) == (D(22), D(12))
    assert (pl.inp.standard_days, pl.inp.segments[0].paid_days) == (D(22), D(10))


@pytest.mark.django_db
def test_salary_change_mid_month_splits_the_month(world):
    emp = hire(world.company, 10_000_000)
    raise_salary(emp, 13_200_000, dt.date(2026, 3, 16))
    raise_salary(emp, 99_000_000, dt.date(2026, 4, 1))  # next month: ignored
    p = _one(world.company, emp)
    assert [(s.monthly_salary, s.paid_days) for s in p.inp.segments] == [
        (D(10_000_000), D(10)), (D(13_200_000), D(12))]  # fmt: skip
    assert p.inputs["segments"][1]["from"] == "2026-03-16"


@pytest.mark.django_db
def test_unpaid_leave_reduces_paid_days_and_fourteen_days_stop_insurance(world):
    a = hire(world.company, 10_000_000)
    b = hire(world.company, 10_000_000)
    leave(a, "KL", dt.date(2026, 3, 9), dt.date(2026, 3, 11))  # 3 days
    leave(b, "KL", dt.date(2026, 3, 2), dt.date(2026, 3, 19))  # 14 working days
    leave(a, "PN", dt.date(2026, 3, 12), dt.date(2026, 3, 12))  # paid leave: still paid
    pa, pb = _one(world.company, a), _one(world.company, b)
    assert pa.inp.segments[0].paid_days == D(19)
    assert pa.inp.insured
    assert pb.inp.segments[0].paid_days == D(8)
    assert not pb.inp.insured
    assert D(pb.inputs["unpaid_leave_days"]) == 14


@pytest.mark.django_db
def test_attendance_gives_paid_days_and_overtime(world):
    emp = hire(world.company, 10_000_000)
    days = weekdays()
    for day in days[:20]:  # 20 days at work, 2 days absent without leave
        attend(emp, day, 8, ot_weekday=2 if day.day == 4 else 0)
    attend(emp, dt.date(2026, 3, 7), 0, ot_rest_day=D(4))  # a Saturday
    p = _one(world.company, emp)
    assert p.inp.segments[0].paid_days == D(20)
    assert (p.inp.overtime.weekday, p.inp.overtime.rest_day) == (D(2), D(4))
    assert p.inputs["time_tracked"] is True


@pytest.mark.django_db
def test_dependants_registered_in_the_month(world):
    emp = hire(world.company, 10_000_000)
    dependant(emp, dt.date(2025, 1, 1))
    dependant(emp, dt.date(2026, 3, 20))  # from this month
    dependant(emp, dt.date(2025, 1, 1), dt.date(2026, 3, 1))  # ends in the month: counts
    dependant(emp, dt.date(2025, 1, 1), dt.date(2026, 2, 28))  # ended before
    dependant(emp, dt.date(2026, 4, 1))  # next month
    assert _one(world.company, emp).inp.dependants == 3


@pytest.mark.django_db
def test_foreign_non_resident_region_union_and_pay_items(world):
    from backoffice.payroll.models import PayItem

    emp = hire(world.company, 30_000_000, nationality="KR", is_resident=False, wage_region=2,
               is_union_member=True)  # fmt: skip
    PayItem.objects.create(company=world.company, employee=emp, name="Phụ cấp ăn trưa",
                           category="allowance", tax_treatment="meal", amount=D(730_000),
                           valid_from=dt.date(2026, 1, 1))  # fmt: skip
    PayItem.objects.create(company=world.company, employee=emp, name="Phụ cấp chức vụ",
                           category="allowance", insurable=True, prorate=False,
                           amount=D(2_000_000), valid_from=dt.date(2026, 1, 1),
                           valid_to=dt.date(2026, 2, 28))  # ended: not paid  # fmt: skip
    leave(emp, "KL", dt.date(2026, 3, 30), dt.date(2026, 3, 31))  # 20 paid days of 22
    p = _one(world.company, emp)
    assert (p.inp.foreign, p.inp.resident, p.inp.region, p.inp.union_member) == (
        True, False, 2, True)  # fmt: skip
    (item,) = p.inp.items
    assert (item.name, item.amount, item.tax) == ("Phụ cấp ăn trưa", D(663_636), "meal")


@pytest.mark.django_db
def test_month_summaries_is_one_read_for_many_people(world, django_assert_max_num_queries):
    from backoffice.hr.models import Employee
    from backoffice.hr.selectors.attendance import month_summaries, month_summary

    people = [hire(world.company, 10_000_000) for _ in range(12)]
    for emp in people[:6]:
        attend(emp, dt.date(2026, 3, 2), 8, ot_weekday=1)
        leave(emp, "KL", dt.date(2026, 3, 3), dt.date(2026, 3, 3))
    emps = list(Employee.objects.filter(pk__in=[e.pk for e in people]))
    with django_assert_max_num_queries(10):
        out = month_summaries(world.company, emps, YEAR, MONTH)
    assert out[people[0].pk]["unpaid_leave_days"] == D(1)
    assert out[people[0].pk]["overtime"]["weekday"] == D(1)
    one = month_summary(company=world.company, employee=emps[0], year=YEAR, month=MONTH)
    assert one == out[people[0].pk]
