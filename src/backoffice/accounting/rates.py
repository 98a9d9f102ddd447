"""Exchange rates: record them, find the rate of a day (part of the accounting services)."""

from __future__ import annotations

from datetime import date as Date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.accounting.common import authorise
from backoffice.accounting.models import RATE_DIGITS, RATE_PLACES, ExchangeRate
from backoffice.core.audit import audit_record
from backoffice.core.exceptions import ValidationFailed
from backoffice.core.money import to_decimal


# --- exchange rates --------------------------------------------------------------------
def currency_code(code: str) -> str:
    code = (code or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationFailed(
            _("Not an ISO currency code: %(c)s.") % {"c": code}, code="invalid_currency"
        )
    return code


RATE_MAX = Decimal(10) ** RATE_DIGITS


def parse_rate(value: Any) -> Decimal:
    """A rate as stored: a positive finite number below 10^12 with at most six
    decimals (more would be cut off silently: 0.0000004 would be stored as 0)."""
    try:
        rate = to_decimal(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Not a valid rate: %(r)s.") % {"r": value}, code="invalid_rate"
        ) from None
    if rate <= 0 or rate >= RATE_MAX:
        raise ValidationFailed(
            _("A rate must be positive, with at most %(n)s digits before the decimal point.")
            % {"n": RATE_DIGITS},
            code="invalid_rate",
        )
    if rate != rate.quantize(Decimal(1).scaleb(-RATE_PLACES)):
        raise ValidationFailed(
            _("A rate has at most %(n)s decimals: %(r)s.") % {"n": RATE_PLACES, "r": value},
            code="invalid_rate",
        )
    return rate


@transaction.atomic
def rate_set(*, actor: Any, company: Any, currency: str, date: Date, rate: Any) -> ExchangeRate:
    """Record (or correct) the rate of ``currency`` on ``date`` in company-currency units."""
    currency = currency_code(currency)
    value = parse_rate(rate)
    if currency == company.currency:
        raise ValidationFailed(
            _("The company currency has no exchange rate."), code="invalid_currency"
        )
    existing = ExchangeRate.objects.filter(company=company, currency=currency, date=date).first()
    authorise(
        actor,
        company,
        "accounting.change_exchangerate" if existing else "accounting.add_exchangerate",
    )
    before = {"rate": existing.rate} if existing else None
    if existing is None:
        existing = ExchangeRate.objects.create(
            company=company, currency=currency, date=date, rate=value
        )
    else:
        existing.rate = value
        existing.save(update_fields=["rate", "updated_at"])
    audit_record(
        event_type="EXCHANGE_RATE_SET",
        actor=actor,
        company=company,
        target=existing,
        before=before,
        after={"currency": currency, "date": date, "rate": value},
    )
    return existing


def rate_for(company: Any, currency: str, date: Date) -> Decimal:
    """The rate on ``date`` or the latest before it (1 for the company currency)."""
    currency = (currency or company.currency).upper()
    if currency == company.currency:
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(company=company, currency=currency, date__lte=date)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise ValidationFailed(
            _("No exchange rate for %(c)s on or before %(d)s.")
            % {"c": currency, "d": f"{date:%d/%m/%Y}"},
            code="no_exchange_rate",
        )
    return rate
