"""Report line definitions: data files per regime (``data/reports/<regime>.json``).

Each statement is a list of lines in print order. A line has a ``code`` and a
``label`` and either ``sources`` (accounts feeding it) or a ``formula`` of
other codes (``"100+200"``, ``"20+21-22-25-26"``). A source is::

    {"accounts": ["131"], "exclude": ["1311"], "value": "debit_only", "sign": -1}

``accounts``/``exclude`` are code prefixes. ``value`` is one of
- balances (balance sheet; ``"at": "opening"`` reads the start of the range):
  ``debit_balance`` (debit - credit), ``credit_balance``, ``debit_only``
  (positive debit balances of each account), ``credit_only``;
- movements of the range without the period-close entries (income statement,
  cash flow): ``debit_turnover``, ``credit_turnover``, ``net_debit``, ``net_credit``;
- ``rest``: every account of ``accounts`` that no other line claimed, with the
  movement given in ``of`` (keeps the cash flow complete for any chart).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed

DATA = Path(__file__).parent / "data" / "reports"
KINDS = ("balance_sheet", "income_statement", "cash_flow")


@dataclass(frozen=True)
class StatementDef:
    regime: str
    kind: str
    form: str
    title: str
    lines: tuple[dict[str, Any], ...]


@cache
def _load(regime: str) -> dict[str, Any]:
    path = DATA / f"{regime}.json"
    if not path.exists():
        raise ValidationFailed(
            _("No report definitions for the accounting regime %(regime)s.") % {"regime": regime}
        )
    return json.loads(path.read_text(encoding="utf-8"))


def statement_def(regime: str, kind: str) -> StatementDef:
    data = _load(regime)[kind]
    return StatementDef(
        regime=regime,
        kind=kind,
        form=data["form"],
        title=data["title"],
        lines=tuple(data["lines"]),
    )
