"""The rules every posting follows, shared by single postings and imports: lines
as callers give them, their validation (accounts, amounts, rounding, balance),
period rights, voucher types and numbers, and the two serial steps of a posting
(AccountBalance upserts, VoucherSequence numbers)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.accounting.charts import default_journal
from backoffice.accounting.common import ZERO, authorise, fetch, may, quantize
from backoffice.accounting.models import (
    AMOUNT_DIGITS,
    AMOUNT_LIMIT,
    Account,
    Journal,
    JournalKind,
    Line,
    Period,
    PeriodState,
    VoucherSequence,
    VoucherType,
)
from backoffice.core.exceptions import PermissionDenied, ValidationFailed
from backoffice.core.money import minor_unit, to_decimal
from backoffice.core.rawsql import execute


@dataclass
class LineInput:
    """One line as a caller gives it. ``debit``/``credit`` are in the company
    currency; ``amount_currency`` (signed, debit +) in the entry's currency. For a
    foreign-currency entry either may be left out: the other is derived at the
    entry's rate (company amounts rounded half-up, VND to whole đồng)."""

    account: str | Account
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    description: str = ""
    amount_currency: Decimal | None = None
    department: Any = None


# Which voucher types a journal of each kind takes.
VOUCHER_TYPES_BY_KIND: dict[str, set[str]] = {
    JournalKind.CASH: {VoucherType.RECEIPT, VoucherType.PAYMENT, VoucherType.JOURNAL},
    JournalKind.BANK: {VoucherType.BANK_CREDIT, VoucherType.BANK_DEBIT, VoucherType.JOURNAL},
}
# The journal whose numbers carry no journal prefix for a voucher type.
HOME_JOURNAL = {
    VoucherType.JOURNAL: "GEN",
    VoucherType.RECEIPT: "CASH",
    VoucherType.PAYMENT: "CASH",
    VoucherType.BANK_CREDIT: "BANK",
    VoucherType.BANK_DEBIT: "BANK",
}


def voucher_number(journal_code: str, voucher_type: str, year: int, n: int) -> str:
    """``PC2026/00001``; in a journal other than the type's usual one the journal
    code leads: ``SALE.PKT2026/00001``."""
    return f"{voucher_prefix(journal_code, voucher_type, year)}{n:05d}"


def voucher_prefix(journal_code: str, voucher_type: str, year: int) -> str:
    """``PC2026/``: what comes before the number, at least five digits."""
    prefix = (
        voucher_type
        if HOME_JOURNAL.get(voucher_type) == journal_code
        else (f"{journal_code}.{voucher_type}")
    )
    return f"{prefix}{year}/"


# --- validation ------------------------------------------------------------------------
# Field names for parse_amount's error, translated only when one is raised (posting
# checks every line: translating them eagerly was 2 % of posting an entry).
_DEBIT, _CREDIT, _AMOUNT = gettext_lazy("Debit"), gettext_lazy("Credit"), gettext_lazy("Amount")


def parse_amount(value: Any, what: Any) -> Decimal:
    try:
        amount = to_decimal(value if value is not None else 0)
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise ValidationFailed(
            _("%(what)s is not a valid amount: %(v)s.") % {"what": what, "v": value},
            code="invalid_amount",
        ) from exc
    check_amount_size(amount, what)
    return amount


def check_amount_size(amount: Decimal, what: Any) -> None:
    if abs(amount) >= AMOUNT_LIMIT:
        raise ValidationFailed(amount_too_large(what), code="invalid_amount")


def amount_too_large(what: Any) -> str:
    return _("%(what)s is too large: at most %(n)s digits before the decimal point.") % {
        "what": what,
        "n": AMOUNT_DIGITS,
    }


def resolve_journal(
    company: Any, journal: Journal | str | None, *, active_only: bool = True
) -> Journal:
    """The entry's journal; an inactive one only for a reversal (``active_only=False``),
    which goes to its original's journal."""
    if journal is None or journal == "":
        return default_journal(company)
    if isinstance(journal, Journal):
        if journal.company_id != company.pk:
            raise ValidationFailed(
                _("The journal belongs to another company."), code="cross_company_reference"
            )
        found: Journal | None = journal
    else:
        found = _journal_by_code(company, journal)
    if found is None:
        raise ValidationFailed(
            _("Unknown journal: %(j)s.") % {"j": journal}, code="unknown_journal"
        )
    if active_only and not found.is_active:
        raise ValidationFailed(
            _("Journal %(j)s is inactive.") % {"j": found.code}, code="inactive_journal"
        )
    return found


