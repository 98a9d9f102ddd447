"""Books and financial statements: pure read selectors over the ledger.

They take a ``company`` (or an account of it) and check nothing about users:
the views, API and CLI check ``accounting.view_reports`` before calling them.

Speed (QUALITY S2/S3): figures come from :class:`AccountBalance` for whole
periods and from the lines only for the parts of periods a date range cuts,
with one GROUP BY query for each, never a query per account. The period-close
entries (and their reversals) are read separately (a few lines) so that the
income statement and the cash flow show the period's activity, not the
transfer to 911.

Amounts are Decimal in the company currency, rounded to its minor unit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.accounting import openings
from backoffice.accounting.models import (
    Account,
    AccountBalance,
    Entry,
    EntrySource,
    EntryState,
    Line,
    Period,
)
from backoffice.accounting.reports_defs import StatementDef, statement_def
from backoffice.core.exceptions import ValidationFailed
from backoffice.core.money import minor_unit, round_half_up

ZERO = Decimal(0)
# ``posted=True`` compiles to a bare ``AND "posted"`` that SQLite cannot match
# to the second column of the (account, posted, date, entry) and (company,
# posted, date) indexes; ``IN (true)`` is an equality it uses.
POSTED = (True,)
# The largest page a book returns (the exports ask for one page of this size).
MAX_PAGE_SIZE = 20_000


# --- figures -------------------------------------------------------------------------------


# The dates a report accepts: statements compare with the year before and
# balances look a day ahead, so the calendar's own ends (year 1, year 9999) are
# out; no ledger reaches them.
EARLIEST = date(1900, 1, 1)
LATEST = date(9998, 12, 31)


def check_dates(*days: date | None) -> None:
    """Refuse a report date outside [EARLIEST, LATEST] (400 ``date_out_of_range``)."""
    for day in days:
        if day is not None and not EARLIEST <= day <= LATEST:
            raise ValidationFailed(
                _("Report dates must lie between %(first)s and %(last)s.")
                % {"first": EARLIEST.strftime("%d/%m/%Y"), "last": LATEST.strftime("%d/%m/%Y")},
                code="date_out_of_range",
            )


def _q(company: Any, value: Decimal | None) -> Decimal:
    return round_half_up(value or ZERO, minor_unit(company.currency))


@dataclass
class Figures:
    """One account over a date range: the net debit balance before the range,
    the debit and credit of the range, and the part of them that comes from
    the period-close entries (and their reversals)."""

    opening: Decimal = ZERO
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    closing_debit: Decimal = ZERO  # of which period-close entries
    closing_credit: Decimal = ZERO

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit - self.credit


def _periods(company: Any) -> list[dict[str, Any]]:
    return list(
        Period.objects.filter(company=company)
        .order_by("start")
        .values("id", "start", "end", "state", "fiscal_year_id")
    )


def _closing_entry_ids(company: Any, date_from: date | None, date_to: date) -> list[int]:
    qs = Entry.objects.filter(company=company, state=EntryState.POSTED, date__lte=date_to).filter(
        Q(source=EntrySource.CLOSING) | Q(reversal_of__source=EntrySource.CLOSING)
    )
    if date_from is not None:
        qs = qs.filter(date__gte=date_from)
    return list(qs.values_list("id", flat=True))


def figures(
    company: Any,
    date_from: date | None,
    date_to: date,
    *,
    accounts: Iterable[int] | None = None,
    with_closing: bool = False,
    periods: list[dict[str, Any]] | None = None,
) -> dict[int, Figures]:
    """Per account id: :class:`Figures` over ``[date_from, date_to]``
    (``date_from=None``: everything up to ``date_to`` is "period").

    Two GROUP BY queries: AccountBalance for the periods that lie wholly before
    or wholly inside the range, lines for the periods the range cuts."""
    start = date_from or date.min
    wanted = list(accounts) if accounts is not None else None
    out: dict[int, Figures] = defaultdict(Figures)
    # Opening balances from the latest carried-forward snapshot (every period
    # before it locked), then only the periods after it: the cost does not grow
    # with the years of history.
    periods = periods if periods is not None else _periods(company)
    since = openings.usable(periods, start) if date_from is not None else None
    carried = openings.read(company, since, wanted) if since is not None else {}
    if not carried:
        since = None  # not built (or none of these accounts): add up every period
    for account_id, net in carried.items():
        out[account_id].opening += net
    before: list[int] = []
    inside: list[int] = []
    partial: list[tuple[date, date]] = []
    for p in periods:
        if p["start"] > date_to:
            continue
        if p["end"] < start:
            if since is None or p["start"] >= since:
                before.append(p["id"])
        elif p["start"] >= start and p["end"] <= date_to:
            inside.append(p["id"])
        else:
            partial.append((p["start"], min(p["end"], date_to)))
    acc_filter = Q(account_id__in=wanted) if wanted is not None else Q()
    if before or inside:
        rows = (
            # by period only (the ids are the company's): the period index, not
            # every balance row of the company since the books began
            AccountBalance.objects.filter(acc_filter, period_id__in=before + inside)
            .values("account_id")
            .annotate(
                ob_d=Sum("debit", filter=Q(period_id__in=before)),
                ob_c=Sum("credit", filter=Q(period_id__in=before)),
                d=Sum("debit", filter=Q(period_id__in=inside)),
                c=Sum("credit", filter=Q(period_id__in=inside)),
            )
            .order_by()
        )
        for r in rows:
            f = out[r["account_id"]]
            f.opening += (r["ob_d"] or ZERO) - (r["ob_c"] or ZERO)
            f.debit += r["d"] or ZERO
            f.credit += r["c"] or ZERO
    if partial:
        dates = Q()
        for lo, hi in partial:
            dates |= Q(date__gte=lo, date__lte=hi)
        rows = (
            Line.objects.filter(acc_filter, company=company, posted__in=POSTED)
            .filter(dates)
            .values("account_id")
            .annotate(
                ob_d=Sum("debit", filter=Q(date__lt=start)),
                ob_c=Sum("credit", filter=Q(date__lt=start)),
                d=Sum("debit", filter=Q(date__gte=start)),
                c=Sum("credit", filter=Q(date__gte=start)),
            )
            .order_by()
        )
        for r in rows:
            f = out[r["account_id"]]
            f.opening += (r["ob_d"] or ZERO) - (r["ob_c"] or ZERO)
            f.debit += r["d"] or ZERO
            f.credit += r["c"] or ZERO
    if with_closing:
        ids = _closing_entry_ids(company, date_from, date_to)
        if ids:
            rows = (
                Line.objects.filter(acc_filter, entry_id__in=ids)
                .values("account_id")
                .annotate(d=Sum("debit"), c=Sum("credit"))
                .order_by()
            )
            for r in rows:
                f = out[r["account_id"]]
                f.closing_debit += r["d"] or ZERO
                f.closing_credit += r["c"] or ZERO
    return dict(out)


def _accounts(company: Any) -> dict[int, Account]:
    return {
        a.pk: a
        for a in Account.objects.filter(company=company).only(
            "id", "code", "name", "name_en", "type", "parent_id", "tag"
        )
    }


def ledger_span(company: Any) -> tuple[date | None, date | None]:
    """First and last dates of the posted lines (None, None when there are none);
    two index lookups (a MIN and a MAX in one query would scan the index)."""
    qs = Line.objects.filter(company=company, posted__in=POSTED).values_list("date", flat=True)
    return qs.order_by("date").first(), qs.order_by("-date").first()


# --- trial balance -------------------------------------------------------------------------


@dataclass
class TBRow:
    code: str
    name: str
    opening_debit: Decimal = ZERO
    opening_credit: Decimal = ZERO
    period_debit: Decimal = ZERO
    period_credit: Decimal = ZERO
    closing_debit: Decimal = ZERO
    closing_credit: Decimal = ZERO
    account_id: int | None = None
    level: int = 1
    is_total: bool = False

    AMOUNTS = (
        "opening_debit",
        "opening_credit",
        "period_debit",
        "period_credit",
        "closing_debit",
        "closing_credit",
    )

    def as_dict(self) -> dict[str, Any]:
        """The SPEC §4 JSON shape (amounts as decimal strings)."""
        return {
            "code": self.code,
            "name": self.name,
            **{k: str(getattr(self, k)) for k in self.AMOUNTS},
        }


@dataclass
class TrialBalance:
    company: Any
    date_from: date | None
    date_to: date | None
    rows: list[TBRow]
    total: TBRow

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, i: int) -> TBRow:
        return self.rows[i]


def _sides(net: Decimal) -> tuple[Decimal, Decimal]:
    return (net, ZERO) if net > 0 else (ZERO, -net)


def _root(acc: Account, accounts: dict[int, Account]) -> Account:
    seen = 0
    while acc.parent_id and acc.parent_id in accounts and seen < 20:
        acc = accounts[acc.parent_id]
        seen += 1
    return acc


def trial_balance(
    *,
    company: Any,
    date_from: date | None = None,
    date_to: date | None = None,
    rollup: bool = False,
) -> TrialBalance:
    """Bảng cân đối số phát sinh (S06-DN): per account with activity or a balance,
    opening, period and closing debit/credit, each balance on one side only.
    Without dates: from the first posted entry to the last. ``rollup``: one
    row per level-1 account (sub-accounts added up, then netted)."""
    if date_from is None or date_to is None:
        lo, hi = ledger_span(company)
        date_from = date_from or lo
        date_to = date_to or hi
    rows: list[TBRow] = []
    total = TBRow(code="", name="", is_total=True)
    if date_from is None or date_to is None or date_from > date_to:
        return TrialBalance(company, date_from, date_to, rows, total)
    figs = figures(company, date_from, date_to)
    accounts = _accounts(company)
    if rollup:
        rolled: dict[int, Figures] = defaultdict(Figures)
        for acc_id, f in figs.items():
            root = _root(accounts[acc_id], accounts)
            r = rolled[root.pk]
            r.opening += f.opening
            r.debit += f.debit
            r.credit += f.credit
        figs = dict(rolled)
    for acc_id, f in figs.items():
        if not (f.opening or f.debit or f.credit):
            continue
        acc = accounts[acc_id]
        od, oc = _sides(_q(company, f.opening))
        cd, cc = _sides(_q(company, f.closing))
        rows.append(
            TBRow(
                code=acc.code,
                name=acc.name,
                opening_debit=od,
                opening_credit=oc,
                period_debit=_q(company, f.debit),
                period_credit=_q(company, f.credit),
                closing_debit=cd,
                closing_credit=cc,
                account_id=acc_id,
                level=1 if acc.parent_id is None else 2,
            )
        )
    rows.sort(key=lambda r: r.code)
    for r in rows:
        for k in TBRow.AMOUNTS:
            setattr(total, k, getattr(total, k) + getattr(r, k))
    return TrialBalance(company, date_from, date_to, rows, total)


# --- balances and ledgers ------------------------------------------------------------------


def _descendants(account: Account) -> list[int]:
    """The account and its sub-accounts (a parent's book shows its children's lines)."""
    ids = [account.pk]
    frontier = [account.pk]
    while frontier:
        frontier = list(Account.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
        ids.extend(frontier)
    return ids


def _balance_before(
    company: Any, account_ids: list[int], day: date, periods: list[dict[str, Any]] | None = None
) -> Decimal:
    """Net debit balance of the accounts from all posted lines dated before ``day``:
    AccountBalance for whole periods + one SUM over the lines of the period
    containing ``day`` (the ledger index serves it) - over its shorter side:
    the lines from its start to ``day``, or its balance minus the lines from
    ``day`` to its end."""
    whole: list[int] = []
    cut: dict[str, Any] | None = None
    for p in periods if periods is not None else _periods(company):
        if p["end"] < day:
            whole.append(p["id"])
        elif p["start"] < day <= p["end"]:
            cut = p
    lines = Line.objects.filter(account_id__in=account_ids, posted__in=POSTED)
    sign = 1
    if cut is not None:
        if (day - cut["start"]).days <= (cut["end"] - day).days + 1:
            lines = lines.filter(date__gte=cut["start"], date__lt=day)
        else:
            whole.append(cut["id"])
            lines = lines.filter(date__gte=day, date__lte=cut["end"])
            sign = -1
    total = ZERO
    if whole:
        agg = AccountBalance.objects.filter(
            account_id__in=account_ids, period_id__in=whole
        ).aggregate(d=Sum("debit"), c=Sum("credit"))
        total += (agg["d"] or ZERO) - (agg["c"] or ZERO)
    if cut is not None:
        agg = lines.aggregate(d=Sum("debit"), c=Sum("credit"))
        total += sign * ((agg["d"] or ZERO) - (agg["c"] or ZERO))
    return total


def account_balance(*, account: Account, as_of: date) -> Decimal:
    """Net balance (debit positive) of the account and its sub-accounts at the end of ``as_of``."""
    check_dates(as_of)
    ids = _descendants(account) if not account.is_postable else [account.pk]
    return _q(account.company, _balance_before(account.company, ids, as_of + timedelta(days=1)))


@dataclass
class LedgerRow:
    date: date
    entry_id: int
    number: str
    entry_date: date
    description: str
    account_code: str
    contra: list[str]
    debit: Decimal
    credit: Decimal
    balance: Decimal  # running, net debit


@dataclass
class LedgerPage:
    accounts: list[Account]
    date_from: date
    date_to: date
    opening: Decimal  # at the start of the range
    page_opening: Decimal  # before the first row of this page
    rows: list[LedgerRow]
    total_debit: Decimal  # over the whole range
    total_credit: Decimal
    closing: Decimal  # at the end of the range
    page: int
    page_size: int
    count: int  # lines in the range

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def account(self) -> Account:
        return self.accounts[0]


def _range(company: Any, date_from: date | None, date_to: date | None) -> tuple[date, date]:
    if date_from is None or date_to is None:
        lo, hi = ledger_span(company)
        today = timezone.localdate()
        date_from = date_from or lo or today
        date_to = date_to or hi or today
    return date_from, date_to


def _lines_per_period(
    account_ids: list[int],
    date_from: date,
    date_to: date,
    periods: list[dict[str, Any]],
    base: Any,
) -> list[tuple[date, int]]:
    """(first day, posted lines) of each period's part of the range, in date
    order: whole periods from ``AccountBalance.line_count`` (one query), the
    (at most two) periods the range cuts counted on the ledger index."""
    parts: list[tuple[date, date, int | None]] = []
    for p in periods:
        if p["end"] < date_from or p["start"] > date_to:
            continue
        lo, hi = max(p["start"], date_from), min(p["end"], date_to)
        whole = lo == p["start"] and hi == p["end"]
        parts.append((lo, hi, p["id"] if whole else None))
    whole_ids = [pid for _lo, _hi, pid in parts if pid is not None]
    counts: dict[int, int] = {}
    if whole_ids:
        counts = dict(
            AccountBalance.objects.filter(account_id__in=account_ids, period_id__in=whole_ids)
            .values("period_id")
            .annotate(n=Sum("line_count"))
            .values_list("period_id", "n")
            .order_by()
        )
    return [
        (
            lo,
            counts.get(pid, 0)
            if pid is not None
            else base.filter(date__gte=lo, date__lte=hi).count(),
        )
        for lo, hi, pid in parts
    ]


def _ledger(
    company: Any,
    accounts: list[Account],
    account_ids: list[int],
    date_from: date | None,
    date_to: date | None,
    page: int,
    page_size: int,
) -> LedgerPage:
    date_from, date_to = _range(company, date_from, date_to)
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    base = Line.objects.filter(
        account_id__in=account_ids, posted__in=POSTED, date__gte=date_from, date__lte=date_to
    )
    periods = _periods(company)
    # opening and totals of the range from whole-period balances + the cut periods'
    # lines; the count reads the index only
    opening = tot_d = tot_c = ZERO
    for f in figures(company, date_from, date_to, accounts=account_ids, periods=periods).values():
        opening += f.opening
        tot_d += f.debit
        tot_c += f.credit
    offset = (page - 1) * page_size
    spans = _lines_per_period(account_ids, date_from, date_to, periods, base)
    count = sum(n for _lo, n in spans)
    # The page starts in the period where the offset falls: skip only within it
    # (not every line since the start of the range), then its ids (an index-only
    # walk), then its rows.
    skip, first_day = offset, None
    for lo, n in spans:
        if skip < n:
            first_day = lo
            break
        skip -= n
    page_ids: list[int] = []
    if first_day is not None:
        ordered = base.filter(date__gte=first_day).order_by("date", "entry_id", "id")
        page_ids = list(ordered.values_list("id", flat=True)[skip : skip + page_size])
    by_id = {
        ln["id"]: ln
        for ln in Line.objects.filter(id__in=page_ids).values(
            "id", "date", "entry_id", "account_id", "description", "debit", "credit"
        )
    }
    lines = [by_id[i] for i in page_ids]

    page_opening = opening
    if lines and offset:
        first = lines[0]
        page_opening = _balance_before(company, account_ids, first["date"], periods)
        same_day = Line.objects.filter(
            account_id__in=account_ids, posted__in=POSTED, date=first["date"]
        ).filter(
            Q(entry_id__lt=first["entry_id"]) | Q(entry_id=first["entry_id"], id__lt=first["id"])
        )
        agg2 = same_day.aggregate(d=Sum("debit"), c=Sum("credit"))
        page_opening += (agg2["d"] or ZERO) - (agg2["c"] or ZERO)
    entry_ids = {ln["entry_id"] for ln in lines}
    entries = {
        e["id"]: e
        for e in Entry.objects.filter(id__in=entry_ids).values(
            "id", "number", "date", "description"
        )
    }
    contra: dict[tuple[int, bool], set[str]] = defaultdict(set)
    if entry_ids:
        for e_id, code, debit in Line.objects.filter(entry_id__in=entry_ids).values_list(
            "entry_id", "account__code", "debit"
        ):
            contra[(e_id, debit > 0)].add(code)
    codes = {a.pk: a.code for a in accounts}
    if len(codes) < len(account_ids):
        codes.update(dict(Account.objects.filter(id__in=account_ids).values_list("id", "code")))
    running = page_opening
    rows = []
    for ln in lines:
        running += ln["debit"] - ln["credit"]
        e = entries[ln["entry_id"]]
        other = sorted(contra[(ln["entry_id"], not (ln["debit"] > 0))])
        rows.append(
            LedgerRow(
                date=ln["date"],
                entry_id=ln["entry_id"],
                number=e["number"],
                entry_date=e["date"],
                description=ln["description"] or e["description"],
                account_code=codes.get(ln["account_id"], ""),
                contra=other,
                debit=_q(company, ln["debit"]),
                credit=_q(company, ln["credit"]),
                balance=_q(company, running),
            )
        )
    return LedgerPage(
        accounts=accounts,
        date_from=date_from,
        date_to=date_to,
        opening=_q(company, opening),
        page_opening=_q(company, page_opening),
        rows=rows,
        total_debit=_q(company, tot_d),
        total_credit=_q(company, tot_c),
        closing=_q(company, opening + tot_d - tot_c),
        page=page,
        page_size=page_size,
        count=count,
    )


def ledger(
    *,
    account: Account,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = 100,
) -> LedgerPage:
    """Sổ Cái (S03b-DN) of one account (with its sub-accounts): opening balance,
    lines with their contra accounts and running balance, closing balance.
    Any page costs the same: its opening balance comes from whole-period
    balances plus one SUM over the lines of the cut period."""
    ids = [account.pk] if account.is_postable else _descendants(account)
    return _ledger(account.company, [account], ids, date_from, date_to, page, page_size)


def book_accounts(company: Any, kind: str) -> list[Account]:
    """Accounts of the cash book (tag "cash", else 111*) or bank book (tag "bank", else 112*)."""
    qs = Account.objects.filter(company=company)
    tagged = list(qs.filter(tag=kind).order_by("code"))
    if tagged:
        return tagged
    prefix = {"cash": "111", "bank": "112"}[kind]
    return list(qs.filter(code__startswith=prefix).order_by("code"))


def _book(company, kind, date_from, date_to, account, page, page_size) -> LedgerPage:
    accounts = book_accounts(company, kind)
    if account is not None:
        if account.company_id != company.pk:
            accounts = []
        else:
            accounts = [a for a in accounts if a.pk == account.pk] or [account]
    ids = [a.pk for a in accounts]
    if not ids:
        ids = [-1]
    return _ledger(company, accounts, ids, date_from, date_to, page, page_size)


def cash_book(
    *,
    company: Any,
    date_from: date | None = None,
    date_to: date | None = None,
    account: Account | None = None,
    page: int = 1,
    page_size: int = 100,
) -> LedgerPage:
    """Sổ quỹ tiền mặt (S07-DN): the cash accounts' lines with running balance."""
    return _book(company, "cash", date_from, date_to, account, page, page_size)


