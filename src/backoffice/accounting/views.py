"""Report screens of the desk (namespace "accounting"): trial balance, general
journal, ledger, cash and bank books, financial statements, each with date
filters, drill-down to the entries and XLSX/PDF export (``?export=xlsx|pdf``).

Thin: every view checks ``accounting.view_reports`` in the active company and
calls :mod:`backoffice.accounting.reports`; the desk layout (sidebar) comes
from the admin site's context.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.accounting import exports, reports
from backoffice.accounting.models import Account
from backoffice.core.exceptions import ApplicationError, PermissionDenied
from backoffice.core.money import format_vnd
from backoffice.core.request_context import request_company

PERM = "accounting.view_reports"


def _report_view(fn: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Desk login (admin_view), then the permission in the active company."""

    @wraps(fn)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        company = request_company(request)
        if company is None or not request.user.has_perm(PERM):
            return _denied(request)
        try:
            return fn(request, company, *args, **kwargs)
        except PermissionDenied:
            return _denied(request)
        except ApplicationError as exc:
            return render(
                request,
                "accounting/reports/error.html",
                _ctx(request, title=_("Report"), message=exc.message),
                status=exc.status,
            )

    return admin.site.admin_view(inner)


def _denied(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounting/reports/error.html",
        _ctx(
            request,
            title=_("Access denied"),
            message=_("You do not have permission to see the reports."),
        ),
        status=403,
    )


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _n(amount: Decimal | None, currency: str, blank_zero: bool = True) -> str:
    """1.234.567 (no symbol; the unit is in the header). Negative: (1.234.567)."""
    if amount is None or (blank_zero and not amount):
        return ""
    text = format_vnd(abs(amount), currency).rsplit(" ", 1)[0]
    return f"({text})" if amount < 0 else text


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApplicationError(
            _("Not a valid date: %(v)s") % {"v": value}, code="bad_date"
        ) from None


def _dates(request: HttpRequest, company, default: str = "span") -> tuple[date | None, date | None]:
    lo = _parse_date(request.GET.get("from"))
    hi = _parse_date(request.GET.get("to"))
    if default == "year" and (lo is None or hi is None):
        span_lo, span_hi = reports.ledger_span(company)
        hi = hi or span_hi or timezone.localdate()
        lo = lo or reports._fiscal_year_start(company, hi)
    if lo and hi and lo > hi:
        raise ApplicationError(_("The start date is after the end date."), code="bad_range")
    return lo, hi


def _page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _check_export_size(count: int) -> None:
    if count > reports.MAX_PAGE_SIZE:
        raise ApplicationError(
            _("The export holds at most %(n)s lines: choose a shorter date range.")
            % {"n": f"{reports.MAX_PAGE_SIZE:,}".replace(",", ".")},
            code="export_too_large",
        )


def _export(request: HttpRequest, company, table: exports.Table, name: str) -> HttpResponse | None:
    fmt = request.GET.get("export")
    if not fmt:
        return None
    content, ctype, ext = exports.export(table, company, fmt)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}-{company.code}.{ext}"'
    return response


def _links(request: HttpRequest) -> dict[str, str]:
    """The current query string with export=xlsx / pdf, and without page."""
    params = {k: v for k, v in request.GET.items() if k not in ("export", "page")}
    return {
        "xlsx": "?" + urlencode({**params, "export": "xlsx"}),
        "pdf": "?" + urlencode({**params, "export": "pdf"}),
        "query": urlencode(params),
    }


def _entry_url(entry_id: int) -> str:
    return reverse("admin:accounting_entry_change", args=[entry_id])


def _ledger_url(code: str, lo: date | None, hi: date | None) -> str:
    params = {"account": code}
    if lo:
        params["from"] = lo.isoformat()
    if hi:
        params["to"] = hi.isoformat()
    return reverse("accounting:ledger") + "?" + urlencode(params)


def _base(request, company, title: str, form: str, lo, hi, **extra) -> dict[str, Any]:
    return _ctx(
        request,
        title=title,
        form=form,
        company=company,
        date_from=lo.isoformat() if lo else "",
        date_to=hi.isoformat() if hi else "",
        period=(
            exports._period(lo, hi)
            if lo
            else (_("As at %(d)s") % {"d": f"{hi:%d/%m/%Y}"} if hi else "")
        ),
        links=_links(request),
        report_nav=_nav(),
        **extra,
    )


def _nav() -> list[tuple[str, str]]:
    return [
        (reverse("accounting:trial_balance"), _("Trial balance")),
        (reverse("accounting:general_journal"), _("General journal")),
        (reverse("accounting:ledger"), _("General ledger")),
        (reverse("accounting:cash_book"), _("Cash book")),
        (reverse("accounting:bank_book"), _("Bank book")),
        (reverse("accounting:balance_sheet"), _("Balance sheet")),
        (reverse("accounting:income_statement"), _("Income statement")),
        (reverse("accounting:cash_flow"), _("Cash flow")),
    ]


