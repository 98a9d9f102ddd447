"""Entries: draft, post, reverse, delete; period rules; numbering; currencies; refusals
that change nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from backoffice.accounting import services
from backoffice.accounting.models import (
    Account,
    AccountBalance,
    Entry,
    EntrySource,
    EntryState,
    ExchangeRate,
    Journal,
    Line,
    PeriodState,
)
from backoffice.accounting.tests.ledger_helpers import (
    DAY,
    D,
    books,
    lines,
    period,
    person,
    post,
    state,
)
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(make_company):
    return books(make_company, "LED")


@pytest.fixture
def accountant(make_user, company):
    return person(make_user, company, Role.ACCOUNTANT)


@pytest.fixture
def chief(make_user, company):
    return person(make_user, company, Role.CHIEF_ACCOUNTANT)


def balance(company, code):
    row = AccountBalance.objects.filter(account__company=company, account__code=code)
    return sum((b.debit - b.credit for b in row), Decimal(0))


# --- the happy path ---------------------------------------------------------------------
def test_draft_then_post_numbers_balances_and_audits(company, accountant):
    entry = services.entry_create(
        actor=accountant, company=company, date=DAY, description="Rút tiền gửi về quỹ",
        lines=lines(("1111", 5_000_000, 0), ("1121", 0, 5_000_000)), journal="CASH",
    )  # fmt: skip
    assert entry.state == EntryState.DRAFT
    assert entry.number == ""
    assert entry.voucher_type == "PT"  # cash comes in: phiếu thu
    assert not Line.objects.filter(entry=entry, posted=True).exists()
    assert balance(company, "1111") == 0
    entry = services.entry_post(actor=accountant, entry=entry)
    entry.refresh_from_db()
    assert entry.state == EntryState.POSTED
    assert entry.number == "PT2026/00001"
    assert entry.total == 5_000_000
    assert entry.posted_by == accountant
    assert entry.period == period(company)
    assert set(Line.objects.filter(entry=entry).values_list("posted", "period_id")) == {
        (True, period(company).pk)
    }
    assert balance(company, "1111") == 5_000_000
    assert balance(company, "1121") == -5_000_000
    ev = AuditEvent.objects.get(event_type="ENTRY_POSTED", object_id=str(entry.public_id))
    assert ev.before == {"state": "draft"}
    assert ev.after["number"] == "PT2026/00001"
    assert ev.actor_id == accountant.pk
    assert ev.after["lines"][0][:3] == [
        "1111",
        "5000000.00",
        "0.00",
    ]


def test_numbers_are_gap_free_per_journal_type_and_year(company):
    assert post(company, ("1111", 1, 0), ("4111", 0, 1), journal="CASH").number == "PT2026/00001"
    assert post(company, ("642", 1, 0), ("1111", 0, 1), journal="CASH").number == "PC2026/00001"
    assert post(company, ("1111", 1, 0), ("4111", 0, 1), journal="CASH").number == "PT2026/00002"
    assert post(company, ("1121", 1, 0), ("4111", 0, 1), journal="BANK").number == "BC2026/00001"
    assert post(company, ("642", 1, 0), ("1121", 0, 1), journal="BANK").number == "BN2026/00001"
    assert post(company, ("642", 1, 0), ("331", 0, 1)).number == "PKT2026/00001"
    assert (
        post(company, ("131", 1, 0), ("5111", 0, 1), journal="SALE").number == "SALE.PKT2026/00001"
    )
    # a refused posting gives its number back (the transaction rolls back)
    with pytest.raises(ValidationFailed):
        post(company, ("642", 1, 0), ("331", 0, 2))
    assert post(company, ("642", 1, 0), ("331", 0, 1)).number == "PKT2026/00002"
    services.fiscal_year_create(actor="test", company=company, start=date(2027, 1, 1))
    assert (
        post(company, ("642", 1, 0), ("331", 0, 1), day=date(2027, 1, 2)).number == "PKT2027/00001"
    )


def test_a_wrong_voucher_type_for_the_journal_is_refused(company):
    with pytest.raises(ValidationFailed) as err:
        post(company, ("1111", 1, 0), ("4111", 0, 1), journal="GEN", voucher_type="PT")
    assert err.value.code == "invalid_voucher_type"


# --- refusals that change nothing -------------------------------------------------------
@pytest.mark.parametrize(
    ("rows", "code"),
    [
        ((("642", 100, 0), ("331", 0, 99)), "unbalanced"),
        ((("642", 100, 0),), "too_few_lines"),
        ((("642", 100, 0), ("111", 0, 100)), "account_not_postable"),  # parent of 1111
        ((("642", 100, 0), ("9999", 0, 100)), "unknown_account"),
        ((("642", 100, 100), ("331", 0, 0)), "invalid_line"),
        ((("642", -100, 0), ("331", 0, -100)), "negative_amount"),
        ((("642", 10**16, 0), ("331", 0, 10**16)), "invalid_amount"),  # 17 digits
    ],
)
def test_invalid_entries_are_refused_and_nothing_changes(company, accountant, rows, code):
    before = state()
    with pytest.raises(ValidationFailed) as err:
        post(company, *rows, actor=accountant)
    assert err.value.code == code
    assert state() == before


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("vi", "Nợ không phải số tiền hợp lệ: abc."), ("en", "Debit is not a valid amount: abc.")],
)
def test_an_amount_that_is_not_a_number_is_named_in_the_users_language(
    company, accountant, lang, expected
):
    before = state()
    with translation.override(lang), pytest.raises(ValidationFailed) as err:
        services.entry_create(
            actor=accountant, company=company, date=DAY, description="Test", post=True,
            lines=[services.LineInput(account="642", debit="abc", credit=0),
                   services.LineInput(account="331", debit=0, credit=100)],
        )  # fmt: skip
    assert err.value.code == "invalid_amount"
    assert str(err.value.message) == expected
    assert state() == before


def test_inactive_account_is_refused(company):
    Account.objects.filter(company=company, code="642").update(is_active=False)
    before = state()
    with pytest.raises(ValidationFailed) as err:
        post(company, ("642", 1, 0), ("331", 0, 1))
    assert err.value.code == "account_inactive"
    assert state() == before


def test_inactive_journal_is_refused_but_a_reversal_still_goes_to_it(company, accountant):
    original = post(company, ("642", 10, 0), ("1111", 0, 10), journal="CASH")
    Journal.objects.filter(company=company, code="CASH").update(is_active=False)
    before = state()
    with pytest.raises(ValidationFailed) as err:
        post(company, ("642", 10, 0), ("1111", 0, 10), journal="CASH", actor=accountant)
    assert err.value.code == "inactive_journal"
    assert state() == before
    reversal = services.entry_reverse(actor=accountant, entry=original)
    assert reversal.journal.code == "CASH"


def test_account_of_another_company_is_refused(company, make_company):
    other = books(make_company, "OTHER")
    foreign = Account.objects.get(company=other, code="642")
    before = state()
    with pytest.raises(ValidationFailed) as err:
        services.entry_create(
            actor="test", company=company, date=DAY, description="x", post=True,
            lines=[services.LineInput(foreign, debit=D(1)), services.LineInput("331", credit=D(1))],
        )  # fmt: skip
    assert err.value.code == "cross_company_reference"
    assert state() == before


def test_rounding_to_whole_dong_keeps_the_entry_balanced(company):
    entry = post(company, ("642", "100.5", 0), ("331", 0, "100.5"))
    assert list(entry.lines.values_list("debit", "credit")) == [(101, 0), (0, 101)]
    with pytest.raises(ValidationFailed) as err:  # 100.4 -> 100 and 100.5 -> 101
        post(company, ("642", "100.4", 0), ("331", 0, "100.5"))
    assert err.value.code == "unbalanced"


# --- periods ------------------------------------------------------------------------------
def test_no_period_for_the_date(company):
    before = state()
    with pytest.raises(ValidationFailed) as err:
        post(company, ("642", 1, 0), ("331", 0, 1), day=date(2031, 5, 1))
    assert err.value.code == "no_period"
    assert state() == before


def test_closed_period_only_for_the_chief_accountant(company, accountant, chief):
    services.period_set_state(actor=chief, period=period(company), state=PeriodState.CLOSED)
    draft = services.entry_create(
        actor=accountant, company=company, date=DAY, description="Chi phí",
        lines=lines(("642", 10, 0), ("331", 0, 10)),
    )  # fmt: skip
    before = state()
    with pytest.raises(PermissionDenied) as err:
        services.entry_post(actor=accountant, entry=draft)
    assert err.value.code == "period_closed"
    assert "03/2026" in err.value.message
    with pytest.raises(PermissionDenied):
        post(company, ("642", 10, 0), ("331", 0, 10), actor=accountant)
    assert state() == before
    assert services.entry_post(actor=chief, entry=draft).state == EntryState.POSTED


def test_locked_period_refuses_everyone(company, chief):
    services.period_set_state(actor=chief, period=period(company), state=PeriodState.CLOSED)
    services.period_set_state(actor=chief, period=period(company), state=PeriodState.LOCKED)
    for actor in (chief, "cli", None):
        before = state()
        with pytest.raises(ValidationFailed) as err:
            post(company, ("642", 10, 0), ("331", 0, 10), actor=actor)
        assert err.value.code == "period_locked"
        assert "03/2026" in err.value.message
        assert state() == before


# --- rights ---------------------------------------------------------------------------------
def test_read_only_roles_cannot_write(company, make_user):
    analyst = person(make_user, company, Role.DATA_ANALYST)
    before = state()
    with pytest.raises(PermissionDenied):
        post(company, ("642", 10, 0), ("331", 0, 10), actor=analyst)
    assert state() == before


def test_accountant_of_another_company_cannot_post_here(company, make_company, make_user):
    other = books(make_company, "OTH2")
    outsider = person(make_user, other, Role.CHIEF_ACCOUNTANT)
    draft = post(company, ("642", 10, 0), ("331", 0, 10))
    before = state()
    with pytest.raises(PermissionDenied):
        post(company, ("642", 10, 0), ("331", 0, 10), actor=outsider)
    with pytest.raises(PermissionDenied):
        services.entry_reverse(actor=outsider, entry=draft)
    assert state() == before


# --- reversal -------------------------------------------------------------------------------
def test_reversal_swaps_sides_and_links_to_the_original(company, accountant):
    original = post(company, ("1111", 300, 0), ("4111", 0, 300), journal="CASH")
    rev = services.entry_reverse(actor=accountant, entry=original)
    assert rev.state == EntryState.POSTED
    assert rev.reversal_of == original
    assert rev.source == EntrySource.REVERSAL
    assert rev.number == "PC2026/00001"
    assert list(rev.lines.values_list("account__code", "debit", "credit")) == [
        ("1111", 0, 300), ("4111", 300, 0),
    ]  # fmt: skip
    assert balance(company, "1111") == 0
    assert balance(company, "4111") == 0
    assert AuditEvent.objects.filter(event_type="ENTRY_REVERSED").count() == 1
    before = state()
    with pytest.raises(Conflict):
        services.entry_reverse(actor=accountant, entry=original)
    with pytest.raises(ValidationFailed) as err:
        services.entry_reverse(actor=accountant, entry=rev)
    assert err.value.code == "reversal_of_reversal"
    assert state() == before


def test_a_draft_cannot_be_reversed(company, accountant):
    draft = services.entry_create(
        actor=accountant, company=company, date=DAY, description="x",
        lines=lines(("642", 10, 0), ("331", 0, 10)),
    )  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.entry_reverse(actor=accountant, entry=draft)


def test_reversal_into_another_period(company, accountant):
    original = post(company, ("642", 10, 0), ("331", 0, 10))
    with translation.override("en"):
        rev = services.entry_reverse(actor=accountant, entry=original, date=date(2026, 4, 2))
    assert rev.period.start == date(2026, 4, 1)
    assert rev.description == f"Reversal of {original.number}"


# --- drafts -----------------------------------------------------------------------------------
def test_update_and_delete_drafts_only(company, accountant):
    draft = services.entry_create(
        actor=accountant, company=company, date=DAY, description="Nháp",
        lines=lines(("642", 10, 0), ("331", 0, 10)),
    )  # fmt: skip
    draft = services.entry_update(
        actor=accountant, entry=draft, description="Đã sửa",
        lines=lines(("642", 20, 0), ("1331", 2, 0), ("331", 0, 22)),
    )  # fmt: skip
    assert draft.description == "Đã sửa"
    assert draft.lines.count() == 3
    assert draft.total == 22
    ev = AuditEvent.objects.get(event_type="ENTRY_UPDATED")
    assert ev.before["description"] == "Nháp"
    assert ev.after["description"] == "Đã sửa"
    posted = services.entry_post(actor=accountant, entry=draft)
    before = state()
    with pytest.raises(ValidationFailed) as err:
        services.entry_update(actor=accountant, entry=posted, description="x")
    assert err.value.code == "entry_posted"
    with pytest.raises(ValidationFailed):
        services.entry_delete(actor=accountant, entry=posted)
    with pytest.raises(Conflict):
        services.entry_post(actor=accountant, entry=posted)
    assert state() == before
    other = services.entry_create(
        actor=accountant, company=company, date=DAY, description="Xoá",
        lines=lines(("642", 10, 0), ("331", 0, 10)),
    )  # fmt: skip
    services.entry_delete(actor=accountant, entry=other)
    assert not Entry.objects.filter(pk=other.pk).exists()
    assert AuditEvent.objects.get(event_type="ENTRY_DELETED").before["description"] == "Xoá"


def test_unbalanced_draft_can_be_saved_but_not_posted(company, accountant):
    draft = services.entry_create(
        actor=accountant, company=company, date=DAY, description="Dở dang",
        lines=lines(("642", 10, 0), ("331", 0, 9)),
    )  # fmt: skip
    before = state()
    with pytest.raises(ValidationFailed) as err:
        services.entry_post(actor=accountant, entry=draft)
    assert err.value.code == "unbalanced"
    assert state() == before


# --- idempotency ---------------------------------------------------------------------------
def test_idempotency_key_returns_the_existing_entry(company, accountant):
    first = post(company, ("642", 10, 0), ("331", 0, 10), actor=accountant, idempotency_key="k-1")
    before = state()
    again = post(company, ("642", 10, 0), ("331", 0, 10), actor=accountant, idempotency_key="k-1")
    assert again.pk == first.pk
    assert state() == before


# --- currencies -----------------------------------------------------------------------------
def test_foreign_currency_entry_at_the_rate_of_the_day(company, accountant):
    services.rate_set(actor=accountant, company=company, currency="usd", date=date(2026, 3, 1),
                      rate="25310.5")  # fmt: skip
    assert services.rate_for(company, "USD", DAY) == Decimal("25310.5")
    assert services.rate_for(company, "VND", DAY) == 1
    with pytest.raises(ValidationFailed):
        services.rate_for(company, "USD", date(2026, 2, 28))
    entry = services.entry_create(
        actor=accountant, company=company, date=DAY, description="USD", currency="USD", post=True,
        lines=[
            services.LineInput("1122", amount_currency=D("100.01")),
            services.LineInput("131", amount_currency=D("-33.33")),
            services.LineInput("131", amount_currency=D("-33.34")),
            services.LineInput("131", amount_currency=D("-33.34")),
        ],
    )  # fmt: skip
    got = list(entry.lines.values_list("debit", "credit", "amount_currency", "currency"))
    assert sum(d for d, _c, _a, _cur in got) == sum(c for _d, c, _a, _cur in got)
    assert all(d == int(d) and c == int(c) for d, c, _a, _cur in got)  # whole đồng
    assert got[0][:3] == (Decimal(2531303), 0, Decimal("100.01"))  # 100.01 x 25310.5 rounded
    assert entry.rate == Decimal("25310.5")
    assert entry.currency == "USD"


def _usd_draft(accountant, company):
    return services.entry_create(
        actor=accountant, company=company, date=DAY, description="USD", currency="USD",
        rate=25000,
        lines=[
            services.LineInput("1122", amount_currency=D(100)),
            services.LineInput("131", amount_currency=D(-100)),
        ],
    )  # fmt: skip


def _amounts(entry):
    return list(entry.lines.order_by("position").values_list("debit", "credit", "amount_currency"))


def test_a_new_rate_on_a_draft_converts_its_lines_again(company, accountant):
    draft = services.entry_update(actor=accountant, entry=_usd_draft(accountant, company),
                                  rate="26000")  # fmt: skip
    assert draft.rate == 26000
    assert _amounts(draft) == [(2_600_000, 0, 100), (0, 2_600_000, -100)]
    # the desk sends the lines back as they were shown: they are converted too
    shown = [
        services.LineInput(ln.account, debit=ln.debit, credit=ln.credit,
                           amount_currency=ln.amount_currency)
        for ln in draft.lines.order_by("position")
    ]  # fmt: skip
    draft = services.entry_update(actor=accountant, entry=draft, rate="25500", lines=shown)
    assert _amounts(draft) == [(2_550_000, 0, 100), (0, 2_550_000, -100)]
    posted = services.entry_post(actor=accountant, entry=draft)
    assert posted.total == 2_550_000


def test_a_draft_changing_currency_keeps_the_dong_amounts(company, accountant):
    draft = services.entry_update(actor=accountant, entry=_usd_draft(accountant, company),
                                  currency="VND")  # fmt: skip
    assert (draft.currency, draft.rate) == ("VND", 1)
    assert _amounts(draft) == [(2_500_000, 0, 2_500_000), (0, 2_500_000, -2_500_000)]
    draft = services.entry_update(actor=accountant, entry=draft, currency="USD", rate=25000)
    assert _amounts(draft) == [(2_500_000, 0, 100), (0, 2_500_000, -100)]


@pytest.mark.parametrize("rate", ["0", "-1", "abc", "NaN"])
def test_a_draft_refuses_a_rate_that_is_not_positive(company, accountant, rate):
    draft = _usd_draft(accountant, company)
    before = (state(), _amounts(draft))
    with pytest.raises(ValidationFailed) as err:
        services.entry_update(actor=accountant, entry=draft, rate=rate)
    assert err.value.code == "invalid_rate"
    draft.refresh_from_db()
    assert draft.rate == 25000
    assert (state(), _amounts(draft)) == before


def test_foreign_entry_must_balance_in_its_currency(company):
    with pytest.raises(ValidationFailed) as err:
        services.entry_create(
            actor="test", company=company, date=DAY, description="x", currency="USD", rate=25000,
            post=True,
            lines=[
                services.LineInput("1122", debit=D(25000), amount_currency=D(1)),
                services.LineInput("131", credit=D(25000), amount_currency=D("-1.5")),
            ],
        )  # fmt: skip
    assert err.value.code == "unbalanced_currency"


def test_rates_import(company):
    n = services.rates_import(
        actor="cli",
        company=company,
        file="currency,date,rate\nUSD,2026-03-01,25000\nEUR,2026-03-01,27000.5\n",
    )
    assert n == 2
    assert services.rate_for(company, "EUR", DAY) == Decimal("27000.5")
    with pytest.raises(services.ImportFailed) as err:
        services.rates_import(
            actor="cli",
            company=company,
            file="currency,date,rate\nUSD,2026-13-01,1\nVND,2026-03-01,1\nJPY,2026-03-01,-5\n",
        )
    assert [e.row for e in err.value.errors] == [2, 3, 4]


@pytest.mark.parametrize("rate", ["NaN", "Infinity", "0.0000004", "25000.1234567", "1e13", " "])
def test_a_rate_that_cannot_be_stored_is_refused_and_nothing_changes(company, rate):
    services.rate_set(actor="test", company=company, currency="USD", date=DAY, rate="25000")
    with pytest.raises(services.ImportFailed) as err:
        services.rates_import(
            actor="cli",
            company=company,
            file=f"currency,date,rate\nEUR,2026-03-01,27000\nUSD,2026-03-02,{rate}\n",
        )
    assert [e.row for e in err.value.errors] == [3]
    with pytest.raises(ValidationFailed) as exc:
        services.rate_set(actor="test", company=company, currency="USD", date=DAY, rate=rate)
    assert exc.value.code == "invalid_rate"
    assert list(ExchangeRate.objects.filter(company=company).values_list("currency", "rate")) == [
        ("USD", 25000)
    ]