def bank_book(
    *,
    company: Any,
    date_from: date | None = None,
    date_to: date | None = None,
    account: Account | None = None,
    page: int = 1,
    page_size: int = 100,
) -> LedgerPage:
    """Sổ tiền gửi ngân hàng (S08-DN): the bank accounts' lines with running balance."""
    return _book(company, "bank", date_from, date_to, account, page, page_size)


@dataclass
class JournalRow:
    date: date
    entry_id: int
    number: str
    description: str
    account_code: str
    debit: Decimal
    credit: Decimal
    first: bool  # first line of its entry on this page


@dataclass
class JournalPage:
    date_from: date
    date_to: date
    rows: list[JournalRow]
    total_debit: Decimal
    total_credit: Decimal
    page: int
    page_size: int
    count: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


def general_journal(
    *,
    company: Any,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    page_size: int = 100,
) -> JournalPage:
    """Sổ Nhật ký chung (S03a-DN): every posted line in date order, paged."""
    date_from, date_to = _range(company, date_from, date_to)
    page = max(1, int(page))
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    base = Line.objects.filter(
        company=company, posted__in=POSTED, date__gte=date_from, date__lte=date_to
    )
    agg = base.aggregate(d=Sum("debit"), c=Sum("credit"), n=Count("id"))
    offset = (page - 1) * page_size
    # A page past the end is empty without asking the database (an offset of
    # ?page=99999999999999999999 overflows SQLite's integer).
    lines = (
        []
        if offset >= (agg["n"] or 0)
        else list(
            base.order_by("date", "entry_id", "position", "id").values(
                "date",
                "entry_id",
                "entry__number",
                "entry__description",
                "description",
                "account__code",
                "debit",
                "credit",
            )[offset : offset + page_size]
        )
    )
    rows = []
    prev = None
    for ln in lines:
        rows.append(
            JournalRow(
                date=ln["date"],
                entry_id=ln["entry_id"],
                number=ln["entry__number"],
                description=ln["description"] or ln["entry__description"],
                account_code=ln["account__code"],
                debit=_q(company, ln["debit"]),
                credit=_q(company, ln["credit"]),
                first=ln["entry_id"] != prev,
            )
        )
        prev = ln["entry_id"]
    return JournalPage(
        date_from=date_from,
        date_to=date_to,
        rows=rows,
        total_debit=_q(company, agg["d"]),
        total_credit=_q(company, agg["c"]),
        page=page,
        page_size=page_size,
        count=agg["n"] or 0,
    )


