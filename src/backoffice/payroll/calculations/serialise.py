"""A :class:`MonthResult` as JSON-able data (amounts as decimal strings) and back.

The shape is the CLI/API contract of SPEC §4 and issue 6 (``gross``,
``insurance{social,health,unemployment,total}``, ``family_deduction``,
``taxable_income``, ``pit``, ``pit_by_bracket``, ``net``,
``employer{social,health,unemployment,union_fund,total_cost}``) plus every
other field of the result, so that payslips can store and rebuild it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backoffice.payroll.calculations.types import BracketTax, MonthResult

# Flat fields stored under their own name.
_FLAT = ("base_pay", "allowances_taxable", "allowances_exempt", "overtime_pay",
         "overtime_exempt", "bonuses", "gross", "insurance_base", "union_dues",
         "assessable_income", "family_deduction", "taxable_income", "pit",
         "other_deductions", "net")  # fmt: skip


def _s(value: Decimal) -> str:
    return str(value)


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _bracket_as_dict(b: BracketTax) -> dict[str, Any]:
    return {"seq": b.seq, "lower": _s(b.lower), "upper": None if b.upper is None else _s(b.upper),
            "rate": _s(b.rate), "taxable": _s(b.taxable), "tax": _s(b.tax)}  # fmt: skip


def result_as_dict(r: MonthResult) -> dict[str, Any]:
    out: dict[str, Any] = {name: _s(getattr(r, name)) for name in _FLAT}
    out["insurance"] = {"social": _s(r.si), "health": _s(r.hi), "unemployment": _s(r.ui),
                        "total": _s(r.insurance_total)}  # fmt: skip
    out["pit_by_bracket"] = [_bracket_as_dict(b) for b in r.pit_by_bracket]
    out["employer"] = {
        "social": _s(r.er_si),
        "accident": _s(r.er_accident),
        "health": _s(r.er_hi),
        "unemployment": _s(r.er_ui),
        "union_fund": _s(r.er_union_fund),
        "total_cost": _s(r.total_cost),
    }
    return out


def result_from_dict(d: dict[str, Any]) -> MonthResult:
    ins, er = d["insurance"], d["employer"]
    brackets = tuple(
        BracketTax(seq=int(b["seq"]), lower=_d(b["lower"]),
                   upper=None if b.get("upper") in (None, "") else _d(b["upper"]),
                   rate=_d(b["rate"]), taxable=_d(b["taxable"]), tax=_d(b["tax"]))
        for b in d.get("pit_by_bracket", [])
    )  # fmt: skip
    return MonthResult(
        **{name: _d(d[name]) for name in _FLAT},
        si=_d(ins["social"]),
        hi=_d(ins["health"]),
        ui=_d(ins["unemployment"]),
        insurance_total=_d(ins["total"]),
        pit_by_bracket=brackets,
        er_si=_d(er["social"]),
        er_accident=_d(er.get("accident", "0")),
        er_hi=_d(er["health"]),
        er_ui=_d(er["unemployment"]),
        er_union_fund=_d(er["union_fund"]),
        total_cost=_d(er["total_cost"]),
    )
