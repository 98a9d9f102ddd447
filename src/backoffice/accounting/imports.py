"""CSV imports: journal entries (SPEC §4), exchange rates. Charts: charts.accounts_import.

``journal_import`` is built for volume (≥ 100,000 lines/s on SQLite end to end):
everything is validated in Python first against the company's accounts,
journals, periods and rates loaded once; nothing is written unless the whole
file is valid. Then, in one transaction: one sequence UPDATE per journal /
voucher type / year reserves the numbers; lines and entries are inserted with
``executemany`` (lines first: the entries arrive already posted, and the
database trigger checks each one balances); AccountBalance gets one upsert per
(account, period); ONE audit event records the batch.
"""

from __future__ import annotations

import csv
import io
import secrets
import uuid
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from itertools import chain
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backoffice.accounting.common import ZERO, authorise, is_system, user_or_none
from backoffice.accounting.ledger import (
    VOUCHER_TYPES_BY_KIND,
    add_to_balances,
    allocate_numbers,
    amount_too_large,
    balance_totals,
    check_period,
    refresh_statistics,
    voucher_number,
)
from backoffice.accounting.models import (
    AMOUNT_LIMIT,
    Account,
    EntrySource,
    EntryState,
    ExchangeRate,
    Journal,
    JournalKind,
    Period,
    VoucherType,
)
from backoffice.accounting.rates import parse_rate, rate_set
from backoffice.core.audit import audit_append, audit_prepare, audit_reserve
from backoffice.core.collector import collector_paused
from backoffice.core.exceptions import ApplicationError, ValidationFailed
from backoffice.core.money import minor_unit

JOURNAL_COLUMNS = ("entry", "date", "journal", "description", "account", "debit", "credit",
                   "currency")  # fmt: skip
CHUNK = 20_000


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    message: str


class ImportFailed(ValidationFailed):
    """Nothing was stored; ``errors`` lists every problem with its row."""

    code = "import_failed"

    def __init__(self, errors: list[RowError]):
        self.errors = sorted(errors, key=lambda e: e.row)
        shown = "; ".join(
            _("row %(row)s: %(msg)s") % {"row": e.row, "msg": e.message} for e in self.errors[:10]
        )
        more = len(self.errors) - 10
        message = ngettext(
            "The file has %(n)d error, nothing was imported: %(list)s",
            "The file has %(n)d errors, nothing was imported: %(list)s",
            len(self.errors),
        ) % {"n": len(self.errors), "list": shown}
        if more > 0:
            message += " " + _("(and %(n)d more)") % {"n": more}
        super().__init__(
            message,
            extra={"errors": [{"row": e.row, "message": e.message} for e in self.errors]},
        )


@dataclass
class ImportResult:
    entries: int
    lines: int
    numbers: dict[str, list[str]] = field(default_factory=dict)  # series -> [first, last]


ProgressLike = Any  # core.jobs.Progress, or a callable(done, total, message)


def _reporter(progress: ProgressLike) -> Callable[[int, int, str], None]:
    if progress is None:
        return lambda done, total, message="": None
    if hasattr(progress, "update"):
        return lambda done, total, message="": progress.update(done, total, message)
    return progress  # type: ignore[no-any-return]


def _records(source: Any) -> tuple[list[str], list[list[str]]]:
    """(header, records) from a path, a file (text or binary), bytes, CSV text or
    an iterable of dicts."""
    if isinstance(source, Path) or (isinstance(source, str) and "\n" not in source):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            return _records(fh)
    if isinstance(source, bytes):
        source = io.StringIO(source.decode("utf-8-sig"))
    elif isinstance(source, str):
        source = io.StringIO(source.lstrip("\ufeff"))
    if hasattr(source, "read"):
        if "b" in getattr(source, "mode", "") or isinstance(
            source, (io.BufferedIOBase, io.RawIOBase)
        ):
            source = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
        reader = csv.reader(source)
        header = [h.strip().lower() for h in next(reader, [])]
        return header, list(reader)
    rows = list(source)
    header = list(JOURNAL_COLUMNS)
    return header, [[("" if r.get(c) is None else str(r.get(c))) for c in header] for r in rows]