# --- financial statements ------------------------------------------------------------------


@dataclass
class StatementLine:
    code: str
    label: str
    note: str
    amount: Decimal
    prior: Decimal | None = None
    bold: bool = False
    indent: int = 0


@dataclass
class Statement:
    kind: str  # balance_sheet | income_statement | cash_flow
    form: str  # B01-DN ...
    title: str
    regime: str
    company: Any
    date_from: date | None
    date_to: date
    prior_from: date | None
    prior_to: date | None
    lines: list[StatementLine] = field(default_factory=list)

    def amount(self, code: str) -> Decimal:
        for ln in self.lines:
            if ln.code == code:
                return ln.amount
        raise KeyError(code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "title": self.title,
            "regime": self.regime,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat(),
            "lines": [
                {
                    "code": ln.code,
                    "label": ln.label,
                    "note": ln.note,
                    "amount": str(ln.amount),
                    "prior": None if ln.prior is None else str(ln.prior),
                }
                for ln in self.lines
            ],
        }


def regime_of(company: Any) -> str:
    return company.chart if company.chart in ("tt99", "tt133") else "tt99"


def _matches(code: str, src: dict[str, Any]) -> bool:
    prefixes = src.get("accounts", [])
    if not any(code.startswith(p) for p in prefixes):
        return False
    return not any(code.startswith(p) for p in src.get("exclude", []))


