"""The general ledger: chart of accounts, fiscal years and periods, journals,
entries (vouchers) and their lines, exchange rates, and the per-period
account balances maintained at posting.

Rules the database enforces itself (besides the services):
- a line has a non-negative debit and credit and exactly one of them is > 0
  (check constraints);
- a posted entry balances (sum of debits = sum of credits in the company
  currency) and its lines cannot change: triggers (migration 0002) on SQLite
  and PostgreSQL, so a raw SQL write cannot break the books either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.models import CompanyScopedModel

# Amounts: 20 digits, 2 decimals. The company currency (VND) is kept in whole
# units by the services (rounding half-up to the currency's minor unit).
AMOUNT = {"max_digits": 20, "decimal_places": 2}
# One amount as entered (a line, in đồng or in its currency) has at most 16
# digits before the point, so the totals and balances of many lines still fit
# the 18 the columns hold. The API, the services and the import all check it.
AMOUNT_DIGITS = 16
AMOUNT_LIMIT = 10**AMOUNT_DIGITS
# Rates (ExchangeRate.rate, Entry.rate): 18 digits, 6 of them decimals.
RATE_PLACES = 6
RATE_DIGITS = 18 - RATE_PLACES
# An API client's idempotency keys are stored as "api:<key>" in the 64 characters
# of Entry.idempotency_key (see api.entry_create).
API_KEY_PREFIX = "api:"
API_KEY_MAX = 64 - len(API_KEY_PREFIX)


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    EQUITY = "equity", _("Equity")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")
    OFF_BALANCE = "off_balance", _("Off-balance-sheet")


class Regime(models.TextChoices):
    TT99 = "tt99", _("Circular 99/2025/TT-BTC")
    TT133 = "tt133", _("Circular 133/2016/TT-BTC (SMEs)")
    NONE = "none", _("Empty chart")


class PeriodState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed (chief accountant only)")
    LOCKED = "locked", _("Locked")


class JournalKind(models.TextChoices):
    GENERAL = "general", _("General")
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank")
    SALES = "sales", _("Sales")
    PURCHASES = "purchases", _("Purchases")
    PAYROLL = "payroll", _("Payroll")


class VoucherType(models.TextChoices):
    RECEIPT = "PT", _("Cash receipt (phiếu thu)")
    PAYMENT = "PC", _("Cash payment (phiếu chi)")
    BANK_DEBIT = "BN", _("Bank debit note (giấy báo nợ)")
    BANK_CREDIT = "BC", _("Bank credit note (giấy báo có)")
    JOURNAL = "PKT", _("Journal voucher (phiếu kế toán)")


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    POSTED = "posted", _("Posted")


class EntrySource(models.TextChoices):
    MANUAL = "manual", _("Entered")
    IMPORT = "import", _("Imported")
    REVERSAL = "reversal", _("Reversal")
    CLOSING = "closing", _("Period close")
    EXPENSE = "expense", _("Expense claim")
    PAYROLL = "payroll", _("Payroll")
    DEMO = "demo", _("Demo data")


class Account(CompanyScopedModel):
    code = models.CharField(_("account number"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=12, choices=AccountType.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent account"),
    )
    # False for a parent account: entries go to its sub-accounts.
    is_postable = models.BooleanField(_("postable"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Free classification used by books and checks: "cash", "bank", "suspense", ...
    tag = models.CharField(_("tag"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="acct_account_code_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FiscalYear(CompanyScopedModel):
    name = models.CharField(_("name"), max_length=20)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        ordering = ["company", "start"]
        constraints = [
            models.UniqueConstraint(fields=["company", "start"], name="acct_fy_start_uniq"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="acct_fy_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Period(CompanyScopedModel):
    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.PROTECT, related_name="periods", verbose_name=_("fiscal year")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(
        _("state"), max_length=8, choices=PeriodState.choices, default=PeriodState.OPEN
    )
    # Pre-close checklist items the chief accountant acknowledged: {item: {by, at, note}}.
    close_acknowledgements = models.JSONField(_("acknowledged checks"), default=dict, blank=True)

    class Meta:
        verbose_name = _("accounting period")
        verbose_name_plural = _("accounting periods")
        ordering = ["company", "start"]
        constraints = [
            models.UniqueConstraint(fields=["company", "start"], name="acct_period_start_uniq"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="acct_period_end"),
        ]

    def __str__(self) -> str:
        return f"{self.start:%m/%Y}"


class Journal(CompanyScopedModel):
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=JournalKind.choices)
    default_voucher_type = models.CharField(
        _("default voucher type"),
        max_length=3,
        choices=VoucherType.choices,
        default=VoucherType.JOURNAL,
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["company", "code"]
        constraints = [
            models.UniqueConstraint(fields=["company", "code"], name="acct_journal_code_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class VoucherSequence(CompanyScopedModel):
    """The next gap-free number of a journal, voucher type and year, taken under
    a row lock in the posting transaction (a rollback gives the number back)."""

    journal = models.ForeignKey(Journal, on_delete=models.PROTECT, related_name="sequences")
    voucher_type = models.CharField(max_length=3, choices=VoucherType.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("voucher sequence")
        verbose_name_plural = _("voucher sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "voucher_type", "year"], name="acct_sequence_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.journal_id} {self.voucher_type} {self.year}: {self.last_number}"


class Entry(CompanyScopedModel):
    """A journal entry; on paper, a voucher (chứng từ)."""

    # No index of their own on company, journal, creator and poster (migration 0006):
    # the composite indexes start with company (and company, journal), and the
    # others are read only when a user or journal is deleted (PROTECT's check).
    # Every index is one more page an entry's commit writes (QUALITY S4).
    company = models.ForeignKey(
        "core.Company", on_delete=models.PROTECT, verbose_name=_("company"), db_index=False
    )
    journal = models.ForeignKey(
        Journal,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("journal"),
        db_index=False,
    )
    period = models.ForeignKey(
        Period,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("period"),
    )
    date = models.DateField(_("date"))
    voucher_type = models.CharField(
        _("voucher type"), max_length=3, choices=VoucherType.choices, default=VoucherType.JOURNAL
    )
    # Given at posting; gap-free per journal, voucher type and year.
    number = models.CharField(_("number"), max_length=32, blank=True)
    description = models.CharField(_("description"), max_length=500)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=EntryState.choices, default=EntryState.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=10, choices=EntrySource.choices, default=EntrySource.MANUAL
    )
    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(_("exchange rate"), max_digits=18, decimal_places=6, default=1)
    # Total debit in the company currency (denormalised at posting, for lists).
    total = models.DecimalField(_("amount"), default=0, **AMOUNT)
    reversal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    # A client-chosen key that makes a submission idempotent (per company).
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
        db_index=False,
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
        db_index=False,
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["company", "-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "journal", "voucher_type", "number"],
                condition=~Q(number=""),
                name="acct_entry_number_uniq",
            ),
            models.UniqueConstraint(
                fields=["company", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="acct_entry_idempotency_uniq",
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="acct_entry_rate_positive"),
        ]
        indexes = [models.Index(fields=["company", "state", "date"], name="acct_entry_state_date")]

    def __str__(self) -> str:
        return self.number or f"{self.get_state_display()} {self.date:%d/%m/%Y}"


class Line(models.Model):
    """One debit or credit of an entry. Denormalised (company, account, date,
    period, posted) so that books and balances read one table."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="lines")
    # No index of their own on company and account: the ledger and company-date
    # indexes start with them (every index is one more B-tree insert per line).
    company = models.ForeignKey(
        "core.Company", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    date = models.DateField()
    # Nor on period and department: reports read periods from AccountBalance.
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    posted = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=500, blank=True)
    debit = models.DecimalField(default=0, **AMOUNT)
    credit = models.DecimalField(default=0, **AMOUNT)
    # The amount in the entry's currency, signed (debit +, credit -).
    currency = models.CharField(max_length=3)
    amount_currency = models.DecimalField(default=0, **AMOUNT)
    department = models.ForeignKey(
        "core.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("entry line")
        verbose_name_plural = _("entry lines")
        ordering = ["entry_id", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0) & Q(credit__gte=0), name="acct_line_non_negative"
            ),
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(credit__gt=0) & Q(debit=0)),
                name="acct_line_one_side",
            ),
        ]
        indexes = [
            # sổ Cái / running balance / balance as of a date
            models.Index(fields=["account", "posted", "date", "entry"], name="acct_line_ledger"),
            models.Index(fields=["company", "posted", "date"], name="acct_line_company_date"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.debit or -self.credit}"


class AccountBalance(models.Model):
    """Posted debit and credit totals of one account in one period, kept by the
    posting service in the same transaction (trial balance and statements read
    these instead of scanning lines; a sổ Cái page finds its period from
    ``line_count`` instead of counting and skipping every line before it)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="balances")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="balances")
    debit = models.DecimalField(default=0, **AMOUNT)
    credit = models.DecimalField(default=0, **AMOUNT)
    line_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("account balance")
        verbose_name_plural = _("account balances")
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="acct_balance_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}@{self.period_id}: {self.debit} / {self.credit}"


class OpeningBalance(models.Model):
    """Carried-forward totals: per account, the posted debit and credit of every
    period before ``as_of``, a fiscal-year start before which every period is
    locked (nothing can change them any more). Reports start from the latest
    one instead of adding up every period since the books began, so their cost
    does not grow with the years of history (QUALITY S2). Built when the last
    period of a year is locked, dropped when a period before ``as_of`` is
    unlocked (:mod:`backoffice.accounting.openings`)."""

    company = models.ForeignKey("core.Company", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    debit = models.DecimalField(default=0, **AMOUNT)
    credit = models.DecimalField(default=0, **AMOUNT)

    class Meta:
        verbose_name = _("opening balance")
        verbose_name_plural = _("opening balances")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "as_of", "account"], name="acct_opening_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}<{self.as_of}: {self.debit} / {self.credit}"


class ExchangeRate(CompanyScopedModel):
    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    rate = models.DecimalField(
        _("rate (company currency per unit)"), max_digits=18, decimal_places=6
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["company", "currency", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["company", "currency", "date"], name="acct_rate_uniq"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="acct_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date:%d/%m/%Y} {self.rate}"