def _journal_by_code(company: Any, code: str) -> Journal | None:
    # = .filter(company=company, code=journal).order_by().first(), without the ORM's
    # query building (it costs more than the query on this hot path).
    rows = fetch(
        Journal, "WHERE company_id = %s AND code = %s ORDER BY id LIMIT 1", [company.pk, code]
    )
    return rows[0] if rows else None


def resolve_accounts(company: Any, lines: Sequence[LineInput]) -> list[Account]:
    codes = sorted({ln.account.strip() for ln in lines if isinstance(ln.account, str)})
    by_code: dict[str, Account] = {}
    if codes:
        # One query for all the entry's accounts (hot path, see resolve_journal).
        marks = ", ".join(["%s"] * len(codes))
        found = fetch(Account, f"WHERE company_id = %s AND code IN ({marks})", [company.pk, *codes])
        by_code = {a.code: a for a in found}
    out = []
    for ln in lines:
        if isinstance(ln.account, Account):
            if ln.account.company_id != company.pk:
                raise ValidationFailed(
                    _("Account %(a)s belongs to another company.") % {"a": ln.account.code},
                    code="cross_company_reference",
                )
            out.append(ln.account)
            continue
        acc = by_code.get(str(ln.account).strip())
        if acc is None:
            raise ValidationFailed(
                _("Unknown account: %(a)s.") % {"a": ln.account}, code="unknown_account"
            )
        out.append(acc)
    return out


def check_postable(accounts: Iterable[Account]) -> None:
    for acc in accounts:
        if not acc.is_postable:
            raise ValidationFailed(
                _("Account %(a)s has sub-accounts: post to one of them.") % {"a": acc.code},
                code="account_not_postable",
            )
        if not acc.is_active:
            raise ValidationFailed(
                _("Account %(a)s is inactive.") % {"a": acc.code}, code="account_inactive"
            )


def build_lines(
    *,
    company: Any,
    lines: Sequence[LineInput],
    currency: str,
    rate: Decimal,
    day: Date,
    postable_only: bool = True,
) -> list[Line]:
    """Unsaved Line rows with company amounts rounded and currency amounts derived."""
    if len(lines) < 2:
        raise ValidationFailed(_("An entry needs at least two lines."), code="too_few_lines")
    accounts = resolve_accounts(company, lines)
    if postable_only:
        check_postable(accounts)
    home = company.currency
    foreign = currency != home
    built: list[Line] = []
    derived: list[int] = []
    for i, (ln, acc) in enumerate(zip(lines, accounts, strict=True)):
        debit = quantize(parse_amount(ln.debit, _DEBIT), home)
        credit = quantize(parse_amount(ln.credit, _CREDIT), home)
        ac = None if ln.amount_currency is None else parse_amount(ln.amount_currency, _AMOUNT)
        if debit < 0 or credit < 0:
            raise ValidationFailed(
                _("Line %(n)s: amounts cannot be negative.") % {"n": i + 1}, code="negative_amount"
            )
        if foreign and ac is not None and not debit and not credit:
            ac = quantize(ac, currency)
            value = quantize(abs(ac) * rate, home)
            check_amount_size(value, _DEBIT if ac > 0 else _CREDIT)
            debit, credit = (value, ZERO) if ac > 0 else (ZERO, value)
            derived.append(i)
        if (debit > 0) == (credit > 0):
            raise ValidationFailed(
                _("Line %(n)s (account %(a)s) needs either a debit or a credit amount.")
                % {"n": i + 1, "a": acc.code},
                code="invalid_line",
            )
        if not foreign:
            ac = debit - credit
        elif ac is None:
            ac = quantize((debit - credit) / rate, currency)
            check_amount_size(ac, _AMOUNT)
        if ln.department is not None and ln.department.company_id != company.pk:
            raise ValidationFailed(
                _("The department belongs to another company."), code="cross_company_reference"
            )
        built.append(
            Line(
                company_id=company.pk,
                account=acc,
                date=day,
                position=i + 1,
                description=(ln.description or "")[:500],
                debit=debit,
                credit=credit,
                currency=currency,
                amount_currency=ac,
                department=ln.department,
            )
        )
    # Lines derived from currency amounts that balance in the currency may be a
    # đồng or two apart after rounding: the difference goes to the largest one.
    if derived and sum((ln.amount_currency for ln in built), ZERO) == 0:
        diff = sum((ln.debit - ln.credit for ln in built), ZERO)
        step = Decimal(1).scaleb(-minor_unit(home))
        if diff and abs(diff) <= step * len(built):
            big = max(derived, key=lambda j: built[j].debit + built[j].credit)
            ln = built[big]
            if ln.debit:
                ln.debit -= diff
            else:
                ln.credit += diff
    return built


