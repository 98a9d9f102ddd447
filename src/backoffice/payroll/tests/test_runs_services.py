"""Payroll runs: compute, the state machine, approval through the workflow
engine, adjustments, one-off items and the query count (March 2026)."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.payroll.enums import RunState
from backoffice.payroll.models import PayrollRun, Payslip
from backoffice.payroll.selectors.runs import payslip_data
from backoffice.payroll.services import runs as svc
from backoffice.payroll.tests.runs_world import (
    MONTH,
    YEAR,
    approve,
    attend,
    build_world,
    dependant,
    hire,
    to_approved,
    weekdays,
)


@pytest.fixture
def world(db, make_user):
    return build_world(make_user)


def _new(w):
    return svc.run_create(actor=w.payroll, company=w.company, year=YEAR, month=MONTH)


def _slip(run, emp):
    return payslip_data(Payslip.objects.get(run=run, employee=emp))


@pytest.mark.django_db
def test_compute_a_month_exact_figures(world):
    a = hire(world.company, 20_000_000, dept=world.sales, name="Trần Thị Bình")
    b = hire(world.company, 20_000_000, dept=world.sales)
    dependant(b, dt.date(2025, 1, 1))
    run = svc.run_compute(actor=world.payroll, run=_new(world))
    assert run.state == RunState.COMPUTED
    r = _slip(run, a)["result"]
    assert r["gross"] == "20000000"
    assert r["insurance"] == {"social": "1600000", "health": "300000",
                              "unemployment": "200000", "total": "2100000"}  # fmt: skip
    assert (r["taxable_income"], r["pit"], r["net"]) == ("2400000", "120000", "17780000")
    assert r["employer"]["total_cost"] == "24700000"
    rb = _slip(run, b)["result"]  # a dependant: 6,200,000 more deduction, no tax left
    assert (rb["family_deduction"], rb["pit"], rb["net"]) == ("21700000", "0", "17900000")
    doc = _slip(run, a)
    assert doc["employee"]["name"] == "Trần Thị Bình"
    assert doc["employee"]["department"] == "Phòng Kinh doanh"
    assert doc["period"] == "2026-03"
    assert doc["inputs"]["paid_days"] == "22.00"
    t = run.totals
    assert (t["headcount"], t["gross"], t["net"], t["pit"]) == (2, "40000000", "35680000", "120000")
    assert (t["ee_si"], t["ee_hi"], t["ee_ui"], t["union_fund"]) == (
        "3200000", "600000", "400000", "800000")  # fmt: skip
    assert t["by_department"]["KD"]["headcount"] == 2
    # amounts are encrypted at rest
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT data FROM payroll_payslip WHERE run_id = %s", [run.pk])
        raw = " ".join(r[0] for r in cur.fetchall())
    assert "17780000" not in raw
    assert "Trần" not in raw


@pytest.mark.django_db
def test_recompute_replaces_payslips_and_sees_new_data(world):
    a = hire(world.company, 20_000_000)
    run = svc.run_compute(actor=world.payroll, run=_new(world))
    hire(world.company, 10_000_000)
    svc.run_item_add(actor=world.payroll, run=run, employee=a, name="Thưởng", amount=1_000_000)
    run.refresh_from_db()
    assert run.state == RunState.DRAFT  # items changed: compute again
    run = svc.run_compute(actor=world.payroll, run=run)
    assert Payslip.objects.filter(run=run).count() == 2
    assert _slip(run, a)["result"]["bonuses"] == "1000000"
    assert _slip(run, a)["result"]["gross"] == "21000000"


@pytest.mark.django_db
def test_one_regular_run_per_month_and_bad_months(world):
    run = _new(world)
    with pytest.raises(Conflict) as exc:
        _new(world)
    assert exc.value.code == "run_exists"
    svc.run_cancel(actor=world.payroll, run=run)
    _new(world)  # a cancelled run frees the month
    with pytest.raises(ValidationFailed):
        svc.run_create(actor=world.payroll, company=world.company, year=2026, month=13)


@pytest.mark.django_db
def test_state_machine_refusals(world):
    hire(world.company, 20_000_000)
    run = _new(world)
    with pytest.raises(Conflict) as exc:
        svc.run_submit(actor=world.payroll, run=run)  # not computed
    assert exc.value.code == "not_computed"
    svc.run_compute(actor=world.payroll, run=run)
    with pytest.raises(Conflict):
        svc.run_mark_paid(actor=world.payroll, run=run, paid_on=dt.date(2026, 4, 5))
    with pytest.raises(Conflict) as exc:
        svc.run_post(actor=world.payroll, run=run)
    assert exc.value.code == "not_paid"
    svc.run_submit(actor=world.payroll, run=run)
    run.refresh_from_db()
    assert run.state == RunState.PENDING
    with pytest.raises(Conflict):
        svc.run_compute(actor=world.payroll, run=run)  # waiting for approval
    with pytest.raises(Conflict) as exc:
        svc.run_cancel(actor=world.payroll, run=run)
    assert exc.value.code == "pending"
    approve(run, world.hr_manager)
    run.refresh_from_db()
    assert run.state == RunState.APPROVED
    assert run.approved_at
    with pytest.raises(Conflict) as exc:
        svc.run_compute(actor=world.payroll, run=run)  # recompute after approval refused
    assert exc.value.code == "not_editable"
    with pytest.raises(Conflict):
        svc.run_cancel(actor=world.payroll, run=run)
    with pytest.raises(Conflict):
        svc.run_post(actor=world.payroll, run=run)  # post before paid refused
    with pytest.raises(ValidationFailed):
        svc.run_mark_paid(actor=world.payroll, run=run, paid_on=dt.date(2026, 2, 1))
    svc.run_mark_paid(actor=world.payroll, run=run, paid_on=dt.date(2026, 4, 5))
    svc.run_post(actor=world.payroll, run=run)
    run.refresh_from_db()
    assert run.state == RunState.POSTED
    events = list(
        AuditEvent.objects.filter(object_id=str(run.public_id), event_type__startswith="PAYROLL_RUN_")
        .order_by("id").values_list("event_type", flat=True)
    )  # fmt: skip
    assert events == ["PAYROLL_RUN_CREATED", "PAYROLL_RUN_COMPUTED", "PAYROLL_RUN_SUBMITTED",
                      "PAYROLL_RUN_APPROVED", "PAYROLL_RUN_PAID", "PAYROLL_RUN_POSTED"]  # fmt: skip


@pytest.mark.django_db
def test_rejected_approval_returns_to_computed(world):
    hire(world.company, 20_000_000)
    run = svc.run_compute(actor=world.payroll, run=_new(world))
    svc.run_submit(actor=world.payroll, run=run)
    approve(run, world.hr_manager, ok=False)
    run.refresh_from_db()
    assert run.state == RunState.COMPUTED
    svc.run_compute(actor=world.payroll, run=run)  # may be corrected and recomputed


@pytest.mark.django_db
def test_the_default_policy_is_the_hr_manager(world):
    from backoffice.payroll.services.runs_approval import approval_of
    from backoffice.workflow.models import ApprovalPolicy

    policy = ApprovalPolicy.objects.get(company=world.company, request_type="payroll_run")
    assert list(policy.steps.values_list("role", flat=True)) == ["hr_manager"]
    hire(world.company, 20_000_000)
    run = svc.run_compute(actor=world.payroll, run=_new(world))
    svc.run_submit(actor=world.payroll, run=run)
    step = approval_of(run).steps.get()
    assert list(step.approvers.all()) == [world.hr_manager]
    with pytest.raises(PermissionDenied):  # the chief accountant is no approver
        approve(run, world.accountant)


@pytest.mark.django_db
def test_permissions_and_other_company(world):
    hire(world.company, 20_000_000)
    for user in (world.hr_manager, world.accountant, world.analyst, world.hr_officer,
                 world.staff, world.other_payroll):  # fmt: skip
        with pytest.raises(PermissionDenied):
            svc.run_create(actor=user, company=world.company, year=YEAR, month=MONTH)
    run = _new(world)
    for user in (world.hr_manager, world.analyst, world.other_payroll):
        with pytest.raises(PermissionDenied):
            svc.run_compute(actor=user, run=run)
    assert not PayrollRun.objects.filter(company=world.other_company).exists()


@pytest.mark.django_db
def test_adjustment_stores_the_difference(world):
    a = hire(world.company, 20_000_000)
    b = hire(world.company, 15_000_000)
    run = to_approved(world, _new(world))
    with pytest.raises(Conflict):
        svc.run_compute(actor=world.payroll, run=run)
    # a bonus forgotten for A, and B's salary was wrong from the 1st
    from backoffice.payroll.tests.runs_world import raise_salary

    raise_salary(b, 16_000_000, dt.date(2026, 3, 1))
    adj = svc.adjustment_create(actor=world.payroll, run=run, employees=[b])
    svc.run_item_add(actor=world.payroll, run=adj, employee=a, name="Thưởng", amount=10_000_000)
    adj = svc.run_compute(actor=world.payroll, run=adj)
    assert adj.kind == "adjustment"
    assert adj.adjusts == run
    ra = _slip(adj, a)
    # A's month is now 30,000,000 gross; taxable 12,400,000: 500,000 + 240,000 = 740,000
    assert ra["full"]["pit"] == "740000"
    assert ra["result"]["gross"] == "10000000"
    assert ra["result"]["pit"] == "620000"  # 740,000 - 120,000 already withheld
    assert ra["result"]["insurance"]["total"] == "0"  # a bonus is not insurable
    assert ra["result"]["net"] == "9380000"
    rb = _slip(adj, b)["result"]
    assert rb["gross"] == "1000000"
    assert rb["insurance"]["total"] == "105000"
    assert adj.totals["headcount"] == 2
    assert adj.totals["gross"] == "11000000"
    to_approved(world, adj)
    adj.refresh_from_db()
    assert adj.state == RunState.APPROVED


@pytest.mark.django_db
def test_query_count_of_compute_is_constant(world, django_assert_max_num_queries):
    def people(n):
        for i in range(n):
            emp = hire(world.company, 10_000_000 + i * 1000, dept=world.sales)
            attend(emp, weekdays()[0], 8, ot_weekday=1)
            if i % 3 == 0:
                dependant(emp, dt.date(2025, 1, 1))

    people(3)
    run = _new(world)
    svc.run_compute(actor=world.payroll, run=run)  # warm caches (rules, content types)
    with django_assert_max_num_queries(40) as few:
        svc.run_compute(actor=world.payroll, run=run)
    people(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        svc.run_compute(actor=world.payroll, run=run)
    assert Payslip.objects.filter(run=run).count() == 33
