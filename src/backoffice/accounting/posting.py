"""Journal entries: draft, post, reverse, delete (the accounting services).

Posting, in one transaction: validate (accounts of the company, postable and
active; at least two lines; balanced in the company currency after rounding
and in the transaction currency), check the period's state against the
actor's permissions, mark the lines posted, add the entry's totals to
AccountBalance (one upsert per account, in account-id order), take the next
gap-free number from VoucherSequence (an UPDATE ... RETURNING, i.e. a row lock
held to commit, taken last), mark the entry posted (the database re-checks
the balance) and write one audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date as Date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.accounting.charts import period_for
from backoffice.accounting.common import ZERO, authorise, insert, is_system, user_or_none
from backoffice.accounting.ledger import (
    POSTED_COLUMNS,
    VOUCHER_TYPES_BY_KIND,
    LineInput,
    add_to_balances,
    balance_totals,
    build_lines,
    check_balanced,
    check_period,
    check_postable,
    choose_voucher_type,
    count_line,
    number_and_post,
    resolve_journal,
)
from backoffice.accounting.models import (
    Entry,
    EntrySource,
    EntryState,
    Journal,
    Line,
    Period,
)
from backoffice.accounting.rates import currency_code, parse_rate, rate_for
from backoffice.core.audit import audit_append, audit_prepare, audit_record, audit_reserve
from backoffice.core.exceptions import Conflict, ValidationFailed


def _snapshot(entry: Entry, lines: Sequence[Line]) -> dict[str, Any]:
    return {
        "number": entry.number,
        "state": entry.state,
        "date": entry.date,
        "journal": entry.journal.code,
        "voucher_type": entry.voucher_type,
        "description": entry.description,
        "currency": entry.currency,
        "rate": entry.rate,
        "total": entry.total,
        "lines": [
            [ln.account.code, str(ln.debit), str(ln.credit), str(ln.amount_currency)]
            for ln in lines
        ],
    }


_ENTRY_FIELDS = {f.attname: f for f in Entry._meta.concrete_fields}


def _finish_post(
    *,
    actor: Any,
    entry: Entry,
    lines: Sequence[Line],
    period: Period,
    event: str,
    before: Any = None,
) -> Entry:
    # Everything but the voucher number is done before the journal's series is
    # locked: its row stays locked until COMMIT and every poster of the journal
    # queues on it (QUALITY S8). So: the audit chain first, then the balances, the
    # entry's values and its event; the number last.
    slot = audit_reserve()
    totals = balance_totals()
    for ln in lines:
        count_line(totals, ln.account_id, period.pk, ln.debit, ln.credit)
    add_to_balances(entry.company_id, totals)
    entry.state = EntryState.POSTED
    entry.period = period
    entry.total = sum((ln.debit for ln in lines), ZERO)
    entry.posted_by = user_or_none(actor)
    entry.posted_at = timezone.now()
    entry.updated_at = entry.posted_at
    # What Entry.objects.filter(pk=...).update(...) sends, without building the query.
    values = {
        "state": entry.state, "period_id": period.pk,
        "total": entry.total, "posted_by_id": getattr(entry.posted_by, "pk", None),
        "posted_at": entry.posted_at, "updated_at": entry.updated_at,
    }  # fmt: skip
    fields = _ENTRY_FIELDS
    prepared = [fields[c].get_db_prep_save(values[c], connection) for c in POSTED_COLUMNS]
    ev = audit_prepare(
        event_type=event,
        actor=actor,
        company=entry.company,
        target=entry,
        object_repr="",  # the number, below
        before=before,
        after=_snapshot(entry, lines),
    )
    number = number_and_post(
        company_id=entry.company_id, journal_id=entry.journal_id, journal_code=entry.journal.code,
        voucher_type=entry.voucher_type, year=period.fiscal_year.start.year, values=prepared,
        entry_id=entry.pk,
    )  # fmt: skip
    entry.number = ev.object_repr = ev.after["number"] = number
    audit_append(ev, slot)
    return entry


def _entry_rate(company: Any, currency: str, rate: Any, day: Date) -> Decimal:
    """The rate given (checked), else the rate of the day; 1 for the company currency."""
    if currency == company.currency:
        return Decimal(1)
    if rate is not None:
        return parse_rate(rate)
    return rate_for(company, currency, day)


def _reconverted(
    lines: Sequence[LineInput], *, home: str, old_currency: str, new_currency: str
) -> list[LineInput]:
    """The lines of a draft whose currency or rate changed, ready to be converted
    again: amounts in a foreign currency are kept and their đồng re-derived at
    the new rate; from or to the company currency, the đồng amounts are kept."""
    out = []
    for ln in lines:
        if new_currency == home or old_currency == home:
            ln = replace(ln, amount_currency=None)
        elif ln.amount_currency is not None:
            ln = replace(ln, debit=ZERO, credit=ZERO)
        out.append(ln)
    return out


# --- services --------------------------------------------------------------------------
@transaction.atomic
def entry_create(
    *,
    actor: Any,
    company: Any,
    date: Date,
    description: str,
    lines: Sequence[LineInput],
    journal: Journal | str | None = None,
    voucher_type: str | None = None,
    currency: str | None = None,
    rate: Any = None,
    reference: str = "",
    partner: str = "",
    source: str = EntrySource.MANUAL,
    idempotency_key: str | None = None,
    post: bool = False,
    reversal_of: Entry | None = None,
    on_behalf_of: Any = None,
) -> Entry:
    """A draft entry, or a posted one with ``post=True``. With an
    ``idempotency_key`` already used in the company, the existing entry is
    returned and nothing is created. ``on_behalf_of``: see ``check_period``."""
    authorise(actor, company, "accounting.add_entry")
    if idempotency_key:
        existing = (
            Entry.objects.filter(company=company, idempotency_key=idempotency_key)
            .order_by()
            .first()
        )
        if existing is not None:
            return existing
    if not (description or "").strip():
        raise ValidationFailed(_("An entry needs a description."), code="invalid_entry")
    journal_obj = resolve_journal(company, journal, active_only=reversal_of is None)
    currency = currency_code(currency or company.currency)
    rate_value = _entry_rate(company, currency, rate, date)
    built = build_lines(
        company=company, lines=lines, currency=currency, rate=rate_value, day=date,
        postable_only=reversal_of is None,
    )  # fmt: skip
    vtype = choose_voucher_type(journal_obj, voucher_type, built)
    period = None
    if post:
        check_balanced(built, currency, company)
        period = period_for(company, date)
        check_period(actor, company, period, on_behalf_of)
    entry = Entry(
        company=company, journal=journal_obj, date=date, voucher_type=vtype,
        description=description.strip()[:500], reference=reference, partner=partner,
        source=source, currency=currency, rate=rate_value, idempotency_key=idempotency_key,
        created_by=user_or_none(actor), reversal_of=reversal_of,
        total=sum((ln.debit for ln in built), ZERO),
    )  # fmt: skip
    try:
        if idempotency_key or reversal_of is not None:
            # A concurrent twin may win the unique key: keep the transaction usable.
            with transaction.atomic():
                insert([entry])  # = entry.save(force_insert=True)
        else:
            insert([entry])
    except IntegrityError:
        if idempotency_key:
            existing = Entry.objects.filter(
                company=company, idempotency_key=idempotency_key
            ).first()
            if existing is not None:
                return existing
        if reversal_of is not None:
            raise Conflict(
                _("This entry has already been reversed."), code="already_reversed"
            ) from None
        raise
    for ln in built:
        ln.entry = entry
        if post:
            ln.posted = True
            ln.period = period
    insert(built, returning=False)  # = Line.objects.bulk_create(built), pks not read back
    if post:
        assert period is not None
        event = "ENTRY_REVERSED" if reversal_of is not None else "ENTRY_POSTED"
        before = {"reverses": reversal_of.number} if reversal_of is not None else None
        return _finish_post(
            actor=actor, entry=entry, lines=built, period=period, event=event, before=before
        )
    audit_record(
        event_type="ENTRY_CREATED",
        actor=actor,
        company=company,
        target=entry,
        after=_snapshot(entry, built),
    )
    return entry


def _locked_entry(entry: Entry) -> Entry:
    """Re-read the entry under a row lock (PostgreSQL; SQLite's writer lock already
    serialises), so two posters cannot both post or reverse it."""
    return (
        Entry.objects.select_for_update(of=("self",))
        .select_related("journal", "company")
        .get(pk=entry.pk)
    )


@transaction.atomic
def entry_post(*, actor: Any, entry: Entry, on_behalf_of: Any = None) -> Entry:
    """Post a draft (or approved pending) entry: validate, period check, balances,
    gap-free number, audit. ``on_behalf_of``: see ``check_period``."""
    entry = _locked_entry(entry)
    company = entry.company
    if entry.state == EntryState.POSTED:
        raise Conflict(
            _("Entry %(n)s is already posted.") % {"n": entry.number}, code="already_posted"
        )
    if entry.state == EntryState.PENDING and not is_system(actor):
        raise Conflict(
            _("The entry is awaiting approval: it is posted when the approval completes."),
            code="entry_pending",
        )
    lines = list(entry.lines.select_related("account").order_by("position", "pk"))
    if len(lines) < 2:
        raise ValidationFailed(_("An entry needs at least two lines."), code="too_few_lines")
    check_postable(ln.account for ln in lines)
    for ln in lines:
        if ln.account.company_id != company.pk:
            raise ValidationFailed(
                _("Account %(a)s belongs to another company.") % {"a": ln.account.code},
                code="cross_company_reference",
            )
    check_balanced(lines, entry.currency, company)
    period = period_for(company, entry.date)
    check_period(actor, company, period, on_behalf_of)
    Line.objects.filter(entry=entry).update(posted=True, period=period, date=entry.date)
    for ln in lines:
        ln.posted, ln.period, ln.date = True, period, entry.date
    return _finish_post(
        actor=actor, entry=entry, lines=lines, period=period, event="ENTRY_POSTED",
        before={"state": entry.state},
    )  # fmt: skip


@transaction.atomic
def entry_reverse(
    *, actor: Any, entry: Entry, date: Date | None = None, description: str | None = None
) -> Entry:
    """A new posted entry with debit and credit swapped, linked to the original
    (``reversal_of``). Dated like the original unless ``date`` is given."""
    original = _locked_entry(entry)
    company = original.company
    authorise(actor, company, "accounting.reverse_entry")
    if original.state != EntryState.POSTED:
        raise ValidationFailed(
            _("Only a posted entry can be reversed; delete or edit a draft instead."),
            code="not_posted",
        )
    if original.reversal_of_id is not None:
        raise ValidationFailed(
            _("Entry %(n)s is itself a reversal and cannot be reversed.") % {"n": original.number},
            code="reversal_of_reversal",
        )
    if Entry.objects.filter(reversal_of=original).exists():
        raise Conflict(
            _("Entry %(n)s has already been reversed.") % {"n": original.number},
            code="already_reversed",
        )
    lines = list(original.lines.select_related("account", "department").order_by("position", "pk"))
    mirrored = [
        LineInput(
            account=ln.account, debit=ln.credit, credit=ln.debit, description=ln.description,
            amount_currency=-ln.amount_currency, department=ln.department,
        )
        for ln in lines
    ]  # fmt: skip
    return entry_create(
        actor=actor,
        company=company,
        date=date or original.date,
        description=description or (_("Reversal of %(n)s") % {"n": original.number}),
        lines=mirrored,
        journal=original.journal,
        # Cash and bank journals: money flows the other way (PT -> PC, BC -> BN).
        voucher_type=None
        if original.journal.kind in VOUCHER_TYPES_BY_KIND
        else original.voucher_type,
        currency=original.currency,
        rate=original.rate,
        reference=original.number,
        partner=original.partner,
        source=EntrySource.REVERSAL,
        post=True,
        reversal_of=original,
    )


def _not_posted(entry: Entry, doing: str) -> None:
    if entry.state == EntryState.POSTED:
        raise ValidationFailed(
            _("Entry %(n)s is posted and cannot be %(doing)s; reverse it instead.")
            % {"n": entry.number, "doing": doing},
            code="entry_posted",
        )
    if entry.state == EntryState.PENDING:
        raise Conflict(
            _("The entry is awaiting approval: withdraw the request to change it."),
            code="entry_pending",
        )


_EDITABLE = ("date", "description", "journal", "voucher_type", "currency", "rate",
             "reference", "partner")  # fmt: skip


@transaction.atomic
def entry_update(
    *, actor: Any, entry: Entry, lines: Sequence[LineInput] | None = None, **changes: Any
) -> Entry:
    """Change a draft: any of date, description, journal, voucher_type, currency,
    rate, reference, partner, and/or replace its lines."""
    entry = _locked_entry(entry)
    company = entry.company
    authorise(actor, company, "accounting.add_entry")
    _not_posted(entry, _("changed"))
    unknown = set(changes) - set(_EDITABLE)
    if unknown:
        raise ValidationFailed(
            _("Field %(f)s cannot be changed.") % {"f": ", ".join(sorted(unknown))},
            code="invalid_field",
        )
    old_lines = list(entry.lines.select_related("account").order_by("position", "pk"))
    before = _snapshot(entry, old_lines)
    if "journal" in changes:
        entry.journal = resolve_journal(company, changes["journal"])
    for key in ("date", "description", "reference", "partner"):
        if key in changes:
            setattr(entry, key, changes[key])
    if not (entry.description or "").strip():
        raise ValidationFailed(_("An entry needs a description."), code="invalid_entry")
    old_currency, old_rate = entry.currency, entry.rate
    if "currency" in changes:
        entry.currency = currency_code(changes["currency"] or company.currency)
    if changes.get("rate") is not None or "currency" in changes or "date" in changes:
        entry.rate = _entry_rate(company, entry.currency, changes.get("rate"), entry.date)
    if lines is None:
        lines = [
            LineInput(account=ln.account, debit=ln.debit, credit=ln.credit,
                      description=ln.description, amount_currency=ln.amount_currency,
                      department=ln.department)
            for ln in old_lines
        ]  # fmt: skip
    if (entry.currency, entry.rate) != (old_currency, old_rate):
        lines = _reconverted(
            lines, home=company.currency, old_currency=old_currency, new_currency=entry.currency
        )
    built = build_lines(
        company=company, lines=lines, currency=entry.currency, rate=entry.rate, day=entry.date
    )
    entry.voucher_type = choose_voucher_type(entry.journal, changes.get("voucher_type"), built)
    entry.total = sum((ln.debit for ln in built), ZERO)
    entry.save()
    Line.objects.filter(entry=entry).delete()
    for ln in built:
        ln.entry = entry
    Line.objects.bulk_create(built)
    audit_record(
        event_type="ENTRY_UPDATED",
        actor=actor,
        company=company,
        target=entry,
        before=before,
        after=_snapshot(entry, built),
    )
    return entry


@transaction.atomic
def entry_delete(*, actor: Any, entry: Entry) -> None:
    """Delete a draft (posted entries are corrected by reversal)."""
    entry = _locked_entry(entry)
    authorise(actor, entry.company, "accounting.delete_entry")
    _not_posted(entry, _("deleted"))
    lines = list(entry.lines.select_related("account"))
    before = _snapshot(entry, lines)
    audit_record(
        event_type="ENTRY_DELETED",
        actor=actor,
        company=entry.company,
        target=entry,
        before=before,
    )
    entry.delete()


__all__ = [
    "LineInput",
    "entry_create",
    "entry_delete",
    "entry_post",
    "entry_reverse",
    "entry_update",
]
