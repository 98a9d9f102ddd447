"""Small helpers shared by the payroll services: the permission check in the
actor's active company (the same rule as the ledger's: deny by default, system
actors pass) and amounts as Decimal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backoffice.accounting.common import authorise, is_system

__all__ = ["authorise", "dec", "is_system"]


def dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))