def _source_value(src: dict[str, Any], f: Figures) -> Decimal:
    """One account's contribution to a line (before the line's sign).

    balance kinds read the closing balance (balance sheet) or the opening one
    (``"at": "opening"``); movement kinds read the range without the
    period-close entries."""
    kind = src["value"]
    at = src.get("at", "closing")
    bal = f.closing if at == "closing" else f.opening
    debit = f.debit - f.closing_debit
    credit = f.credit - f.closing_credit
    match kind:
        case "debit_balance":
            return bal
        case "credit_balance":
            return -bal
        case "debit_only":
            return bal if bal > 0 else ZERO
        case "credit_only":
            return -bal if bal < 0 else ZERO
        case "debit_turnover":
            return debit
        case "credit_turnover":
            return credit
        case "net_debit":  # movement
            return debit - credit
        case "net_credit":
            return credit - debit
    raise ValueError(f"unknown source value {kind!r}")


def _evaluate(
    sdef: StatementDef, figs: dict[int, Figures], accounts: dict[int, Account]
) -> dict[str, Decimal]:
    values: dict[str, Decimal] = {}
    claimed: set[tuple[int, str]] = set()
    rest_lines = []
    for line in sdef.lines:
        total = ZERO
        for src in line.get("sources", []):
            if src.get("value") == "rest":
                rest_lines.append((line, src))
                continue
            sign = Decimal(src.get("sign", 1))
            for acc_id, f in figs.items():
                code = accounts[acc_id].code
                if _matches(code, src):
                    total += sign * _source_value(src, f)
                    claimed.add((acc_id, src.get("group", "")))
        values[line["code"]] = total
    # "rest": every account of the listed prefixes that no other line of the same
    # group claimed (keeps the cash flow complete whatever the chart holds).
    for line, src in rest_lines:
        sign = Decimal(src.get("sign", 1))
        inner = {k: v for k, v in src.items() if k not in ("value", "sign")}
        inner["value"] = src.get("of", "net_debit")
        for acc_id, f in figs.items():
            code = accounts[acc_id].code
            if (acc_id, src.get("group", "")) in claimed or not _matches(code, inner):
                continue
            values[line["code"]] += sign * _source_value(inner, f)
    formulas = {line["code"]: line["formula"] for line in sdef.lines if "formula" in line}

    def resolve(code: str, depth: int = 0) -> Decimal:
        if code in formulas and depth < 50:
            total = ZERO
            for sign, ref in _FORMULA_TERM.findall(formulas[code].replace(" ", "")):
                v = resolve(ref, depth + 1)
                total += -v if sign == "-" else v
            return total
        return values.get(code, ZERO)

    for code in formulas:
        values[code] = resolve(code)
    return values


