"""Posting payroll runs to the ledger (Circular 99 and Circular 133 charts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.core.exceptions import ValidationFailed
from backoffice.payroll.enums import RunState
from backoffice.payroll.services import runs as svc
from backoffice.payroll.services.settings import payroll_settings, payroll_settings_update
from backoffice.payroll.tests.runs_world import (
    MONTH,
    YEAR,
    D,
    PayWorld,
    build_world,
    hire,
    to_approved,
)


@pytest.fixture
def world(db, make_user):
    return build_world(make_user)


def balances(company) -> dict[str, tuple[Decimal, Decimal]]:
    """account code -> (debit, credit) of the posted lines."""
    from django.db.models import Sum

    from backoffice.accounting.models import Line

    rows = (
        Line.objects.filter(entry__company=company, entry__state="posted")
        .values("account__code").annotate(d=Sum("debit"), c=Sum("credit"))
    )  # fmt: skip
    return {r["account__code"]: (D(r["d"] or 0), D(r["c"] or 0)) for r in rows}


def _paid_run(w: PayWorld):
    a = hire(w.company, 20_000_000, dept=w.sales, is_union_member=True)
    b = hire(w.company, 30_000_000, dept=w.admin_dept)
    run = svc.run_create(actor=w.payroll, company=w.company, year=YEAR, month=MONTH)
    svc.run_item_add(actor=w.payroll, run=run, employee=b, name="Hoàn ứng", amount=500_000,
                     category="deduction")  # fmt: skip
    run = to_approved(w, run)
    svc.run_mark_paid(actor=w.payroll, run=run, paid_on=dt.date(2026, 4, 5))
    return run, a, b


@pytest.mark.django_db
def test_posting_tt99_balances_and_idempotency(world):
    payroll_settings_update(actor=world.payroll, company=world.company,
                            department_expense={"KD": "641"})  # fmt: skip
    run, _a, _b = _paid_run(world)
    run = svc.run_post(actor=world.payroll, run=run)
    assert run.state == RunState.POSTED
    assert run.accrual_entry.date == dt.date(2026, 3, 31)
    assert run.payment_entry.date == dt.date(2026, 4, 5)
    assert run.accrual_entry.state == run.payment_entry.state == "posted"
    t = {k: D(v) for k, v in run.totals.items() if k not in ("headcount", "by_department")}
    bal = balances(world.company)
    assert bal["334"][0] == bal["334"][1] == t["gross"]  # nets to zero after the payment
    assert bal["3383"] == (0, t["ee_si"] + t["er_si"])
    assert bal["3384"] == (0, t["ee_hi"] + t["er_hi"])
    assert bal["3386"] == (0, t["ee_ui"] + t["er_ui"])
    assert bal["3382"] == (0, t["union_dues"] + t["union_fund"])
    assert bal["3335"] == (0, t["pit"])
    assert bal["141"] == (0, D(500_000))
    assert bal["1121"] == (0, t["net"])
    assert "3385" not in bal
    # exact figures: sales 20M + employer 23.5 % = 24.7M on 641; admin 30M -> 37.05M on 642
    assert bal["641"] == (D(24_700_000), 0)
    assert bal["642"] == (D(37_050_000), 0)
    assert t["union_dues"] == D(100_000)  # 0.5 % of 20M, under the 234,000 cap
    assert bal["3335"][1] == D(755_000)  # 120,000 + 635,000
    # a retry posts nothing more
    from backoffice.accounting.models import Entry

    count = Entry.objects.filter(company=world.company).count()
    svc.run_post(actor=world.payroll, run=run)
    run.state = RunState.PAID  # as if the first attempt had not saved the state
    run.save(update_fields=["state"])
    svc.run_post(actor=world.payroll, run=run)
    assert Entry.objects.filter(company=world.company).count() == count


@pytest.mark.django_db
def test_posting_tt133_uses_3385_and_6422(db, make_user):
    w = build_world(make_user, chart="tt133", code="SME")
    assert payroll_settings(w.company)["accounts"]["ui"] == "3385"
    run, _a, _b = _paid_run(w)
    svc.run_post(actor=w.payroll, run=run)
    bal = balances(w.company)
    t = run.totals
    assert bal["3385"] == (0, D(t["ee_ui"]) + D(t["er_ui"]))
    assert "3386" not in bal
    assert bal["6422"][0] == D(t["total_cost"])
    assert bal["334"][0] == bal["334"][1]


@pytest.mark.django_db
def test_adjustment_posts_its_difference(world):
    run, a, _b = _paid_run(world)
    svc.run_post(actor=world.payroll, run=run)
    adj = svc.adjustment_create(actor=world.payroll, run=run)
    svc.run_item_add(actor=world.payroll, run=adj, employee=a, name="Thưởng", amount=2_000_000)
    adj = to_approved(world, adj)
    svc.run_mark_paid(actor=world.payroll, run=adj, paid_on=dt.date(2026, 4, 20))
    svc.run_post(actor=world.payroll, run=adj)
    bal = balances(world.company)
    assert bal["334"][0] == bal["334"][1]
    total_pit = D(run.totals["pit"]) + D(adj.totals["pit"])
    assert bal["3335"] == (0, total_pit)


@pytest.mark.django_db
def test_settings_refuse_unknown_accounts_and_other_roles(world):
    from backoffice.core.exceptions import PermissionDenied

    with pytest.raises(ValidationFailed):
        payroll_settings_update(actor=world.payroll, company=world.company,
                                accounts={"bank": "9999"})  # fmt: skip
    with pytest.raises(ValidationFailed):  # 112 has sub-accounts
        payroll_settings_update(actor=world.payroll, company=world.company,
                                accounts={"bank": "112"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        payroll_settings_update(actor=world.accountant, company=world.company, pay_day=5)
    out = payroll_settings_update(actor=world.payroll, company=world.company, pay_day=5,
                                  default_region=2)  # fmt: skip
    assert (out["pay_day"], out["default_region"]) == (5, 2)


@pytest.mark.django_db
def test_posting_into_a_closed_period_needs_the_chief_accountant(world):
    from backoffice.accounting.models import Period
    from backoffice.core.exceptions import PermissionDenied

    run, _a, _b = _paid_run(world)
    Period.objects.filter(company=world.company, start=dt.date(2026, 3, 1)).update(state="closed")
    with pytest.raises(PermissionDenied):
        svc.run_post(actor=world.payroll, run=run)
    run.refresh_from_db()
    assert run.state == RunState.PAID
    assert run.accrual_entry_id is None
