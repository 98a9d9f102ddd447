"""Recurring pay items of an employee (allowances, after-tax deductions), in
force from ``valid_from`` to ``valid_to``; ``payroll.manage_items``; audited
without the amount."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.models import Company
from backoffice.payroll.enums import ItemCategory, TaxTreatment
from backoffice.payroll.models import PayItem
from backoffice.payroll.services.common import authorise, dec

PERM = "payroll.manage_items"
FIELDS = ("name", "category", "tax_treatment", "insurable", "prorate", "amount", "valid_from",
          "valid_to")  # fmt: skip


def _snapshot(item: PayItem) -> dict[str, Any]:
    return {
        "employee": item.employee.code, "name": item.name, "category": item.category,
        "tax_treatment": item.tax_treatment, "insurable": item.insurable,
        "prorate": item.prorate, "valid_from": item.valid_from.isoformat(),
        "valid_to": item.valid_to.isoformat() if item.valid_to else None,
    }  # fmt: skip


def _check(item: PayItem) -> None:
    if not (item.name or "").strip():
        raise ValidationFailed(_("Give the item a name."), code="name_required")
    if item.category not in ItemCategory.values or item.tax_treatment not in TaxTreatment.values:
        raise ValidationFailed(_("Unknown kind of item."), code="bad_item")
    amount = dec(item.amount)
    if amount <= 0 or amount != amount.to_integral_value():
        raise ValidationFailed(
            _("An amount is a positive whole number of đồng."), code="bad_amount"
        )
    item.amount = amount
    if not isinstance(item.valid_from, dt.date):
        raise ValidationFailed(_("Give the first day the item applies."), code="date_required")
    if item.valid_to is not None and item.valid_to < item.valid_from:
        raise ValidationFailed(_("The end is before the start."), code="bad_range")


@transaction.atomic
def pay_item_save(*, actor: Any, company: Company, employee: Any = None,
                  item: PayItem | None = None, **values: Any) -> PayItem:  # fmt: skip
    """Create (``employee`` given) or change (``item`` given) a recurring item."""
    authorise(actor, company, PERM)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    before = None
    if item is None:
        if employee is None or employee.company_id != company.pk:
            raise NotFound(_("%(what)s not found.") % {"what": _("Employee")})
        item = PayItem(company=company, employee=employee)
    else:
        if item.company_id != company.pk:
            raise NotFound(_("%(what)s not found.") % {"what": _("Pay item")})
        before = _snapshot(item)
    for key, value in values.items():
        setattr(item, key, value)
    _check(item)
    item.save()
    audit_record(
        event_type="PAYROLL_PAY_ITEM_UPDATED" if before else "PAYROLL_PAY_ITEM_CREATED",
        actor=actor, company=company, target=item, before=before, after=_snapshot(item),
    )  # fmt: skip
    return item


@transaction.atomic
def pay_item_delete(*, actor: Any, company: Company, item: PayItem) -> None:
    authorise(actor, company, PERM)
    if item.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Pay item")})
    audit_record(
        event_type="PAYROLL_PAY_ITEM_DELETED", actor=actor, company=company, target=item,
        before=_snapshot(item),
    )  # fmt: skip
    item.delete()
