"""Collaborator payments: the approved work of the period, the flat 10 %
withholding from the threshold in force (2M to 2025, 5M from 2026), the
commitment, pay / post (Dr 642, Cr 3335, Cr 1121) / cancel, the withholding
report, desk, API, CLI and the collaborator's own page in the portal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.payroll.selectors.collaborators import withholding_report
from backoffice.payroll.selectors.periods import Period
from backoffice.payroll.services import collaborators as svc
from backoffice.payroll.tests.h3_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company_a, company_b, make_user):
    return build(company_a, company_b, make_user)


D = Decimal


@pytest.fixture
def ctv(world, make_user):
    from backoffice.core.enums import Role
    from backoffice.hr.models import Contract, Employee, WorkLog

    user = make_user(world.a, roles=[Role.COLLABORATOR], email="ctv@a.vn", is_staff=False)
    person = Employee.objects.create(company=world.a, code="CTV01", full_name="Trần Cộng Tác",
                                     kind="collaborator", user=user,
                                     hire_date=dt.date(2025, 1, 1))  # fmt: skip
    contract = Contract.objects.create(
        company=world.a, employee=person, number="HDDV-01", contract_type="service",
        state="active", start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31),
        rate=D(250_000), rate_unit="hour", signed_on=dt.date(2025, 1, 1),
    )  # fmt: skip

    def log(day, amount, state="approved"):
        return WorkLog.objects.create(company=world.a, employee=person, contract=contract,
                                      date=day, hours=D(8), description=f"Dịch {day}",
                                      amount=D(amount), state=state)  # fmt: skip

    logs = [log(dt.date(2026, 3, 2), 3_000_000), log(dt.date(2026, 3, 9), 3_000_000),
            log(dt.date(2026, 3, 16), 1_000_000, "submitted"),
            log(dt.date(2026, 4, 1), 1_500_000)]  # fmt: skip
    return {"user": user, "person": person, "logs": logs}


def books(company):
    from backoffice.accounting.charts import books_create

    books_create(actor="test", company=company, chart="tt99")


def test_payment_of_the_approved_work_with_2026_withholding(world, ctv):
    payroll = world.user("payroll")
    p = svc.collaborator_payment_create(actor=payroll, company=world.a, employee=ctv["person"],
                                        period_start=dt.date(2026, 3, 1),
                                        period_end=dt.date(2026, 3, 31))  # fmt: skip
    assert p.number == "CTV-2026-0001"
    assert p.amount == D(6_000_000)  # the two approved logs of March, not the submitted one
    assert set(p.work_logs.all()) == set(ctv["logs"][:2])
    p = svc.collaborator_payment_pay(actor=payroll, company=world.a, payment=p,
                                     paid_on=dt.date(2026, 4, 5))  # fmt: skip
    assert p.withheld == D(600_000)  # 6M >= 5M (2026 threshold): 10 %
    assert {log.state for log in p.work_logs.all()} == {"paid"}
    with pytest.raises(ValidationFailed) as exc:  # the same work cannot be paid twice
        svc.collaborator_payment_create(actor=payroll, company=world.a, employee=ctv["person"],
                                        period_start=dt.date(2026, 3, 1),
                                        period_end=dt.date(2026, 3, 31))  # fmt: skip
    assert exc.value.code == "nothing_to_pay"
    books(world.a)
    p = svc.collaborator_payment_post(actor=payroll, company=world.a, payment=p)
    lines = {(ln.account.code, ln.debit, ln.credit) for ln in p.entry.lines.all()}
    assert lines == {("642", D(6_000_000), D(0)), ("3335", D(0), D(600_000)),
                     ("1121", D(0), D(5_400_000))}  # fmt: skip
    assert p.state == "posted"
    assert p.entry.state == "posted"
    with pytest.raises(Conflict):
        svc.collaborator_payment_cancel(actor=payroll, company=world.a, payment=p)


def test_thresholds_by_payment_date_and_commitment(world, ctv):
    payroll = world.user("payroll")

    def pay(amount, on, commitment=False):
        p = svc.collaborator_payment_create(
            actor=payroll, company=world.a, employee=ctv["person"], amount=D(amount),
            period_start=on.replace(day=1), period_end=on, has_commitment=commitment)  # fmt: skip
        return svc.collaborator_payment_pay(actor=payroll, company=world.a, payment=p, paid_on=on)

    assert pay(3_000_000, dt.date(2025, 12, 20)).withheld == D(300_000)  # 2025: from 2M
    assert pay(1_999_999, dt.date(2025, 12, 20)).withheld == D(0)
    assert pay(4_999_999, dt.date(2026, 1, 20)).withheld == D(0)  # 2026: from 5M
    assert pay(5_000_000, dt.date(2026, 1, 20)).withheld == D(500_000)
    assert pay(9_000_000, dt.date(2026, 2, 20), commitment=True).withheld == D(0)
    q1 = withholding_report(user=payroll, company=world.a, period=Period(2026, quarter=1))
    assert q1["rows"][0]["payments"] == 3
    assert (q1["totals"]["amount"], q1["totals"]["withheld"], q1["totals"]["net"]) == (
        D(18_999_999),
        D(500_000),
        D(18_499_999),
    )
    dec = withholding_report(user=payroll, company=world.a, period=Period(2025, 12))
    assert dec["totals"]["withheld"] == D(300_000)


def test_cancel_frees_the_work_and_refusals(world, ctv):
    payroll = world.user("payroll")
    p = svc.collaborator_payment_create(actor=payroll, company=world.a, employee=ctv["person"],
                                        period_start=dt.date(2026, 3, 1),
                                        period_end=dt.date(2026, 4, 30),
                                        work_logs=[ctv["logs"][3]])  # fmt: skip
    assert p.amount == D(1_500_000)
    p = svc.collaborator_payment_pay(actor=payroll, company=world.a, payment=p,
                                     paid_on=dt.date(2026, 5, 2))  # fmt: skip
    assert p.withheld == D(0)  # under 5M
    svc.collaborator_payment_cancel(actor=payroll, company=world.a, payment=p)
    ctv["logs"][3].refresh_from_db()
    assert ctv["logs"][3].state == "approved"
    with pytest.raises(ValidationFailed) as exc:  # a submitted log is not payable
        svc.collaborator_payment_create(actor=payroll, company=world.a, employee=ctv["person"],
                                        period_start=dt.date(2026, 3, 1),
                                        period_end=dt.date(2026, 3, 31),
                                        work_logs=[ctv["logs"][2]])  # fmt: skip
    assert exc.value.code == "worklog_not_payable"
    with pytest.raises(ValidationFailed) as exc:  # an employee is paid by the payroll run
        svc.collaborator_payment_create(actor=payroll, company=world.a,
                                        employee=world.emps["staff"], amount=D(1),
                                        period_start=dt.date(2026, 3, 1),
                                        period_end=dt.date(2026, 3, 31))  # fmt: skip
    assert exc.value.code == "not_collaborator"
    for who in ("hr_manager", "hr_officer", "analyst", "staff"):
        with pytest.raises(PermissionDenied):
            svc.collaborator_payment_create(actor=world.user(who), company=world.a,
                                            employee=ctv["person"], amount=D(1),
                                            period_start=dt.date(2026, 3, 1),
                                            period_end=dt.date(2026, 3, 31))  # fmt: skip


def test_desk_api_cli_and_portal(world, ctv, desk_login, api_token, portal_login):
    from click.testing import CliRunner

    from backoffice.cli import main

    desk = desk_login(Client(), world.users["payroll"], world.a)
    response = desk.post("/desk/payroll/collaborators/payments/", {
        "employee": "CTV01", "period_start": "2026-03-01", "period_end": "2026-03-31"})  # fmt: skip
    assert response.status_code == 302
    page = desk.get(response["Location"])
    assert page.status_code == 200
    assert "6.000.000 ₫" in page.content.decode()
    listing = desk.get("/desk/payroll/collaborators/payments/").content.decode()
    assert "CTV-2026-0001" in listing
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(world.users['payroll'], world.a)}")
    items = api.get("/api/v1/payroll/collaborator-payments").json()["items"]
    assert items[0]["number"] == "CTV-2026-0001"
    assert items[0]["amount"] == "6000000"
    paid = api.post(f"/api/v1/payroll/collaborator-payments/{items[0]['id']}/pay",
                    {"paid_on": "2026-04-05"}, content_type="application/json")  # fmt: skip
    assert paid.status_code == 200
    assert paid.json()["withheld"] == "600000"
    report = api.get("/api/v1/payroll/collaborator-withholding?year=2026&month=4").json()
    assert report["totals"]["withheld"] == "600000"
    assert desk.get("/desk/payroll/collaborators/withholding/?year=2026&month=4").status_code == 200
    result = CliRunner().invoke(main, ["payroll", "collaborator-payments", "--company", "ACO",
                                       "--format", "json"])  # fmt: skip
    assert result.exit_code == 0
    assert '"withheld": "600000"' in result.output
    # The collaborator sees their own paid payment in the portal.
    portal = portal_login(Client(), ctv["user"], world.a)
    mine = portal.get("/portal/payments/")
    assert mine.status_code == 200
    assert "600.000 ₫" in mine.content.decode()
    # Nobody else reaches these pages.
    hr = desk_login(Client(), world.users["hr_manager"], world.a)
    assert hr.get("/desk/payroll/collaborators/payments/").status_code == 403
    other = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(world.users['outsider'], world.b)}")
    assert other.get(f"/api/v1/payroll/collaborator-payments/{items[0]['id']}").status_code == 404
