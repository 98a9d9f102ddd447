"""Property: any sequence of valid postings and reversals (single entries and
imports) keeps the books balanced, and every account's AccountBalance equals
the sum (and the number) of its posted lines, per period."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backoffice.accounting import services
from backoffice.accounting.models import AccountBalance, Entry, Line
from backoffice.accounting.tests.ledger_helpers import books

pytestmark = pytest.mark.django_db

ACCOUNTS = ["1111", "1121", "131", "156", "331", "4111", "5111", "632", "642", "1331"]
START = date(2026, 1, 1)

amounts = st.integers(min_value=1, max_value=10**12)
entry_lines = st.lists(st.tuples(st.sampled_from(ACCOUNTS), amounts), min_size=1, max_size=4).map(
    lambda debits: debits
)
operation = st.one_of(
    st.tuples(st.just("post"), entry_lines, st.sampled_from(ACCOUNTS), st.integers(0, 364)),
    st.tuples(st.just("reverse"), st.integers(0, 50)),
    st.tuples(st.just("import"), st.lists(st.tuples(entry_lines, st.sampled_from(ACCOUNTS),
                                                    st.integers(0, 364)), min_size=1, max_size=5)),
)  # fmt: skip


class _Rollback(Exception):
    pass


def check_invariants(company):
    totals = Line.objects.filter(company=company, posted=True).aggregate(
        d=Sum("debit"), c=Sum("credit")
    )
    assert (totals["d"] or 0) == (totals["c"] or 0)
    from_lines = defaultdict(lambda: [Decimal(0), Decimal(0), 0])
    for acc, per, d, c, n in (
        Line.objects.filter(company=company, posted=True)
        .values("account_id", "period_id")
        .annotate(d=Sum("debit"), c=Sum("credit"), n=Count("id"))
        .values_list("account_id", "period_id", "d", "c", "n")
    ):
        from_lines[(acc, per)] = [d, c, n]
    from_balances = {
        (b.account_id, b.period_id): [b.debit, b.credit, b.line_count]
        for b in AccountBalance.objects.filter(company=company)
    }
    assert from_balances == dict(from_lines)
    for entry in Entry.objects.filter(company=company, state="posted"):
        lines = list(entry.lines.all())
        assert len(lines) >= 2
        assert all(ln.posted for ln in lines)
        assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines) == entry.total
    numbers = list(
        Entry.objects.filter(company=company, state="posted").values_list("number", flat=True)
    )
    assert len(numbers) == len(set(numbers))


@pytest.fixture
def company(make_company):
    return books(make_company, "PROP")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
def test_books_stay_balanced(company, ops):
    try:
        with transaction.atomic():
            posted: list[Entry] = []
            for op in ops:
                if op[0] == "post":
                    _kind, debits, credit_account, day = op
                    lines = [services.LineInput(a, debit=Decimal(x)) for a, x in debits]
                    lines.append(
                        services.LineInput(
                            credit_account, credit=Decimal(sum(x for _a, x in debits))
                        )
                    )
                    posted.append(services.entry_create(
                        actor="test", company=company, date=START + timedelta(days=day),
                        description="p", lines=lines, post=True,
                    ))  # fmt: skip
                elif op[0] == "reverse":
                    candidates = [e for e in posted if e.reversal_of_id is None
                                  and not Entry.objects.filter(reversal_of=e).exists()]  # fmt: skip
                    if candidates:
                        target = candidates[op[1] % len(candidates)]
                        posted.append(services.entry_reverse(actor="test", entry=target))
                else:
                    rows = ["entry,date,journal,description,account,debit,credit,currency"]
                    for k, (debits, credit_account, day) in enumerate(op[1]):
                        d = START + timedelta(days=day)
                        rows += [f"I{k},{d},,i,{a},{x},," for a, x in debits]
                        rows.append(f"I{k},{d},,i,{credit_account},,{sum(x for _a, x in debits)},")
                    services.journal_import(
                        actor="test", company=company, file="\n".join(rows) + "\n"
                    )
                check_invariants(company)
            raise _Rollback
    except _Rollback:
        pass
