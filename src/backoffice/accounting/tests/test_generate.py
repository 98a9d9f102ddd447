"""The bulk ledger generator (bench and demo): deterministic, valid books, the
same ledger in every format, and a bulk load that leaves what posting leaves."""

from __future__ import annotations

import csv
import shutil
import subprocess
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

import pytest

from backoffice.accounting import generate
from backoffice.accounting.generate import bulk_load, chart, ensure_books, ledger, write_all

SMALL = {"seed": 7, "entries": 800, "years": 2, "start_year": 2025}


def _as_tuples(items):
    return [(e.key, e.date, e.journal, e.description, tuple(e.lines)) for e in items]


def test_same_seed_same_ledger_other_seed_other_ledger():
    assert _as_tuples(ledger(**SMALL)) == _as_tuples(ledger(**SMALL))
    assert _as_tuples(ledger(**{**SMALL, "seed": 8})) != _as_tuples(ledger(**SMALL))
    assert chart(1) == chart(1)


def test_entries_are_valid_books():
    items = list(ledger(**SMALL))
    codes = {a.code for a in chart(SMALL["seed"])}
    assert len(items) == SMALL["entries"]
    assert [e.key for e in items] == list(range(1, SMALL["entries"] + 1))
    assert [e.date for e in items] == sorted(e.date for e in items)
    assert items[0].date >= date(2025, 1, 1)
    assert items[-1].date <= date(2026, 12, 31)
    for e in items:
        assert 2 <= len(e.lines) <= 5, e
        assert sum(d for _c, d, _k in e.lines) == sum(k for _c, _d, k in e.lines), e
        for code, debit, credit in e.lines:
            assert code in codes
            assert (debit > 0) != (credit > 0)
            assert isinstance(debit, int)
            assert isinstance(credit, int)
        assert e.journal in {"GEN", "CASH", "BANK", "SALE", "PUR", "PAY"}
        assert e.description
        assert '"' not in e.description


def test_shape_of_the_bench_ledger():
    """~2.5 lines an entry, most entries two lines, the bank account 1121 hot."""
    items = list(ledger(seed=1, entries=20_000, years=1))
    lines = [ln for e in items for ln in e.lines]
    per_account = Counter(code for code, _d, _k in lines)
    assert 2.3 < len(lines) / len(items) < 2.7
    assert 0.55 < sum(len(e.lines) == 2 for e in items) / len(items) < 0.7
    assert 0.15 < per_account["1121"] / len(lines) < 0.25
    assert 450 <= len(chart(1)) <= 550


def test_too_few_entries_for_the_month_ends_is_refused():
    with pytest.raises(ValueError):
        list(ledger(entries=10, years=1))


