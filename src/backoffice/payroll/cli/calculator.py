"""``backoffice payroll gross-to-net | net-to-gross`` (SPEC §4): every step of one
month's computation on the statutory rules in force in ``--period``.

Exit 2 with ``error: <message>`` on bad input (like every other command)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import click

from backoffice.cli import EXIT_USAGE, emit, fail, setup_django

_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                       show_default=True, help="Output format.")  # fmt: skip


def _options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed([
        click.option("--dependents", "dependents", default="0", show_default=True,
                     help="Registered dependants (family deduction)."),
        click.option("--region", default="1", show_default=True,
                     help="Minimum-wage region 1-4 (UI cap)."),
        click.option("--period", default=None, help="Month YYYY-MM (default: this month)."),
        click.option("--insurance-base", "insurance_base", default=None,
                     help="Insurance salary (default: the gross)."),
        click.option("--foreign", is_flag=True, help="Foreign employee: no UI."),
        click.option("--non-resident", "non_resident", is_flag=True,
                     help="Non-resident: 20 % flat PIT, no deductions."),
        click.option("--union-member", "union_member", is_flag=True,
                     help="Deduct trade-union member dues."),
        _FORMAT,
    ]):  # fmt: skip
        fn = option(fn)
    return fn


def _n(value: str | Decimal) -> str:
    return f"{int(Decimal(value)):,}"


def _table(d: dict[str, Any]) -> list[dict[str, str]]:
    ins, er = d["insurance"], d["employer"]
    rows = [
        ("period", d["period"]),
        ("gross", _n(d["gross"])),
        ("insurance salary", _n(d["insurance_base"])),
        ("social insurance (employee)", _n(ins["social"])),
        ("health insurance (employee)", _n(ins["health"])),
        ("unemployment insurance (employee)", _n(ins["unemployment"])),
        ("insurance total", _n(ins["total"])),
        ("union dues", _n(d["union_dues"])),
        ("assessable income", _n(d["assessable_income"])),
        ("family deduction", _n(d["family_deduction"])),
        ("taxable income", _n(d["taxable_income"])),
    ]
    for b in d["pit_by_bracket"]:
        rate = f"{Decimal(b['rate']) * 100:.0f} %"
        rows.append((f"  bracket {b['seq']} ({rate}) on {_n(b['taxable'])}", _n(b["tax"])))
    rows += [
        ("PIT", _n(d["pit"])),
        ("net", _n(d["net"])),
        ("employer social insurance (incl. accident fund)", _n(er["social"])),
        ("employer health insurance", _n(er["health"])),
        ("employer unemployment insurance", _n(er["unemployment"])),
        ("trade-union fund", _n(er["union_fund"])),
        ("total employer cost", _n(er["total_cost"])),
    ]
    return [{"item": k, "amount": v} for k, v in rows]


def _run(direction: str, amount: str, opts: dict[str, Any]) -> None:
    setup_django()
    from backoffice.core.exceptions import ApplicationError
    from backoffice.payroll.services.calculator import (
        calculate,
        calculation_as_dict,
        calculator_request,
    )

    fmt = opts.pop("fmt")
    try:
        req = calculator_request(direction=direction, amount=amount,
                                 dependants=opts["dependents"], region=opts["region"],
                                 period=opts["period"], insurance_base=opts["insurance_base"],
                                 foreign=opts["foreign"], non_resident=opts["non_resident"],
                                 union_member=opts["union_member"])  # fmt: skip
        result, _rules = calculate(req)
    except ApplicationError as exc:
        fail(exc.message, EXIT_USAGE)
    data = calculation_as_dict(req, result)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    emit(_table(data), "table", ["item", "amount"])


def register(group: click.Group) -> None:
    @group.command("gross-to-net")
    @click.option("--gross", required=True, help="Monthly gross salary (VND).")
    @_options
    def gross_to_net_cmd(gross: str, **opts: Any) -> None:
        """Net pay, insurance, PIT by bracket and employer cost of a gross salary."""
        _run("gross", gross, opts)

    @group.command("net-to-gross")
    @click.option("--net", required=True, help="Monthly net salary wanted (VND).")
    @_options
    def net_to_gross_cmd(net: str, **opts: Any) -> None:
        """The smallest gross salary whose net is --net (every step shown)."""
        _run("net", net, opts)
