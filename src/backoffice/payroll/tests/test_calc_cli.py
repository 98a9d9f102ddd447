"""``backoffice payroll gross-to-net | net-to-gross`` (SPEC §4) with CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from backoffice.cli import main

pytestmark = pytest.mark.django_db


def run(*args):
    return CliRunner().invoke(main, ["payroll", *args])


def test_gross_to_net_json_has_every_step():
    res = run("gross-to-net", "--gross", "30000000", "--period", "2025-12", "--format", "json")
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert d["period"] == "2025-12"
    assert d["gross"] == "30000000"
    assert d["net"] == "25222500"
    assert d["pit"] == "1627500"
    assert d["insurance"] == {"social": "2400000", "health": "450000",
                              "unemployment": "300000", "total": "3150000"}  # fmt: skip
    assert (d["family_deduction"], d["taxable_income"]) == ("11000000", "15850000")
    assert [b["tax"] for b in d["pit_by_bracket"]] == ["250000", "500000", "877500", "0", "0",
                                                       "0", "0"]  # fmt: skip
    assert {k: d["employer"][k] for k in ("social", "health", "unemployment", "union_fund",
                                          "total_cost")} == {
        "social": "5250000", "health": "900000", "unemployment": "300000",
        "union_fund": "600000", "total_cost": "37050000"}  # fmt: skip


def test_options_dependants_region_foreign_union_and_insurance_base():
    res = run("gross-to-net", "--gross", "25.000.000", "--dependents", "1", "--period", "2026-03",
              "--format", "json")  # fmt: skip
    d = json.loads(res.output)
    assert (d["taxable_income"], d["pit"], d["net"]) == ("675000", "33750", "22341250")
    res = run(
        "gross-to-net",
        "--gross",
        "150000000",
        "--region",
        "4",
        "--period",
        "2026-03",
        "--foreign",
        "--union-member",
        "--insurance-base",
        "60000000",
        "--format",
        "json",
    )
    d = json.loads(res.output)
    assert d["insurance"]["unemployment"] == "0"  # foreign
    assert d["insurance"]["social"] == "3744000"  # capped at 46.8M in March 2026
    assert d["union_dues"] == "234000"
    assert d["inputs"]["foreign"] is True
    assert d["inputs"]["region"] == 4
    res = run("gross-to-net", "--gross", "30000000", "--period", "2026-03", "--non-resident",
              "--format", "json")  # fmt: skip
    assert json.loads(res.output)["pit"] == "6000000"


def test_net_to_gross_and_table():
    res = run("net-to-gross", "--net", "26215000", "--period", "2026-01", "--format", "json")
    assert res.exit_code == 0
    assert json.loads(res.output)["gross"] == "30000000"
    res = run("net-to-gross", "--net", "17,780,000", "--period", "2026-03")
    assert res.exit_code == 0
    lines = {line.split("  ")[0]: line.split()[-1] for line in res.output.splitlines()}
    assert lines["gross"] == "20,000,000"
    assert lines["PIT"] == "120,000"
    assert "bracket 1 (5 %) on 2,400,000" in res.output


@pytest.mark.parametrize(("args", "message"), [
    (["gross-to-net", "--gross", "abc"], "whole number"),
    (["gross-to-net", "--gross", "-5"], "between 0"),
    (["gross-to-net", "--gross", "1000.5"], "whole number"),
    (["gross-to-net", "--gross", "1" + "0" * 13], "between 0"),
    (["gross-to-net", "--gross", "1000", "--region", "5"], "1 to 4"),
    (["gross-to-net", "--gross", "1000", "--dependents", "x"], "0 to 20"),
    (["gross-to-net", "--gross", "1000", "--period", "2026-13"], "YYYY-MM"),
    (["gross-to-net", "--gross", "1000", "--period", "2023-01"], "July 2024"),
    (["net-to-gross", "--net", ""], "enter an amount"),
    (["gross-to-net", "--gross", "1000", "--insurance-base", "x"], "whole number"),
])  # fmt: skip
def test_bad_input_exits_2_with_a_message(args, message, settings):
    from django.utils import translation

    with translation.override("en"):
        res = run(*args)
    assert res.exit_code == 2
    assert "error:" in res.output
    assert message in res.output


def test_missing_option_is_a_usage_error():
    assert run("gross-to-net").exit_code == 2
    assert run("gross-to-net", "--gross", "1", "--format", "csv").exit_code == 2


def test_the_calculator_works_on_a_fresh_install_before_any_migration(tmp_path):
    # given a BACKOFFICE_HOME with no database yet (the command run right after installing)
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["BACKOFFICE_HOME"] = str(tmp_path)
    # when the calculator runs in its own process
    res = subprocess.run(
        [sys.executable, "-m", "backoffice", "payroll", "gross-to-net", "--gross", "20000000",
         "--period", "2026-03", "--format", "json"],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    # then it answers from the shipped rules (E3 of VN-RULES §7)
    assert res.returncode == 0, res.stderr[-2000:]
    assert json.loads(res.stdout)["net"] == "17780000"
