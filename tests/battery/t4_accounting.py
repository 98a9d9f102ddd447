"""T4 tables of the accounting app: who may open its desk screens, its extra desk
URLs (the CSV imports) and its report pages, and one row per screen in each of
the two companies (markers on list/detail pages, tokens in CSV exports).

Posting, reversing and printing are changelist actions (no URL of their own):
their permissions are proven by the app's tests (test_admin_*.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from t4_base import Row, Screen

DESK = {
    "accounting.account": Screen("accounting.view_account", "accounting.add_account"),
    "accounting.journal": Screen("accounting.view_journal"),
    "accounting.fiscalyear": Screen("accounting.view_fiscalyear", "accounting.add_fiscalyear"),
    "accounting.period": Screen("accounting.view_period"),
    "accounting.entry": Screen(
        "accounting.view_entry",
        "accounting.add_entry",
        "accounting.add_entry",
        "accounting.delete_entry",
    ),
    "accounting.exchangerate": Screen(
        "accounting.view_exchangerate",
        "accounting.add_exchangerate",
        "accounting.change_exchangerate",
    ),
}

EXTRA_URLS = {
    "accounting_account_import_chart": "accounting.add_account",
    "accounting_entry_import_journal": "accounting.add_entry",
    "accounting_exchangerate_import_rates": "accounting.add_exchangerate",
}


def _report_url_names() -> set[str]:
    """The report screens' URL names (accounting/urls.py of the REPORTS part)."""
    try:
        from backoffice.accounting import urls
    except ImportError:
        return set()
    return {p.name for p in getattr(urls, "urlpatterns", []) if getattr(p, "name", None)}


APP_URLS = {"accounting": _report_url_names()}

# Rates: the list shows "731,918273", an editable form "731.918273": the decimals mark.
RATES = {"ALPHA": (Decimal("731.918273"), "918273"), "BRAVO": (Decimal("642.564738"), "564738")}


def build_rows(a, b, alpha, bravo) -> dict[str, dict[str, Row]]:
    from backoffice.accounting.models import (
        Account,
        Entry,
        ExchangeRate,
        FiscalYear,
        Journal,
        Period,
    )

    def rows(company, tag, year):
        out = {}
        acct = Account.objects.create(
            company=company, code="9001", name=f"{tag}-ACCOUNT-NAME", type="asset"
        )
        out["accounting.account"] = Row(acct, acct.name, str(acct.public_id))
        journal = Journal.objects.create(
            company=company, code=f"J{tag[0]}", name=f"{tag}-JOURNAL-NAME", kind="general"
        )
        out["accounting.journal"] = Row(journal, journal.name, str(journal.public_id))
        fy = FiscalYear.objects.create(
            company=company, name=f"{tag}-FY-NAME", start=date(year, 1, 1), end=date(year, 12, 31)
        )
        out["accounting.fiscalyear"] = Row(fy, fy.name, str(fy.public_id))
        pfy = FiscalYear.objects.create(
            company=company,
            name=f"{tag}-PERIOD-FY",
            start=date(year + 1, 1, 1),
            end=date(year + 1, 12, 31),
        )
        period = Period.objects.create(
            company=company,
            fiscal_year=pfy,
            number=1,
            start=date(year + 1, 1, 1),
            end=date(year + 1, 1, 31),
        )
        out["accounting.period"] = Row(period, pfy.name, str(period.public_id))
        entry = Entry.objects.create(
            company=company,
            journal=journal,
            date=date(year + 1, 1, 15),
            description=f"{tag}-ENTRY-DESC",
            currency=company.currency,
        )
        out["accounting.entry"] = Row(entry, entry.description, str(entry.public_id))
        rate, marker = RATES[tag]
        fx = ExchangeRate.objects.create(
            company=company, currency="USD", date=date(year, 3, 14), rate=rate
        )
        out["accounting.exchangerate"] = Row(fx, marker, str(fx.public_id))
        return out

    own, other = rows(a, "ALPHA", 2031), rows(b, "BRAVO", 2041)
    return {label: {"own": own[label], "other": other[label]} for label in DESK}
