"""Payroll reports: register, insurance, PIT, finalisation worksheet, totals;
the bank transfer file; XLSX exports, desk pages, API and CLI."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client

from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.payroll import exports
from backoffice.payroll.bankfile import ascii_upper, bank_file
from backoffice.payroll.selectors import reports as rep
from backoffice.payroll.selectors.periods import Period
from backoffice.payroll.tests.h3_world import build, make_payslip, make_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(company_a, company_b, make_user):
    return build(company_a, company_b, make_user)


D = Decimal


def test_register_of_a_run(world):
    data = rep.register(user=world.user("payroll"), company=world.a, run=world.march)
    codes = [r["code"] for r in data["rows"]]
    assert codes == ["NV001", "NV002", "NV003"]
    staff = data["rows"][1]
    assert (staff["gross"], staff["si"], staff["hi"], staff["ui"], staff["pit"], staff["net"]) == (
        D(30_000_000),
        D(2_400_000),
        D(450_000),
        D(300_000),
        D(635_000),
        D(25_215_000),
    )
    assert staff["other_deductions"] == D(1_000_000)
    assert staff["er_si"] == D(5_250_000)
    assert data["rows"][2]["paid_days"] == D(21)
    t = data["totals"]
    assert (t["gross"], t["pit"], t["net"]) == (D(95_000_000), D(1_492_500), D(82_532_500))


def test_register_run_is_scoped_by_company_permission_and_state(world):
    payroll = world.user("payroll")
    got = rep.report_run_get(user=payroll, company=world.a, public_id=world.march.public_id)
    assert got == world.march
    assert world.march in rep.report_runs(user=payroll, company=world.a)
    cancelled = make_run(world.a, 2025, 11, "cancelled")
    other = make_run(world.b, 2025, 10, "approved")
    for company, run_id in ((world.b, world.march.public_id), (world.a, other.public_id),
                            (world.a, cancelled.public_id), (world.a, "not-a-uuid"),
                            (None, world.march.public_id)):  # fmt: skip
        with pytest.raises(NotFound):
            rep.report_run_get(user=payroll, company=company, public_id=run_id)
    assert cancelled not in rep.report_runs(user=payroll, company=world.a)
    with pytest.raises(PermissionDenied):
        rep.report_runs(user=world.user("staff"), company=world.a)


def test_insurance_and_pit_by_employee(world):
    ins = rep.insurance(user=world.user("hr_manager"), company=world.a, period=Period(2026, 3))
    manager = ins["rows"][0]
    assert (manager["si"], manager["hi"], manager["ui"]) == (D(3_600_000), D(675_000),
                                                             D(450_000))  # fmt: skip
    assert manager["er_si"] == D(7_875_000)
    assert manager["er_union_fund"] == D(900_000)
    assert ins["totals"]["insurance_total"] == D(4_725_000 + 3_150_000 + 2_100_000)
    assert rep.insurance(user=world.user("payroll"), company=world.a,
                         period=Period(2026, 4))["rows"] == []  # April is not approved  # fmt: skip
    q1 = rep.pit(user=world.user("payroll"), company=world.a, period=Period(2026, quarter=1))
    assert [(r["code"], r["pit"], r["months"]) for r in q1["rows"]] == [
        ("NV001", D(737_500), 1),
        ("NV002", D(635_000), 1),
        ("NV003", D(120_000), 1),
    ]
    assert q1["totals"]["taxable_income"] == D(12_375_000 + 11_350_000 + 2_400_000)
    with pytest.raises(ValidationFailed):
        Period(2026, 3, 1)


def test_finalisation_recomputes_the_year_on_the_annual_scale(world):
    for month in (1, 2, 5, 6, 7, 8, 9, 10, 11, 12):
        make_payslip(make_run(world.a, 2026, month, "paid"), world.emps["other"], 60_000_000)
    data = rep.finalisation(user=world.user("payroll"), company=world.a, year=2026)
    other = next(r for r in data["rows"] if r["code"] == "NV003")
    assert other["months"] == 11
    assert other["assessable_income"] == D(620_000_000)
    assert other["insurance_total"] == D(65_100_000)
    assert other["personal_deduction"] == D(186_000_000)  # 15.5M x 12
    assert other["taxable_income"] == D(368_900_000)
    assert other["tax_due"] == D(31_780_000)  # 6M + 24M + 8.9M x 20 %
    assert other["withheld"] == D(41_520_000)
    assert other["difference"] == D(-9_740_000)  # to refund
    manager = next(r for r in data["rows"] if r["code"] == "NV001")
    assert manager["dependant_months"] == 2
    assert manager["dependant_deduction"] == D(12_400_000)
    assert manager["difference"] == D(-737_500)
    table = exports.finalisation_table(data)
    assert "01/12/2026" in table.notes[0]


def test_aggregates_hide_small_groups(world):
    data = rep.aggregates(user=world.user("analyst"), company=world.a, year=2026)
    march = {"label": "03/2026", "headcount": 3, "gross": D(95_000_000),
             "insurance_total": D(9_975_000), "pit": D(1_492_500), "net": D(82_532_500),
             "employer": D(22_325_000), "total_cost": D(117_325_000)}  # fmt: skip
    assert data["months"] == [march]
    # 2 in sales + 1 in IT: one line "Other departments", equal to the total
    assert [(d["headcount"], d["net"]) for d in data["departments"]] == [(3, D(82_532_500))]
    assert "Kinh doanh" not in str(data)
    assert "NV00" not in str(data)
    assert {k: v for k, v in data["totals"].items() if k != "label"} == {
        k: v for k, v in march.items() if k != "label"
    }
    # A month paying one person is merged with the month before, never shown alone.
    make_payslip(make_run(world.a, 2026, 6, "posted"), world.emps["staff"], 30_000_000)
    data = rep.aggregates(user=world.user("analyst"), company=world.a, year=2026)
    assert [(m["label"], m["headcount"], m["gross"]) for m in data["months"]] == [
        ("03-06/2026", 3, D(125_000_000))
    ]
    # A company paying two people shows headcounts only.
    few = rep.aggregates(user=world.user("outsider"), company=world.b, year=2026)
    assert few["totals"]["headcount"] == 1
    assert few["totals"]["gross"] is None
    assert few["months"][0]["net"] is None
    with pytest.raises(PermissionDenied):
        rep.register(user=world.user("analyst"), company=world.a, run=world.march)
    with pytest.raises(PermissionDenied):
        rep.aggregates(user=world.user("hr_officer"), company=world.a, year=2026)


def test_xlsx_export(world):
    from django.utils import translation
    from openpyxl import load_workbook

    with translation.override("en"):
        table = exports.register_table(rep.register(user=world.user("payroll"), company=world.a,
                                                    run=world.march))  # fmt: skip
        wb = load_workbook(io.BytesIO(exports.to_xlsx([table], world.a)))
    ws = wb.active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0] == ["Đơn vị: Công ty A"] + [None] * (len(values[0]) - 1)
    header = values[7]
    assert header[:5] == ["Code", "Employee", "Department", "Standard days", "Paid days"]
    lan = next(r for r in values if r[0] == "NV002")
    assert lan[1] == "Nguyễn Thị Lan"
    assert lan[header.index("Net pay")] == 25_215_000
    total = values[-1]
    assert total[1] == "Total"
    assert total[header.index("Gross income")] == 95_000_000


def test_bank_file_layout(world):
    out = bank_file(actor=world.user("payroll"), company=world.a, run=world.march)
    lines = out.content.decode().split("\r\n")
    assert lines[0] == "STT,So tai khoan,Ten nguoi thu huong,So tien,Ngan hang,Noi dung"
    assert (
        lines[1]
        == "1,0071000111222,HOANG TRUONG PHONG,39537500,VIETCOMBANK,Luong thang 03/2026 NV001"
    )
    assert (
        lines[2] == "2,0071000123456,NGUYEN THI LAN,25215000,VIETCOMBANK,Luong thang 03/2026 NV002"
    )
    assert lines[3] == ""
    assert (out.count, out.total, out.missing) == (2, D(64_752_500), ["NV003"])
    assert out.filename == "chuyen-khoan-luong-2026-03-ACO.csv"
    ev = AuditEvent.objects.get(event_type="PAYROLL_BANK_FILE_EXPORTED")
    assert ev.after == {"count": 2, "total": "64752500", "missing": ["NV003"]}
    assert ascii_upper("Đặng Văn Đức  Ơ") == "DANG VAN DUC O"


def test_bank_file_refusals(world):
    with pytest.raises(ValidationFailed):
        bank_file(actor=world.user("payroll"), company=world.a, run=world.april)
    for who in ("hr_manager", "analyst", "staff"):  # no payroll.manage_run
        with pytest.raises(PermissionDenied):
            bank_file(actor=world.user(who), company=world.a, run=world.march)
    assert not AuditEvent.objects.filter(event_type="PAYROLL_BANK_FILE_EXPORTED").exists()


def test_desk_pages_and_api(world, desk_login, api_token):
    client = desk_login(Client(), world.users["payroll"], world.a)
    page = client.get(f"/desk/payroll/reports/?report=register&run={world.march.public_id}")
    assert page.status_code == 200
    assert "25.215.000 ₫" in page.content.decode()
    xlsx = client.get("/desk/payroll/reports/?report=pit&year=2026&quarter=1&export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == exports.XLSX_TYPE
    final = client.get("/desk/payroll/reports/?report=finalisation&year=2026")
    assert final.status_code == 200
    csv = client.get(f"/desk/payroll/runs/{world.march.public_id}/bank-file/")
    assert csv.status_code == 200
    assert b"NGUYEN THI LAN" in csv.content
    pdf = client.get(f"/desk/payroll/payslips/{world.slips['staff'].public_id}/pdf/")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    totals = desk_login(Client(), world.users["analyst"], world.a).get(
        "/desk/payroll/reports/totals/?year=2026"
    )
    assert totals.status_code == 200
    assert "95.000.000 ₫" in totals.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {api_token(world.users['payroll'], world.a)}")
    body = api.get(f"/api/v1/payroll/reports/register?run_id={world.march.public_id}").json()
    assert body["totals"]["net"] == "82532500"
    assert len(body["rows"]) == 3
    body = api.get("/api/v1/payroll/reports/pit?year=2026&month=3").json()
    assert body["totals"]["pit"] == "1492500"
    assert api.get("/api/v1/payroll/reports/finalisation?year=2026").status_code == 200
    old_rules = api.get("/api/v1/payroll/reports/finalisation?year=2026&rules_on=2025-12-01")
    assert old_rules.json()["rows"][0]["personal_deduction"] == "132000000"  # 11M x 12
    too_early = api.get("/api/v1/payroll/reports/finalisation?year=2014")
    assert too_early.status_code == 422
    assert too_early.json()["code"] == "no_rules"
    assert api.get("/api/v1/payroll/reports/insurance?year=2026&month=3").status_code == 200
    assert api.get("/api/v1/payroll/reports/totals?year=2026").status_code == 200
    x = api.get("/api/v1/payroll/reports/insurance?year=2026&month=3&format=xlsx")
    assert x.status_code == 200
    assert x["Content-Type"] == exports.XLSX_TYPE


def test_cli_report_and_bank_file(world, tmp_path):
    from click.testing import CliRunner

    from backoffice.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["payroll", "report", "register", "--company", "ACO",
                                  "--year", "2026", "--month", "3", "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"net": "25215000"' in result.output
    out = tmp_path / "bank.csv"
    result = runner.invoke(main, ["payroll", "bank-file", "--company", "ACO", "--year", "2026",
                                  "--month", "3", "--output", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "NGUYEN THI LAN" in out.read_text()
    xlsx = tmp_path / "pit.xlsx"
    result = runner.invoke(main, ["payroll", "report", "pit", "--company", "ACO", "--year",
                                  "2026", "--quarter", "1", "--xlsx", str(xlsx)])  # fmt: skip
    assert result.exit_code == 0
    assert xlsx.read_bytes().startswith(b"PK")
