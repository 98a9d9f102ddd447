"""The accounting API (mounted at /api/v1/accounting/ by backoffice.api).

Thin adapters: reads are scoped to the request's company and checked against
the caller's permissions (deny by default) in the ``_list`` helpers below;
writes go through ``accounting.services``, which check permissions and
business rules themselves; reports come from ``accounting.reports``.

Errors have the product's shape ``{"code", "message", "extra"}``: 404 for
anything outside the caller's company, 403 without the permission, 409 for a
state conflict (already reversed ...), 422 for a refused entry (unbalanced,
unknown account, locked period ...).
"""

from datetime import date as Date
from typing import Annotated, Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from backoffice.accounting import reports
from backoffice.accounting.models import (
    API_KEY_MAX,
    API_KEY_PREFIX,
    Account,
    Entry,
    EntryState,
    ExchangeRate,
    Journal,
    Period,
    VoucherType,
)
from backoffice.accounting.schemas import (
    AccountCode,
    AccountIn,
    AccountOut,
    Currency,
    EntryDetailOut,
    EntryIn,
    EntryOut,
    IsoDate,
    JournalCode,
    JournalOut,
    LedgerOut,
    PeriodOut,
    RateIn,
    RateOut,
    ReverseIn,
    StatementOut,
    TrialBalanceOut,
)
from backoffice.core.api import ERRORS, Pagination
from backoffice.core.api import _company as company_of
from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.models import Company
from backoffice.core.request_context import request_user
from backoffice.core.selectors import _get, require_perm, scope_to_company

router = Router(tags=["accounting"])

# A client's idempotency keys live in their own namespace ("api:<key>"): a key the
# product uses itself ("payroll:<run>:accrual", "expense-claim:<claim>") can be
# neither taken over (the claim would be "posted" as the client's entry) nor read
# back (the 200 answer would show the payroll entry) through the API.
IdempotencyKey = Annotated[
    str, Field(min_length=1, max_length=API_KEY_MAX, pattern=r"^[\x21-\x7e]+$")
]


def _services():
    from backoffice.accounting import services

    return services


# --- reads (company + permission) ------------------------------------------------------


def _scoped(request: HttpRequest, qs: QuerySet[Any], perm: str) -> tuple[QuerySet[Any], Company]:
    require_perm(request.user, perm)
    company = company_of(request)
    return scope_to_company(qs, company), company


def _entry(request: HttpRequest, entry_id: UUID) -> Entry:
    qs, _company = _scoped(
        request,
        Entry.objects.select_related("journal", "company", "reversal_of"),
        "accounting.view_entry",
    )
    return _get(qs, entry_id, _("Entry"))


def _account_by_code(company: Company, code: str) -> Account:
    account = Account.objects.filter(company=company, code=code).first()
    if account is None:
        raise NotFound(_("Account %(c)s not found.") % {"c": code}, code="account_not_found")
    return account


def _range(date_from: Date | None, date_to: Date | None) -> None:
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed(_("The start date is after the end date."), code="invalid_range")


# --- accounts ---------------------------------------------------------------------------


class AccountFilter(Schema):
    search: Annotated[str, Field(max_length=100)] | None = None
    type: Annotated[str, Field(max_length=12)] | None = None
    postable: bool | None = None


@router.get("/accounts", response={200: list[AccountOut], **ERRORS}, summary="Chart of accounts")
@paginate(Pagination)
def account_list(request: HttpRequest, filters: Query[AccountFilter]):
    qs, _c = _scoped(request, Account.objects.select_related("parent"), "accounting.view_account")
    if filters.search:
        from django.db.models import Q

        qs = qs.filter(Q(code__startswith=filters.search) | Q(name__icontains=filters.search))
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.postable is not None:
        qs = qs.filter(is_postable=filters.postable)
    return qs.order_by("code")


@router.get("/accounts/{account_id}", response={200: AccountOut, **ERRORS})
def account_detail(request: HttpRequest, account_id: UUID):
    qs, _c = _scoped(request, Account.objects.select_related("parent"), "accounting.view_account")
    return _get(qs, account_id, _("Account"))


@router.post("/accounts", response={201: AccountOut, **ERRORS}, summary="Add a (sub-)account")
def account_create(request: HttpRequest, payload: AccountIn):
    company = company_of(request)
    account = _services().account_create(  # resolves the parent after checking rights
        actor=request_user(request),
        company=company,
        code=payload.code,
        name=payload.name,
        name_en=payload.name_en,
        type=payload.type,
        parent=payload.parent or None,
        tag=payload.tag,
    )
    return Status(201, account)


# --- journals and periods ---------------------------------------------------------------


