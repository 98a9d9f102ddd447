"""The demo company's payroll (``backoffice demo``): pay items for everyone, the
last closed month's run computed, approved in the approval engine, paid and
posted, the ledger holding the postings, and the demo portal account
(nv00001@demo.backoffice.vn) finding its payslip."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_demo_payroll_is_posted_and_the_portal_user_has_a_payslip():
    from django.utils import timezone

    from backoffice.accounting.models import Line
    from backoffice.core.demo import DEMO_DOMAIN, demo_create
    from backoffice.core.models import Company
    from backoffice.payroll.demo import MEAL_CHANGE, MEAL_NEW, MEAL_OLD, last_closed_month
    from backoffice.payroll.models import PayItem, PayrollRun, Payslip
    from backoffice.payroll.selectors.runs import payslip_data
    from backoffice.workflow.models import ApprovalRequest

    demo_create(employees=8, seed=3)
    company = Company.objects.get(code="DEMO")
    year, month = last_closed_month(timezone.localdate())

    # pay items: the lunch allowance follows the exempt cap (730,000 then 1,200,000)
    meals = PayItem.objects.filter(company=company, name="Phụ cấp ăn trưa")
    assert MEAL_NEW in {i.amount for i in meals}
    assert {(i.amount, i.valid_to is None or i.valid_to < MEAL_CHANGE) for i in meals} <= {
        (MEAL_OLD, True), (MEAL_NEW, False), (MEAL_NEW, True),
    }  # fmt: skip
    assert all(i.amount == MEAL_NEW for i in meals if i.valid_from >= MEAL_CHANGE)

    # the run went the whole way, through the approval engine
    run = PayrollRun.objects.get(company=company, year=year, month=month)
    assert run.state == "posted"
    approval = ApprovalRequest.objects.get(company=company, request_type="payroll_run")
    assert approval.state == "approved"
    assert approval.decisions.get().actor.email == f"truongphongns@{DEMO_DOMAIN}"
    assert run.payslips.count() >= 8
    assert Decimal(run.totals["net"]) > 0

    # the ledger holds the accrual and the payment, balanced, on 334
    lines = Line.objects.filter(entry_id__in=[run.accrual_entry_id, run.payment_entry_id])
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines)
    assert run.accrual_entry_id
    assert run.payment_entry_id
    on_334 = [line for line in lines if line.account.code == "334"]
    assert on_334
    assert sum(line.credit - line.debit for line in on_334) == 0  # accrued, then paid

    # the demo portal account has its payslip, with the lunch allowance in it
    slip = Payslip.objects.get(run=run, employee__user__email=f"nv00001@{DEMO_DOMAIN}")
    data = payslip_data(slip)
    assert data["period"] == f"{year}-{month:02d}"
    assert Decimal(data["result"]["net"]) > 0
    assert Decimal(data["result"]["allowances_exempt"]) > 0
    assert run.paid_on <= timezone.localdate()
    assert run.paid_on >= dt.date(year, month, 1)

    # and the month's salaries are in the ledger once: the accounting demo stops
    # its made-up salary entries where the payroll run takes over
    from backoffice.accounting.models import Entry

    period = f"{month:02d}/{year}"
    assert not Entry.objects.filter(
        company=company, description__contains=f"lương phải trả tháng {period}"
    ).exists()
    month_334 = Line.objects.filter(entry__company=company, account__code="334",
                                    entry__date__year=year, entry__date__month=month)  # fmt: skip
    assert sum(line.credit for line in month_334) == Decimal(run.totals["gross"])
