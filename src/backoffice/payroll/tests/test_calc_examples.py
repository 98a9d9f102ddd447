"""The pure calculation with exact values: VN-RULES §7 E1-E4, caps on each date,
bracket edges of both scales, dependants, foreign and non-resident employees,
union dues, overtime by kind, the meal cap, items and mid-month segments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from backoffice.payroll.calculations import (
    Item,
    MonthInput,
    Overtime,
    SalarySegment,
    compute_month,
    gross_to_net,
    net_to_gross,
    pit_brackets,
    result_as_dict,
    result_from_dict,
)
from backoffice.payroll.rules import shipped_rules_for


def R(year: int, month: int, **overrides: str):
    return shipped_rules_for(dt.date(year, month, 1), overrides or None)


# (period, gross, dependants, SI, HI, UI, family deduction, taxable, PIT, net,
#  ER SI, ER HI, ER UI, union fund, employer cost); None: not given by VN-RULES.
E = [
    ("E1", (2025, 12), 30_000_000, 0, 2_400_000, 450_000, 300_000, 11_000_000, 15_850_000,
     1_627_500, 25_222_500, 5_250_000, 900_000, 300_000, 600_000, 37_050_000),
    ("E2", (2026, 1), 30_000_000, 0, 2_400_000, 450_000, 300_000, 15_500_000, 11_350_000,
     635_000, 26_215_000, 5_250_000, 900_000, 300_000, 600_000, 37_050_000),
    ("E3", (2026, 3), 20_000_000, 0, 1_600_000, 300_000, 200_000, 15_500_000, 2_400_000,
     120_000, 17_780_000, None, None, None, None, None),
    ("E4", (2026, 3), 25_000_000, 1, 2_000_000, 375_000, 250_000, 21_700_000, 675_000,
     33_750, 22_341_250, None, None, None, None, None),
]  # fmt: skip


@pytest.mark.parametrize("row", E, ids=[e[0] for e in E])
def test_worked_examples_every_column(row):
    (_, (y, m), gross, deps, si, hi, ui, family, taxable, pit, net,
     er_si, er_hi, er_ui, union, cost) = row  # fmt: skip
    r = gross_to_net(D(gross), rules=R(y, m), dependants=deps)
    assert (r.gross, r.si, r.hi, r.ui) == (gross, si, hi, ui)
    assert (r.family_deduction, r.taxable_income, r.pit, r.net) == (family, taxable, pit, net)
    assert r.insurance_total == si + hi + ui
    if er_si is not None:
        assert (r.er_si, r.er_hi, r.er_ui, r.er_union_fund, r.total_cost) == (
            er_si, er_hi, er_ui, union, cost)  # fmt: skip
        assert r.er_accident == 150_000  # 0.5 % of 30M, inside the 17.5 %
    back = net_to_gross(D(net), rules=R(y, m), dependants=deps)
    assert (back.gross, back.net) == (gross, net)


def test_si_hi_cap_follows_the_base_salary_in_2026():
    june = gross_to_net(D(60_000_000), rules=R(2026, 6))
    july = gross_to_net(D(60_000_000), rules=R(2026, 7))
    assert R(2026, 6).si_cap() == 46_800_000
    assert R(2026, 7).si_cap() == 50_600_000
    assert (june.si, june.hi, june.ui) == (3_744_000, 702_000, 600_000)
    assert (july.si, july.hi, july.ui) == (4_048_000, 759_000, 600_000)
    assert (june.er_si, june.er_hi, june.er_union_fund) == (8_190_000, 1_404_000, 936_000)
    assert (july.er_si, july.er_hi, july.er_union_fund) == (8_855_000, 1_518_000, 1_012_000)


@pytest.mark.parametrize(("year", "region", "ui"), [
    (2025, 1, 992_000), (2025, 2, 882_000), (2025, 3, 772_000), (2025, 4, 690_000),
    (2026, 1, 1_062_000), (2026, 2, 946_000), (2026, 3, 828_000), (2026, 4, 740_000),
])  # fmt: skip
def test_ui_cap_by_region(year, region, ui):
    r = gross_to_net(D(150_000_000), rules=R(year, 3), region=region)
    assert r.ui == ui
    assert r.er_ui == ui


@pytest.mark.parametrize(("taxable", "pit"), [
    (0, 0), (5_000_000, 250_000), (5_000_001, 250_000), (10_000_000, 750_000),
    (18_000_000, 1_950_000), (32_000_000, 4_750_000), (52_000_000, 9_750_000),
    (80_000_000, 18_150_000), (100_000_000, 25_150_000),
])  # fmt: skip
def test_seven_bracket_scale_edges(taxable, pit):
    brackets = pit_brackets(D(taxable), R(2025, 12))
    assert len(brackets) == 7
    assert sum(b.tax for b in brackets) == pit


@pytest.mark.parametrize(("taxable", "pit"), [
    (10_000_000, 500_000), (10_000_020, 500_002), (30_000_000, 2_500_000),
    (60_000_000, 8_500_000), (100_000_000, 20_500_000), (150_000_000, 38_000_000),
])  # fmt: skip
def test_five_bracket_scale_edges(taxable, pit):
    brackets = pit_brackets(D(taxable), R(2026, 1))
    assert [b.rate for b in brackets] == [D("0.05"), D("0.10"), D("0.20"), D("0.30"), D("0.35")]
    assert sum(b.tax for b in brackets) == pit


def test_bracket_edge_end_to_end_uninsured():
    inp = MonthInput(standard_days=D(1), segments=(SalarySegment(D(25_500_000), D(1)),),
                     insured=False)  # fmt: skip
    r = compute_month(inp, R(2026, 2))
    assert (r.taxable_income, r.pit, r.net) == (10_000_000, 500_000, 25_000_000)
    assert [b.tax for b in r.pit_by_bracket] == [500_000, 0, 0, 0, 0]


def test_dependants_on_both_laws():
    new = gross_to_net(D(40_000_000), rules=R(2026, 3), dependants=2)
    old = gross_to_net(D(40_000_000), rules=R(2025, 3), dependants=2)
    assert (new.family_deduction, new.taxable_income, new.pit, new.net) == (
        27_900_000, 7_900_000, 395_000, 35_405_000)  # fmt: skip
    assert (old.family_deduction, old.taxable_income, old.pit, old.net) == (
        19_800_000, 16_000_000, 1_650_000, 34_150_000)  # fmt: skip
    nothing = gross_to_net(D(15_000_000), rules=R(2026, 3), dependants=1)
    assert (nothing.taxable_income, nothing.pit) == (0, 0)


def test_foreign_employee_pays_no_unemployment_insurance():
    r = gross_to_net(D(30_000_000), rules=R(2026, 3), foreign=True)
    assert (r.si, r.hi, r.ui, r.insurance_total) == (2_400_000, 450_000, 0, 2_850_000)
    assert (r.taxable_income, r.pit, r.net) == (11_650_000, 665_000, 26_485_000)
    assert (r.er_ui, r.total_cost) == (0, 36_750_000)


def test_non_resident_flat_twenty_percent_without_deductions():
    r = gross_to_net(D(30_000_000), rules=R(2026, 3), foreign=True, resident=False,
                     dependants=2)  # fmt: skip
    assert (r.family_deduction, r.taxable_income, r.pit) == (0, 30_000_000, 6_000_000)
    assert r.net == 30_000_000 - 2_850_000 - 6_000_000
    assert [(b.rate, b.tax) for b in r.pit_by_bracket] == [(D("0.20"), 6_000_000)]


def test_union_dues_rate_and_cap():
    assert gross_to_net(D(30_000_000), rules=R(2025, 8), union_member=True).union_dues == 150_000
    member = gross_to_net(D(30_000_000), rules=R(2025, 12), union_member=True)
    assert member.net == 25_222_500 - 150_000  # dues are not deductible for PIT
    assert member.pit == 1_627_500
    # 1 % before July 2025, capped at 10 % of the base salary (234,000)
    assert gross_to_net(D(30_000_000), rules=R(2024, 8), union_member=True).union_dues == 234_000
    assert gross_to_net(D(20_000_000), rules=R(2024, 8), union_member=True).union_dues == 200_000
    # the company's choice of 1 % (uncertain row) and the July 2026 cap (253,000)
    one = R(2025, 8, union_dues_rate="0.01")
    assert gross_to_net(D(20_000_000), rules=one, union_member=True).union_dues == 200_000
    assert gross_to_net(D(40_000_000), rules=one, union_member=True).union_dues == 234_000
    two = R(2026, 7, union_dues_rate="0.01")
    assert gross_to_net(D(40_000_000), rules=two, union_member=True).union_dues == 253_000
    assert gross_to_net(D(30_000_000), rules=R(2025, 8)).union_dues == 0


OT = Overtime(weekday=D(10), rest_day=D(8), holiday=D(4), night=D(2), normal_night=D(10))


def _ot_month(year: int, month: int, ot: Overtime = OT):
    inp = MonthInput(standard_days=D(26), segments=(SalarySegment(D(26_000_000), D(26)),),
                     overtime=ot)  # fmt: skip
    return compute_month(inp, R(year, month))


def test_overtime_by_kind_and_night():
    # hourly 26M / 26 / 8 = 125,000: 150 % x 10h + 200 % x 8h + 300 % x 4h
    # + night OT 2h x (30 % + 20 %) + normal night 10h x 30 %
    r = _ot_month(2025, 6)
    assert r.overtime_pay == 1_875_000 + 2_000_000 + 1_500_000 + 125_000 + 375_000
    assert r.overtime_exempt == 5_875_000 - 22 * 125_000  # the premium over normal pay
    assert (r.gross, r.insurance_base, r.insurance_total) == (31_875_000, 26_000_000, 2_730_000)
    assert (r.assessable_income, r.taxable_income, r.pit, r.net) == (
        28_750_000, 15_020_000, 1_503_000, 27_642_000)  # fmt: skip


def test_overtime_wholly_exempt_from_2026():
    r = _ot_month(2026, 3)
    assert (r.overtime_pay, r.overtime_exempt) == (5_875_000, 5_875_000)
    assert (r.assessable_income, r.taxable_income, r.pit, r.net) == (
        26_000_000, 7_770_000, 388_500, 28_756_500)  # fmt: skip


def test_night_overtime_on_rest_days_and_holidays_is_270_and_390_percent():
    rest = _ot_month(2026, 3, Overtime(rest_day=D(1), night=D(1), night_rest_day=D(1)))
    holiday = _ot_month(2026, 3, Overtime(holiday=D(1), night=D(1), night_holiday=D(1)))
    weekday = _ot_month(2026, 3, Overtime(weekday=D(1), night=D(1)))
    assert weekday.overtime_pay == 250_000  # 200 %
    assert rest.overtime_pay == 337_500  # 270 %
    assert holiday.overtime_pay == 487_500  # 390 %


def test_meal_allowance_cap_730k_then_1_2m():
    items = (Item("Ăn trưa", D(1_000_000), tax="meal"),)
    inp = MonthInput(standard_days=D(22), segments=(SalarySegment(D(10_000_000), D(22)),),
                     items=items)  # fmt: skip
    june, july = compute_month(inp, R(2026, 6)), compute_month(inp, R(2026, 7))
    assert (june.allowances_exempt, june.allowances_taxable) == (730_000, 270_000)
    assert (july.allowances_exempt, july.allowances_taxable) == (1_000_000, 0)
    assert june.gross == july.gross == 11_000_000
    assert june.assessable_income == 10_270_000
    assert july.assessable_income == 10_000_000


def test_segments_items_bonus_and_deductions():
    inp = MonthInput(
        standard_days=D(22),
        segments=(SalarySegment(D(20_000_000), D(10)), SalarySegment(D(24_000_000), D(12))),
        items=(
            Item("Phụ cấp trách nhiệm", D(2_000_000), insurable=True),
            Item("Điện thoại", D(500_000), tax="exempt"),
            Item("Thưởng KPI", D(3_000_000), category="bonus"),
            Item("Tạm ứng", D(1_000_000), category="deduction"),
        ),
        union_member=True,
    )
    r = compute_month(inp, R(2026, 9))
    assert r.base_pay == 9_090_909 + 13_090_909
    assert (r.allowances_taxable, r.allowances_exempt, r.bonuses) == (
        2_000_000, 500_000, 3_000_000)  # fmt: skip
    assert r.gross == 22_181_818 + 5_500_000
    assert r.insurance_base == 26_000_000  # last contractual salary + insurable allowance
    assert (r.si, r.hi, r.ui, r.union_dues) == (2_080_000, 390_000, 260_000, 130_000)
    assert r.assessable_income == r.gross - 500_000
    assert r.taxable_income == r.assessable_income - 2_730_000 - 15_500_000
    assert r.other_deductions == 1_000_000
    assert r.net == r.gross - 2_730_000 - 130_000 - r.pit - 1_000_000


def test_insurance_base_given_and_uninsured_month():
    given = gross_to_net(D(30_000_000), rules=R(2026, 3), insurance_base=D(10_000_000))
    assert (given.si, given.hi, given.ui, given.er_union_fund) == (800_000, 150_000, 100_000,
                                                                   200_000)  # fmt: skip
    inp = MonthInput(standard_days=D(22), segments=(SalarySegment(D(30_000_000), D(8)),),
                     insured=False)  # fmt: skip
    r = compute_month(inp, R(2026, 3))
    assert (r.base_pay, r.insurance_total, r.er_si, r.er_union_fund) == (10_909_091, 0, 0, 0)


def test_result_dict_round_trip_and_contract_keys():
    r = gross_to_net(D(30_000_000), rules=R(2026, 1))
    d = result_as_dict(r)
    assert d["gross"] == "30000000"
    assert d["net"] == "26215000"
    assert d["pit"] == "635000"
    assert d["insurance"] == {"social": "2400000", "health": "450000",
                              "unemployment": "300000", "total": "3150000"}  # fmt: skip
    assert set(d["employer"]) >= {"social", "health", "unemployment", "union_fund", "total_cost"}
    assert d["family_deduction"] == "15500000"
    assert d["taxable_income"] == "11350000"
    assert d["pit_by_bracket"][1] == {
        "seq": 2,
        "lower": "10000000",
        "upper": "30000000",
        "rate": "0.10",
        "taxable": "1350000",
        "tax": "135000",
    }
    assert result_from_dict(d) == r
