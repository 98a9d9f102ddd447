"""Payroll runs in the desk, the API and the CLI; who may see what."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner
from django.test import Client

from backoffice.payroll.enums import RunState
from backoffice.payroll.models import PayrollRun
from backoffice.payroll.services import runs as svc
from backoffice.payroll.services.settings import payroll_settings
from backoffice.payroll.tests.runs_world import (
    MONTH,
    YEAR,
    build_world,
    hire,
    to_approved,
)


@pytest.fixture
def world(db, make_user):
    return build_world(make_user)


def _api(api_token, user, company):
    return Client(HTTP_AUTHORIZATION=f"Bearer {api_token(user, company)}")


def _people(w):
    for i in range(3):
        hire(w.company, 20_000_000 + i * 1_000_000, dept=w.sales, name=f"Nhân Viên {i}")
    hire(w.company, 47_000_000, dept=w.admin_dept, name="Giám Đốc Hành Chính")


@pytest.mark.django_db
def test_desk_flow_for_the_payroll_officer(world, desk_login):
    _people(world)
    c = desk_login(Client(), world.payroll, world.company)
    resp = c.post("/desk/payroll/runs/", {"month": "2026-03"})
    run = PayrollRun.objects.get(company=world.company)
    assert resp.status_code == 302
    assert str(run.public_id) in resp["Location"]
    url = f"/desk/payroll/runs/{run.public_id}/"
    c.post(url, {"op": "compute"})
    run.refresh_from_db()
    assert run.state == RunState.COMPUTED
    page = c.get(url).content.decode()
    assert "Giám Đốc Hành Chính" in page
    assert "47.000.000 ₫" in page
    slip = run.payslips.get(employee__full_name="Giám Đốc Hành Chính")
    detail = c.get(f"{url}payslips/{slip.public_id}/").content.decode()
    assert "payslip-lines" in detail
    assert "47.000.000 ₫" in detail
    c.post(url, {"op": "item_add", "employee": slip.employee.code, "name": "Thưởng",
                 "amount": "1000000", "category": "bonus", "tax_treatment": "taxable"})  # fmt: skip
    run.refresh_from_db()
    assert run.state == RunState.DRAFT
    assert run.items.count() == 1
    c.post(url, {"op": "compute"})
    c.post(url, {"op": "submit"})
    run.refresh_from_db()
    assert run.state == RunState.PENDING
    export = c.get(f"{url}register.xlsx")
    assert export.status_code == 200
    import openpyxl

    ws = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) == 5
    assert 48_000_000 in rows[4]
    assert c.get("/desk/payroll/settings/").status_code == 200
    form = {f"account_{k}": v for k, v in payroll_settings(world.company)["accounts"].items()}
    c.post("/desk/payroll/settings/", {**form, "dept_KD": "641", "default_region": "2",
                                       "pay_day": "5"})  # fmt: skip
    world.company.refresh_from_db()
    saved = payroll_settings(world.company)
    assert saved["department_expense"] == {"KD": "641"}
    assert (saved["default_region"], saved["pay_day"]) == (2, 5)


@pytest.mark.django_db
def test_desk_aggregates_only_and_refusals(world, desk_login, make_user):
    _people(world)
    run = svc.run_create(actor=world.payroll, company=world.company, year=YEAR, month=MONTH)
    svc.run_compute(actor=world.payroll, run=run)
    url = f"/desk/payroll/runs/{run.public_id}/"
    slip = run.payslips.first()
    for user in (world.accountant, world.analyst):
        c = desk_login(Client(), user, world.company)
        page = c.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert "run-totals" in text
        assert "run-payslips" not in text
        assert "Nhân Viên" not in text
        assert "Giám Đốc Hành Chính" not in text
        assert "47.000.000" not in text  # the admin department has one person: folded
        assert c.get(f"{url}payslips/{slip.public_id}/").status_code == 403
        assert c.get(f"{url}register.xlsx").status_code == 403
        c.post(url, {"op": "compute"})
        assert c.get("/desk/payroll/settings/").status_code == 403
        listing = c.get("/desk/payroll/runs/").content.decode()
        assert "110.000.000 ₫" in listing  # the month's gross: an aggregate of 4 people
    small = svc.adjustment_create(actor=world.payroll, run=to_approved(world, run), employees=[
        slip.employee])  # fmt: skip
    svc.run_compute(actor=world.payroll, run=small)
    listing = desk_login(Client(), world.analyst, world.company).get("/desk/payroll/runs/")
    assert listing.content.decode().count("₫") == 3  # the one-person adjustment shows none
    for user in (world.staff, world.hr_officer):
        c = desk_login(Client(), user, world.company)
        assert c.get("/desk/payroll/runs/").status_code == 403
        assert c.get(url).status_code == 403
    outsider = desk_login(Client(), world.other_payroll, world.other_company)
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"{url}register.xlsx").status_code == 404
    assert outsider.post(url, {"op": "cancel"}).status_code == 404
    run.refresh_from_db()
    assert run.state == RunState.APPROVED


@pytest.mark.django_db
def test_api_runs(world, api_token):
    _people(world)
    officer = _api(api_token, world.payroll, world.company)
    resp = officer.post(
        "/api/v1/payroll/runs", {"month": "2026-03"}, content_type="application/json"
    )
    assert resp.status_code == 201, resp.content
    run_id = resp.json()["id"]
    resp = officer.post(f"/api/v1/payroll/runs/{run_id}/compute")
    assert resp.status_code == 200
    assert resp.json()["state"] == "computed"
    assert resp.json()["totals"]["headcount"] == 4
    rows = officer.get(f"/api/v1/payroll/runs/{run_id}/payslips").json()
    assert {r["net"] for r in rows}
    assert rows[0]["code"]
    assert officer.post(f"/api/v1/payroll/runs/{run_id}/post").status_code == 409
    assert officer.post(f"/api/v1/payroll/runs/{run_id}/submit").json()["state"] == "pending"
    run = PayrollRun.objects.get(public_id=run_id)
    from backoffice.payroll.tests.runs_world import approve

    approve(run, world.hr_manager)
    resp = officer.post(f"/api/v1/payroll/runs/{run_id}/pay", {"paid_on": "2026-04-05"},
                        content_type="application/json")  # fmt: skip
    assert resp.json()["state"] == "paid"
    assert officer.post(f"/api/v1/payroll/runs/{run_id}/post").json()["state"] == "posted"
    analyst = _api(api_token, world.analyst, world.company)
    detail = analyst.get(f"/api/v1/payroll/runs/{run_id}").json()
    assert detail["totals"]["headcount"] == 4
    assert list(detail["totals"]["by_department"]) == [""]  # 3 + 1: the one person is folded in
    assert analyst.get(f"/api/v1/payroll/runs/{run_id}/payslips").status_code == 403
    assert analyst.post(f"/api/v1/payroll/runs/{run_id}/cancel").status_code == 403
    staff = _api(api_token, world.staff, world.company)
    assert staff.get("/api/v1/payroll/runs").status_code == 403
    outsider = _api(api_token, world.other_payroll, world.other_company)
    assert outsider.get(f"/api/v1/payroll/runs/{run_id}").status_code == 404
    assert outsider.get(f"/api/v1/payroll/runs/{run_id}/payslips").status_code == 404
    assert outsider.get("/api/v1/payroll/runs").json()["count"] == 0


@pytest.mark.django_db
def test_cli_run_and_runs(world):
    from backoffice.cli import main

    _people(world)
    result = CliRunner().invoke(main, ["payroll", "run", "--company", world.company.code,
                                       "--month", "2026-03", "--compute", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert (row["state"], row["headcount"], row["period"]) == ("computed", 4, "2026-03")
    result = CliRunner().invoke(main, ["payroll", "run", "--company", world.company.code,
                                       "--month", "2026-03", "--payslips", "--format", "csv"])  # fmt: skip
    assert result.exit_code == 0
    assert result.output.count("\n") == 5
    result = CliRunner().invoke(main, ["payroll", "runs", "--company", world.company.code])
    assert result.exit_code == 0
    assert "2026-03" in result.output
    bad = CliRunner().invoke(main, ["payroll", "run", "--company", "NOPE", "--month", "2026-03"])
    assert bad.exit_code == 2
    bad = CliRunner().invoke(main, ["payroll", "run", "--company", world.company.code,
                                    "--month", "2026-13"])  # fmt: skip
    assert bad.exit_code == 2


@pytest.mark.django_db
def test_posted_run_pages_show_entries(world, desk_login):
    _people(world)
    run = svc.run_create(actor=world.payroll, company=world.company, year=YEAR, month=MONTH)
    run = to_approved(world, run)
    svc.run_mark_paid(actor=world.payroll, run=run, paid_on=dt.date(2026, 4, 5))
    svc.run_post(actor=world.payroll, run=run)
    c = desk_login(Client(), world.payroll, world.company)
    page = c.get(f"/desk/payroll/runs/{run.public_id}/").content.decode()
    assert "run-entries" in page
    assert "run-adjust" in page
    assert c.get("/desk/payroll/runs/").status_code == 200


def test_public_totals_fold_small_departments():
    from backoffice.payroll.models import PayrollRun
    from backoffice.payroll.selectors.runs import run_totals_public

    def dept(n, gross):
        return {"name": "x", "headcount": n, "gross": str(gross), "employer": "0", "net": "0",
                "total_cost": "0"}  # fmt: skip

    run = PayrollRun(totals={"headcount": 9, "gross": "90", "by_department": {
        "A": dept(4, 40), "B": dept(3, 30), "C": dept(2, 20), "D": dept(1, 10)}})  # fmt: skip
    out = run_totals_public(run)["by_department"]
    assert set(out) == {"A", "B", ""}
    assert (out[""]["headcount"], out[""]["gross"]) == (3, "30")
    run.totals["by_department"]["D"] = dept(0, 0)
    out = run_totals_public(run)["by_department"]
    assert set(out) == {"A", ""}  # 2 alone are too few: B is folded in with them
    assert (out[""]["headcount"], out[""]["gross"]) == (5, "50")
    assert run_totals_public(PayrollRun(totals={"headcount": 2}))["hidden"] is True


@pytest.mark.django_db
def test_pay_items_in_the_desk(world, desk_login):
    from django.urls import reverse

    from backoffice.payroll.models import PayItem

    emp = hire(world.company, 10_000_000, name="Phụ Cấp")
    url = reverse("admin:payroll_payitem_add")
    c = desk_login(Client(), world.payroll, world.company)
    resp = c.post(url, {"employee": emp.pk, "name": "Phụ cấp xăng xe", "category": "allowance",
                        "tax_treatment": "taxable", "prorate": "on", "amount": "500000",
                        "valid_from": "01/01/2026"})  # fmt: skip
    assert resp.status_code == 302, resp.content.decode()[-2000:]
    item = PayItem.objects.get(employee=emp)
    assert item.amount == 500000
    assert c.get(reverse("admin:payroll_payitem_changelist")).status_code == 200
    analyst = desk_login(Client(), world.analyst, world.company)
    assert analyst.get(reverse("admin:payroll_payitem_changelist")).status_code == 403
