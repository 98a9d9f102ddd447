"""Small rules every accounting service shares: who may act, how the actor is
recorded, how amounts are rounded. Private to the accounting services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from backoffice.core.money import minor_unit, round_half_up
from backoffice.core.rawsql import fetch, insert  # noqa: F401  (the posting path imports them from here)
from backoffice.core.selectors import authorise, is_system

ZERO = Decimal(0)

__all__ = ["authorise", "is_system", "may", "quantize", "user_or_none"]


def user_or_none(actor: Any) -> Any:
    """The User to store in created_by / posted_by (None for system actors)."""
    return None if is_system(actor) else actor


def may(actor: Any, perm: str) -> bool:
    return is_system(actor) or bool(actor.has_perm(perm))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (VND: whole đồng)."""
    return round_half_up(amount, minor_unit(currency))