@router.get("/journals", response={200: list[JournalOut], **ERRORS})
@paginate(Pagination)
def journal_list(request: HttpRequest):
    qs, _c = _scoped(request, Journal.objects.all(), "accounting.view_journal")
    return qs.order_by("code")


class PeriodFilter(Schema):
    state: Annotated[str, Field(max_length=8)] | None = None
    year: Annotated[int, Field(ge=1900, le=2999)] | None = None


@router.get("/periods", response={200: list[PeriodOut], **ERRORS})
@paginate(Pagination)
def period_list(request: HttpRequest, filters: Query[PeriodFilter]):
    qs, _c = _scoped(
        request, Period.objects.select_related("fiscal_year"), "accounting.view_period"
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.year:
        qs = qs.filter(start__year=filters.year)
    return qs.order_by("start")


# --- entries ----------------------------------------------------------------------------


class EntryFilter(Schema):
    state: EntryState | None = None
    journal: JournalCode | None = None
    voucher_type: VoucherType | None = None
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    search: Annotated[str, Field(max_length=100)] | None = None


@router.get("/entries", response={200: list[EntryOut], **ERRORS}, summary="Journal entries")
@paginate(Pagination)
def entry_list(request: HttpRequest, filters: Query[EntryFilter]):
    qs, _c = _scoped(
        request,
        Entry.objects.select_related("journal", "reversal_of"),
        "accounting.view_entry",
    )
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.journal:
        qs = qs.filter(journal__code=filters.journal)
    if filters.voucher_type:
        qs = qs.filter(voucher_type=filters.voucher_type)
    if filters.date_from:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(date__lte=filters.date_to)
    if filters.search:
        from django.db.models import Q

        qs = qs.filter(
            Q(number__icontains=filters.search)
            | Q(description__icontains=filters.search)
            | Q(partner__icontains=filters.search)
        )
    return qs.order_by("-date", "-id")


@router.get("/entries/{entry_id}", response={200: EntryDetailOut, **ERRORS})
def entry_detail(request: HttpRequest, entry_id: UUID):
    return _entry(request, entry_id)


@router.post(
    "/entries",
    response={200: EntryDetailOut, 201: EntryDetailOut, **ERRORS},
    summary="Create a draft entry (or post it at once)",
    description=(
        "201 with the new entry; 200 with the earlier entry when the idempotency key "
        "(body field or Idempotency-Key header) was already used in the company."
    ),
)
def entry_create(
    request: HttpRequest,
    payload: EntryIn,
    idempotency_header: IdempotencyKey | None = Header(None, alias="Idempotency-Key"),  # noqa: B008 - ninja's parameter style
):
    services = _services()
    company = company_of(request)
    given = payload.idempotency_key or idempotency_header
    key = f"{API_KEY_PREFIX}{given}" if given else None
    if key and Entry.objects.filter(company=company, idempotency_key=key).exists():
        require_perm(request.user, "accounting.add_entry")
        return Status(200, Entry.objects.get(company=company, idempotency_key=key))
    lines = [
        services.LineInput(
            account=line.account,
            debit=line.debit,
            credit=line.credit,
            description=line.description,
            amount_currency=line.amount_currency,
        )
        for line in payload.lines
    ]
    with transaction.atomic():
        entry = services.entry_create(
            actor=request_user(request),
            company=company,
            date=payload.date,
            description=payload.description,
            lines=lines,
            journal=payload.journal,
            voucher_type=payload.voucher_type,
            currency=payload.currency,
            rate=payload.rate,
            reference=payload.reference,
            partner=payload.partner,
            idempotency_key=key,
            post=payload.post,
        )
    return Status(201, entry)


@router.post(
    "/entries/{draft_id}/post",
    response={200: EntryDetailOut, **ERRORS},
    summary="Post a draft (it gets its number)",
)
def entry_post(request: HttpRequest, draft_id: UUID):
    entry = _entry(request, draft_id)
    return _services().entry_post(actor=request_user(request), entry=entry)


@router.post(
    "/entries/{draft_id}/submit",
    response={200: EntryDetailOut, **ERRORS},
    summary="Send a draft for approval (posted when the approval completes)",
)
def entry_submit(request: HttpRequest, draft_id: UUID):
    from backoffice.accounting.approvals import entry_submit as submit

    return submit(actor=request_user(request), entry=_entry(request, draft_id))


@router.post(
    "/entries/{posted_id}/reverse",
    response={201: EntryDetailOut, **ERRORS},
    summary="Reverse a posted entry (a new posted entry, linked to it)",
)
def entry_reverse(request: HttpRequest, posted_id: UUID, payload: ReverseIn | None = None):
    entry = _entry(request, posted_id)
    with transaction.atomic():
        reversal = _services().entry_reverse(
            actor=request_user(request),
            entry=entry,
            date=payload.date if payload else None,
            description=payload.description if payload else None,
        )
    return Status(201, reversal)


@router.delete("/entries/{entry_id}", response={204: None, **ERRORS}, summary="Delete a draft")
def entry_delete(request: HttpRequest, entry_id: UUID):
    entry = _entry(request, entry_id)
    _services().entry_delete(actor=request_user(request), entry=entry)
    return Status(204, None)


# --- exchange rates ---------------------------------------------------------------------


class RateFilter(Schema):
    currency: Currency | None = None


@router.get("/exchange-rates", response={200: list[RateOut], **ERRORS})
@paginate(Pagination)
def rate_list(request: HttpRequest, filters: Query[RateFilter]):
    qs, _c = _scoped(request, ExchangeRate.objects.all(), "accounting.view_exchangerate")
    if filters.currency:
        qs = qs.filter(currency=filters.currency)
    return qs.order_by("currency", "-date")


@router.post("/exchange-rates", response={201: RateOut, **ERRORS})
def rate_create(request: HttpRequest, payload: RateIn):
    rate = _services().rate_set(
        actor=request_user(request),
        company=company_of(request),
        currency=payload.currency,
        date=payload.date,
        rate=payload.rate,
    )
    return Status(201, rate)


# --- reports ----------------------------------------------------------------------------


def _report_company(request: HttpRequest) -> Company:
    require_perm(request.user, "accounting.view_reports")
    return company_of(request)


class RangeQuery(Schema):
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None


class RequiredRange(Schema):
    date_from: IsoDate
    date_to: IsoDate


@router.get("/reports/trial-balance", response={200: TrialBalanceOut, **ERRORS})
def report_trial_balance(request: HttpRequest, q: Query[RangeQuery]):
    """Bảng cân đối số phát sinh; without dates, from the first entry to the last."""
    company = _report_company(request)
    _range(q.date_from, q.date_to)
    tb = reports.trial_balance(company=company, date_from=q.date_from, date_to=q.date_to)
    return {"date_from": tb.date_from, "date_to": tb.date_to, "rows": tb.rows, "total": tb.total}


class AsOfQuery(Schema):
    as_of: IsoDate | None = None


@router.get("/reports/balance-sheet", response={200: StatementOut, **ERRORS})
def report_balance_sheet(request: HttpRequest, q: Query[AsOfQuery]):
    company = _report_company(request)
    return reports.balance_sheet(company=company, as_of=q.as_of or timezone.localdate())


@router.get("/reports/income-statement", response={200: StatementOut, **ERRORS})
def report_income_statement(request: HttpRequest, q: Query[RequiredRange]):
    company = _report_company(request)
    _range(q.date_from, q.date_to)
    return reports.income_statement(company=company, date_from=q.date_from, date_to=q.date_to)


@router.get("/reports/cash-flow", response={200: StatementOut, **ERRORS})
def report_cash_flow(request: HttpRequest, q: Query[RequiredRange]):
    company = _report_company(request)
    _range(q.date_from, q.date_to)
    return reports.cash_flow(company=company, date_from=q.date_from, date_to=q.date_to)


class LedgerQuery(Schema):
    account: AccountCode
    date_from: IsoDate | None = None
    date_to: IsoDate | None = None
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=1000)] = 100


@router.get("/reports/ledger", response={200: LedgerOut, **ERRORS}, summary="Sổ Cái of an account")
def report_ledger(request: HttpRequest, q: Query[LedgerQuery]):
    company = _report_company(request)
    _range(q.date_from, q.date_to)
    account = _account_by_code(company, q.account)
    page = reports.ledger(
        account=account,
        date_from=q.date_from,
        date_to=q.date_to,
        page=q.page,
        page_size=q.page_size,
    )
    public = dict(
        Entry.objects.filter(pk__in={r.entry_id for r in page.rows}).values_list("id", "public_id")
    )
    return {
        "account": account.code,
        "name": account.name,
        "date_from": page.date_from,
        "date_to": page.date_to,
        "opening": page.opening,
        "total_debit": page.total_debit,
        "total_credit": page.total_credit,
        "closing": page.closing,
        "page": page.page,
        "page_size": page.page_size,
        "count": page.count,
        "rows": [
            {
                "date": r.date,
                "entry_id": public.get(r.entry_id),
                "number": r.number,
                "description": r.description,
                "account": r.account_code,
                "contra": r.contra,
                "debit": r.debit,
                "credit": r.credit,
                "balance": r.balance,
            }
            for r in page.rows
        ],
    }
