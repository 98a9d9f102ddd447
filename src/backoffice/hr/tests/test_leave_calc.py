"""Entitlement rules (Labour Code Art. 113, 114), pure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from backoffice.hr.calculations import leave as calc

D = dt.date


def test_base_days_by_working_conditions():
    for cond, days in (("normal", 12), ("heavy", 14), ("very_heavy", 16)):
        got = calc.yearly_grant(year=2026, work_condition=cond, hire_date=D(2025, 3, 1))
        assert got == Decimal(days)


def test_seniority_day_per_full_five_years():
    assert calc.seniority_days(D(2021, 6, 10), D(2026, 6, 9)) == 0
    assert calc.seniority_days(D(2021, 6, 10), D(2026, 6, 10)) == 1  # on the anniversary
    assert calc.seniority_days(D(2016, 6, 10), D(2026, 6, 10)) == 2
    assert calc.seniority_anniversaries(D(2016, 6, 10), 2026) == [D(2026, 6, 10)]
    assert calc.seniority_anniversaries(D(2017, 6, 10), 2026) == []
    # 29 February: the anniversary in a common year is 28 February.
    assert calc.seniority_anniversaries(D(2020, 2, 29), 2025) == [D(2025, 2, 28)]


def test_grant_on_1_january_includes_earlier_anniversaries():
    # Hired 01/03/2016: 10 years on 01/03/2026, so 1 January 2026 holds 1 day (5 years).
    got = calc.yearly_grant(year=2026, work_condition="normal", hire_date=D(2016, 3, 1))
    assert got == Decimal(13)


def test_pro_rata_first_year():
    # Joined 01/07/2026: 6 months → 12 x 6/12 = 6.
    assert calc.yearly_grant(year=2026, work_condition="normal", hire_date=D(2026, 7, 1)) == 6
    # Joined 10/03/2026: March counts (22 of 31 days), 10 months → 10.
    assert calc.yearly_grant(year=2026, work_condition="normal", hire_date=D(2026, 3, 10)) == 10
    # Joined 20/03/2026: March does not count (12 of 31 days) → 9 months → 9.
    assert calc.yearly_grant(year=2026, work_condition="normal", hire_date=D(2026, 3, 20)) == 9
    # 14 days x 5/12 = 5.83 → 6 (half-up to the half day).
    assert calc.yearly_grant(year=2026, work_condition="heavy", hire_date=D(2026, 8, 1)) == 6
    # 12 x 7/12 = 7; 16 x 7 / 12 = 9.33 → 9.5
    assert calc.yearly_grant(year=2026, work_condition="very_heavy", hire_date=D(2026, 6, 1)) == (
        Decimal("9.5")
    )
    # Not yet joined in that year: nothing.
    assert calc.yearly_grant(year=2025, work_condition="normal", hire_date=D(2026, 6, 1)) == 0


def test_pro_rata_leaving_year():
    got = calc.yearly_grant(
        year=2026, work_condition="normal", hire_date=D(2020, 1, 1),
        termination_date=D(2026, 4, 30),
    )  # fmt: skip
    assert got == Decimal("4.5")  # (12 + 1: 5 years on 01/01/2025) x 4/12 = 4.33 → 4.5
    got = calc.yearly_grant(
        year=2026, work_condition="normal", hire_date=D(2021, 1, 1),
        termination_date=D(2026, 6, 30),
    )  # fmt: skip
    assert got == Decimal("6.5")  # (12 + 1) x 6/12


def test_rounding_to_half_days():
    assert calc.round_half_day(Decimal("3.24")) == Decimal(3)
    assert calc.round_half_day(Decimal("3.25")) == Decimal("3.5")
    assert calc.round_half_day(Decimal("3.75")) == Decimal(4)


def test_request_days_with_halves():
    assert calc.request_days(1, single_day=True, start_half=True) == Decimal("0.5")
    assert calc.request_days(3, single_day=False, start_half=True, end_half=True) == 2
    assert calc.request_days(3, single_day=False, start_half=True, start_counts=False) == 3


def test_carry_over_and_expiry():
    assert calc.carry_over(Decimal(8), Decimal(5)) == (Decimal(5), Decimal(3))
    assert calc.carry_over(Decimal(-2), Decimal(5)) == (0, 0)
    assert calc.carried_left(Decimal(5), Decimal(2)) == 3
    assert calc.carried_left(Decimal(5), Decimal(9)) == 0
    assert calc.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)


@given(
    total=st.decimals(min_value=0, max_value=40, places=2),
    months=st.sets(st.integers(1, 12), min_size=1),
)
def test_monthly_parts_add_up(total, months):
    parts = calc.monthly_amounts(total, months)
    assert sum(parts.values()) == total
    assert all(p >= 0 for p in parts.values())
