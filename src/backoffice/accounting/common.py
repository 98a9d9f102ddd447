"""Small rules every accounting service shares: who may act, how the actor is
recorded, how amounts are rounded. Private to the accounting services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from backoffice.core.exceptions import PermissionDenied
from backoffice.core.money import minor_unit, round_half_up
from backoffice.core.rawsql import fetch, insert  # noqa: F401  (the posting path imports them from here)

ZERO = Decimal(0)


def is_system(actor: Any) -> bool:
    """``None`` (a background job) or a label such as ``"cli"``: the operator of
    the installation, audited under that label, not subject to role checks."""
    return actor is None or isinstance(actor, str)


def user_or_none(actor: Any) -> Any:
    """The User to store in created_by / posted_by (None for system actors)."""
    return None if is_system(actor) else actor


def authorise(actor: Any, company: Any, perm: str) -> None:
    """Deny by default: a person needs ``perm`` in the company they act in (their
    active company must be this one); system actors pass."""
    if is_system(actor):
        return
    active = getattr(actor, "active_company", None)
    if active is not None and active.pk != company.pk:
        raise PermissionDenied(_("You are working in another company."), extra={"perm": perm})
    if not actor.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."), extra={"perm": perm})


def may(actor: Any, perm: str) -> bool:
    return is_system(actor) or bool(actor.has_perm(perm))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit (VND: whole đồng)."""
    return round_half_up(amount, minor_unit(currency))
