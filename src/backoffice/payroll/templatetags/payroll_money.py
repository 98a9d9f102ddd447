"""Filters of the payroll desk tables: a report row's cells with their kind,
amounts as 1.234.567 ₫, days and counts as 21,5."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from backoffice.core.money import format_vnd

register = template.Library()


@register.filter
def cells(row: dict[str, Any], table: Any) -> list[tuple[Any, str]]:
    return [(row.get(key), kind) for key, _label, kind in table.columns]


@register.filter
def show(cell: tuple[Any, str]) -> str:
    value, kind = cell
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "amount":
        return format_vnd(Decimal(str(value)))
    if kind == "number" and isinstance(value, Decimal):
        text = f"{value.normalize():f}" if value != value.to_integral() else str(int(value))
        return text.replace(".", ",")
    return str(value)
