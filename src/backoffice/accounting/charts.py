"""Books of a company: chart of accounts (from the regime's template or CSV),
journals, fiscal years and their monthly periods, period states.

Public entry points are re-exported by :mod:`backoffice.accounting.services`.
"""

from __future__ import annotations

import csv
import io
from calendar import monthrange
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.accounting import openings
from backoffice.accounting.common import authorise, fetch, is_system
from backoffice.accounting.models import (
    Account,
    AccountType,
    FiscalYear,
    Journal,
    JournalKind,
    Line,
    Period,
    PeriodState,
    Regime,
    VoucherType,
)
from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed

CHARTS_DIR = Path(__file__).resolve().parent / "data" / "charts"

# The journals every company's books start with: code, name, kind, default voucher type.
DEFAULT_JOURNALS: list[tuple[str, str, str, str]] = [
    ("GEN", "Nhật ký chung", JournalKind.GENERAL, VoucherType.JOURNAL),
    ("CASH", "Tiền mặt", JournalKind.CASH, VoucherType.RECEIPT),
    ("BANK", "Tiền gửi ngân hàng", JournalKind.BANK, VoucherType.BANK_CREDIT),
    ("SALE", "Bán hàng", JournalKind.SALES, VoucherType.JOURNAL),
    ("PUR", "Mua hàng", JournalKind.PURCHASES, VoucherType.JOURNAL),
    ("PAY", "Tiền lương", JournalKind.PAYROLL, VoucherType.JOURNAL),
]

# Unemployment insurance (BHTN) sub-account per regime (VN-RULES §6.2): Circular 99
# keeps the Circular 200 number 3386, Circular 133 uses 3385. A company may choose
# another one in ``company.settings["accounting"]["ui_account"]``.
UI_ACCOUNT = {Regime.TT99: "3386", Regime.TT133: "3385"}


def unemployment_insurance_account(company: Any) -> str:
    chosen = (company.settings or {}).get("accounting", {}).get("ui_account")
    return chosen or UI_ACCOUNT.get(company.chart, "3386")