_FORMULA_TERM = re.compile(r"([+-]?)([0-9A-Za-z_.]+)")


def _statement(
    kind: str,
    company: Any,
    date_from: date | None,
    date_to: date,
    prior_from: date | None,
    prior_to: date | None,
) -> Statement:
    sdef = statement_def(regime_of(company), kind)
    accounts = _accounts(company)

    def compute(lo: date | None, hi: date) -> dict[str, Decimal]:
        if kind == "balance_sheet":
            figs = figures(company, None, hi)
            # the opening of a None start is empty: closing = debit - credit
        else:
            figs = figures(company, lo, hi, with_closing=True)
        return _evaluate(sdef, figs, accounts)

    current = compute(date_from, date_to)
    prior = compute(prior_from, prior_to) if prior_to is not None else None
    st = Statement(
        kind=kind,
        form=sdef.form,
        title=sdef.title,
        regime=regime_of(company),
        company=company,
        date_from=date_from,
        date_to=date_to,
        prior_from=prior_from,
        prior_to=prior_to,
    )
    for line in sdef.lines:
        code = line["code"]
        st.lines.append(
            StatementLine(
                code=code,
                label=line["label"],
                note=line.get("note", ""),
                amount=_q(company, current[code]),
                prior=_q(company, prior[code]) if prior is not None else None,
                bold=bool(line.get("bold")),
                indent=int(line.get("indent", 0)),
            )
        )
    return st