# --- journal entries ------------------------------------------------------------------
@dataclass(slots=True)
class _Entry:
    row: int
    key: str
    date: Date
    journal: Journal
    description: str
    currency: str
    lines: list[tuple[int, int, Decimal, Decimal, Decimal, str]] = field(default_factory=list)
    # (row, account_id, debit, credit, amount_currency, description)
    rate: Decimal = Decimal(1)
    period: Period | None = None
    voucher_type: str = VoucherType.JOURNAL


class _Rates:
    """Exchange rates of the company, loaded once: rate on or before a date."""

    def __init__(self, company: Any):
        self.by_currency: dict[str, tuple[list[Date], list[Decimal]]] = {}
        grouped: dict[str, list[tuple[Date, Decimal]]] = defaultdict(list)
        for cur, day, rate in (
            ExchangeRate.objects.filter(company=company)
            .order_by("currency", "date")
            .values_list("currency", "date", "rate")
        ):
            grouped[cur].append((day, rate))
        for cur, pairs in grouped.items():
            self.by_currency[cur] = ([p[0] for p in pairs], [p[1] for p in pairs])

    def get(self, currency: str, day: Date) -> Decimal | None:
        found = self.by_currency.get(currency)
        if not found:
            return None
        i = bisect_right(found[0], day)
        return found[1][i - 1] if i else None


def journal_import(
    *,
    actor: Any,
    company: Any,
    file: Any = None,
    rows: Iterable[dict[str, Any]] | None = None,
    progress: ProgressLike = None,
    source: str = EntrySource.IMPORT,
) -> ImportResult:
    """Import and post journal entries from CSV (SPEC §4 header
    ``entry,date,journal,description,account,debit,credit,currency``). Rows sharing
    ``entry`` form one entry; an empty journal is the general journal, an empty
    currency the company's; amounts are in the row's currency (converted at the
    rate of the date). All-or-nothing: :class:`ImportFailed` lists every error."""
    authorise(actor, company, "accounting.add_entry")
    report = _reporter(progress)
    # A million rows are a few million live objects until the end: the cyclic
    # collector would walk them again and again for nothing.
    with collector_paused():
        header, records = _records(file if file is not None else rows)
        missing = [c for c in JOURNAL_COLUMNS if c not in header]
        if missing:
            raise ImportFailed(
                [RowError(1, _("missing column(s): %(c)s") % {"c": ", ".join(missing)})]
            )
        total_rows = len(records)
        report(0, total_rows, _("Checking"))
        entries, errors = _parse_entries(actor, company, header, records, report, total_rows)
        if errors:
            raise ImportFailed(errors)
        if not entries:
            raise ImportFailed([RowError(1, _("the file has no entries"))])
        result = _store(actor, company, entries, report, total_rows, source)
    refresh_statistics(result.lines)
    report(total_rows, total_rows, _("Done"))
    return result