def check_balanced(lines: Sequence[Line], currency: str, company: Any) -> Decimal:
    debit = sum((ln.debit for ln in lines), ZERO)
    credit = sum((ln.credit for ln in lines), ZERO)
    if debit != credit:
        raise ValidationFailed(
            _("The entry does not balance: debit %(d)s, credit %(c)s.") % {"d": debit, "c": credit},
            code="unbalanced",
            extra={"debit": str(debit), "credit": str(credit)},
        )
    if currency != company.currency:
        total = sum((ln.amount_currency for ln in lines), ZERO)
        if total != 0:
            raise ValidationFailed(
                _("The entry does not balance in %(c)s: difference %(d)s.")
                % {"c": currency, "d": total},
                code="unbalanced_currency",
            )
    return debit


def check_period(actor: Any, company: Any, period: Period, on_behalf_of: Any = None) -> None:
    """open: ``post_entry``; closed: ``post_closed_period`` only; locked: nobody.

    ``on_behalf_of``: the person behind a system actor (the approver whose
    decision posts an entry, the payroll officer posting a run). The approval
    is the authority in an open period; a closed one still needs a person who
    may post into it."""
    if period.state == PeriodState.LOCKED:
        raise ValidationFailed(
            _("Period %(p)s is locked: nobody can post into it.") % {"p": str(period)},
            code="period_locked",
        )
    if period.state == PeriodState.CLOSED:
        person = actor if on_behalf_of is None else on_behalf_of
        if not may(person, "accounting.post_closed_period"):
            raise PermissionDenied(
                _("Period %(p)s is closed: only the chief accountant can post into it.")
                % {"p": str(period)},
                code="period_closed",
            )
        authorise(person, company, "accounting.post_closed_period")
        return
    authorise(actor, company, "accounting.post_entry")


def choose_voucher_type(journal: Journal, voucher_type: str | None, lines: Sequence[Line]) -> str:
    allowed = VOUCHER_TYPES_BY_KIND.get(journal.kind, {VoucherType.JOURNAL})
    if voucher_type:
        if voucher_type not in allowed:
            raise ValidationFailed(
                _("Journal %(j)s does not take voucher type %(t)s.")
                % {"j": journal.code, "t": voucher_type},
                code="invalid_voucher_type",
            )
        return voucher_type
    tag = {JournalKind.CASH: "cash", JournalKind.BANK: "bank"}.get(journal.kind)
    if tag is not None:
        # Money in (the cash/bank account is debited): receipt / credit note.
        net = sum((ln.debit - ln.credit for ln in lines if ln.account.tag == tag), ZERO)
        if journal.kind == JournalKind.CASH:
            return VoucherType.RECEIPT if net >= 0 else VoucherType.PAYMENT
        return VoucherType.BANK_CREDIT if net >= 0 else VoucherType.BANK_DEBIT
    return (
        journal.default_voucher_type
        if journal.default_voucher_type in allowed
        else (VoucherType.JOURNAL)
    )


# --- the posting core ----------------------------------------------------------------
_BALANCE_UPSERT = (
    "INSERT INTO accounting_accountbalance"
    " (company_id, account_id, period_id, debit, credit, line_count) "
    "VALUES {values} ON CONFLICT (account_id, period_id) DO UPDATE SET "
    "debit = accounting_accountbalance.debit + excluded.debit, "
    "credit = accounting_accountbalance.credit + excluded.credit, "
    "line_count = accounting_accountbalance.line_count + excluded.line_count"
)
# Rows per upsert statement (6 parameters each: well under SQLite's 32,766 limit).
_UPSERT_CHUNK = 500


def balance_totals() -> defaultdict[tuple[int, int], list[Any]]:
    """What :func:`add_to_balances` takes: (account_id, period_id) -> [debit,
    credit, lines]; :func:`count_line` adds one line to it."""
    return defaultdict(lambda: [ZERO, ZERO, 0])


def count_line(
    totals: defaultdict[tuple[int, int], list[Any]], account_id: int, period_id: int, debit, credit
) -> None:
    t = totals[(account_id, period_id)]
    t[0] += debit
    t[1] += credit
    t[2] += 1


