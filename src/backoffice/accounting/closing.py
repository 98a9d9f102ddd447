"""Period close: the pre-close checklist and the closing entries (911, 421).

``period_close`` transfers the period's own movement on every income and
expense account (what was posted inside the period, not the balance since the
start of the books) to 911 (Xác định kết quả kinh doanh), then 911's result
to 421 (4212, current year, when the chart has it), and marks the period
closed. It can run again after a reopening: the earlier closing entries of the
period are reversed first, so there is only ever one live set.

Checklist items (each must be clean or acknowledged by someone holding
``accounting.close_period``; acknowledgements are kept in
``Period.close_acknowledgements`` with who/when/note, and audited):

- ``drafts``: entries of the period not posted yet;
- ``suspense``: a non-zero balance on a suspense account (tag ``suspense``,
  or code prefixes in ``company.settings["accounting"]["suspense_accounts"]``);
- ``negative_cash``: a cash or bank account with a credit balance at the end;
- ``bank_unconfirmed``: the bank accounts moved in the period and no bank
  reconciliation exists in the product yet: the accountant confirms the
  statements were checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.accounting.common import authorise, user_or_none
from backoffice.accounting.models import (
    Account,
    AccountType,
    Entry,
    EntrySource,
    EntryState,
    Line,
    Period,
    PeriodState,
)
from backoffice.accounting.reports import POSTED, _balance_before, book_accounts, figures
from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.money import format_vnd

ZERO = Decimal(0)

CHECK_ITEMS = {
    "drafts": gettext_lazy("Unposted entries in the period"),
    "suspense": gettext_lazy("Balance left on suspense accounts"),
    "negative_cash": gettext_lazy("Cash or bank account with a credit balance"),
    "bank_unconfirmed": gettext_lazy("Bank statements not confirmed for the period"),
}

RESULT_ACCOUNT = "911"
RETAINED_EARNINGS = ("4212", "421")


@dataclass
class CheckItem:
    key: str
    label: str
    clean: bool
    detail: str = ""
    objects: list[str] = field(default_factory=list)
    acknowledged: dict[str, Any] | None = None  # {by, at, note}

    @property
    def ok(self) -> bool:
        return self.clean or self.acknowledged is not None


def _settings(company: Any) -> dict[str, Any]:
    return (company.settings or {}).get("accounting", {}) or {}


def suspense_accounts(company: Any) -> list[Account]:
    prefixes = list(_settings(company).get("suspense_accounts", []))
    q = Q(tag="suspense")
    for p in prefixes:
        q |= Q(code__startswith=p)
    return list(Account.objects.filter(company=company).filter(q).order_by("code"))


def close_checklist(*, period: Period) -> list[CheckItem]:
    """The pre-close checks of a period, with their acknowledgements."""
    company = period.company
    acks = period.close_acknowledgements or {}
    items: list[CheckItem] = []

    drafts = list(
        Entry.objects.filter(company=company, date__gte=period.start, date__lte=period.end)
        .exclude(state=EntryState.POSTED)
        .order_by("date", "id")
        .values_list("description", "date")[:20]
    )
    n_drafts = (
        Entry.objects.filter(company=company, date__gte=period.start, date__lte=period.end)
        .exclude(state=EntryState.POSTED)
        .count()
    )
    items.append(
        CheckItem(
            "drafts",
            str(CHECK_ITEMS["drafts"]),
            clean=n_drafts == 0,
            detail=_("%(n)d entries not posted") % {"n": n_drafts} if n_drafts else "",
            objects=[f"{d:%d/%m/%Y} {desc}" for desc, d in drafts],
        )
    )

    after_end = period.end + timedelta(days=1)
    susp = suspense_accounts(company)
    left = []
    for acc in susp:
        bal = _balance_before(company, [acc.pk], after_end)
        if bal:
            left.append(f"{acc.code}: {format_vnd(bal, company.currency)}")
    items.append(
        CheckItem(
            "suspense",
            str(CHECK_ITEMS["suspense"]),
            clean=not left,
            detail=", ".join(left),
            objects=left,
        )
    )

    cash = book_accounts(company, "cash") + book_accounts(company, "bank")
    negative = []
    if cash:
        figs = figures(company, None, period.end, accounts=[a.pk for a in cash])
        for acc in cash:
            f = figs.get(acc.pk)
            if f is not None and f.closing < 0:
                negative.append(f"{acc.code}: {format_vnd(f.closing, company.currency)}")
    items.append(
        CheckItem(
            "negative_cash",
            str(CHECK_ITEMS["negative_cash"]),
            clean=not negative,
            detail=", ".join(negative),
            objects=negative,
        )
    )

    banks = [a.pk for a in book_accounts(company, "bank")]
    moved = (
        bool(banks)
        and Line.objects.filter(
            account_id__in=banks, posted__in=POSTED, date__gte=period.start, date__lte=period.end
        ).exists()
    )
    items.append(
        CheckItem(
            "bank_unconfirmed",
            str(CHECK_ITEMS["bank_unconfirmed"]),
            clean=not moved,
            detail=_("The bank accounts moved in the period: confirm the statements were checked.")
            if moved
            else "",
        )
    )
    for item in items:
        if item.key in acks:
            item.acknowledged = acks[item.key]
    return items


@transaction.atomic
def close_acknowledge(*, actor: Any, period: Period, item: str, note: str = "") -> Period:
    """Record that ``actor`` saw a checklist item and accepts closing with it."""
    authorise(actor, period.company, "accounting.close_period")
    if item not in CHECK_ITEMS:
        raise ValidationFailed(
            _("Unknown checklist item: %(item)s.") % {"item": item},
            code="unknown_check",
            extra={"items": list(CHECK_ITEMS)},
        )
    period = Period.objects.select_for_update().get(pk=period.pk)
    user = user_or_none(actor)
    ack = {
        "by": getattr(user, "email", None) or str(actor or "system"),
        "at": timezone.now().isoformat(),
        "note": note,
    }
    acks = dict(period.close_acknowledgements or {})
    before = acks.get(item)
    acks[item] = ack
    period.close_acknowledgements = acks
    period.save(update_fields=["close_acknowledgements", "updated_at"])
    audit_record(
        event_type="PERIOD_CHECK_ACKNOWLEDGED",
        actor=actor,
        company=period.company,
        target=period,
        before={item: before},
        after={item: ack},
    )
    return period


@dataclass
class CloseResult:
    period: Period
    entries: list[Entry]
    reversed: list[Entry]
    profit: Decimal


def _retained_earnings(company: Any) -> Account:
    chosen = _settings(company).get("retained_earnings_account")
    for code in ([chosen] if chosen else []) + list(RETAINED_EARNINGS):
        acc = Account.objects.filter(company=company, code=code, is_postable=True).first()
        if acc is not None:
            return acc
    raise ValidationFailed(
        _("The chart has no retained earnings account (421) to close the period into."),
        code="no_retained_earnings",
    )


def _result_account(company: Any) -> Account:
    acc = (
        Account.objects.filter(company=company, code__startswith=RESULT_ACCOUNT, is_postable=True)
        .order_by("code")
        .first()
    )
    if acc is None:
        raise ValidationFailed(
            _("The chart has no result account (911) to close the period into."),
            code="no_result_account",
        )
    return acc


def period_close(
    *, actor: Any, period: Period, acknowledge: Any = (), note: str = ""
) -> CloseResult:
    """Run the period close (see the module doc). ``acknowledge``: checklist item
    keys the actor acknowledges now (with ``note``)."""
    from backoffice.accounting import services

    company = period.company
    authorise(actor, company, "accounting.close_period")
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        if period.state != PeriodState.OPEN:
            raise Conflict(
                _("Period %(p)s is not open: reopen it before running the close again.")
                % {"p": str(period)},
                code="period_not_open",
            )
        for item in acknowledge or ():
            close_acknowledge(actor=actor, period=period, item=item, note=note)
        period.refresh_from_db()
        items = close_checklist(period=period)
        blocking = [i for i in items if not i.ok]
        if blocking:
            raise ValidationFailed(
                _("The period cannot be closed yet: %(items)s.")
                % {"items": "; ".join(f"{i.label} {i.detail}".strip() for i in blocking)},
                code="close_checklist",
                extra={"items": [i.key for i in blocking]},
            )

        # 1. reverse the live closing entries of an earlier run
        earlier = Entry.objects.filter(
            company=company,
            period=period,
            source=EntrySource.CLOSING,
            state=EntryState.POSTED,
            reversed_by__isnull=True,
        ).order_by("-id")
        reversed_entries = [
            services.entry_reverse(
                actor=actor,
                entry=e,
                date=period.end,
                description=_("Reversal of the period close %(p)s") % {"p": str(period)},
            )
            for e in earlier
        ]

        # 2. every income and expense account's movement inside the period -> 911.
        # Only the period's own activity: closing March before February must
        # not sweep February into March's close and then again into February's.
        # (The earlier run's closing entries and their reversals cancel out.)
        result = _result_account(company)
        retained = _retained_earnings(company)
        pl_accounts = {
            a.pk: a
            for a in Account.objects.filter(
                company=company, type__in=[AccountType.INCOME, AccountType.EXPENSE]
            ).exclude(code__startswith=RESULT_ACCOUNT)
        }
        figs = figures(company, period.start, period.end, accounts=list(pl_accounts))
        lines = []
        income = expense = ZERO
        for acc_id, f in sorted(figs.items(), key=lambda kv: pl_accounts[kv[0]].code):
            bal = f.debit - f.credit
            if not bal:
                continue
            acc = pl_accounts[acc_id]
            if bal < 0:  # credit balance (revenue): Dr account / Cr 911
                lines.append(services.LineInput(account=acc, debit=-bal))
                income += -bal
            else:  # debit balance (expense): Cr account / Dr 911
                lines.append(services.LineInput(account=acc, credit=bal))
                expense += bal
        label = str(period)
        entries: list[Entry] = []
        if lines:
            if expense:
                lines.append(services.LineInput(account=result, debit=expense))
            if income:
                lines.append(services.LineInput(account=result, credit=income))
            entries.append(
                services.entry_create(
                    actor=actor,
                    company=company,
                    date=period.end,
                    description=_("Period close %(p)s: revenue and expenses to 911") % {"p": label},
                    lines=lines,
                    source=EntrySource.CLOSING,
                    post=True,
                )
            )
        # 3. 911's result -> 421
        profit = income - expense
        if profit:
            side = {"credit": profit} if profit > 0 else {"debit": -profit}
            other = {"debit": profit} if profit > 0 else {"credit": -profit}
            entries.append(
                services.entry_create(
                    actor=actor,
                    company=company,
                    date=period.end,
                    description=_("Period close %(p)s: result to %(acc)s")
                    % {"p": label, "acc": retained.code},
                    lines=[
                        services.LineInput(account=result, **other),
                        services.LineInput(account=retained, **side),
                    ],
                    source=EntrySource.CLOSING,
                    post=True,
                )
            )
        period = services.period_set_state(actor=actor, period=period, state=PeriodState.CLOSED)
        audit_record(
            event_type="PERIOD_CLOSED",
            actor=actor,
            company=company,
            target=period,
            after={
                "entries": [e.number for e in entries],
                "reversed": [e.number for e in reversed_entries],
                "profit": str(profit),
                "acknowledged": sorted((period.close_acknowledgements or {}).keys()),
            },
        )
    return CloseResult(period=period, entries=entries, reversed=reversed_entries, profit=profit)


def closing_entries(*, period: Period) -> list[Entry]:
    """The live (not reversed) closing entries of a period."""
    return list(
        Entry.objects.filter(
            company=period.company,
            period=period,
            source=EntrySource.CLOSING,
            state=EntryState.POSTED,
            reversed_by__isnull=True,
        ).order_by("id")
    )


__all__ = [
    "CHECK_ITEMS",
    "CheckItem",
    "CloseResult",
    "close_acknowledge",
    "close_checklist",
    "closing_entries",
    "period_close",
    "suspense_accounts",
]
