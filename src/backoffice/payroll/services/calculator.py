"""The gross<->net calculator shared by the CLI, the API and the public page:
input validation (translated errors with stable codes) and the computation on
the rules in force in the chosen month. Reads nothing but the rule tables."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed
from backoffice.payroll.calculations import (
    MonthResult,
    RuleSet,
    gross_to_net,
    net_to_gross,
    result_as_dict,
)
from backoffice.payroll.rules import RuleMissing, month_rules_date, rules_for

MAX_AMOUNT = Decimal(10) ** 12  # 1,000 billion đồng a month
MAX_DEPENDANTS = 20
_GROUPED = re.compile(r"^\d{1,3}([.,_ ]\d{3})+$")


@dataclass(frozen=True)
class CalcRequest:
    direction: str  # gross | net
    amount: Decimal
    period: dt.date  # first day of the month
    dependants: int = 0
    region: int = 1
    insurance_base: Decimal | None = None
    foreign: bool = False
    resident: bool = True
    union_member: bool = False


def parse_amount(
    value: Any, field: str, *, required: bool = True, code: str = "amount"
) -> Decimal | None:
    """A whole, non-negative number of đồng: 30000000, 30.000.000, 30,000,000 or 30 000 000."""
    text = "" if value is None else str(value).strip().replace("\u00a0", " ")
    text = text.removesuffix("₫").removesuffix("VND").strip()
    if not text:
        if required:
            raise ValidationFailed(_("%(f)s: enter an amount.") % {"f": field},
                                   code="amount_required", extra={"field": code})  # fmt: skip
        return None
    if _GROUPED.match(text):
        text = re.sub(r"[.,_ ]", "", text)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal("NaN")
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise ValidationFailed(_("%(f)s: enter a whole number of đồng, e.g. 30.000.000.")
                               % {"f": field}, code="bad_amount", extra={"field": code})  # fmt: skip
    if amount < 0 or amount > MAX_AMOUNT:
        raise ValidationFailed(_("%(f)s: the amount must be between 0 and 1.000.000.000.000.")
                               % {"f": field}, code="amount_out_of_range",
                               extra={"field": code})  # fmt: skip
    return amount.quantize(Decimal(1))


def parse_period(value: Any) -> dt.date:
    text = "" if value is None else str(value).strip()
    if not text:
        today = timezone.localdate()
        return month_rules_date(today.year, today.month)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValidationFailed(_("Period: write the month as YYYY-MM, e.g. 2026-07."),
                               code="bad_period", extra={"field": "period"})  # fmt: skip
    return month_rules_date(int(match.group(1)), int(match.group(2)))


def _int(value: Any, field: str, low: int, high: int, default: int, code: str) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ValidationFailed(_("%(f)s: enter a whole number from %(a)d to %(b)d.")
                               % {"f": field, "a": low, "b": high}, code="bad_number",
                               extra={"field": code})  # fmt: skip
    return number


def calculator_request(*, direction: str, amount: Any, dependants: Any = None,
                       region: Any = None, period: Any = None, insurance_base: Any = None,
                       foreign: bool = False, non_resident: bool = False,
                       union_member: bool = False) -> CalcRequest:  # fmt: skip
    """Validated calculator input from raw values (strings or numbers)."""
    if direction not in ("gross", "net"):
        raise ValidationFailed(_("Choose gross to net or net to gross."), code="bad_direction")
    label = _("Gross salary") if direction == "gross" else _("Net salary")
    value = parse_amount(amount, label)
    assert value is not None  # required
    return CalcRequest(
        direction=direction,
        amount=value,
        period=parse_period(period),
        dependants=_int(dependants, _("Dependants"), 0, MAX_DEPENDANTS, 0, "dependents"),
        region=_int(region, _("Region"), 1, 4, 1, "region"),
        insurance_base=parse_amount(
            insurance_base, _("Insurance salary"), required=False, code="insurance_base"
        ),
        foreign=bool(foreign),
        resident=not non_resident,
        union_member=bool(union_member),
    )


def calculate(req: CalcRequest, company: Any = None) -> tuple[MonthResult, RuleSet]:
    try:
        rules = rules_for(req.period, company)
    except RuleMissing:
        raise ValidationFailed(_("No statutory rules are recorded for %(m)s: choose July 2024 "
                                 "or later.") % {"m": req.period.strftime("%m/%Y")},
                               code="no_rules", extra={"field": "period"}) from None  # fmt: skip
    kw = {"rules": rules, "dependants": req.dependants, "region": req.region,
          "foreign": req.foreign, "resident": req.resident,
          "union_member": req.union_member, "insurance_base": req.insurance_base}  # fmt: skip
    fn = gross_to_net if req.direction == "gross" else net_to_gross
    return fn(req.amount, **kw), rules  # type: ignore[arg-type]


def calculation_as_dict(req: CalcRequest, result: MonthResult) -> dict[str, Any]:
    """The JSON of the CLI and API: the result (SPEC §4 keys) and the inputs."""
    return {
        "period": req.period.strftime("%Y-%m"),
        "inputs": {
            "direction": req.direction, "amount": str(req.amount),
            "dependants": req.dependants, "region": req.region,
            "insurance_base": None if req.insurance_base is None else str(req.insurance_base),
            "foreign": req.foreign, "resident": req.resident,
            "union_member": req.union_member,
        },
        **result_as_dict(result),
    }  # fmt: skip