def add_to_balances(company_id: int, totals: dict[tuple[int, int], list[Any]]) -> None:
    """Add {(account_id, period_id): [debit, credit, lines]} to AccountBalance, one
    upsert per key, in (account, period) order so concurrent posters never deadlock."""
    params: list[Any] = []
    for (acc, per), (debit, credit, n) in sorted(totals.items()):
        params += (company_id, acc, per, str(debit), str(credit), n)
    if not params:
        return
    # One multi-row upsert; rows in (account, period) order: the order locks are taken.
    for start in range(0, len(params), _UPSERT_CHUNK * 6):
        chunk = params[start : start + _UPSERT_CHUNK * 6]
        values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * (len(chunk) // 6))
        execute(_BALANCE_UPSERT.format(values=values), chunk)


# After this many lines written at once (an import, a bulk load), PostgreSQL's
# planner statistics are refreshed: autovacuum's ANALYZE comes up to a minute
# later, and until then a ledger it never saw is planned as if empty
# (sequential scans: a sổ Cái page ~10x slower, S3).
ANALYZE_AFTER_LINES = 10_000


def refresh_statistics(lines: int) -> None:
    """ANALYZE the ledger tables after the current transaction commits, when
    ``lines`` were just written on PostgreSQL (SQLite plans well without)."""
    if connection.vendor != "postgresql" or lines < ANALYZE_AFTER_LINES:
        return

    def analyze() -> None:
        with connection.cursor() as cur:
            cur.execute("ANALYZE accounting_line, accounting_entry, accounting_accountbalance")

    transaction.on_commit(analyze)


_SEQ_UPDATE = (
    "UPDATE accounting_vouchersequence SET last_number = last_number + %s, updated_at = %s "
    "WHERE journal_id = %s AND voucher_type = %s AND year = %s RETURNING last_number"
)


def allocate_numbers(
    company_id: int, journal_id: int, voucher_type: str, year: int, count: int
) -> int:
    """Reserve ``count`` numbers; returns the last one (the first is last - count + 1).
    The UPDATE locks the sequence row until commit: callers do it late."""
    params = [count, timezone.now(), journal_id, voucher_type, year]
    rows = execute(_SEQ_UPDATE, params)
    if not rows:
        try:
            with transaction.atomic():
                VoucherSequence.objects.create(
                    company_id=company_id,
                    journal_id=journal_id,
                    voucher_type=voucher_type,
                    year=year,
                )
        except IntegrityError:
            pass  # created by a concurrent poster meanwhile
        rows = execute(_SEQ_UPDATE, params)
    return int(rows[0][0])


# What posting writes on an entry besides its number, in this order.
POSTED_COLUMNS = ("state", "period_id", "total", "posted_by_id", "posted_at", "updated_at")
_SET_POSTED = ", ".join(f'"{c}" = %s' for c in POSTED_COLUMNS)
_ENTRY_POST_SQL = f'UPDATE accounting_entry SET "number" = %s, {_SET_POSTED} WHERE "id" = %s'  # noqa: S608  # nosec B608 - constants
# PostgreSQL: the next number taken and the entry posted under it in one statement
# (the series stays locked to COMMIT: one round trip less while holding it, QUALITY
# S8); no row when the series does not exist yet.
_SEQ_POST_PG = (
    f"WITH s AS ({_SEQ_UPDATE}), e AS (UPDATE accounting_entry SET"  # noqa: S608  # nosec B608 - constants
    " \"number\" = %s || lpad(s.last_number::text, greatest(5, length(s.last_number::text)), '0'),"
    f' {_SET_POSTED} FROM s WHERE accounting_entry."id" = %s RETURNING accounting_entry."number")'
    " SELECT s.last_number, e.number FROM s LEFT JOIN e ON true"
)


def number_and_post(
    *,
    company_id: int,
    journal_id: int,
    journal_code: str,
    voucher_type: str,
    year: int,
    values: list[Any],
    entry_id: int,
) -> str:
    """Give the entry its series' next number and write its posted ``values`` (in
    ``POSTED_COLUMNS`` order, prepared for the database); returns the number. The
    series row stays locked until COMMIT: callers do this last."""
    if connection.vendor == "postgresql":
        prefix = voucher_prefix(journal_code, voucher_type, year)
        params = [1, timezone.now(), journal_id, voucher_type, year, prefix, *values, entry_id]
        with connection.cursor() as cur:
            cur.execute(_SEQ_POST_PG, params)
            row = cur.fetchone()
        if row is not None:
            if row[1] is None:  # a number taken, no entry posted: never leave it a gap
                raise RuntimeError(f"entry {entry_id} was not posted under number {row[0]}")
            return str(row[1])
    n = allocate_numbers(company_id, journal_id, voucher_type, year, 1)
    number = voucher_number(journal_code, voucher_type, year, n)
    execute(_ENTRY_POST_SQL, [number, *values, entry_id])
    return number
