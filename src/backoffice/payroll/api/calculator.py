"""API: the gross<->net calculator (``POST /api/v1/payroll/calculator/gross-to-net``
and ``.../net-to-gross``). Authenticated (token or desk session): the product
has no rate limiter, so the anonymous calculator is the public web page only.
Any role may call it: the rules are public law and no company data is read
beyond the company's choices on uncertain rules."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router

from backoffice.core.api import ERRORS
from backoffice.core.request_context import request_company
from backoffice.core.schemas import InputSchema
from backoffice.payroll.services.calculator import (
    calculate,
    calculation_as_dict,
    calculator_request,
)

router = Router(tags=["payroll"])

Amount = Annotated[int | str, Field(description='Whole đồng: 30000000 or "30.000.000"')]
OptAmount = Annotated[int | str | None, Field(default=None)]


class CalcOptions(InputSchema):
    dependents: Annotated[int, Field(ge=0, le=20)] = 0
    region: Annotated[int, Field(ge=1, le=4)] = 1
    period: Annotated[
        str | None,
        Field(
            default=None,
            pattern=r"^[0-9]{4}-[0-9]{2}$",
            description="YYYY-MM (default: this month)",
        ),
    ] = None
    insurance_base: OptAmount = None
    foreign: bool = False
    non_resident: bool = False
    union_member: bool = False


class GrossIn(CalcOptions):
    gross: Amount


class NetIn(CalcOptions):
    net: Amount


def _calc(request: HttpRequest, direction: str, amount: Any, p: CalcOptions) -> dict[str, Any]:
    req = calculator_request(direction=direction, amount=amount, dependants=p.dependents,
                             region=p.region, period=p.period, insurance_base=p.insurance_base,
                             foreign=p.foreign, non_resident=p.non_resident,
                             union_member=p.union_member)  # fmt: skip
    result, _rules = calculate(req, request_company(request))
    return calculation_as_dict(req, result)


@router.post(
    "/calculator/gross-to-net",
    response={200: dict[str, Any], **ERRORS},
    summary="Net pay, insurance, PIT by bracket and employer cost of a gross salary",
)
def calculator_gross_to_net(request: HttpRequest, payload: GrossIn) -> dict[str, Any]:
    return _calc(request, "gross", payload.gross, payload)


@router.post(
    "/calculator/net-to-gross",
    response={200: dict[str, Any], **ERRORS},
    summary="The smallest gross salary whose net is the amount given",
)
def calculator_net_to_gross(request: HttpRequest, payload: NetIn) -> dict[str, Any]:
    return _calc(request, "net", payload.net, payload)
