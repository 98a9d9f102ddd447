"""The line definitions cover every account of the chart templates: with
random postings over all accounts, assets = resources, the cash flow's closing
cash equals the balance sheet's, and the income statement's profit before tax
equals the cash flow's starting line."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from backoffice.accounting import reports
from backoffice.accounting.models import Account, AccountType
from backoffice.accounting.reports_defs import KINDS, statement_def
from backoffice.accounting.tests.reports_helpers import books, post

TOTALS = {"tt99": ("280", "440", "110"), "tt133": ("200", "500", "110")}


@pytest.mark.django_db
@pytest.mark.parametrize("chart", ["tt99", "tt133"])
def test_statements_balance_for_any_postings(make_company, chart):
    company = books(make_company, f"P{chart}", chart=chart)
    codes = list(
        Account.objects.filter(company=company, is_postable=True)
        .exclude(type=AccountType.OFF_BALANCE)
        .values_list("code", flat=True)
    )
    rnd = random.Random(11)
    for i in range(150):
        a, b = rnd.sample(codes, 2)
        amount = rnd.randrange(1, 1000) * 1_000
        day = date(2026, 1, 1) + timedelta(days=rnd.randrange(0, 180))
        post(company, day, f"Ngẫu nhiên {i}", (a, amount, 0), (b, 0, amount))
    assets, resources, cash = TOTALS[chart]
    for lo, hi in [(date(2026, 1, 1), date(2026, 6, 30)), (date(2026, 2, 10), date(2026, 5, 20))]:
        bs = reports.balance_sheet(company=company, as_of=hi)
        assert bs.amount(assets) == bs.amount(resources)
        opening = reports.balance_sheet(company=company, as_of=lo - timedelta(days=1))
        cf = reports.cash_flow(company=company, date_from=lo, date_to=hi)
        assert cf.amount("70") == bs.amount(cash)
        assert cf.amount("60") == opening.amount(cash)
        inc = reports.income_statement(company=company, date_from=lo, date_to=hi)
        assert cf.amount("01") == inc.amount("50")


def test_definitions_are_well_formed():
    import re

    for regime in ("tt99", "tt133"):
        for kind in KINDS:
            sdef = statement_def(regime, kind)
            codes = [ln["code"] for ln in sdef.lines]
            assert len(codes) == len(set(codes)), (regime, kind)
            for ln in sdef.lines:
                assert ("formula" in ln) != ("sources" in ln), ln
                for ref in re.findall(r"[0-9A-Za-z_.]+", ln.get("formula", "")):
                    assert ref in codes, (regime, kind, ln["code"], ref)


@pytest.mark.django_db
@pytest.mark.parametrize("chart", ["tt99", "tt133"])
def test_every_template_account_feeds_the_statements_once(make_company, chart):
    """A debit or a credit balance on any account of the template moves
    assets - resources by exactly that balance, and the cash flow by minus it
    (plus it for the cash accounts, which the cash flow explains)."""
    from decimal import Decimal

    from backoffice.accounting.reports import Figures, _accounts, _evaluate

    company = books(make_company, f"C{chart}", chart=chart)
    accounts = _accounts(company)
    assets, resources, _cash = TOTALS[chart]
    bs = statement_def(chart, "balance_sheet")
    cf = statement_def(chart, "cash_flow")
    wrong = []
    for acc_id, acc in accounts.items():
        if acc.type == AccountType.OFF_BALANCE:
            continue
        is_cash = acc.code.startswith(("111", "112", "113", "12811"))
        for net in (Decimal(100), Decimal(-100)):
            f = Figures(debit=max(net, Decimal(0)), credit=max(-net, Decimal(0)))
            v = _evaluate(bs, {acc_id: f}, accounts)
            if v[assets] - v[resources] != net:
                wrong.append(("balance sheet", acc.code, net))
            v = _evaluate(cf, {acc_id: f}, accounts)
            if v["50"] != (0 if is_cash else -net):
                wrong.append(("cash flow", acc.code, net))
    assert wrong == []
