"""Small helpers every recruitment service shares: the permission check in the
actor's company (``core.selectors.authorise``: deny by default, system actors
pass), the company check of linked records and yearly numbering."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed
from backoffice.core.selectors import authorise, is_system

__all__ = ["authorise", "is_system", "next_number", "same_company", "user_or_none"]


def user_or_none(actor: Any) -> Any:
    return None if is_system(actor) else actor


def same_company(company: Any, *objs: Any) -> None:
    """Refuse a link to a record of another company (a forged id)."""
    for obj in objs:
        if obj is not None and getattr(obj, "company_id", company.pk) != company.pk:
            raise ValidationFailed(
                _("The linked record belongs to another company."),
                code="cross_company_reference",
            )


def next_number(model: type[Model], company: Any, prefix: str, field: str = "number") -> str:
    """``<prefix><year>/<nnnn>`` (YC2026/0001): the next free number of the
    year. Call it inside the transaction that saves the row; the unique
    constraint on (company, number) refuses a parallel duplicate."""
    year = timezone.localdate().year
    head = f"{prefix}{year}/"
    last = (
        model._default_manager.filter(company=company, **{f"{field}__startswith": head})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    seq = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return f"{head}{seq:04d}"
