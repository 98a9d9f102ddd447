"""The inputs and results of the pure payroll calculation (no ORM).

Amounts are ``Decimal`` whole đồng; rates are fractions (``Decimal("0.08")``).
The :class:`RuleSet` is everything statutory in force for one month (built by
:func:`backoffice.payroll.rules.rules_for`); :class:`MonthInput` is one
person's month (built from HR data by the run service, or from the CLI and
calculator arguments); :class:`MonthResult` is the payslip.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Bracket:
    """A PIT bracket: monthly taxable income up to ``upper`` (None: no limit)."""

    upper: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class RuleSet:
    on: dt.date
    pit_brackets: tuple[Bracket, ...]
    personal_deduction: Decimal
    dependant_deduction: Decimal
    non_resident_rate: Decimal
    flat_withholding_rate: Decimal
    flat_withholding_threshold: Decimal
    # insurance, employee and employer shares
    si_employee: Decimal
    hi_employee: Decimal
    ui_employee: Decimal
    si_employer: Decimal  # retirement & survivorship + sickness & maternity
    accident_employer: Decimal  # occupational accident & disease fund
    hi_employer: Decimal
    ui_employer: Decimal
    base_salary: Decimal  # lương cơ sở / mức tham chiếu
    si_cap_multiple: Decimal  # SI and HI cap = multiple x base salary
    ui_cap_multiple: Decimal  # UI cap = multiple x regional minimum wage
    regional_minimum: dict[int, Decimal]
    union_fund_rate: Decimal
    union_dues_rate: Decimal
    union_dues_cap_ratio: Decimal  # dues cap = ratio x base salary
    meal_exempt_cap: Decimal
    ot_rate_weekday: Decimal  # 1.5
    ot_rate_rest_day: Decimal  # 2.0
    ot_rate_holiday: Decimal  # 3.0
    night_premium: Decimal  # 0.3 of the hourly wage for normal hours at night
    ot_night_extra: Decimal  # 0.2 of the day wage on top for overtime at night
    ot_fully_exempt: bool  # 2026: the whole OT/night pay is exempt; before: the premium only
    sources: dict[str, str] = field(default_factory=dict)  # key -> "basis (status, from date)"

    def si_cap(self) -> Decimal:
        return self.si_cap_multiple * self.base_salary

    def ui_cap(self, region: int) -> Decimal:
        return self.ui_cap_multiple * self.regional_minimum[region]


@dataclass(frozen=True)
class SalarySegment:
    """A monthly salary in force for part of the month, and the paid days in it."""

    monthly_salary: Decimal
    paid_days: Decimal


@dataclass(frozen=True)
class Item:
    """An allowance, bonus or deduction. ``tax``: taxable | exempt | meal."""

    name: str
    amount: Decimal
    category: str = "allowance"  # allowance | bonus | deduction
    tax: str = "taxable"
    insurable: bool = False


@dataclass(frozen=True)
class Overtime:
    weekday: Decimal = ZERO
    rest_day: Decimal = ZERO
    holiday: Decimal = ZERO
    night: Decimal = ZERO  # of the overtime hours above, those at night
    normal_night: Decimal = ZERO  # normal (non-overtime) hours worked at night
    # Of ``night``, those on a rest day / public holiday (their +20 % is of the
    # 200 % / 300 % day wage, Decree 145/2020 Art. 57); the rest count as working-day.
    night_rest_day: Decimal = ZERO
    night_holiday: Decimal = ZERO


@dataclass(frozen=True)
class MonthInput:
    standard_days: Decimal  # the month's working days (denominator of pro-rating)
    segments: tuple[SalarySegment, ...]
    hours_per_day: Decimal = Decimal(8)
    items: tuple[Item, ...] = ()
    overtime: Overtime = Overtime()
    dependants: int = 0
    region: int = 1
    resident: bool = True
    foreign: bool = False  # no unemployment insurance
    union_member: bool = False
    insured: bool = True  # False: no SI/HI/UI this month (e.g. >= 14 days unpaid leave)
    insurance_base: Decimal | None = None  # None: contractual salary + insurable allowances


@dataclass(frozen=True)
class BracketTax:
    seq: int
    lower: Decimal
    upper: Decimal | None
    rate: Decimal
    taxable: Decimal  # the part of taxable income in this bracket
    tax: Decimal


@dataclass(frozen=True)
class MonthResult:
    base_pay: Decimal
    allowances_taxable: Decimal
    allowances_exempt: Decimal
    overtime_pay: Decimal
    overtime_exempt: Decimal
    bonuses: Decimal
    gross: Decimal
    insurance_base: Decimal
    si: Decimal
    hi: Decimal
    ui: Decimal
    insurance_total: Decimal
    union_dues: Decimal
    assessable_income: Decimal  # thu nhập chịu thuế (gross - exempt items)
    family_deduction: Decimal
    taxable_income: Decimal  # thu nhập tính thuế (>= 0)
    pit: Decimal
    pit_by_bracket: tuple[BracketTax, ...]
    other_deductions: Decimal
    net: Decimal
    er_si: Decimal  # employer SI incl. the accident fund
    er_accident: Decimal  # of which the accident fund
    er_hi: Decimal
    er_ui: Decimal
    er_union_fund: Decimal
    total_cost: Decimal  # gross + employer contributions + union fund
