"""The accounting services (the writes of the general ledger), one module to
import from. The code lives in private modules by theme:

- :mod:`.charts`: books from a chart template, accounts, fiscal years, periods;
- :mod:`.posting`: entries (draft, post, reverse, delete);
- :mod:`.ledger`: the rules every posting follows (validation, period rights,
  voucher numbers, balances); :mod:`.rates`: exchange rates;
- :mod:`.imports`: CSV imports of charts, journal entries and rates.

Conventions: keyword-only ``actor`` first (a User acting in their active
company; ``None`` or a label such as ``"cli"`` for system jobs, audited under
that label); one transaction per call; every write audited; errors are
``core.exceptions`` with translated messages.
"""

from __future__ import annotations

from backoffice.accounting.charts import (
    DEFAULT_JOURNALS,
    account_create,
    accounts_import,
    books_create,
    chart_rows,
    default_journal,
    fiscal_year_create,
    period_for,
    period_set_state,
    unemployment_insurance_account,
)
from backoffice.accounting.imports import (
    ImportFailed,
    ImportResult,
    RowError,
    journal_import,
    rates_import,
)
from backoffice.accounting.ledger import LineInput, check_period, voucher_number
from backoffice.accounting.posting import (
    entry_create,
    entry_delete,
    entry_post,
    entry_reverse,
    entry_update,
)
from backoffice.accounting.rates import rate_for, rate_set

__all__ = [
    "DEFAULT_JOURNALS",
    "ImportFailed",
    "ImportResult",
    "LineInput",
    "RowError",
    "account_create",
    "accounts_import",
    "books_create",
    "chart_rows",
    "check_period",
    "default_journal",
    "entry_create",
    "entry_delete",
    "entry_post",
    "entry_reverse",
    "entry_update",
    "fiscal_year_create",
    "journal_import",
    "period_for",
    "period_set_state",
    "rate_for",
    "rate_set",
    "rates_import",
    "unemployment_insurance_account",
    "voucher_number",
]
