"""One person's month: gross, insurance, PIT, net and employer cost (pure, Decimal only).

Every amount is rounded half-up to the đồng where it is computed (VN-RULES §0:
calculators round each insurance item and each tax amount; the law prescribes
no intermediate rounding). Rates come from the :class:`RuleSet` in force on
the month's date (:func:`backoffice.payroll.rules.rules_for`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from backoffice.payroll.calculations.types import (
    ZERO,
    BracketTax,
    Item,
    MonthInput,
    MonthResult,
    Overtime,
    RuleSet,
)

ONE = Decimal(1)


def rnd(amount: Decimal) -> Decimal:
    """Half-up to the whole đồng."""
    return amount.quantize(ONE, rounding=ROUND_HALF_UP)


def _total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def base_pay(inp: MonthInput) -> Decimal:
    """Σ over salary segments of round(salary × paid days / standard days)."""
    if inp.standard_days <= 0:
        return ZERO
    return _total(rnd(s.monthly_salary * s.paid_days / inp.standard_days) for s in inp.segments)


def hourly_wage(inp: MonthInput) -> Decimal:
    """The full-month salary of the last segment / standard days / hours per day (unrounded)."""
    if not inp.segments or inp.standard_days <= 0 or inp.hours_per_day <= 0:
        return ZERO
    return inp.segments[-1].monthly_salary / inp.standard_days / inp.hours_per_day


def overtime_pay(ot: Overtime, hourly: Decimal, rules: RuleSet) -> tuple[Decimal, Decimal]:
    """(OT and night pay, of which exempt from PIT) under Labour Code Art. 98.

    Overtime hours are paid at 150/200/300 % by day kind; overtime at night
    adds the 30 % night premium plus 20 % of that day kind's day-time wage
    (100 % on a working day, 200 % on a rest day, 300 % on a holiday: 200/270/390 %
    in all); normal hours at night add 30 %. Exempt: the whole pay from tax
    period 2026 (``ot_fully_exempt``), before only the part above normal pay.
    """
    parts = [
        rnd(ot.weekday * hourly * rules.ot_rate_weekday),
        rnd(ot.rest_day * hourly * rules.ot_rate_rest_day),
        rnd(ot.holiday * hourly * rules.ot_rate_holiday),
    ]
    night_weekday = ot.night - ot.night_rest_day - ot.night_holiday
    night_extra = ot.night * rules.night_premium + rules.ot_night_extra * (
        night_weekday
        + ot.night_rest_day * rules.ot_rate_rest_day
        + ot.night_holiday * rules.ot_rate_holiday
    )
    parts.append(rnd(night_extra * hourly))
    parts.append(rnd(ot.normal_night * hourly * rules.night_premium))
    pay = _total(parts)
    if rules.ot_fully_exempt:
        return pay, pay
    normal = rnd((ot.weekday + ot.rest_day + ot.holiday) * hourly)
    return pay, max(ZERO, pay - normal)


def pit_brackets(taxable: Decimal, rules: RuleSet) -> tuple[BracketTax, ...]:
    """Tax by bracket of the progressive scale, each bracket's tax rounded."""
    out: list[BracketTax] = []
    lower = ZERO
    for seq, bracket in enumerate(rules.pit_brackets, start=1):
        top = taxable if bracket.upper is None else min(taxable, bracket.upper)
        part = max(ZERO, top - lower)
        out.append(BracketTax(seq=seq, lower=lower, upper=bracket.upper, rate=bracket.rate,
                              taxable=part, tax=rnd(part * bracket.rate)))  # fmt: skip
        if bracket.upper is None:
            break
        lower = bracket.upper
    return tuple(out)


def _items(items: tuple[Item, ...], rules: RuleSet) -> dict[str, Decimal]:
    sums = {"taxable": ZERO, "exempt": ZERO, "meal": ZERO, "bonus": ZERO, "deduction": ZERO,
            "insurable": ZERO}  # fmt: skip
    for item in items:
        amount = rnd(item.amount)
        if item.category == "deduction":
            sums["deduction"] += amount
            continue
        if item.insurable:
            sums["insurable"] += amount
        if item.category == "bonus":
            sums["bonus"] += amount
        elif item.tax in ("exempt", "meal"):
            sums[item.tax] += amount
        else:
            sums["taxable"] += amount
    meal_exempt = min(sums["meal"], rules.meal_exempt_cap)
    sums["taxable"] += sums["meal"] - meal_exempt
    sums["exempt"] += meal_exempt
    return sums