def test_the_four_files_hold_the_same_ledger(tmp_path):
    out = write_all(tmp_path, **SMALL)
    with open(out["journal_csv"], encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == [
        "entry", "date", "journal", "description", "account", "debit", "credit", "currency",
    ]  # fmt: skip
    assert len(rows) == out["lines"]
    assert len({r["entry"] for r in rows}) == SMALL["entries"]
    csv_net = defaultdict(int)
    for r in rows:
        csv_net[r["account"]] += int(r["debit"] or 0) - int(r["credit"] or 0)
    with open(out["accounts_csv"], encoding="utf-8") as fh:
        accounts = list(csv.DictReader(fh))
    assert list(accounts[0]) == ["code", "name", "type", "parent"]
    types = {a["code"]: a["type"] for a in accounts}
    beancount = out["beancount"].read_text(encoding="utf-8")
    assert 'option "operating_currency" "VND"' in beancount
    assert "2025-01-01 open Assets:112:1121 VND" in beancount
    assert beancount.count(' * "') == SMALL["entries"]
    journal = out["hledger"].read_text(encoding="utf-8")
    assert journal.count("\n20") == SMALL["entries"]
    assert "account Assets:112:1121" in journal

    loader = pytest.importorskip("beancount.loader")
    entries, errors, _options = loader.load_file(str(out["beancount"]))
    assert errors == []
    bean_net = defaultdict(int)
    for e in entries:
        for p in getattr(e, "postings", []):
            bean_net[p.account] += int(p.units.number)
    for code, net in csv_net.items():
        assert bean_net[generate.account_path(code, types[code])] == net
    if shutil.which("hledger"):
        res = subprocess.run(
            ["hledger", "-f", str(out["hledger"]), "balance", "-N", "--flat", "Assets:112:1121"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert res.stdout.split()[0] == str(csv_net["1121"])


@pytest.fixture
def books(make_company):
    from backoffice.accounting import services

    def make(code):
        company = make_company(code)
        services.books_create(actor="test", company=company, chart="tt99")
        ensure_books(company, actor="test", seed=SMALL["seed"], years=2, start_year=2025)
        return company

    return make


def _totals(company):
    from django.db.models import Sum

    from backoffice.accounting.models import Line

    return {
        code: (d, c)
        for code, d, c in Line.objects.filter(company=company, posted=True)
        .values_list("account__code")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .values_list("account__code", "d", "c")
    }


@pytest.mark.django_db
def test_ensure_books_is_idempotent_and_makes_parents_non_postable(books):
    from backoffice.accounting.models import Account, FiscalYear

    company = books("GEN1")
    count = Account.objects.filter(company=company).count()
    ensure_books(company, actor="test", seed=SMALL["seed"], years=2, start_year=2025)
    assert Account.objects.filter(company=company).count() == count
    assert not Account.objects.get(company=company, code="131").is_postable
    assert Account.objects.get(company=company, code="131001").is_postable
    assert (
        FiscalYear.objects.filter(
            company=company, start__in=[date(2025, 1, 1), date(2026, 1, 1)]
        ).count()
        == 2
    )
    postable = Account.objects.filter(company=company, is_postable=True).count()
    assert 450 <= postable <= 600


@pytest.mark.django_db
def test_bulk_load_posts_numbers_and_balances_like_the_import(books, tmp_path):
    from django.db.models import Sum

    from backoffice.accounting import services
    from backoffice.accounting.models import AccountBalance, Entry, VoucherSequence
    from backoffice.core.models import AuditEvent

    loaded, imported = books("GEN2"), books("GEN3")
    n_entries, n_lines = bulk_load(loaded, ledger(**SMALL), actor="test", batch=300)
    assert (n_entries, n_lines) == (SMALL["entries"], sum(len(e.lines) for e in ledger(**SMALL)))
    out = write_all(tmp_path, **SMALL)
    services.journal_import(actor="test", company=imported, file=out["journal_csv"])

    # the same books either way: per-account totals, voucher types, numbers
    assert _totals(loaded) == _totals(imported)

    def series(company):
        return sorted(
            Entry.objects.filter(company=company).values_list("voucher_type", "number", "date")
        )

    assert series(loaded) == series(imported)
    # posted, numbered gap-free, balances kept, sequences at the last number
    posted = Entry.objects.filter(company=loaded, state="posted")
    assert posted.count() == SMALL["entries"]
    assert not posted.filter(number="").exists()
    assert (
        sum(VoucherSequence.objects.filter(company=loaded).values_list("last_number", flat=True))
        == SMALL["entries"]
    )
    bal = AccountBalance.objects.filter(company=loaded).aggregate(d=Sum("debit"), c=Sum("credit"))
    lines = _totals(loaded)
    assert bal["d"] == bal["c"] == sum(d for d, _c in lines.values())
    by_period = {
        (b.account.code, b.period.start): (b.debit, b.credit)
        for b in AccountBalance.objects.filter(company=loaded, account__code="1121").select_related(
            "account", "period"
        )
    }
    jan = [e for e in ledger(**SMALL) if e.date < date(2025, 2, 1)]
    want = (
        Decimal(sum(d for e in jan for c, d, _k in e.lines if c == "1121")),
        Decimal(sum(k for e in jan for c, _d, k in e.lines if c == "1121")),
    )
    assert by_period[("1121", date(2025, 1, 1))] == want
    # one audit event per batch, none per entry
    assert AuditEvent.objects.filter(company=loaded, event_type="JOURNAL_IMPORTED").count() == 3


@pytest.mark.django_db
def test_bulk_loaded_entries_are_immutable(books):
    from django.db import DatabaseError, transaction

    from backoffice.accounting.models import Entry, Line

    company = books("GEN4")
    bulk_load(company, ledger(**{**SMALL, "entries": 200}), actor="test")
    entry = Entry.objects.filter(company=company).first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Line.objects.filter(entry=entry).update(debit=1)
