"""Reads of the statutory rule tables for the desk: every row with its source
and whether it is in force, and the company's choices on uncertain rules.

Rules are public law (not company data): anyone with a desk account may read
them; adding rows and changing the company's choices are services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.payroll import rules as r

# Labels of the parameters (desk, docs). Keys not listed show as the key itself.
RULE_LABELS: dict[str, str] = {
    "personal_deduction": "Family deduction for the taxpayer (per month)",
    "dependant_deduction": "Family deduction per dependant (per month)",
    "non_resident_rate": "PIT rate for non-residents",
    "flat_withholding_rate": "Flat withholding rate (no labour contract / under 3 months)",
    "flat_withholding_threshold": "Flat withholding applies from a payment of",
    "si_employee": "Social insurance, employee",
    "hi_employee": "Health insurance, employee",
    "ui_employee": "Unemployment insurance, employee",
    "si_employer": "Social insurance, employer",
    "accident_employer": "Occupational accident and disease fund, employer",
    "hi_employer": "Health insurance, employer",
    "ui_employer": "Unemployment insurance, employer",
    "base_salary": "Base salary (reference level)",
    "si_cap_multiple": "SI/HI salary cap (x base salary)",
    "ui_cap_multiple": "UI salary cap (x regional minimum wage)",
    "regional_minimum_1": "Regional minimum wage, region I",
    "regional_minimum_2": "Regional minimum wage, region II",
    "regional_minimum_3": "Regional minimum wage, region III",
    "regional_minimum_4": "Regional minimum wage, region IV",
    "union_fund_rate": "Trade-union fund, employer",
    "union_dues_rate": "Trade-union dues, member",
    "union_dues_cap_ratio": "Trade-union dues cap (x base salary)",
    "meal_exempt_cap": "Tax-free cash meal allowance (per month)",
    "ot_rate_weekday": "Overtime on a working day",
    "ot_rate_rest_day": "Overtime on a weekly rest day",
    "ot_rate_holiday": "Overtime on a public holiday",
    "night_premium": "Night-work premium",
    "ot_night_extra": "Extra for overtime at night (of the day wage)",
    "ot_fully_exempt": "Whole overtime pay exempt from PIT (1 = yes)",
}


def rule_label(key: str) -> str:
    text = RULE_LABELS.get(key)
    return _(text) if text else key


def _in_force(rows: list[Any], on: dt.date) -> Any:
    current = [row for row in rows if row.effective_from <= on]
    return current[-1] if current else None


def rule_listing(on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every value row (shipped and desk, a desk row replacing the shipped one
    of the same key and date): key, label, value, date, basis, status, source,
    and whether it is the row in force on ``on`` (default: today)."""
    on = on or timezone.localdate()
    t = r.tables()
    out = []
    for key in sorted(
        t.values, key=lambda k: (r.RULE_KEYS.index(k) if k in r.RULE_KEYS else 99, k)
    ):
        rows = t.values[key]
        current = _in_force(rows, on)
        for row in rows:
            out.append({"key": key, "label": rule_label(key), "value": row.value,
                        "effective_from": row.effective_from, "basis": row.basis,
                        "status": row.status, "source": row.source,
                        "in_force": row is current})  # fmt: skip
    return out


def scale_listing(on: dt.date | None = None) -> list[dict[str, Any]]:
    """Every PIT scale: date, source, status, basis, in force on ``on``, brackets."""
    on = on or timezone.localdate()
    t = r.tables()
    dates = [d for d in t.scales if d <= on]
    current = dates[-1] if dates else None
    out = []
    for day, rows in t.scales.items():
        lower = Decimal(0)
        brackets = []
        for row in rows:
            brackets.append({"seq": row.seq, "lower": lower, "upper": row.upper, "rate": row.rate})
            lower = row.upper if row.upper is not None else lower
        out.append({"effective_from": day, "source": rows[0].source, "status": rows[0].status,
                    "basis": rows[0].basis, "in_force": day == current,
                    "brackets": brackets})  # fmt: skip
    return out


def uncertain_settings(company: Any, on: dt.date | None = None) -> list[dict[str, Any]]:
    """The company's choices on rules VN-RULES marks UNCERTAIN, with the
    documented default and the value in use: ``tax_2026_from`` and every key
    that has an uncertain row."""
    on = on or timezone.localdate()
    overrides = r.company_overrides(company)
    t = r.tables()
    out: list[dict[str, Any]] = [{
        "key": r.TAX_2026_SETTING,
        "label": _("The 2026 PIT law applies to salaries from"),
        "help": _("5-bracket scale, 15,500,000/6,200,000 family deductions, 5,000,000 "
                  "withholding threshold and tax-free overtime. The law says tax period 2026 "
                  "(January); it was in force from July, and some employers kept the old rules "
                  "for January-June and settle the difference at the year-end finalisation."),
        "choices": list(r.TAX_2026_CHOICES),
        "default": r.TAX_2026_DEFAULT,
        "current": overrides.get(r.TAX_2026_SETTING),
        "in_use": overrides.get(r.TAX_2026_SETTING, r.TAX_2026_DEFAULT),
        "basis": "PIT Law 109/2025/QH15 Art. 29.2; VN-RULES §2.1, §8.1",
    }]  # fmt: skip
    for key, rows in t.values.items():
        uncertain = [row for row in rows if row.status == "uncertain"]
        if not uncertain:
            continue
        row = uncertain[-1]
        out.append({
            "key": key, "label": rule_label(key),
            "help": _("Applies on the dates where the uncertain row (from %(d)s) is in force.")
            % {"d": row.effective_from.strftime("%d/%m/%Y")},
            "choices": [], "default": row.value, "current": overrides.get(key),
            "in_use": overrides.get(key, row.value), "basis": row.basis,
        })  # fmt: skip
    return out


def overridable_keys() -> set[str]:
    t = r.tables()
    keys = {k for k, rows in t.values.items() if any(x.status == "uncertain" for x in rows)}
    return keys | {r.TAX_2026_SETTING}
