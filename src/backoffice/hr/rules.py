"""Labour Code parameters as effective-dated data (``hr/data/rules/*.csv``).

Each row: ``key,value,effective_from,basis,status``. :func:`rule` returns the
value in force on a date. A company may override a key in its settings
(``company.settings["hr_rules"][key]``) — used for values VN-RULES.md marks
UNCERTAIN (status ``uncertain``), which the desk shows as such.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).parent / "data" / "rules"


@dataclass(frozen=True)
class RuleRow:
    key: str
    value: str
    effective_from: dt.date
    basis: str
    status: str


@functools.cache
def _rows() -> dict[str, list[RuleRow]]:
    table: dict[str, list[RuleRow]] = {}
    for path in sorted(RULES_DIR.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.DictReader(fh):
                row = RuleRow(
                    key=rec["key"].strip(),
                    value=rec["value"].strip(),
                    effective_from=dt.date.fromisoformat(rec["effective_from"].strip()),
                    basis=rec.get("basis", "").strip(),
                    status=(rec.get("status") or "confirmed").strip(),
                )
                table.setdefault(row.key, []).append(row)
    for rows in table.values():
        rows.sort(key=lambda r: r.effective_from)
    return table


def rule_row(key: str, on: dt.date) -> RuleRow:
    rows = [r for r in _rows().get(key, []) if r.effective_from <= on]
    if not rows:
        raise KeyError(f"no HR rule {key!r} in force on {on.isoformat()}")
    return rows[-1]


def rule(key: str, on: dt.date, company: Any = None) -> Decimal:
    """The numeric value of ``key`` on ``on`` (company override first)."""
    override = ((getattr(company, "settings", None) or {}).get("hr_rules") or {}).get(key)
    if override not in (None, ""):
        return Decimal(str(override))
    return Decimal(rule_row(key, on).value)


def all_rules() -> list[RuleRow]:
    return [row for rows in _rows().values() for row in rows]
