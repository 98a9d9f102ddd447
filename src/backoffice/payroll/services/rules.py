"""Writes of the statutory rule tables: a new value row or PIT scale when the
law changes (``payroll.manage_rules``), and the company's choice on an
uncertain rule (``payroll.manage_settings``). Rows are only ever added."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed, from_django_validation
from backoffice.core.selectors import require_perm
from backoffice.payroll import rules as r
from backoffice.payroll.enums import RuleStatus
from backoffice.payroll.models import PitBracketRow, RuleValue
from backoffice.payroll.selectors.rules import overridable_keys

MANAGE_RULES = "payroll.manage_rules"
MANAGE_SETTINGS = "payroll.manage_settings"
RATE_KEYS = {k for k in r.RULE_KEYS if k.endswith(("_rate", "_employee", "_employer", "_ratio"))}
RATE_KEYS |= {"night_premium", "ot_night_extra"}


def parse_decimal(value: Any, field: str) -> Decimal:
    try:
        result = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("%(f)s: not a number: %(v)s") % {"f": field, "v": value},
                               code="bad_number") from None  # fmt: skip
    if not result.is_finite():
        raise ValidationFailed(_("%(f)s: not a number: %(v)s") % {"f": field, "v": value},
                               code="bad_number")  # fmt: skip
    return result


def _check_value(key: str, value: Decimal) -> None:
    if value < 0:
        raise ValidationFailed(_("The value cannot be negative."), code="negative_value")
    if key in RATE_KEYS and value > 1:
        raise ValidationFailed(_("A rate is a fraction: write 0.08 for 8 %."), code="bad_rate")
    if key == "ot_fully_exempt" and value not in (0, 1):
        raise ValidationFailed(_("Write 1 (yes) or 0 (no)."), code="bad_flag")


def _actor_company(actor: Any) -> Any:
    return getattr(actor, "active_company", None)


@transaction.atomic
def rule_value_add(*, actor: Any, key: str, value: Any, effective_from: dt.date, basis: str,
                   status: str = RuleStatus.CONFIRMED) -> RuleValue:  # fmt: skip
    """A new row of a parameter (the law changed); it wins over a shipped row
    of the same key and date and applies to every period from its date."""
    require_perm(actor, MANAGE_RULES)
    if key not in r.RULE_KEYS:
        raise ValidationFailed(_("Unknown parameter: %(k)s") % {"k": key}, code="unknown_rule")
    amount = parse_decimal(value, _("value"))
    _check_value(key, amount)
    if RuleValue.objects.filter(key=key, effective_from=effective_from).exists():
        raise Conflict(_("A row of this parameter from this date was already added."),
                       code="rule_exists")  # fmt: skip
    row = RuleValue(key=key, value=amount, effective_from=effective_from,
                    basis=(basis or "").strip(), status=status,
                    created_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    try:
        row.full_clean()
    except ValidationError as exc:
        raise from_django_validation(exc) from None
    row.save()
    audit_record(event_type="PAYROLL_RULE_ADDED", actor=actor, company=_actor_company(actor),
                 target=row, after={"key": key, "value": str(amount),
                                    "effective_from": effective_from.isoformat(),
                                    "basis": row.basis, "status": status})  # fmt: skip
    return row


@transaction.atomic
def pit_scale_add(*, actor: Any, effective_from: dt.date,
                  brackets: Sequence[tuple[Any, Any]], basis: str,
                  status: str = RuleStatus.CONFIRMED) -> list[PitBracketRow]:  # fmt: skip
    """A new progressive PIT scale from ``effective_from``: brackets as
    (monthly upper limit or None for the last, rate as a fraction)."""
    require_perm(actor, MANAGE_RULES)
    if not brackets:
        raise ValidationFailed(_("Give at least one bracket."), code="no_brackets")
    parsed: list[tuple[Decimal | None, Decimal]] = []
    last_upper = Decimal(0)
    for i, (upper_raw, rate_raw) in enumerate(brackets, start=1):
        final = i == len(brackets)
        upper = None if upper_raw in (None, "") else parse_decimal(upper_raw, _("up to"))
        rate = parse_decimal(rate_raw, _("rate"))
        if final != (upper is None):
            raise ValidationFailed(_("Only the last bracket has no upper limit."),
                                   code="bad_brackets")  # fmt: skip
        if upper is not None and upper <= last_upper:
            raise ValidationFailed(_("Upper limits must increase."), code="bad_brackets")
        if not 0 <= rate <= 1:
            raise ValidationFailed(_("A rate is a fraction: write 0.08 for 8 %."), code="bad_rate")
        parsed.append((upper, rate))
        last_upper = upper if upper is not None else last_upper
    if PitBracketRow.objects.filter(effective_from=effective_from).exists():
        raise Conflict(_("A PIT scale from this date was already added."), code="scale_exists")
    who = actor if getattr(actor, "pk", None) else None
    rows = [PitBracketRow.objects.create(effective_from=effective_from, seq=i, upper=upper,
                                         rate=rate, basis=(basis or "").strip(), status=status,
                                         created_by=who)
            for i, (upper, rate) in enumerate(parsed, start=1)]  # fmt: skip
    audit_record(event_type="PAYROLL_PIT_SCALE_ADDED", actor=actor,
                 company=_actor_company(actor), object_type="payroll.pitbracketrow",
                 object_id=effective_from.isoformat(),
                 after={"effective_from": effective_from.isoformat(), "basis": basis,
                        "status": status,
                        "brackets": [[None if u is None else str(u), str(t)]
                                     for u, t in parsed]})  # fmt: skip
    return rows


@transaction.atomic
def rule_override_set(*, actor: Any, company: Any, key: str, value: Any) -> None:
    """The company's choice on an uncertain rule; an empty value goes back to
    the documented default."""
    require_perm(actor, MANAGE_SETTINGS)
    if key not in overridable_keys():
        raise ValidationFailed(_("This rule cannot be changed per company."),
                               code="not_overridable")  # fmt: skip
    text = "" if value is None else str(value).strip()
    if text and key == r.TAX_2026_SETTING:
        if text not in r.TAX_2026_CHOICES:
            raise ValidationFailed(_("Choose 2026-01-01 or 2026-07-01."), code="bad_choice")
    elif text:
        amount = parse_decimal(text, _("value"))
        _check_value(key, amount)
        text = str(amount)
    company.refresh_from_db(fields=["settings"])
    settings = dict(company.settings or {})
    section = dict(settings.get(r.SETTINGS_KEY) or {})
    before = section.get(key)
    if text:
        section[key] = text
    else:
        section.pop(key, None)
    settings[r.SETTINGS_KEY] = section
    company.settings = settings
    company.save(update_fields=["settings"])
    audit_record(event_type="PAYROLL_RULE_OVERRIDE_SET", actor=actor, company=company,
                 target=company, before={key: before}, after={key: text or None})  # fmt: skip