def _parse_entries(
    actor: Any,
    company: Any,
    header: list[str],
    records: list[list[str]],
    report: Callable[[int, int, str], None],
    total_rows: int,
) -> tuple[list[_Entry], list[RowError]]:
    ix = {c: header.index(c) for c in JOURNAL_COLUMNS}
    i_entry, i_date, i_journal, i_desc = ix["entry"], ix["date"], ix["journal"], ix["description"]
    i_account, i_debit, i_credit, i_cur = ix["account"], ix["debit"], ix["credit"], ix["currency"]
    width = max(ix.values()) + 1
    home = company.currency
    accounts = {
        code: (pk, postable, active, tag)
        for code, pk, postable, active, tag in Account.objects.filter(company=company).values_list(
            "code", "pk", "is_postable", "is_active", "tag"
        )
    }
    journals = {j.code: j for j in Journal.objects.filter(company=company, is_active=True)}
    general = next(
        (
            j
            for j in sorted(journals.values(), key=lambda j: j.code)
            if j.kind == JournalKind.GENERAL
        ),
        None,
    )
    errors: list[RowError] = []
    err = errors.append
    dates: dict[str, Date | None] = {}
    entries: dict[str, _Entry] = {}
    quanta: dict[str, Decimal] = {}
    dec = Decimal
    whole_units = {home: minor_unit(home) == 0}
    for n, rec in enumerate(records, start=2):
        if len(rec) < width:
            if not any(rec):
                continue  # blank line
            err(
                RowError(
                    n,
                    _("the row has %(n)d columns, expected %(m)d")
                    % {"n": len(rec), "m": len(header)},
                )
            )
            continue
        key = rec[i_entry].strip()
        if not key:
            err(RowError(n, _("the entry column is empty")))
            continue
        ds = rec[i_date].strip()
        day = dates.get(ds, False)
        if day is False:
            try:
                day = Date.fromisoformat(ds)
            except ValueError:
                day = None
            dates[ds] = day
        currency = rec[i_cur].strip().upper() or home
        entry = entries.get(key)
        if entry is None:
            jcode = rec[i_journal].strip()
            journal = journals.get(jcode) if jcode else general
            if journal is None:
                err(
                    RowError(n, _("unknown journal %(j)s") % {"j": jcode})
                    if jcode
                    else RowError(n, _("the books have no general journal"))
                )
                continue
            if day is None:
                err(RowError(n, _("invalid date %(d)s (expected YYYY-MM-DD)") % {"d": ds}))
                continue
            if len(currency) != 3 or not currency.isalpha():
                err(RowError(n, _("invalid currency %(c)s") % {"c": currency}))
                continue
            entry = entries[key] = _Entry(n, key, day, journal, rec[i_desc].strip()[:500], currency)
        else:
            if day != entry.date:
                err(
                    RowError(
                        n,
                        _("entry %(e)s: the date differs from row %(r)s")
                        % {"e": key, "r": entry.row},
                    )
                )
            if currency != entry.currency:
                err(
                    RowError(
                        n,
                        _("entry %(e)s: the currency differs from row %(r)s")
                        % {"e": key, "r": entry.row},
                    )
                )
            jcode = rec[i_journal].strip()
            if jcode and jcode != entry.journal.code:
                err(
                    RowError(
                        n,
                        _("entry %(e)s: the journal differs from row %(r)s")
                        % {"e": key, "r": entry.row},
                    )
                )
        code = rec[i_account].strip()
        acc = accounts.get(code)
        if acc is None:
            err(RowError(n, _("unknown account %(a)s") % {"a": code or "''"}))
            continue
        if not acc[1]:
            err(RowError(n, _("account %(a)s has sub-accounts: post to one of them") % {"a": code}))
            continue
        if not acc[2]:
            err(RowError(n, _("account %(a)s is inactive") % {"a": code}))
            continue
        q = quanta.get(currency)
        if q is None:
            q = quanta[currency] = Decimal(1).scaleb(-minor_unit(currency))
            whole_units[currency] = minor_unit(currency) == 0
        ds_, cs_ = rec[i_debit].strip(), rec[i_credit].strip()
        debit: Decimal | int
        credit: Decimal | int
        try:
            if whole_units[currency]:
                # Whole units (VND): plain ints, the fast path for big files.
                debit = (
                    int(ds_)
                    if ds_.isdigit()
                    else int(dec(ds_).quantize(q, ROUND_HALF_UP))
                    if ds_
                    else 0
                )
                credit = (
                    int(cs_)
                    if cs_.isdigit()
                    else int(dec(cs_).quantize(q, ROUND_HALF_UP))
                    if cs_
                    else 0
                )
            else:
                debit = dec(ds_).quantize(q, ROUND_HALF_UP) if ds_ else ZERO
                credit = dec(cs_).quantize(q, ROUND_HALF_UP) if cs_ else ZERO
                if debit.is_nan() or credit.is_nan():
                    raise InvalidOperation
        except (InvalidOperation, ValueError):
            err(
                RowError(
                    n,
                    _("invalid amount (debit %(d)s, credit %(c)s)")
                    % {"d": ds_ or "''", "c": cs_ or "''"},
                )
            )
            continue
        if debit < 0 or credit < 0 or (debit > 0) == (credit > 0):
            err(RowError(n, _("a row needs either a debit or a credit amount, not negative")))
            continue
        if debit >= AMOUNT_LIMIT or credit >= AMOUNT_LIMIT:
            err(RowError(n, amount_too_large(_("the amount"))))
            continue
        entry.lines.append((n, acc[0], debit, credit, debit - credit, rec[i_desc].strip()[:500]))
        if n % CHUNK == 0:
            report(n // 2, total_rows, _("Checking"))
    # Entries whose rows had errors are not checked further; the others are, so
    # one pass reports every problem.
    bad_keys = {
        rec[i_entry].strip()
        for rec in (records[e.row - 2] for e in errors if e.row >= 2)
        if len(rec) > i_entry
    }
    # Entry-level rules: periods, rights, rates, balance, voucher types.
    periods = sorted(
        Period.objects.filter(company=company).select_related("fiscal_year"), key=lambda p: p.start
    )
    starts = [p.start for p in periods]
    period_ok: dict[int, str | None] = {}
    rates = _Rates(company)
    cash_tags = {pk: tag for pk, _p, _a, tag in accounts.values()}
    out = [e for e in entries.values() if e.key not in bad_keys]
    for e in out:
        if len(e.lines) < 2:
            err(RowError(e.row, _("entry %(e)s needs at least two rows") % {"e": e.key}))
            continue
        i = bisect_right(starts, e.date)
        period = periods[i - 1] if i and periods[i - 1].end >= e.date else None
        if period is None:
            err(RowError(e.row, _("no accounting period for %(d)s") % {"d": f"{e.date:%d/%m/%Y}"}))
            continue
        if period.pk not in period_ok:
            try:
                check_period(actor, company, period)
                period_ok[period.pk] = None
            except ApplicationError as exc:
                period_ok[period.pk] = exc.message
        if period_ok[period.pk]:
            err(RowError(e.row, period_ok[period.pk] or ""))
            continue
        e.period = period
        if e.currency != home:
            rate = rates.get(e.currency, e.date)
            if rate is None:
                err(
                    RowError(
                        e.row,
                        _("no exchange rate for %(c)s on or before %(d)s")
                        % {"c": e.currency, "d": f"{e.date:%d/%m/%Y}"},
                    )
                )
                continue
            e.rate = rate
            e.lines = _convert(e.lines, rate, home)
            wrong = _unconvertible(e.lines, rate, e.currency, home)
            if wrong:
                err(wrong)
                continue
        debit = credit = 0
        for ln in e.lines:
            debit += ln[2]
            credit += ln[3]
        if debit != credit:
            err(
                RowError(
                    e.row,
                    _("entry %(e)s does not balance: debit %(d)s, credit %(c)s")
                    % {"e": e.key, "d": debit, "c": credit},
                )
            )
            continue
        if e.currency != home and sum(ln[4] for ln in e.lines) != 0:
            err(
                RowError(
                    e.row,
                    _("entry %(e)s does not balance in %(c)s") % {"e": e.key, "c": e.currency},
                )
            )
            continue
        kind = e.journal.kind
        if kind in (JournalKind.CASH, JournalKind.BANK):
            tag = "cash" if kind == JournalKind.CASH else "bank"
            net = sum(ln[2] - ln[3] for ln in e.lines if cash_tags.get(ln[1]) == tag)
            if kind == JournalKind.CASH:
                e.voucher_type = VoucherType.RECEIPT if net >= 0 else VoucherType.PAYMENT
            else:
                e.voucher_type = VoucherType.BANK_CREDIT if net >= 0 else VoucherType.BANK_DEBIT
        else:
            vt = e.journal.default_voucher_type
            allowed = VOUCHER_TYPES_BY_KIND.get(kind, (VoucherType.JOURNAL,))
            e.voucher_type = vt if vt in allowed else VoucherType.JOURNAL
    return ([] if errors else out), errors


def _unconvertible(lines: list[Any], rate: Decimal, currency: str, home: str) -> RowError | None:
    """The first row whose company amount at the rate is nothing or too large."""
    for n, _acc, debit, credit, ac, _desc in lines:
        value = debit or credit
        if not value:
            return RowError(
                n,
                _("%(a)s %(c)s is less than one unit of %(h)s at the rate %(r)s")
                % {"a": abs(ac), "c": currency, "h": home, "r": rate},
            )
        if value >= AMOUNT_LIMIT:
            return RowError(n, amount_too_large(_("the amount at the rate")))
    return None


def _convert(lines: list[Any], rate: Decimal, home: str) -> list[Any]:
    """Foreign-currency rows: amounts given in the currency; company amounts at the
    rate, rounded half-up; rounding differences go to the largest line."""
    q = Decimal(1).scaleb(-minor_unit(home))
    whole = minor_unit(home) == 0
    out = []
    for n, acc, _d, _c, ac, desc in lines:
        value: Decimal | int = (abs(ac) * rate).quantize(q, ROUND_HALF_UP)
        if whole:
            value = int(value)
        zero = 0 if whole else ZERO
        out.append([n, acc, value if ac > 0 else zero, value if ac < 0 else zero, ac, desc])
    if sum(ln[4] for ln in out) == 0:
        diff = sum(ln[2] - ln[3] for ln in out)
        if diff and abs(diff) <= q * len(out):
            big = max(out, key=lambda ln: ln[2] + ln[3])
            if big[2]:
                big[2] -= diff
            else:
                big[3] += diff
    return [tuple(ln) for ln in out]


def _insert(cur: Any, sql: str, width: int, rows: list[tuple[Any, ...]], mark: str) -> None:
    """INSERT ``rows``. PostgreSQL: COPY (binary-adapted by psycopg; row triggers
    still fire). SQLite: multi-row VALUES statements of a few hundred rows, ~5x
    faster than executemany, since each statement pays for its statement journal
    once (the guard triggers make SQLite open one per statement)."""
    if mark == "%s":
        with cur.copy(sql.replace("INSERT INTO", "COPY", 1) + " FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    per = max(1, min(500, 30_000 // width))
    one = "(" + ", ".join([mark] * width) + ")"
    full = f"{sql} VALUES " + ", ".join([one] * per)
    flat = chain.from_iterable
    for i in range(0, len(rows) - len(rows) % per, per):
        cur.execute(full, list(flat(rows[i : i + per])))
    rest = rows[len(rows) - len(rows) % per :]
    if rest:
        cur.execute(f"{sql} VALUES " + ", ".join([one] * len(rest)), list(flat(rest)))


def _time_ordered_uuids(count: int, *, as_hex: bool) -> list[Any]:
    """UUIDv7-style ids (RFC 9562: 48-bit milliseconds, version 7, random bits), in
    increasing order so the unique index on public_id is appended to, not scattered.
    ``as_hex``: the 32-digit form Django stores on SQLite."""
    ms = int(timezone.now().timestamp() * 1000)
    head = (((ms << 16) | 0x7000 | secrets.randbits(12)) << 64) | (0b10 << 62)
    base = secrets.randbits(61)  # room to add count without overflowing 62 bits
    if as_hex:
        return [f"{head | (base + i):032x}" for i in range(count)]
    return [uuid.UUID(int=head | (base + i)) for i in range(count)]


def _ids(table: str, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table``. SQLite: above the current maximum
    (the IMMEDIATE transaction holds the write lock); PostgreSQL: from its sequence."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [r[0] for r in cur.fetchall()]
        cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608  # nosec B608 - our table names
        top = cur.fetchone()[0]
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cur.fetchone()
        top = max(top, row[0] if row else 0)
    return list(range(top + 1, top + 1 + count))


@transaction.atomic
def _store(
    actor: Any,
    company: Any,
    entries: list[_Entry],
    report: Callable[[int, int, str], None],
    total_rows: int,
    source: str,
) -> ImportResult:
    pg = connection.vendor == "postgresql"
    # Locks in posting's order (posting._finish_post): the audit chain, then the
    # balances, then the voucher series; the other order could deadlock with a
    # poster of the same journal once every chain is taken.
    slot = audit_reserve()
    ops = connection.ops
    now = timezone.now()
    now_db = ops.adapt_datetimefield_value(now)
    user = user_or_none(actor)
    user_id = user.pk if user is not None else None
    home = company.currency
    whole = minor_unit(home) == 0  # home amounts were parsed as ints
    # Numbers: per (journal, voucher type, fiscal year) in date order, one UPDATE each.
    series: dict[tuple[int, str, int], list[_Entry]] = defaultdict(list)
    for e in entries:
        assert e.period is not None
        series[(e.journal.pk, e.voucher_type, e.period.fiscal_year.start.year)].append(e)
    numbers: dict[int, str] = {}
    summary: dict[str, list[str]] = {}
    # Stored in date order (file order within a day): the ledger's indexes (date,
    # account/date, entry) then grow at their ends instead of at random places.
    entries = sorted(entries, key=lambda e: e.date)
    ids = _ids("accounting_entry", len(entries))
    public_ids = _time_ordered_uuids(len(entries), as_hex=not pg)
    entry_id = {id(e): pk for e, pk in zip(entries, ids, strict=True)}
    # Lines first (the entries come in posted: the trigger checks their lines).
    line_sql = (
        "INSERT INTO accounting_line (entry_id, company_id, account_id, date, period_id, "
        "posted, position, description, debit, credit, currency, amount_currency)"
    )
    dates: dict[Date, Any] = {}

    def amount(v: Any) -> Any:
        # ints (whole units) go as they are; SQLite gets Decimals as text.
        return v if pg or type(v) is int else str(v)

    totals = balance_totals()
    batch: list[tuple[Any, ...]] = []
    entry_totals: list[Any] = []  # the debit total of each entry, in ``entries`` order
    done = 0
    company_id = company.pk
    mark = "%s" if pg else "?"
    connection.ensure_connection()
    # The DB-API cursor: SQLite skips Django's %s rewriting, psycopg offers COPY; its
    # errors (a trigger's refusal ...) are raised as Django's.
    with connection.cursor() as django_cur, connection.wrap_database_errors:
        cur = django_cur.cursor if pg else connection.connection.cursor()
        if not pg:
            # A larger page cache for this connection while the batch goes in (128 MB).
            cache_size = cur.execute("PRAGMA cache_size").fetchone()[0]
            cur.execute("PRAGMA cache_size = -131072")
        for e in entries:
            eid = entry_id[id(e)]
            day = dates.get(e.date)
            if day is None:
                day = dates[e.date] = ops.adapt_datefield_value(e.date)
            pid = e.period.pk  # type: ignore[union-attr]
            cur_code = e.currency
            plain = pg or (whole and cur_code == home)  # values go in as they are
            total = 0
            for pos, (_n, acc, d, c, ac, desc) in enumerate(e.lines, start=1):
                if plain:
                    batch.append(
                        (eid, company_id, acc, day, pid, True, pos, desc, d, c, cur_code, ac)
                    )
                else:
                    batch.append((eid, company_id, acc, day, pid, True, pos, desc, amount(d),
                                  amount(c), cur_code, amount(ac)))  # fmt: skip
                t = totals[(acc, pid)]  # count_line, inlined: once per line
                if d:
                    t[0] += d
                    total += d
                else:
                    t[1] += c
                t[2] += 1
            entry_totals.append(total)
            if len(batch) >= CHUNK:
                _insert(cur, line_sql, 12, batch, mark)
                done += len(batch)
                batch = []
                report(total_rows // 2 + done // 2, total_rows, _("Posting"))
        if batch:
            _insert(cur, line_sql, 12, batch, mark)
        # The serial part, taken late: balances (account order), then the sequences.
        add_to_balances(company_id, totals)
        for (journal_id, vtype, year), group in sorted(series.items()):
            group.sort(key=lambda e: e.date)  # stable: file order within a day
            last = allocate_numbers(company_id, journal_id, vtype, year, len(group))
            code = group[0].journal.code
            first = last - len(group) + 1
            for k, e in enumerate(group):
                numbers[id(e)] = voucher_number(code, vtype, year, first + k)
            summary[voucher_number(code, vtype, year, 0)[:-6]] = [
                numbers[id(group[0])],
                numbers[id(group[-1])],
            ]
        entry_sql = (
            "INSERT INTO accounting_entry (id, public_id, created_at, updated_at, company_id, "
            "journal_id, period_id, date, voucher_type, number, description, reference, "
            "partner, state, source, currency, rate, total, created_by_id, posted_by_id, "
            "posted_at)"
        )
        rows = []
        for k, e in enumerate(entries):
            total = entry_totals[k]
            rows.append((
                entry_id[id(e)], public_ids[k], now_db, now_db,
                company_id, e.journal.pk, e.period.pk, dates[e.date],  # type: ignore[union-attr]
                e.voucher_type, numbers[id(e)], e.description or e.key, e.key[:100], "",
                EntryState.POSTED, source, e.currency, e.rate if pg else str(e.rate),
                amount(total), user_id, user_id, now_db,
            ))  # fmt: skip
            if len(rows) >= CHUNK:
                _insert(cur, entry_sql, 21, rows, mark)
                rows = []
        if rows:
            _insert(cur, entry_sql, 21, rows, mark)
        if not pg:
            cur.execute(f"PRAGMA cache_size = {int(cache_size)}")  # the connection's again
    n_lines = sum(len(e.lines) for e in entries)
    event = audit_prepare(
        event_type="JOURNAL_IMPORTED",
        actor=actor,
        company=company,
        object_type="accounting.entry",
        after={"entries": len(entries), "lines": n_lines, "numbers": summary,
               "currency": home, "system": is_system(actor)},
    )  # fmt: skip
    audit_append(event, slot)
    return ImportResult(entries=len(entries), lines=n_lines, numbers=summary)


# --- exchange rates ---------------------------------------------------------------------
@transaction.atomic
def rates_import(*, actor: Any, company: Any, file: Any = None, rows: Any = None) -> int:
    """Rates from CSV ``currency,date,rate`` (all-or-nothing); returns how many were set."""
    authorise(actor, company, "accounting.add_exchangerate")
    source = file if file is not None else rows
    if rows is not None and file is None:
        header = ["currency", "date", "rate"]
        records = [[str(r.get(c, "") or "") for c in header] for r in rows]
    else:
        header, records = _records(source)
    missing = [c for c in ("currency", "date", "rate") if c not in header]
    if missing:
        raise ImportFailed([RowError(1, _("missing column(s): %(c)s") % {"c": ", ".join(missing)})])
    ic, id_, ir = header.index("currency"), header.index("date"), header.index("rate")
    errors: list[RowError] = []
    parsed = []
    for n, rec in enumerate(records, start=2):
        if not any(rec):
            continue
        try:
            cur = rec[ic].strip().upper()
            day = Date.fromisoformat(rec[id_].strip())
            raw_rate = rec[ir]
        except (IndexError, ValueError):
            errors.append(RowError(n, _("expected currency,date (YYYY-MM-DD),rate")))
            continue
        if len(cur) != 3 or not cur.isalpha() or cur == company.currency:
            errors.append(RowError(n, _("invalid currency %(c)s") % {"c": cur}))
            continue
        try:
            parsed.append((cur, day, parse_rate(raw_rate)))
        except ValidationFailed as exc:
            errors.append(RowError(n, exc.message))
    if errors:
        raise ImportFailed(errors)
    for cur, day, rate in parsed:
        rate_set(actor=actor, company=company, currency=cur, date=day, rate=rate)
    return len(parsed)


__all__ = ["ImportFailed", "ImportResult", "RowError", "journal_import", "rates_import"]
