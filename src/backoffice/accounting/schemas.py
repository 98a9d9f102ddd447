"""Request and response bodies of the accounting API (see core.schemas for the
conventions: strict input objects, public UUIDs, no internal ids).

Amounts travel as decimal strings ("1234567.00") in both directions; a JSON
number is accepted only when it is an integer, so no float ever reaches the
books. Accounts and journals are named by their code, as in the CSV formats
of SPEC §4.
"""

from __future__ import annotations

import re
from datetime import date as Date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.utils.translation import gettext
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema

from backoffice.accounting.models import (
    AMOUNT_DIGITS,
    API_KEY_MAX,
    RATE_DIGITS,
    RATE_PLACES,
    AccountType,
    VoucherType,
)
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate


def _decimal_text(pattern: str, example: str):
    """A decimal amount sent as a string matching ``pattern`` (and only that: a JSON
    number is refused, so no float ever reaches the books); the OpenAPI document
    says exactly this, so a client (or a fuzzer) knows what is accepted."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, Decimal):
            return value
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(
                gettext('send the amount as a decimal string, e.g. "%(e)s"') % {"e": example}
            )
        return Decimal(value)

    return BeforeValidator(check), WithJsonSchema(
        {"type": "string", "pattern": pattern, "examples": [example]}
    )


# Stored with 20 digits and 2 decimals; rates with 18 and 6 (and positive).
AMOUNT_PATTERN = rf"^[0-9]{{1,{AMOUNT_DIGITS}}}(\.[0-9]{{1,2}})?$"
SIGNED_PATTERN = rf"^-?[0-9]{{1,{AMOUNT_DIGITS}}}(\.[0-9]{{1,2}})?$"
RATE_PATTERN = (
    rf"^([1-9][0-9]{{0,{RATE_DIGITS - 1}}}(\.[0-9]{{1,{RATE_PLACES}}})?"
    rf"|0\.[0-9]{{0,{RATE_PLACES - 1}}}[1-9])$"
)
Amount = Annotated[Decimal, *_decimal_text(AMOUNT_PATTERN, "1234567.00")]
SignedAmount = Annotated[Decimal, *_decimal_text(SIGNED_PATTERN, "-1500.50")]
Rate = Annotated[Decimal, *_decimal_text(RATE_PATTERN, "25350.5")]
AccountCode = Annotated[
    str, Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
]
JournalCode = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[0-9A-Za-z._-]+$")]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, Field(max_length=500, pattern=ONE_LINE)]


# --- accounts, journals, periods -----------------------------------------------------------


class AccountOut(Schema):
    id: UUID
    code: str
    name: str
    name_en: str
    type: str
    parent: str | None
    is_postable: bool
    is_active: bool
    tag: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_parent(obj: Any) -> str | None:
        return obj.parent.code if obj.parent_id else None


class AccountIn(InputSchema):
    """A new account, usually a sub-account: ``{"code": "1121.VCB", "parent": "1121", ...}``."""

    code: AccountCode
    name: Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]
    name_en: Annotated[str, Field(max_length=200, pattern=ONE_LINE)] = ""
    type: AccountType
    parent: AccountCode | None = None
    tag: Annotated[str, Field(max_length=20, pattern=ONE_LINE)] = ""


class JournalOut(Schema):
    id: UUID
    code: str
    name: str
    kind: str
    default_voucher_type: str
    is_active: bool

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class PeriodOut(Schema):
    id: UUID
    fiscal_year: str
    number: int
    start: Date
    end: Date
    state: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_fiscal_year(obj: Any) -> str:
        return obj.fiscal_year.name


# --- entries -------------------------------------------------------------------------------


class LineIn(InputSchema):
    account: AccountCode
    debit: Amount = Decimal(0)
    credit: Amount = Decimal(0)
    description: Text = ""
    amount_currency: SignedAmount | None = None


def _entry_example() -> dict[str, Any]:
    from django.utils import timezone

    return {
        "date": timezone.localdate().isoformat(),
        "journal": "CASH",
        "voucher_type": "PC",
        "description": "Chi tiền mua văn phòng phẩm",
        "partner": "Nguyễn Văn An",
        "lines": [
            {"account": "642", "debit": "1234567"},
            {"account": "1111", "credit": "1234567"},
        ],
    }


class EntryIn(InputSchema):
    """A draft entry (``post: true`` posts it at once). ``idempotency_key`` (or the
    ``Idempotency-Key`` header) makes a retried submission return the first entry."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_entry_example()]})

    date: IsoDate
    description: Annotated[str, Field(min_length=1, max_length=500, pattern=ONE_LINE)]
    lines: list[LineIn] = Field(min_length=1, max_length=1000)
    journal: JournalCode | None = None
    voucher_type: VoucherType | None = None
    currency: Currency | None = None
    rate: Rate | None = None
    reference: Annotated[str, Field(max_length=100, pattern=ONE_LINE)] = ""
    partner: Annotated[str, Field(max_length=200, pattern=ONE_LINE)] = ""
    idempotency_key: (
        Annotated[str, Field(min_length=1, max_length=API_KEY_MAX, pattern=ONE_LINE)] | None
    ) = None  # stored as "api:<key>" (models.API_KEY_PREFIX)
    post: bool = False


