"""Public gross<->net calculator at ``/payroll/calculator/`` (no login, Vietnamese
by default, English by the language switch). A GET form, so a result can be
bookmarked; htmx swaps only the result panel. Same functions as the CLI/API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed
from backoffice.payroll.calculations import MonthResult, RuleSet
from backoffice.payroll.services.calculator import CalcRequest, calculate, calculator_request

FIELDS = ("direction", "amount", "dependents", "region", "period", "insurance_base")
FLAGS = ("foreign", "non_resident", "union_member")


def _pct(rate: Decimal) -> str:
    text = f"{(rate * 100).normalize():f}"
    return text.replace(".", ",") + " %"


def _steps(req: CalcRequest, r: MonthResult, rules: RuleSet) -> dict[str, Any]:
    insured_base_si = min(r.insurance_base, rules.si_cap())
    insured_base_ui = min(r.insurance_base, rules.ui_cap(req.region))
    employee = [
        (_("Social insurance"), _pct(rules.si_employee), insured_base_si, r.si),
        (_("Health insurance"), _pct(rules.hi_employee), insured_base_si, r.hi),
        (_("Unemployment insurance"), _pct(rules.ui_employee) if not req.foreign else "–",
         insured_base_ui, r.ui),
    ]  # fmt: skip
    er_main = r.er_si - r.er_accident
    employer = [
        (_("Social insurance"), _pct(rules.si_employer), er_main),
        (_("Occupational accident and disease fund"), _pct(rules.accident_employer),
         r.er_accident),
        (_("Health insurance"), _pct(rules.hi_employer), r.er_hi),
        (_("Unemployment insurance"), _pct(rules.ui_employer) if not req.foreign else "–",
         r.er_ui),
        (_("Trade-union fund"), _pct(rules.union_fund_rate), r.er_union_fund),
    ]  # fmt: skip
    brackets = [{"seq": b.seq, "lower": b.lower, "upper": b.upper, "rate": _pct(b.rate),
                 "taxable": b.taxable, "tax": b.tax} for b in r.pit_by_bracket]  # fmt: skip
    return {
        "employee_insurance": employee,
        "employer_contributions": employer,
        "brackets": brackets,
        "personal": rules.personal_deduction if req.resident else Decimal(0),
        "per_dependant": rules.dependant_deduction,
        "dependants_total": rules.dependant_deduction * req.dependants if req.resident else 0,
        "si_cap": rules.si_cap(),
        "ui_cap": rules.ui_cap(req.region),
        "base_salary": rules.base_salary,
        "union_rate": _pct(rules.union_dues_rate),
        "non_resident_rate": _pct(rules.non_resident_rate),
        "scale_size": len(rules.pit_brackets),
    }


def calculator_view(request: HttpRequest) -> HttpResponse:
    data: dict[str, Any] = {name: request.GET.get(name, "") for name in FIELDS}
    data.update({flag: request.GET.get(flag) == "1" for flag in FLAGS})
    data["direction"] = data["direction"] if data["direction"] in ("gross", "net") else "gross"
    regions = [("1", _("Region I")), ("2", _("Region II")), ("3", _("Region III")),
               ("4", _("Region IV"))]  # fmt: skip
    ctx: dict[str, Any] = {"data": data, "title": _("Gross to net salary calculator"),
                           "errors": {}, "error": None, "regions": regions}  # fmt: skip
    if data["amount"]:
        try:
            req = calculator_request(direction=str(data["direction"]), amount=data["amount"],
                                     dependants=data["dependents"], region=data["region"],
                                     period=data["period"],
                                     insurance_base=data["insurance_base"],
                                     foreign=bool(data["foreign"]),
                                     non_resident=bool(data["non_resident"]),
                                     union_member=bool(data["union_member"]))  # fmt: skip
            result, rules = calculate(req)
            ctx.update(req=req, r=result, rules=rules, steps=_steps(req, result, rules))
        except ValidationFailed as exc:
            ctx["error"] = exc.message
            ctx["errors"] = {exc.extra.get("field", "amount"): exc.message}
    if request.headers.get("HX-Request"):
        return render(request, "payroll/public/calculator_result.html", ctx)
    return render(request, "payroll/public/calculator.html", ctx)


urlpatterns: list[URLPattern] = [
    path("calculator/", calculator_view, name="calculator"),
]
