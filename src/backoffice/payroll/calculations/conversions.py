"""Gross -> net, net -> gross (exact inverse on whole đồng) and the flat 10 % withholding."""

from __future__ import annotations

from decimal import Decimal

from backoffice.payroll.calculations.month import compute_month, rnd
from backoffice.payroll.calculations.types import (
    ZERO,
    MonthInput,
    MonthResult,
    RuleSet,
    SalarySegment,
)

ONE = Decimal(1)
# Net rises by at least ~0.55 đồng per đồng of gross (35 % top rate after 10.5 %
# insurance), so the gross for a net is below 2 x net + a margin for rounding.
_SCAN = 8  # đồng around the binary-search point where rounding can make net step back


def gross_to_net(
    gross: Decimal,
    *,
    rules: RuleSet,
    dependants: int = 0,
    region: int = 1,
    foreign: bool = False,
    resident: bool = True,
    union_member: bool = False,
    insurance_base: Decimal | None = None,
) -> MonthResult:
    """A full month at ``gross`` (the insurance base is the gross unless given)."""
    inp = MonthInput(
        standard_days=ONE,
        segments=(SalarySegment(monthly_salary=rnd(gross), paid_days=ONE),),
        dependants=dependants,
        region=region,
        foreign=foreign,
        resident=resident,
        union_member=union_member,
        insurance_base=insurance_base,
    )
    return compute_month(inp, rules)


def net_to_gross(
    net: Decimal,
    *,
    rules: RuleSet,
    dependants: int = 0,
    region: int = 1,
    foreign: bool = False,
    resident: bool = True,
    union_member: bool = False,
    insurance_base: Decimal | None = None,
) -> MonthResult:
    """A whole-đồng gross whose net equals ``net``: of the few grosses that
    share a net (several items rounded half-up may step together), the
    roundest (most trailing zeros, then the smallest), so that a round gross
    comes back exactly: ``net_to_gross(gross_to_net(g).net).gross == g`` for
    every gross in thousands of đồng.

    A binary search finds the region and a short scan settles it. When no gross gives exactly ``net`` (a net the rounding skips),
    the result is the smallest gross whose net exceeds it: compare
    ``result.net`` with the target to tell.
    """
    target = rnd(net)
    if target <= 0:
        target = ZERO

    def at(g: Decimal) -> MonthResult:
        return gross_to_net(g, rules=rules, dependants=dependants, region=region,
                            foreign=foreign, resident=resident, union_member=union_member,
                            insurance_base=insurance_base)  # fmt: skip

    lo, hi = ZERO, max(Decimal(1000), target * 3 + Decimal(10_000_000))
    while at(hi).net < target:  # pragma: no cover - a fixed insurance base above the gross
        hi *= 2
    # Invariant: net(lo) < target <= net(hi) for the monotone trend.
    if at(lo).net >= target:
        hi = lo
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if at(mid).net >= target:
            hi = mid
        else:
            lo = mid
    matches: list[MonthResult] = []
    above: MonthResult | None = None
    g = max(ZERO, hi - _SCAN)
    while g <= hi + _SCAN:
        r = at(g)
        if r.net == target:
            matches.append(r)
        elif r.net > target and above is None and not matches:
            above = r
        g += 1
    if matches:
        # Several grosses may share a net (items rounded half-up step
        # together): take the roundest, so a round salary comes back as itself.
        return max(matches, key=lambda m: (_roundness(m.gross), -m.gross))
    return above or at(hi)


def _roundness(gross: Decimal) -> int:
    """How many trailing zeros the whole-đồng amount has."""
    n, zeros = int(gross), 0
    while n and n % 10 == 0:
        n //= 10
        zeros += 1
    return zeros


def flat_withholding(amount: Decimal, *, rules: RuleSet, has_commitment: bool = False) -> Decimal:
    """PIT withheld on a payment to a person without a labour contract (or a
    contract under 3 months): the flat rate of the whole payment when it
    reaches the threshold in force and the payee filed no commitment."""
    amount = rnd(amount)
    if has_commitment or amount < rules.flat_withholding_threshold:
        return ZERO
    return rnd(amount * rules.flat_withholding_rate)
