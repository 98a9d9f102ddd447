"""Carried-forward opening balances: built when a whole year is locked, used by
the reports, dropped when a period is unlocked — and the figures are the same
as the lines' with or without them."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from backoffice.accounting import reports, services
from backoffice.accounting.models import OpeningBalance, Period, PeriodState
from backoffice.accounting.tests.reports_helpers import books, ensure_year, post
from backoffice.accounting.tests.test_reports_books import ACCOUNTS, _brute

D = Decimal
pytestmark = pytest.mark.django_db


def _two_years(make_company, code):
    company = books(make_company, code)
    ensure_year(company, 2025)
    rnd = random.Random(11)
    for i in range(80):
        day = date(2025, 1, 1) + timedelta(days=rnd.randrange(0, 700))
        a, b = rnd.sample(ACCOUNTS, 2)
        amount = rnd.randrange(1, 500) * 10_000
        post(company, day, f"Bút toán {i}", (a, amount, 0), (b, 0, amount))
    return company


def _set(company, year, state, months=range(1, 13)):
    for period in Period.objects.filter(company=company, start__year=year).order_by("start"):
        if period.start.month in months:
            services.period_set_state(actor="test", period=period, state=state)


def _tb(company, lo, hi):
    tb = reports.trial_balance(company=company, date_from=lo, date_to=hi)
    return {
        r.code: (r.opening_debit - r.opening_credit, r.period_debit, r.period_credit) for r in tb
    }


RANGES = [
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2026, 2, 14), date(2026, 4, 9)),
    (date(2025, 3, 1), date(2025, 8, 31)),
]


def test_locking_a_whole_year_carries_its_balances_forward(make_company):
    company = _two_years(make_company, "OPN")
    _set(company, 2025, PeriodState.LOCKED, months=range(1, 12))
    assert not OpeningBalance.objects.filter(company=company).exists()  # December still open

    _set(company, 2025, PeriodState.LOCKED, months=[12])
    snapshot = {
        o.account.code: o.debit - o.credit
        for o in OpeningBalance.objects.filter(company=company).select_related("account")
    }
    assert set(OpeningBalance.objects.filter(company=company).values_list("as_of", flat=True)) == {
        date(2026, 1, 1)
    }
    expected = {
        code: v[0] for code, v in _brute(company, date(2026, 1, 1), date(2026, 1, 1)).items()
    }
    assert {c: v for c, v in snapshot.items() if v} == {c: v for c, v in expected.items() if v}
    for lo, hi in RANGES:
        assert _tb(company, lo, hi) == _brute(company, lo, hi), (lo, hi)


def test_reports_start_from_the_snapshot(make_company):
    company = _two_years(make_company, "OPU")
    before = _tb(company, *RANGES[0])
    _set(company, 2025, PeriodState.LOCKED)
    assert _tb(company, *RANGES[0]) == before
    # Proof that the report reads the stored row and not the 2025 periods: a
    # (forbidden) change to the snapshot shows in the opening balance.
    row = OpeningBalance.objects.filter(company=company, account__code="1121").get()
    OpeningBalance.objects.filter(pk=row.pk).update(debit=row.debit + 1)
    assert _tb(company, *RANGES[0])["1121"][0] == before["1121"][0] + 1


def test_unlocking_drops_the_snapshot_and_a_late_entry_counts(make_company):
    company = _two_years(make_company, "OPL")
    _set(company, 2025, PeriodState.LOCKED)
    assert OpeningBalance.objects.filter(company=company).exists()

    june = Period.objects.get(company=company, start=date(2025, 6, 1))
    services.period_set_state(actor="test", period=june, state=PeriodState.CLOSED)
    assert not OpeningBalance.objects.filter(company=company).exists()
    post(
        company, date(2025, 6, 30), "Điều chỉnh muộn", ("642", 7_000_000, 0), ("1111", 0, 7_000_000)
    )
    for lo, hi in RANGES:
        assert _tb(company, lo, hi) == _brute(company, lo, hi), (lo, hi)

    services.period_set_state(actor="test", period=june, state=PeriodState.LOCKED)
    assert OpeningBalance.objects.filter(company=company).exists()
    for lo, hi in RANGES:
        assert _tb(company, lo, hi) == _brute(company, lo, hi), (lo, hi)


def test_a_later_year_locked_alone_carries_nothing(make_company):
    # 2026 locked while 2025 is still open: postings into 2025 would change
    # the balances before 2027, so nothing may be stored.
    company = _two_years(make_company, "OPG")
    _set(company, 2026, PeriodState.LOCKED)
    assert not OpeningBalance.objects.filter(company=company).exists()
    _set(company, 2025, PeriodState.LOCKED)
    assert set(OpeningBalance.objects.filter(company=company).values_list("as_of", flat=True)) == {
        date(2026, 1, 1),
        date(2027, 1, 1),
    }
    assert _tb(company, date(2027, 1, 1), date(2027, 1, 31)) == _brute(
        company, date(2027, 1, 1), date(2027, 1, 31)
    )


def test_opening_an_earlier_year_drops_the_snapshots_after_it(make_company):
    company = _two_years(make_company, "OPE")
    _set(company, 2025, PeriodState.LOCKED)
    assert OpeningBalance.objects.filter(company=company).exists()
    # a fiscal year opened in the past: the snapshot as of 2026 lacks its entries
    ensure_year(company, 2024)
    assert not OpeningBalance.objects.filter(company=company).exists()
    post(
        company,
        date(2024, 12, 20),
        "Số dư chuyển sổ",
        ("1121", 5_000_000, 0),
        ("4111", 0, 5_000_000),
    )
    for lo, hi in RANGES:
        assert _tb(company, lo, hi) == _brute(company, lo, hi), (lo, hi)
    _set(company, 2024, PeriodState.LOCKED)
    assert set(OpeningBalance.objects.filter(company=company).values_list("as_of", flat=True)) == {
        date(2025, 1, 1),
        date(2026, 1, 1),
    }
    for lo, hi in RANGES:
        assert _tb(company, lo, hi) == _brute(company, lo, hi), (lo, hi)