def contributions(inp: MonthInput, ins_base: Decimal, rules: RuleSet) -> dict[str, Decimal]:
    """Employee and employer insurance, union dues and fund on the insurance salary:
    SI/HI capped at ``si_cap``, UI at the region's ``ui_cap`` (none for foreigners)."""
    si_base = min(ins_base, rules.si_cap())
    ui_base = min(ins_base, rules.ui_cap(inp.region))
    out = dict.fromkeys(("si", "hi", "ui", "er_si", "er_accident", "er_hi", "er_ui",
                         "er_union", "dues"), ZERO)  # fmt: skip
    if inp.insured:
        out["si"] = rnd(si_base * rules.si_employee)
        out["hi"] = rnd(si_base * rules.hi_employee)
        out["er_si"] = rnd(si_base * rules.si_employer)
        out["er_accident"] = rnd(si_base * rules.accident_employer)
        out["er_hi"] = rnd(si_base * rules.hi_employer)
        out["er_union"] = rnd(si_base * rules.union_fund_rate)
        if not inp.foreign:
            out["ui"] = rnd(ui_base * rules.ui_employee)
            out["er_ui"] = rnd(ui_base * rules.ui_employer)
    if inp.union_member:
        out["dues"] = min(rnd(si_base * rules.union_dues_rate),
                          rnd(rules.union_dues_cap_ratio * rules.base_salary))  # fmt: skip
    return out


def compute_month(inp: MonthInput, rules: RuleSet) -> MonthResult:
    """The payslip of one person's month. Items arrive already pro-rated."""
    sums = _items(inp.items, rules)
    base = base_pay(inp)
    ot_pay, ot_exempt = overtime_pay(inp.overtime, hourly_wage(inp), rules)
    gross = base + sums["taxable"] + sums["exempt"] + ot_pay + sums["bonus"]
    if inp.insurance_base is not None:
        ins_base = rnd(inp.insurance_base)
    else:
        contractual = inp.segments[-1].monthly_salary if inp.segments else ZERO
        ins_base = rnd(contractual) + sums["insurable"]
    c = contributions(inp, ins_base, rules)
    si, hi, ui, dues = c["si"], c["hi"], c["ui"], c["dues"]
    er_accident, er_hi, er_ui, er_union = c["er_accident"], c["er_hi"], c["er_ui"], c["er_union"]
    insurance = si + hi + ui

    assessable = gross - sums["exempt"] - ot_exempt
    if inp.resident:
        family = rules.personal_deduction + rules.dependant_deduction * inp.dependants
        taxable = max(ZERO, assessable - insurance - family)
        brackets = pit_brackets(taxable, rules)
        pit = _total(b.tax for b in brackets)
    else:
        family = ZERO
        taxable = max(ZERO, assessable)
        pit = rnd(taxable * rules.non_resident_rate)
        brackets = (BracketTax(seq=1, lower=ZERO, upper=None, rate=rules.non_resident_rate,
                               taxable=taxable, tax=pit),)  # fmt: skip
    net = gross - insurance - dues - pit - sums["deduction"]
    er_si = c["er_si"] + er_accident
    return MonthResult(
        base_pay=base,
        allowances_taxable=sums["taxable"],
        allowances_exempt=sums["exempt"],
        overtime_pay=ot_pay,
        overtime_exempt=ot_exempt,
        bonuses=sums["bonus"],
        gross=gross,
        insurance_base=ins_base,
        si=si,
        hi=hi,
        ui=ui,
        insurance_total=insurance,
        union_dues=dues,
        assessable_income=assessable,
        family_deduction=family,
        taxable_income=taxable,
        pit=pit,
        pit_by_bracket=brackets,
        other_deductions=sums["deduction"],
        net=net,
        er_si=er_si,
        er_accident=er_accident,
        er_hi=er_hi,
        er_ui=er_ui,
        er_union_fund=er_union,
        total_cost=gross + er_si + er_hi + er_ui + er_union,
    )