class ReverseIn(InputSchema):
    date: IsoDate | None = None
    description: Annotated[str, Field(min_length=1, max_length=500, pattern=ONE_LINE)] | None = None


class LineOut(Schema):
    account: str
    account_name: str
    description: str
    debit: Decimal
    credit: Decimal
    currency: str
    amount_currency: Decimal

    @staticmethod
    def resolve_account(obj: Any) -> str:
        return obj.account.code

    @staticmethod
    def resolve_account_name(obj: Any) -> str:
        return obj.account.name


class EntryOut(Schema):
    id: UUID
    number: str
    date: Date
    journal: str
    voucher_type: str
    description: str
    partner: str
    reference: str
    state: str
    source: str
    currency: str
    rate: Decimal
    total: Decimal
    reversal_of: UUID | None
    posted_at: Any | None

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_journal(obj: Any) -> str:
        return obj.journal.code

    @staticmethod
    def resolve_reversal_of(obj: Any) -> UUID | None:
        return obj.reversal_of.public_id if obj.reversal_of_id else None


class EntryDetailOut(EntryOut):
    amount_in_words: str
    reversed_by: UUID | None
    lines: list[LineOut]

    @staticmethod
    def resolve_amount_in_words(obj: Any) -> str:
        from backoffice.accounting.voucher import amount_in_words_vi

        return amount_in_words_vi(obj.total, obj.company.currency)

    @staticmethod
    def resolve_reversed_by(obj: Any) -> UUID | None:
        other = obj.__class__.objects.filter(reversal_of_id=obj.pk).values_list(
            "public_id", flat=True
        )
        return next(iter(other), None)

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.select_related("account").order_by("position", "id"))


# --- exchange rates ------------------------------------------------------------------------


class RateOut(Schema):
    id: UUID
    currency: str
    date: Date
    rate: Decimal

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class RateIn(InputSchema):
    currency: Currency
    date: IsoDate
    rate: Rate


# --- reports -------------------------------------------------------------------------------


class TrialBalanceRowOut(Schema):
    """SPEC §4's trial-balance object (amounts as decimal strings)."""

    code: str
    name: str
    opening_debit: Decimal
    opening_credit: Decimal
    period_debit: Decimal
    period_credit: Decimal
    closing_debit: Decimal
    closing_credit: Decimal


class TrialBalanceOut(Schema):
    date_from: Date | None
    date_to: Date | None
    rows: list[TrialBalanceRowOut]
    total: TrialBalanceRowOut


class StatementLineOut(Schema):
    code: str
    label: str
    note: str
    amount: Decimal
    prior: Decimal | None


class StatementOut(Schema):
    form: str
    title: str
    regime: str
    date_from: Date | None
    date_to: Date
    lines: list[StatementLineOut]


class LedgerRowOut(Schema):
    date: Date
    entry_id: UUID | None
    number: str
    description: str
    account: str
    contra: list[str]
    debit: Decimal
    credit: Decimal
    balance: Decimal


class LedgerOut(Schema):
    account: str
    name: str
    date_from: Date
    date_to: Date
    opening: Decimal
    total_debit: Decimal
    total_credit: Decimal
    closing: Decimal
    page: int
    page_size: int
    count: int
    rows: list[LedgerRowOut]