# --- chart templates -------------------------------------------------------------------
def chart_rows(chart: str) -> list[dict[str, str]]:
    """The template of a regime as rows (code, name, name_en, type, parent, tag)."""
    if chart == Regime.NONE:
        return []
    if chart not in (Regime.TT99, Regime.TT133):
        raise ValidationFailed(
            _("Unknown chart of accounts: %(c)s.") % {"c": chart}, code="invalid_chart"
        )
    with (CHARTS_DIR / f"{chart}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- dates -----------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def fiscal_year_start_for(company: Any, day: date) -> date:
    """Start of the company's fiscal year that contains ``day``."""
    mm, dd = (int(x) for x in (company.fiscal_year_start or "01-01").split("-"))
    dd = min(dd, monthrange(day.year, mm)[1])
    start = date(day.year, mm, dd)
    return start if start <= day else add_months(start, -12)


# --- books ---------------------------------------------------------------------------
def books_create(*, actor: Any, company: Any, chart: str | None = None) -> dict[str, int]:
    """Create (or complete) a company's books: the chart template, the default
    journals and the fiscal year containing today with its 12 monthly periods.
    Idempotent: running it again adds only what is missing."""
    authorise(actor, company, "accounting.add_account")
    return _books_create(actor=actor, company=company, chart=chart or company.chart)


@transaction.atomic
def _books_create(*, actor: Any, company: Any, chart: str) -> dict[str, int]:
    rows = chart_rows(chart)
    existing = set(Account.objects.filter(company=company).values_list("code", flat=True))
    parents = {r["parent"] for r in rows if r["parent"]}
    new = [
        Account(
            company=company,
            code=r["code"],
            name=r["name"],
            name_en=r.get("name_en", ""),
            type=r["type"],
            tag=r.get("tag", ""),
            is_postable=r["code"] not in parents,
        )
        for r in rows
        if r["code"] not in existing
    ]
    Account.objects.bulk_create(new, batch_size=500)
    if new:
        by_code = dict(Account.objects.filter(company=company).values_list("code", "pk"))
        parent_of = {r["code"]: r["parent"] for r in rows}
        linked = []
        for acc in Account.objects.filter(company=company, code__in=[a.code for a in new]):
            if parent_of.get(acc.code):
                acc.parent_id = by_code[parent_of[acc.code]]
                linked.append(acc)
        Account.objects.bulk_update(linked, ["parent"], batch_size=500)
    have_journals = set(Journal.objects.filter(company=company).values_list("code", flat=True))
    journals = [
        Journal(company=company, code=code, name=name, kind=kind, default_voucher_type=vt)
        for code, name, kind, vt in DEFAULT_JOURNALS
        if code not in have_journals
    ]
    Journal.objects.bulk_create(journals)
    start = fiscal_year_start_for(company, timezone.localdate())
    fy_created = 0
    if not FiscalYear.objects.filter(company=company, start__lte=start, end__gte=start).exists():
        _fiscal_year_create(company=company, start=start)
        fy_created = 1
    summary = {"accounts": len(new), "journals": len(journals), "fiscal_years": fy_created}
    if any(summary.values()):
        audit_record(
            event_type="BOOKS_CREATED",
            actor=actor,
            company=company,
            object_type="accounting.books",
            object_id=str(company.pk),
            after={"chart": chart, **summary},
        )
    return summary


def on_company_created(*, company: Any, actor: Any) -> None:
    """core.hooks: a new company gets its books from ``company.chart``."""
    _books_create(actor=actor, company=company, chart=company.chart or Regime.NONE)


# --- accounts ------------------------------------------------------------------------
ACCOUNT_TYPES = {t.value for t in AccountType}


def _parent_check(company: Any, parent: Account | None, code: str) -> None:
    if parent is None:
        return
    if parent.company_id != company.pk:
        raise ValidationFailed(
            _("The parent account belongs to another company."), code="cross_company_reference"
        )
    if parent.is_postable and Line.objects.filter(account=parent).exists():
        raise ValidationFailed(
            _(
                "Account %(parent)s already has entries, so sub-account %(code)s cannot be "
                "added under it."
            )
            % {"parent": parent.code, "code": code},
            code="parent_has_entries",
        )


@transaction.atomic
def account_create(
    *,
    actor: Any,
    company: Any,
    code: str,
    name: str,
    type: str | None = None,
    parent: Account | str | None = None,
    name_en: str = "",
    tag: str = "",
) -> Account:
    """Add an account or a sub-account (e.g. 1121.VCB under 1121). The parent stops
    being postable; the type defaults to the parent's."""
    authorise(actor, company, "accounting.add_account")
    code = (code or "").strip()
    if not code or not (name or "").strip():
        raise ValidationFailed(_("An account needs a number and a name."), code="invalid_account")
    if isinstance(parent, str):
        parent_obj = Account.objects.filter(company=company, code=parent.strip()).first()
        if parent_obj is None:
            raise ValidationFailed(
                _("Parent account %(code)s does not exist.") % {"code": parent},
                code="unknown_account",
            )
        parent = parent_obj
    type = type or (parent.type if parent is not None else "")
    if type not in ACCOUNT_TYPES:
        raise ValidationFailed(
            _("Unknown account type: %(t)s.") % {"t": type}, code="invalid_account_type"
        )
    if Account.objects.filter(company=company, code=code).exists():
        raise Conflict(
            _("Account %(code)s already exists.") % {"code": code}, code="account_exists"
        )
    _parent_check(company, parent, code)
    account = Account.objects.create(
        company=company,
        code=code,
        name=name.strip(),
        name_en=name_en,
        type=type,
        parent=parent,
        tag=tag or (parent.tag if parent is not None else ""),
    )
    if parent is not None and parent.is_postable:
        Account.objects.filter(pk=parent.pk).update(is_postable=False)
        parent.is_postable = False
    audit_record(
        event_type="ACCOUNT_CREATED",
        actor=actor,
        company=company,
        target=account,
        after={
            "code": code,
            "name": account.name,
            "type": type,
            "parent": getattr(parent, "code", None),
        },
    )
    return account


def _rows_from(source: Any) -> Iterable[tuple[int, dict[str, str]]]:
    """(row number, row) from a path, a text/binary file, CSV text or dicts. Row
    numbers are those a spreadsheet shows: the header is row 1."""
    if isinstance(source, (str, Path)) and not (isinstance(source, str) and "\n" in source):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            yield from _rows_from(fh)
        return
    if isinstance(source, str):
        source = io.StringIO(source)
    elif isinstance(source, bytes):
        source = io.StringIO(source.decode("utf-8-sig"))
    elif (
        hasattr(source, "read")
        and isinstance(getattr(source, "mode", "r"), str)
        and "b" in getattr(source, "mode", "")
    ):
        source = io.TextIOWrapper(source, encoding="utf-8-sig", newline="")
    if hasattr(source, "read"):
        reader = csv.DictReader(source)
        for n, row in enumerate(reader, start=2):
            yield n, {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        return
    for n, row in enumerate(source, start=2):
        yield n, {k: ("" if v is None else str(v)).strip() for k, v in row.items()}


@transaction.atomic
def accounts_import(*, actor: Any, company: Any, rows: Any) -> int:
    """Import a chart (SPEC §4: ``code,name,type,parent``; optional ``name_en``, ``tag``).
    New codes are added, existing ones renamed/retyped/re-parented. All-or-nothing:
    :class:`ImportFailed` lists every error with its row number. Returns the number of
    accounts added or changed."""
    from backoffice.accounting.imports import ImportFailed, RowError

    authorise(actor, company, "accounting.add_account")
    errors: list[RowError] = []
    parsed: dict[str, tuple[int, dict[str, str]]] = {}
    for n, row in _rows_from(rows):
        code, name, typ = row.get("code", ""), row.get("name", ""), row.get("type", "")
        if not code:
            errors.append(RowError(n, _("the account number is missing")))
            continue
        if not name:
            errors.append(RowError(n, _("account %(code)s has no name") % {"code": code}))
        if typ not in ACCOUNT_TYPES:
            errors.append(
                RowError(
                    n,
                    _("unknown account type %(t)s (asset, liability, equity, income, expense)")
                    % {"t": typ or "''"},
                )
            )
        if code in parsed:
            errors.append(
                RowError(
                    n,
                    _("account %(code)s appears twice (row %(first)s)")
                    % {"code": code, "first": parsed[code][0]},
                )
            )
            continue
        parsed[code] = (n, row)
    existing = {a.code: a for a in Account.objects.filter(company=company)}
    known = set(existing) | set(parsed)
    for code, (n, row) in parsed.items():
        parent = row.get("parent", "")
        if parent and parent not in known:
            errors.append(RowError(n, _("parent account %(p)s does not exist") % {"p": parent}))
        elif parent == code:
            errors.append(
                RowError(n, _("account %(code)s cannot be its own parent") % {"code": code})
            )
    # cycles
    code_of = {a.pk: c for c, a in existing.items()}
    parent_of = {c: code_of.get(a.parent_id, "") for c, a in existing.items()}
    parent_of.update({c: r.get("parent", "") for c, (_n, r) in parsed.items()})
    for code, (n, _row) in parsed.items():
        seen, node = {code}, parent_of.get(code, "")
        while node:
            if node in seen:
                errors.append(
                    RowError(n, _("account %(code)s is its own ancestor") % {"code": code})
                )
                break
            seen.add(node)
            node = parent_of.get(node, "")
    parents = {p for p in parent_of.values() if p}
    with_lines = set(
        Line.objects.filter(company=company, account__code__in=parents)
        .values_list("account__code", flat=True)
        .distinct()
    )
    for n, row in parsed.values():
        p = row.get("parent", "")
        if p in with_lines and existing.get(p) is not None and existing[p].is_postable:
            errors.append(
                RowError(
                    n,
                    _("account %(p)s already has entries; no sub-account can be added under it")
                    % {"p": p},
                )
            )
    if errors:
        raise ImportFailed(errors)
    changed = 0
    new = []
    for code, (_n, row) in parsed.items():
        acc = existing.get(code)
        if acc is None:
            new.append(
                Account(
                    company=company,
                    code=code,
                    name=row["name"],
                    name_en=row.get("name_en", ""),
                    type=row["type"],
                    tag=row.get("tag", ""),
                )
            )
        elif (acc.name, acc.type) != (row["name"], row["type"]) or (
            row.get("name_en") and row["name_en"] != acc.name_en
        ):
            acc.name, acc.type = row["name"], row["type"]
            acc.name_en = row.get("name_en") or acc.name_en
            acc.save(update_fields=["name", "type", "name_en", "updated_at"])
            changed += 1
    Account.objects.bulk_create(new, batch_size=500)
    changed += len(new)
    by_code = {a.code: a for a in Account.objects.filter(company=company)}
    relink = []
    for code, (_n, row) in parsed.items():
        acc = by_code[code]
        want = by_code[row["parent"]].pk if row.get("parent") else None
        if acc.parent_id != want:
            acc.parent_id = want
            relink.append(acc)
    Account.objects.bulk_update(relink, ["parent"], batch_size=500)
    Account.objects.filter(company=company).filter(Q(children__isnull=False)).update(
        is_postable=False
    )
    audit_record(
        event_type="ACCOUNTS_IMPORTED",
        actor=actor,
        company=company,
        object_type="accounting.account",
        after={"rows": len(parsed), "added": len(new), "changed": changed - len(new)},
    )
    return changed


# --- fiscal years and periods -------------------------------------------------------------
def _fiscal_year_create(*, company: Any, start: date) -> FiscalYear:
    end = add_months(start, 12) - timedelta(days=1)
    if FiscalYear.objects.filter(company=company, start__lte=end, end__gte=start).exists():
        raise Conflict(
            _("The fiscal year %(s)s–%(e)s overlaps an existing one.")
            % {"s": f"{start:%d/%m/%Y}", "e": f"{end:%d/%m/%Y}"},
            code="fiscal_year_overlap",
        )
    name = str(start.year) if (start.month, start.day) == (1, 1) else f"{start.year}-{end.year}"
    fy = FiscalYear.objects.create(company=company, name=name, start=start, end=end)
    Period.objects.bulk_create(
        [
            Period(
                company=company,
                fiscal_year=fy,
                number=i + 1,
                start=add_months(start, i),
                end=add_months(start, i + 1) - timedelta(days=1),
            )
            for i in range(12)
        ]
    )
    openings.invalidate(company, start)  # an earlier year: later snapshots lack it
    return fy


@transaction.atomic
def fiscal_year_create(*, actor: Any, company: Any, start: date) -> FiscalYear:
    """Open a fiscal year starting on ``start`` with its 12 monthly periods."""
    authorise(actor, company, "accounting.add_fiscalyear")
    fy = _fiscal_year_create(company=company, start=start)
    audit_record(
        event_type="FISCAL_YEAR_CREATED",
        actor=actor,
        company=company,
        target=fy,
        after={"name": fy.name, "start": fy.start, "end": fy.end},
    )
    return fy


def period_for(company: Any, day: date) -> Period:
    """The period containing ``day``; ValidationFailed if the books have none."""
    # = .filter(...).select_related("fiscal_year").order_by().first(), without the
    # ORM's query building: this runs once per posting (see common.fetch).
    on = connection.ops.adapt_datefield_value(day)
    rows = fetch(
        Period,
        'WHERE accounting_period.company_id = %s AND accounting_period."start" <= %s'
        ' AND accounting_period."end" >= %s ORDER BY accounting_period.id LIMIT 1',
        [getattr(company, "pk", company), on, on],
        related="fiscal_year",
    )
    period = rows[0] if rows else None
    if period is None:
        raise ValidationFailed(
            _("There is no accounting period for %(d)s: open the fiscal year first.")
            % {"d": f"{day:%d/%m/%Y}"},
            code="no_period",
        )
    return period


_TRANSITIONS = {
    (PeriodState.OPEN, PeriodState.CLOSED): "accounting.close_period",
    (PeriodState.CLOSED, PeriodState.OPEN): "accounting.close_period",
    (PeriodState.CLOSED, PeriodState.LOCKED): "accounting.lock_period",
    (PeriodState.OPEN, PeriodState.LOCKED): "accounting.lock_period",
    (PeriodState.LOCKED, PeriodState.CLOSED): "accounting.lock_period",
}


@transaction.atomic
def period_set_state(*, actor: Any, period: Period, state: str) -> Period:
    """open -> closed -> locked and back one step at a time (locked -> closed);
    closing/reopening needs ``close_period``, locking/unlocking ``lock_period``."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    current = PeriodState(period.state)
    target = PeriodState(state)
    if current == target:
        return period
    perm = _TRANSITIONS.get((current, target))
    if perm is None:
        raise ValidationFailed(
            _("Period %(p)s cannot go from %(a)s to %(b)s.")
            % {"p": str(period), "a": current.label, "b": target.label},
            code="invalid_period_transition",
        )
    authorise(actor, period.company, perm)
    period.state = target
    period.save(update_fields=["state", "updated_at"])
    if target == PeriodState.LOCKED:
        openings.refresh(period.company)
    elif current == PeriodState.LOCKED:
        openings.invalidate(period.company, period.start)
    audit_record(
        event_type="PERIOD_STATE_CHANGED",
        actor=actor,
        company=period.company,
        target=period,
        before={"state": current.value},
        after={"state": target.value},
    )
    return period


def default_journal(company: Any) -> Journal:
    journal = (
        Journal.objects.filter(company=company, kind=JournalKind.GENERAL, is_active=True)
        .order_by("code")
        .first()
    )
    if journal is None:
        raise ValidationFailed(
            _("The books have no general journal; create one first."), code="no_journal"
        )
    return journal


__all__ = [
    "DEFAULT_JOURNALS",
    "account_create",
    "accounts_import",
    "books_create",
    "chart_rows",
    "default_journal",
    "fiscal_year_create",
    "is_system",
    "on_company_created",
    "period_for",
    "period_set_state",
    "unemployment_insurance_account",
]
