"""Trial balance over partial periods, account balances, sổ Cái paging and the
general journal, checked against brute-force sums over the lines."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum

from backoffice.accounting import reports
from backoffice.accounting.models import Account, AccountBalance, Line
from backoffice.accounting.tests.reports_helpers import books, post

D = Decimal
ACCOUNTS = ["1111", "1121", "131", "156", "331", "5111", "632", "642", "4111"]


def _random_ledger(company, n=120, seed=7):
    rnd = random.Random(seed)
    day0 = date(2026, 1, 1)
    for i in range(n):
        day = day0 + timedelta(days=rnd.randrange(0, 150))
        a, b = rnd.sample(ACCOUNTS, 2)
        amount = rnd.randrange(1, 500) * 10_000
        post(company, day, f"Bút toán {i}", (a, amount, 0), (b, 0, amount))


def _brute(company, lo, hi):
    """code -> (opening net, debit, credit) from the lines alone."""
    out = {}
    for acc in Account.objects.filter(company=company):
        lines = Line.objects.filter(account=acc, posted=True)
        before = lines.filter(date__lt=lo).aggregate(d=Sum("debit"), c=Sum("credit"))
        inside = lines.filter(date__gte=lo, date__lte=hi).aggregate(d=Sum("debit"), c=Sum("credit"))
        opening = (before["d"] or 0) - (before["c"] or 0)
        d, c = inside["d"] or 0, inside["c"] or 0
        if opening or d or c:
            out[acc.code] = (D(opening), D(d), D(c))
    return out


@pytest.mark.django_db
def test_trial_balance_cut_in_the_middle_of_periods_equals_the_lines(make_company):
    company = books(make_company, "TBCO")
    _random_ledger(company)
    for lo, hi in [
        (date(2026, 2, 14), date(2026, 4, 9)),  # cuts February and April
        (date(2026, 3, 1), date(2026, 3, 31)),  # one whole period
        (date(2026, 1, 20), date(2026, 1, 25)),  # inside one period
        (date(2026, 1, 1), date(2026, 12, 31)),  # the whole year
    ]:
        tb = reports.trial_balance(company=company, date_from=lo, date_to=hi)
        expected = _brute(company, lo, hi)
        got = {}
        for r in tb:
            opening = r.opening_debit - r.opening_credit
            got[r.code] = (opening, r.period_debit, r.period_credit)
            closing = opening + r.period_debit - r.period_credit
            assert r.closing_debit - r.closing_credit == closing
            assert not (r.closing_debit and r.closing_credit)
            assert not (r.opening_debit and r.opening_credit)
        assert got == expected, (lo, hi)
        assert tb.total.period_debit == tb.total.period_credit
        assert tb.total.opening_debit == tb.total.opening_credit
        assert tb.total.closing_debit == tb.total.closing_credit


@pytest.mark.django_db
def test_trial_balance_reads_whole_periods_from_account_balance(
    make_company, django_assert_max_num_queries
):
    company = books(make_company, "TBQ")
    _random_ledger(company, n=40)
    # a fixed number of queries, whatever the number of accounts
    with django_assert_max_num_queries(6):
        reports.trial_balance(
            company=company, date_from=date(2026, 2, 14), date_to=date(2026, 4, 9)
        )
    assert AccountBalance.objects.filter(company=company).exists()


@pytest.mark.django_db
def test_trial_balance_rollup_to_level_one(make_company):
    company = books(make_company, "TBR")
    post(company, date(2026, 3, 2), "Góp vốn", ("1121", 500, 0), ("1111", 200, 0), ("4111", 0, 700))
    rows = {r.code: r for r in reports.trial_balance(company=company, rollup=True)}
    assert set(rows) == {"111", "112", "411"}
    assert rows["112"].closing_debit == 500
    assert rows["411"].closing_credit == 700


@pytest.mark.django_db
def test_trial_balance_is_company_scoped(make_company):
    a = books(make_company, "TBA")
    b = books(make_company, "TBB")
    post(a, date(2026, 3, 2), "A", ("1121", 100, 0), ("4111", 0, 100))
    post(b, date(2026, 3, 2), "B", ("1121", 999, 0), ("4111", 0, 999))
    tb = reports.trial_balance(company=a)
    assert {r.code: r.closing_debit for r in tb}["1121"] == 100
    assert tb.total.closing_debit == 100


@pytest.mark.django_db
def test_account_balance_as_of_any_day(make_company):
    company = books(make_company, "BAL")
    _random_ledger(company, n=60)
    acc = Account.objects.get(company=company, code="1121")
    parent = Account.objects.get(company=company, code="112")
    days = [
        date(2026, 1, 1),
        date(2026, 2, 28),
        date(2026, 3, 15),
        date(2026, 3, 25),
        date(2026, 5, 30),
    ]
    for day in [*days, date(2026, 6, 30)]:
        agg = Line.objects.filter(account=acc, posted=True, date__lte=day).aggregate(
            d=Sum("debit"), c=Sum("credit")
        )
        expected = (agg["d"] or 0) - (agg["c"] or 0)
        assert reports.account_balance(account=acc, as_of=day) == expected
        assert reports.account_balance(account=parent, as_of=day) == expected


@pytest.mark.django_db
def test_ledger_running_balance_and_pages(make_company, django_assert_max_num_queries):
    company = books(make_company, "LED")
    post(company, date(2026, 1, 5), "Số dư đầu", ("1121", 1_000_000, 0), ("4111", 0, 1_000_000))
    for i in range(25):
        day = date(2026, 2, 1) + timedelta(days=i)
        post(company, day, f"Thu {i}", ("1121", 10_000 * (i + 1), 0), ("5111", 0, 10_000 * (i + 1)))
        post(company, day, f"Chi {i}", ("642", 3_000, 0), ("1121", 0, 3_000))
    acc = Account.objects.get(company=company, code="1121")
    lo, hi = date(2026, 2, 3), date(2026, 2, 20)
    full = reports.ledger(account=acc, date_from=lo, date_to=hi, page=1, page_size=1000)
    # opening = the balance before the range
    assert full.opening == D(1_000_000 + 10_000 + 20_000 - 2 * 3_000)
    running = full.opening
    for row in full.rows:
        running += row.debit - row.credit
        assert row.balance == running
    assert full.closing == running == full.opening + full.total_debit - full.total_credit
    assert full.count == len(full.rows) == 36
    contra = {r.description: r.contra for r in full.rows}
    assert contra["Thu 5"] == ["5111"]
    assert contra["Chi 5"] == ["642"]
    # every page continues the running balance of the one before it
    pages = []
    n = 1
    while True:
        with django_assert_max_num_queries(11):
            page = reports.ledger(account=acc, date_from=lo, date_to=hi, page=n, page_size=7)
        pages.append(page)
        if n >= page.pages:
            break
        n += 1
    assert [r.balance for p in pages for r in p.rows] == [r.balance for r in full.rows]
    assert pages[2].page_opening == full.rows[13].balance
    assert len(pages) == 6
    assert pages[-1].count == 36


@pytest.mark.django_db
def test_ledger_pages_across_periods_follow_the_lines(make_company):
    # Pages start in the period where their offset falls (found from the
    # balances' line counts): every page, across whole and cut months, must be
    # exactly the next slice of the lines in (date, entry, line) order.
    company = books(make_company, "LEDP")
    _random_ledger(company, n=150, seed=3)
    acc = Account.objects.get(company=company, code="1121")
    lo, hi = date(2026, 1, 17), date(2026, 5, 9)
    expected = list(
        Line.objects.filter(account=acc, posted=True, date__gte=lo, date__lte=hi)
        .order_by("date", "entry_id", "id")
        .values_list("entry_id", "debit", "credit")
    )
    assert len(expected) > 20
    got, n = [], 1
    while True:
        page = reports.ledger(account=acc, date_from=lo, date_to=hi, page=n, page_size=4)
        assert page.count == len(expected)
        got += [(r.entry_id, r.debit, r.credit) for r in page.rows]
        if n >= page.pages:
            break
        n += 1
    assert got == expected
    beyond = reports.ledger(account=acc, date_from=lo, date_to=hi, page=n + 1, page_size=4)
    assert beyond.rows == []
    assert beyond.count == len(expected)


@pytest.mark.django_db
def test_cash_and_bank_books_and_general_journal(make_company):
    company = books(make_company, "BOOKS")
    post(
        company, date(2026, 3, 2), "Góp vốn", ("1121", 900, 0), ("1111", 100, 0), ("4111", 0, 1000)
    )
    post(company, date(2026, 3, 3), "Rút tiền", ("1111", 50, 0), ("1121", 0, 50))
    cash = reports.cash_book(company=company)
    assert [(r.debit, r.credit, r.balance) for r in cash.rows] == [(100, 0, 100), (50, 0, 150)]
    bank = reports.bank_book(company=company)
    assert [(r.debit, r.credit, r.balance) for r in bank.rows] == [(900, 0, 900), (0, 50, 850)]
    gj = reports.general_journal(company=company)
    assert gj.count == 5
    assert gj.total_debit == gj.total_credit == 1050
    assert [r.first for r in gj.rows] == [True, False, False, True, False]
    assert gj.rows[0].number  # posted entries carry their voucher number
