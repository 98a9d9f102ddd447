"""Accounting permissions and the default grants (registered from AppConfig.ready).

Posting rules by period state (services enforce them):
- open: anyone with ``accounting.post_entry``;
- closed: only holders of ``accounting.post_closed_period`` (chief accountant);
- locked: nobody.
"""

from __future__ import annotations

from backoffice.core.enums import Role

ACCOUNTING_PERMISSIONS: dict[str, str] = {
    "accounting.view_account": "see the chart of accounts",
    "accounting.add_account": "add accounts and sub-accounts, import a chart",
    "accounting.change_account": "rename or deactivate accounts",
    "accounting.view_journal": "see journals",
    "accounting.add_journal": "create journals",
    "accounting.change_journal": "edit journals",
    "accounting.view_fiscalyear": "see fiscal years",
    "accounting.add_fiscalyear": "open a new fiscal year",
    "accounting.view_period": "see accounting periods",
    "accounting.close_period": "close and reopen periods, run the period close",
    "accounting.lock_period": "lock and unlock periods",
    "accounting.view_entry": "see journal entries and vouchers",
    "accounting.add_entry": "create and edit draft entries, import entries",
    "accounting.delete_entry": "delete draft entries",
    "accounting.post_entry": "post entries into open periods",
    "accounting.post_closed_period": "post entries into closed periods",
    "accounting.reverse_entry": "reverse posted entries",
    "accounting.view_reports": "see books, trial balance and financial statements",
    "accounting.view_exchangerate": "see exchange rates",
    "accounting.add_exchangerate": "enter and import exchange rates",
    "accounting.change_exchangerate": "correct exchange rates",
}

_READ = {
    "accounting.view_account", "accounting.view_journal", "accounting.view_fiscalyear",
    "accounting.view_period", "accounting.view_entry", "accounting.view_reports",
    "accounting.view_exchangerate",
}  # fmt: skip
_KEEP_BOOKS = _READ | {
    "accounting.add_entry", "accounting.delete_entry", "accounting.post_entry",
    "accounting.reverse_entry", "accounting.add_exchangerate", "accounting.change_exchangerate",
}  # fmt: skip

ACCOUNTING_GRANTS: dict[str, set[str]] = {
    Role.ACCOUNTANT: _KEEP_BOOKS,
    Role.CHIEF_ACCOUNTANT: _KEEP_BOOKS
    | {
        "accounting.add_account",
        "accounting.change_account",
        "accounting.add_journal",
        "accounting.change_journal",
        "accounting.add_fiscalyear",
        "accounting.close_period",
        "accounting.lock_period",
        "accounting.post_closed_period",
    },  # fmt: skip
    # Read-only users of the figures.
    Role.DATA_ANALYST: {"accounting.view_reports", "accounting.view_account"},
    Role.RISK_ANALYST: {"accounting.view_reports", "accounting.view_account"},
    Role.COMPLIANCE_OFFICER: _READ,
}
