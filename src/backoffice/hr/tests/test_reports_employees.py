"""HR reports: headcount (department, position, contract type, over time), joiners and
leavers, turnover, contract expiries, the workbook; org chart data."""

import datetime as dt

import pytest

from backoffice.core.exceptions import PermissionDenied
from backoffice.hr import reports
from backoffice.hr.models import Contract
from backoffice.hr.selectors.employees import org_chart

D = dt.date


@pytest.fixture
def world(hr_org, make_employee):
    c = hr_org.company
    leaver = make_employee(c, full_name="Người Nghỉ", department=hr_org.sales,
                           hire_date=D(2025, 2, 1), termination_date=D(2026, 3, 15),
                           status="left")  # fmt: skip
    joiner = make_employee(c, full_name="Người Mới", department=hr_org.it,
                           hire_date=D(2026, 2, 10))  # fmt: skip
    make_employee(c, full_name="CTV", kind="collaborator", hire_date=D(2020, 1, 1))
    Contract.objects.create(company=c, employee=hr_org.staff_emp, number="HĐ-1",
                            contract_type="indefinite", state="active",
                            start_date=D(2023, 6, 1))  # fmt: skip
    Contract.objects.create(company=c, employee=hr_org.manager_emp, number="HĐ-2",
                            contract_type="fixed_term", state="active",
                            start_date=D(2025, 1, 1), end_date=D(2026, 8, 31))  # fmt: skip
    return hr_org, leaver, joiner


def _counts(rows):
    return {r["key"] or "TOTAL": r["count"] for r in rows}


@pytest.mark.django_db
def test_headcount_by_department_position_contract(world):
    org, _leaver, _joiner = world
    u, c = org.analyst, org.company
    assert _counts(reports.headcount(user=u, company=c, on=D(2026, 1, 1))) == {
        "KD": 3, "IT": 1, "TOTAL": 4}  # fmt: skip
    assert _counts(reports.headcount(user=u, company=c, on=D(2026, 6, 30))) == {
        "KD": 2, "IT": 2, "TOTAL": 4}  # fmt: skip
    by_pos = reports.headcount(user=u, company=c, on=D(2026, 6, 30), by="position")
    # rows sorted by label (which depends on the language), the total last
    assert sorted((r["key"], r["count"]) for r in by_pos[:-1]) == [("", 2), ("NVKD", 2)]
    assert (by_pos[-1]["key"], by_pos[-1]["count"]) == ("", 4)
    by_type = reports.headcount(user=u, company=c, on=D(2026, 6, 30), by="contract_type")
    assert {r["key"]: r["count"] for r in by_type[:-1]} == {
        "indefinite": 1, "fixed_term": 1, "": 2}  # fmt: skip
    with pytest.raises(PermissionDenied):
        reports.headcount(user=org.staff, company=c, on=D(2026, 1, 1))
    # Another company's rows never count.
    assert _counts(reports.headcount(user=org.outsider_hr, company=org.other_company,
                                     on=D(2026, 1, 1))) == {"TOTAL": 0}  # fmt: skip


@pytest.mark.django_db
def test_series_flows_turnover_expiries(world):
    org, leaver, joiner = world
    u, c = org.analyst, org.company
    series = reports.headcount_series(user=u, company=c, start=D(2026, 1, 1), end=D(2026, 6, 30))
    assert series["dates"][0] == D(2026, 1, 31)
    assert series["dates"][-1] == D(2026, 6, 30)
    assert series["totals"] == [4, 5, 4, 4, 4, 4]
    flows = reports.joiners_leavers(user=u, company=c, start=D(2026, 1, 1), end=D(2026, 6, 30))
    assert [(m["month"], m["joiners"], m["leavers"]) for m in flows["months"][:3]] == [
        ("01/2026", 0, 0), ("02/2026", 1, 0), ("03/2026", 0, 1)]  # fmt: skip
    assert [p["id"] for p in flows["joiners"]] == [joiner.pk]
    assert [p["id"] for p in flows["leavers"]] == [leaver.pk]
    t = reports.turnover(user=u, company=c, start=D(2026, 1, 1), end=D(2026, 6, 30))
    assert (t["opening"], t["closing"], t["leavers"], str(t["rate"])) == (4, 4, 1, "25.00")
    exp = reports.contract_expiries(user=u, company=c, start=D(2026, 6, 30), end=D(2026, 9, 28))
    assert [(e["number"], e["days_left"]) for e in exp] == [("HĐ-2", 62)]
    content = reports.workbook(user=u, company=c, start=D(2026, 1, 1), end=D(2026, 6, 30))
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    assert len(wb.sheetnames) >= 6
    assert wb.worksheets[0].cell(row=1, column=2).value == "31/01/2026"


@pytest.mark.django_db
def test_org_chart_tree(world):
    org, _leaver, _joiner = world
    tree = org_chart(user=org.hr_officer, company=org.company)
    root = tree[0]
    assert (root["code"], root["manager"], root["total"]) == ("BGD", "Giám Đốc", 4)
    sales = next(n for n in root["children"] if n["code"] == "KD")
    assert (sales["headcount"], sales["manager"]) == (2, "Hoàng Trưởng Phòng")
    top = sales["people"][0]
    assert top["name"] == "Hoàng Trưởng Phòng"
    assert [r["name"] for r in top["reports"]] == ["Nguyễn Thị Lan"]
    with pytest.raises(PermissionDenied):
        org_chart(user=org.analyst, company=org.company)
    assert org_chart(user=org.outsider_hr, company=org.other_company) == []


@pytest.mark.django_db
def test_leave_liability_amounts_only_for_salary_roles(hr_org, monkeypatch):
    from decimal import Decimal

    from backoffice.hr.services import leave

    rows = [
        {"code": "A", "full_name": "A", "department": "KD", "leave_type": "AL",
         "days": Decimal("2.5"), "amount": Decimal(1000)},
        {"code": "B", "full_name": "B", "department": "KD", "leave_type": "AL",
         "days": Decimal(1), "amount": Decimal(500)},
    ]  # fmt: skip
    monkeypatch.setattr(leave, "leave_liability", lambda company, on=None, **kw: list(rows))
    shown = reports.leave_liability(
        user=hr_org.hr_manager, company=hr_org.company, on=D(2026, 6, 30)
    )
    hidden = reports.leave_liability(user=hr_org.analyst, company=hr_org.company, on=D(2026, 6, 30))
    assert [r["amount"] for r in shown] == [1000, 500]
    assert all("amount" not in r for r in hidden)
    assert reports.liability_by_department(shown) == [
        {"department": "KD", "people": 2, "days": Decimal("3.5"), "amount": Decimal(1500)}
    ]
    assert reports.liability_by_department(hidden)[0]["amount"] is None
    with pytest.raises(PermissionDenied):
        reports.leave_liability(user=hr_org.staff, company=hr_org.company, on=D(2026, 6, 30))
