"""Statutory payroll rules as effective-dated data (VN-RULES §2-§5).

Two sources, merged: the rows shipped with the product
(``payroll/data/rules/statutory.csv``: ``key,value,effective_from,basis,status``
and ``pit_brackets.csv``: ``effective_from,seq,upper,rate,basis,status``) and
the rows an administrator adds in the desk when the law changes
(:class:`~backoffice.payroll.models.RuleValue`,
:class:`~backoffice.payroll.models.PitBracketRow`). A desk row wins over a
shipped row with the same key and date; a desk PIT scale replaces the shipped
scale of the same date as a whole.

A company may override, in ``company.settings["payroll_rules"]``:

* ``tax_2026_from``: ``"2026-01-01"`` (default) or ``"2026-07-01"`` — from when
  the 2026 PIT law applies to salaries (5-bracket scale, 15.5M/6.2M deductions,
  5M withholding threshold, whole overtime exempt). VN-RULES §2.1/§8.1: the law
  says tax period 2026, but it was only in force from July and some employers
  kept the old rules for January-June (true-up at finalisation).
* any key whose row in force is ``uncertain`` (e.g. ``union_dues_rate``,
  ``flat_withholding_threshold``): the company's value replaces the shipped one
  on the dates where the uncertain row is in force.

:func:`rules_for` caches per (date, overrides, desk version); the desk version
(count and newest ``created_at`` of the desk rows) is read on every call, so a
row added in the desk takes effect at once in every process.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from backoffice.payroll.calculations.types import Bracket, RuleSet

RULES_DIR = Path(__file__).parent / "data" / "rules"
SETTINGS_KEY = "payroll_rules"
TAX_2026_SETTING = "tax_2026_from"
TAX_2026_CHOICES = ("2026-01-01", "2026-07-01")
TAX_2026_DEFAULT = "2026-01-01"
# The parameters of the 2026 PIT law that follow ``tax_2026_from`` (and the PIT scale).
TAX_2026_KEYS = frozenset(
    {"personal_deduction", "dependant_deduction", "flat_withholding_threshold", "ot_fully_exempt"}
)
_PERIOD_START, _LAW_IN_FORCE = dt.date(2026, 1, 1), dt.date(2026, 7, 1)
PIT_SCALE = "pit_scale"
REGIONS = (1, 2, 3, 4)

# Every numeric key of a RuleSet (regional minimums are regional_minimum_1..4).
DECIMAL_KEYS = (
    "personal_deduction", "dependant_deduction", "non_resident_rate", "flat_withholding_rate",
    "flat_withholding_threshold", "si_employee", "hi_employee", "ui_employee", "si_employer",
    "accident_employer", "hi_employer", "ui_employer", "base_salary", "si_cap_multiple",
    "ui_cap_multiple", "union_fund_rate", "union_dues_rate", "union_dues_cap_ratio",
    "meal_exempt_cap", "ot_rate_weekday", "ot_rate_rest_day", "ot_rate_holiday",
    "night_premium", "ot_night_extra",
)  # fmt: skip
RULE_KEYS = (*DECIMAL_KEYS, *(f"regional_minimum_{r}" for r in REGIONS), "ot_fully_exempt")


class RuleMissing(LookupError):
    """No row of a key is in force on the date asked (rules start mid-2024 for wages)."""


@dataclass(frozen=True)
class RuleRow:
    key: str
    value: Decimal
    effective_from: dt.date
    basis: str
    status: str
    source: str  # shipped | desk


@dataclass(frozen=True)
class BracketRow:
    effective_from: dt.date
    seq: int
    upper: Decimal | None
    rate: Decimal
    basis: str
    status: str
    source: str


@dataclass(frozen=True)
class Tables:
    values: dict[str, list[RuleRow]]  # key -> rows by date (one per date, desk first)
    scales: dict[dt.date, list[BracketRow]]  # date -> brackets by seq


def _csv(name: str) -> list[dict[str, str]]:
    with (RULES_DIR / name).open(encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in rec.items()} for rec in csv.DictReader(fh)]


@functools.cache
def shipped_rows() -> tuple[tuple[RuleRow, ...], tuple[BracketRow, ...]]:
    values = tuple(
        RuleRow(key=r["key"], value=Decimal(r["value"]),
                effective_from=dt.date.fromisoformat(r["effective_from"]), basis=r["basis"],
                status=r["status"] or "confirmed", source="shipped")
        for r in _csv("statutory.csv")
    )  # fmt: skip
    brackets = tuple(
        BracketRow(effective_from=dt.date.fromisoformat(r["effective_from"]), seq=int(r["seq"]),
                   upper=Decimal(r["upper"]) if r["upper"] else None, rate=Decimal(r["rate"]),
                   basis=r["basis"], status=r["status"] or "confirmed", source="shipped")
        for r in _csv("pit_brackets.csv")
    )  # fmt: skip
    return values, brackets


def desk_version() -> tuple[Any, ...]:
    """Changes whenever a desk row is added (two cheap aggregate queries)."""
    from django.db import DatabaseError, transaction
    from django.db.models import Count, Max

    from backoffice.payroll.models import PitBracketRow, RuleValue

    try:
        with transaction.atomic():  # a savepoint: a failure leaves the caller's transaction usable
            a = RuleValue.objects.aggregate(n=Count("id"), t=Max("created_at"))
            b = PitBracketRow.objects.aggregate(n=Count("id"), t=Max("created_at"))
    except DatabaseError:
        # A database not migrated yet (the calculator CLI on a fresh install):
        # the shipped rows are the whole law.
        return NO_DESK_ROWS
    return (a["n"], a["t"], b["n"], b["t"])


def _desk_rows() -> tuple[list[RuleRow], list[BracketRow]]:
    from backoffice.payroll.models import PitBracketRow, RuleValue

    values = [
        RuleRow(key=r.key, value=Decimal(r.value).normalize(), effective_from=r.effective_from,
                basis=r.basis, status=r.status, source="desk")
        for r in RuleValue.objects.all()
    ]  # fmt: skip
    brackets = [
        BracketRow(effective_from=r.effective_from, seq=r.seq, upper=r.upper,
                   rate=Decimal(r.rate).normalize(), basis=r.basis, status=r.status,
                   source="desk")
        for r in PitBracketRow.objects.all()
    ]  # fmt: skip
    return values, brackets


@functools.lru_cache(maxsize=8)
def _tables(version: tuple[Any, ...]) -> Tables:
    shipped_values, shipped_brackets = shipped_rows()
    desk_values, desk_brackets = _desk_rows() if version != NO_DESK_ROWS else ([], [])
    by_key: dict[tuple[str, dt.date], RuleRow] = {}
    for row in (*shipped_values, *desk_values):  # desk last: it wins on the same key+date
        by_key[(row.key, row.effective_from)] = row
    values: dict[str, list[RuleRow]] = {}
    for row in sorted(by_key.values(), key=lambda r: (r.key, r.effective_from)):
        values.setdefault(row.key, []).append(row)
    scales: dict[dt.date, list[BracketRow]] = {}
    for bracket in shipped_brackets:
        scales.setdefault(bracket.effective_from, []).append(bracket)
    desk_scales: dict[dt.date, list[BracketRow]] = {}
    for bracket in desk_brackets:
        desk_scales.setdefault(bracket.effective_from, []).append(bracket)
    scales.update(desk_scales)  # a desk scale replaces the shipped one of its date
    for rows in scales.values():
        rows.sort(key=lambda r: r.seq)
    return Tables(values=values, scales=dict(sorted(scales.items())))


def tables() -> Tables:
    return _tables(desk_version())


def month_rules_date(year: int, month: int) -> dt.date:
    """The date a payroll month is computed on: its first day."""
    return dt.date(year, month, 1)


def company_overrides(company: Any) -> dict[str, str]:
    settings = getattr(company, "settings", None) or {}
    raw = settings.get(SETTINGS_KEY) or {}
    return {str(k): str(v) for k, v in raw.items() if v not in (None, "")}


def _lookup_date(key: str, on: dt.date, overrides: dict[str, str]) -> dt.date:
    if key in TAX_2026_KEYS or key == PIT_SCALE:
        start = overrides.get(TAX_2026_SETTING, TAX_2026_DEFAULT)
        if start == "2026-07-01" and _PERIOD_START <= on < _LAW_IN_FORCE:
            return _PERIOD_START - dt.timedelta(days=1)
    return on


def row_in_force(t: Tables, key: str, on: dt.date) -> RuleRow | None:
    rows = [r for r in t.values.get(key, []) if r.effective_from <= on]
    return rows[-1] if rows else None


def scale_in_force(t: Tables, on: dt.date) -> list[BracketRow]:
    dates = [d for d in t.scales if d <= on]
    return t.scales[dates[-1]] if dates else []


def _value(t: Tables, key: str, on: dt.date, overrides: dict[str, str],
           sources: dict[str, str]) -> Decimal:  # fmt: skip
    row = row_in_force(t, key, _lookup_date(key, on, overrides))
    if row is None:
        raise RuleMissing(f"no payroll rule {key!r} in force on {on.isoformat()}")
    label = f"{row.basis} ({row.status}, {row.effective_from:%d/%m/%Y})"
    if row.status == "uncertain" and key in overrides:
        try:
            value = Decimal(overrides[key])
        except ArithmeticError:  # not written by rule_override_set: ignore it
            value = Decimal("NaN")
        if value.is_finite():
            sources[key] = f"company setting (instead of {row.value}: {label})"
            return value
    sources[key] = label
    return row.value


@functools.lru_cache(maxsize=512)
def _build(on: dt.date, frozen: tuple[tuple[str, str], ...], version: tuple[Any, ...]) -> RuleSet:
    t = _tables(version)
    overrides = dict(frozen)
    sources: dict[str, str] = {}
    values = {key: _value(t, key, on, overrides, sources) for key in DECIMAL_KEYS}
    minimum = {r: _value(t, f"regional_minimum_{r}", on, overrides, sources) for r in REGIONS}
    exempt = _value(t, "ot_fully_exempt", on, overrides, sources)
    scale = scale_in_force(t, _lookup_date(PIT_SCALE, on, overrides))
    if not scale:
        raise RuleMissing(f"no PIT scale in force on {on.isoformat()}")
    first = scale[0]
    sources[PIT_SCALE] = f"{first.basis} ({first.status}, {first.effective_from:%d/%m/%Y})"
    return RuleSet(
        on=on,
        pit_brackets=tuple(Bracket(upper=b.upper, rate=b.rate) for b in scale),
        regional_minimum=minimum,
        ot_fully_exempt=bool(exempt),
        sources=sources,
        **values,
    )


def rules_for(on: dt.date, company: Any = None) -> RuleSet:
    """Everything statutory in force on ``on`` (for a month: :func:`month_rules_date`),
    with the company's choices on uncertain rules. Raises :class:`RuleMissing`
    before the first shipped row of a key (regional minimum wages: 2024-07-01)."""
    frozen = tuple(sorted(company_overrides(company).items()))
    return _build(on, frozen, desk_version())


NO_DESK_ROWS: tuple[Any, ...] = (0, None, 0, None)


def shipped_rules_for(on: dt.date, overrides: dict[str, str] | None = None) -> RuleSet:
    """The shipped rows only, without the database (tests, benchmarks, docs)."""
    return _build(on, tuple(sorted((overrides or {}).items())), NO_DESK_ROWS)