def _fiscal_year_start(company: Any, day: date) -> date:
    from backoffice.accounting.models import FiscalYear

    fy = FiscalYear.objects.filter(company=company, start__lte=day, end__gte=day).first()
    if fy is not None:
        return fy.start
    mm, dd = (int(x) for x in (company.fiscal_year_start or "01-01").split("-"))
    start = date(day.year, mm, dd)
    return start if start <= day else date(day.year - 1, mm, dd)


def _year_before(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def balance_sheet(*, company: Any, as_of: date) -> Statement:
    """B01-DN (Circular 99 "Báo cáo tình hình tài chính") or B01-DNN (Circular 133):
    closing balances at ``as_of``; ``prior`` = at the start of the fiscal year."""
    check_dates(as_of)
    prior_to = _fiscal_year_start(company, as_of) - timedelta(days=1)
    return _statement("balance_sheet", company, None, as_of, None, prior_to)


def income_statement(*, company: Any, date_from: date, date_to: date) -> Statement:
    """B02-DN / B02-DNN for the range; ``prior`` = the same range a year earlier."""
    check_dates(date_from, date_to)
    return _statement(
        "income_statement",
        company,
        date_from,
        date_to,
        _year_before(date_from),
        _year_before(date_to),
    )


def cash_flow(*, company: Any, date_from: date, date_to: date) -> Statement:
    """B03-DN / B03-DNN, indirect method: from profit before tax, through the
    changes of the balance-sheet accounts, to closing cash (70 = the balance
    sheet's cash and equivalents at ``date_to``)."""
    check_dates(date_from, date_to)
    return _statement(
        "cash_flow",
        company,
        date_from,
        date_to,
        _year_before(date_from),
        _year_before(date_to),
    )