@_report_view
def trial_balance(request: HttpRequest, company) -> HttpResponse:
    lo, hi = _dates(request, company)
    rollup = request.GET.get("level") == "1"
    tb = reports.trial_balance(company=company, date_from=lo, date_to=hi, rollup=rollup)
    exported = _export(request, company, exports.trial_balance_table(tb), "trial-balance")
    if exported:
        return exported
    cur = company.currency
    rows = [
        {
            "code": r.code,
            "name": r.name,
            "url": _ledger_url(r.code, tb.date_from, tb.date_to),
            "amounts": [_n(getattr(r, k), cur) for k in r.AMOUNTS],
        }
        for r in tb
    ]
    total = [_n(getattr(tb.total, k), cur, blank_zero=False) for k in tb.total.AMOUNTS]
    return render(
        request,
        "accounting/reports/trial_balance.html",
        _base(request, company, _("Trial balance"), "S06-DN", tb.date_from, tb.date_to,
              rows=rows, total=total, rollup=rollup),
    )  # fmt: skip


def _ledger_rows(page: reports.LedgerPage, cur: str) -> list[dict[str, Any]]:
    return [
        {
            "date": f"{r.date:%d/%m/%Y}",
            "number": r.number,
            "url": _entry_url(r.entry_id),
            "description": r.description,
            "account": r.account_code,
            "contra": ", ".join(r.contra),
            "debit": _n(r.debit, cur),
            "credit": _n(r.credit, cur),
            "balance": _n(r.balance, cur, blank_zero=False),
        }
        for r in page.rows
    ]


def _ledger_ctx(request, company, page: reports.LedgerPage, title: str, form: str, **extra):
    cur = company.currency
    return _base(
        request,
        company,
        title,
        form,
        page.date_from,
        page.date_to,
        page=page,
        rows=_ledger_rows(page, cur),
        opening=_n(page.page_opening, cur, blank_zero=False),
        closing=_n(page.closing, cur, blank_zero=False),
        total_debit=_n(page.total_debit, cur, blank_zero=False),
        total_credit=_n(page.total_credit, cur, blank_zero=False),
        prev_page=page.page - 1 if page.page > 1 else None,
        next_page=page.page + 1 if page.page < page.pages else None,
        **extra,
    )


@_report_view
def ledger(request: HttpRequest, company) -> HttpResponse:
    lo, hi = _dates(request, company)
    code = request.GET.get("account", "").strip()
    accounts = list(Account.objects.filter(company=company).order_by("code").values("code", "name"))
    if not code:
        return render(
            request,
            "accounting/reports/ledger.html",
            _base(request, company, _("General ledger"), "S03b-DN", lo, hi,
                  page=None, accounts=accounts, account_code=""),
        )  # fmt: skip
    account = Account.objects.filter(company=company, code=code).first()
    if account is None:
        raise Http404(_("No such account."))
    page = reports.ledger(account=account, date_from=lo, date_to=hi, page=_page(request))
    if request.GET.get("export"):
        full = reports.ledger(
            account=account, date_from=lo, date_to=hi, page=1, page_size=reports.MAX_PAGE_SIZE
        )
        _check_export_size(full.count)
        return _export(request, company, exports.ledger_table(full, company), f"ledger-{code}")
    return render(
        request,
        "accounting/reports/ledger.html",
        _ledger_ctx(
            request, company, page, _("General ledger") + f" {account.code} {account.name}",
            "S03b-DN", accounts=accounts, account_code=code,
        ),
    )  # fmt: skip


def _book(request, company, kind: str) -> HttpResponse:
    lo, hi = _dates(request, company)
    fn = reports.cash_book if kind == "cash" else reports.bank_book
    form = "S07-DN" if kind == "cash" else "S08-DN"
    title = _("Cash book") if kind == "cash" else _("Bank book")
    page = fn(company=company, date_from=lo, date_to=hi, page=_page(request))
    if request.GET.get("export"):
        full = fn(
            company=company, date_from=lo, date_to=hi, page=1, page_size=reports.MAX_PAGE_SIZE
        )
        _check_export_size(full.count)
        return _export(request, company, exports.ledger_table(full, company, form), f"{kind}-book")
    return render(
        request,
        "accounting/reports/ledger.html",
        _ledger_ctx(request, company, page, title, form, accounts=None, account_code=""),
    )


@_report_view
def cash_book(request: HttpRequest, company) -> HttpResponse:
    return _book(request, company, "cash")


