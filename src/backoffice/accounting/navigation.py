"""The desk sidebar's "Kế toán" group (registered once, from AppConfig.ready
through ``from backoffice.accounting import navigation``).

Links are resolved when the sidebar is drawn; the report screens link only
once their URLs exist (the REPORTS screens land separately), so a missing
one hides its item instead of breaking every desk page.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from backoffice.core.navigation import register_group


def _url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


_lazy_url = lazy(_url, str)


def _allowed(perm: str, url_name: str | None = None):
    def check(request) -> bool:
        if url_name is not None and not _url(url_name):
            return False
        return bool(request.user.has_perm(perm))

    return check


def _item(title, icon: str, url_name: str, perm: str) -> dict:
    return {
        "title": title,
        "icon": icon,
        "link": _lazy_url(url_name),
        "permission": _allowed(perm, None if url_name.startswith("admin:") else url_name),
    }


ITEMS = [
    _item(_("Journal entries"), "receipt_long", "admin:accounting_entry_changelist",
          "accounting.view_entry"),
    _item(_("Chart of accounts"), "account_tree", "admin:accounting_account_changelist",
          "accounting.view_account"),
    _item(_("Journals"), "menu_book", "admin:accounting_journal_changelist",
          "accounting.view_journal"),
    _item(_("Accounting periods"), "event_available", "admin:accounting_period_changelist",
          "accounting.view_period"),
    _item(_("Fiscal years"), "calendar_month", "admin:accounting_fiscalyear_changelist",
          "accounting.view_fiscalyear"),
    _item(_("Exchange rates"), "currency_exchange", "admin:accounting_exchangerate_changelist",
          "accounting.view_exchangerate"),
    _item(_("Trial balance"), "balance", "accounting:trial_balance", "accounting.view_reports"),
    _item(_("General journal"), "list_alt", "accounting:general_journal",
          "accounting.view_reports"),
    _item(_("General ledger"), "book", "accounting:ledger", "accounting.view_reports"),
    _item(_("Cash and bank books"), "payments", "accounting:cash_book",
          "accounting.view_reports"),
    _item(_("Financial statements"), "summarize", "accounting:balance_sheet",
          "accounting.view_reports"),
]  # fmt: skip

register_group(20, {"title": _("Accounting"), "items": ITEMS})
