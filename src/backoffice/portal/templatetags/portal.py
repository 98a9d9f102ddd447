"""Display filters of the portal: 1.234.567 ₫, dd/mm/yyyy, days as 1,5."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from backoffice.core.money import format_vnd

register = template.Library()


@register.filter
def vnd(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return format_vnd(Decimal(str(value)))
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def dmy(value: Any) -> str:
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return str(value.strftime("%d/%m/%Y %H:%M"))
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return ""


@register.filter
def hm(value: Any) -> str:
    """HH:MM of a time, or of a datetime in the local time zone."""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return str(value.strftime("%H:%M"))
    return value.strftime("%H:%M") if isinstance(value, dt.time) else ""


@register.filter
def num(value: Any) -> str:
    """A decimal without trailing zeros and with a comma: 1,5 / 12 / -0,5."""
    if value in (None, ""):
        return ""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    text = format(d.normalize(), "f") if d != d.to_integral() else str(int(d))
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole or 0):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None