@_report_view
def bank_book(request: HttpRequest, company) -> HttpResponse:
    return _book(request, company, "bank")


@_report_view
def general_journal(request: HttpRequest, company) -> HttpResponse:
    lo, hi = _dates(request, company)
    page = reports.general_journal(company=company, date_from=lo, date_to=hi, page=_page(request))
    if request.GET.get("export"):
        full = reports.general_journal(
            company=company, date_from=lo, date_to=hi, page=1, page_size=reports.MAX_PAGE_SIZE
        )
        _check_export_size(full.count)
        return _export(request, company, exports.journal_table(full, company), "general-journal")
    cur = company.currency
    rows = [
        {
            "date": f"{r.date:%d/%m/%Y}" if r.first else "",
            "number": r.number if r.first else "",
            "url": _entry_url(r.entry_id),
            "description": r.description,
            "account": r.account_code,
            "account_url": _ledger_url(r.account_code, page.date_from, page.date_to),
            "debit": _n(r.debit, cur),
            "credit": _n(r.credit, cur),
            "first": r.first,
        }
        for r in page.rows
    ]
    return render(
        request,
        "accounting/reports/journal.html",
        _base(request, company, _("General journal"), "S03a-DN", page.date_from, page.date_to,
              page=page, rows=rows,
              total_debit=_n(page.total_debit, cur, blank_zero=False),
              total_credit=_n(page.total_credit, cur, blank_zero=False),
              prev_page=page.page - 1 if page.page > 1 else None,
              next_page=page.page + 1 if page.page < page.pages else None),
    )  # fmt: skip


def _statement(request, company, kind: str) -> HttpResponse:
    lo, hi = _dates(request, company, default="year")
    assert hi is not None
    if kind == "balance_sheet":
        st = reports.balance_sheet(company=company, as_of=hi)
    elif kind == "income_statement":
        st = reports.income_statement(company=company, date_from=lo, date_to=hi)
    else:
        st = reports.cash_flow(company=company, date_from=lo, date_to=hi)
    exported = _export(request, company, exports.statement_table(st), kind.replace("_", "-"))
    if exported:
        return exported
    cur = company.currency
    lines = [
        {
            "code": ln.code,
            "label": ln.label,
            "amount": _n(ln.amount, cur, blank_zero=False),
            "prior": _n(ln.prior, cur, blank_zero=False),
            "bold": ln.bold,
            "indent": ln.indent,
        }
        for ln in st.lines
    ]
    if kind == "balance_sheet":
        headers = (_("End of period"), _("Start of year"))
    else:
        headers = (_("This period"), _("Same period last year"))
    return render(
        request,
        "accounting/reports/statement.html",
        _base(request, company, st.title, st.form, lo if kind != "balance_sheet" else None, hi,
              lines=lines, headers=headers, kind=kind),
    )  # fmt: skip


@_report_view
def balance_sheet(request: HttpRequest, company) -> HttpResponse:
    return _statement(request, company, "balance_sheet")


@_report_view
def income_statement(request: HttpRequest, company) -> HttpResponse:
    return _statement(request, company, "income_statement")


@_report_view
def cash_flow(request: HttpRequest, company) -> HttpResponse:
    return _statement(request, company, "cash_flow")


def _period_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The pre-close checklist of a period and the close itself (POST), for
    holders of ``accounting.close_period`` in the period's company."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from backoffice.accounting.closing import close_checklist, closing_entries, period_close
    from backoffice.accounting.models import Period, PeriodState

    company = request_company(request)
    if company is None or not request.user.has_perm("accounting.close_period"):
        return _denied(request)
    period = Period.objects.filter(company=company, pk=pk).first()
    if period is None:
        raise Http404(_("No such period."))
    if request.method == "POST":
        try:
            result = period_close(
                actor=request.user,
                period=period,
                acknowledge=request.POST.getlist("acknowledge"),
                note=request.POST.get("note", "")[:500],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Period %(p)s closed; result %(r)s.")
                % {"p": str(period), "r": format_vnd(result.profit, company.currency)},
            )
            return redirect(reverse("accounting:period_close", args=[period.pk]))
        period.refresh_from_db()
    items = close_checklist(period=period)
    return render(
        request,
        "accounting/reports/period_close.html",
        _ctx(
            request,
            title=_("Close period %(p)s") % {"p": str(period)},
            period=period,
            company=company,
            items=items,
            is_open=period.state == PeriodState.OPEN,
            entries_links=[(e, _entry_url(e.pk)) for e in closing_entries(period=period)],
            tb_url=reverse("accounting:trial_balance")
            + "?"
            + urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()}),
        ),
    )


period_close = admin.site.admin_view(_period_close)
