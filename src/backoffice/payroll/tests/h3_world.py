"""Test data of the payslip, report, collaborator and access tests (H3): a
company with every role, three employees with an approved March 2026 run, a
draft April run, and a second company with its own run.

Each test module wraps :func:`build` in its own ``world`` fixture.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from backoffice.core.enums import Role
from backoffice.hr.tests.conftest import act
from backoffice.payroll.calculations import BracketTax, MonthResult, result_as_dict

D = Decimal

# The 2026 scale (Law 109/2025 Art. 9), monthly.
SCALE_2026 = ((D(10_000_000), D("0.05")), (D(30_000_000), D("0.10")),
              (D(60_000_000), D("0.20")), (D(100_000_000), D("0.30")), (None, D("0.35")))  # fmt: skip


def result_2026(gross: int, dependants: int = 0, other: int = 0) -> MonthResult:
    """A 2026 (Jan-Jun) month of a resident on a plain salary: the figures any
    payroll officer checks by hand (SI 8 %, HI 1.5 %, UI 1 %, caps not reached)."""
    g = D(gross)
    si, hi, ui = g * D("0.08"), g * D("0.015"), g * D("0.01")
    ins = si + hi + ui
    family = D(15_500_000) + D(6_200_000) * dependants
    taxable = max(D(0), g - ins - family)
    brackets, pit, lower = [], D(0), D(0)
    for seq, (upper, rate) in enumerate(SCALE_2026, start=1):
        part = max(D(0), (taxable if upper is None else min(taxable, upper)) - lower)
        tax = (part * rate).quantize(D(1))
        brackets.append(BracketTax(seq, lower, upper, rate, part, tax))
        pit += tax
        if upper is None or taxable <= upper:
            break
        lower = upper
    er_si, er_acc, er_hi, er_ui = g * D("0.175"), g * D("0.005"), g * D("0.03"), g * D("0.01")
    union = g * D("0.02")
    return MonthResult(
        base_pay=g, allowances_taxable=D(0), allowances_exempt=D(0), overtime_pay=D(0),
        overtime_exempt=D(0), bonuses=D(0), gross=g, insurance_base=g, si=si.quantize(D(1)),
        hi=hi.quantize(D(1)), ui=ui.quantize(D(1)), insurance_total=ins.quantize(D(1)),
        union_dues=D(0), assessable_income=g, family_deduction=family,
        taxable_income=taxable.quantize(D(1)), pit=pit, pit_by_bracket=tuple(brackets),
        other_deductions=D(other), net=(g - ins - pit - other).quantize(D(1)),
        er_si=er_si.quantize(D(1)), er_accident=er_acc.quantize(D(1)), er_hi=er_hi.quantize(D(1)),
        er_ui=er_ui.quantize(D(1)), er_union_fund=union.quantize(D(1)),
        total_cost=(g + er_si + er_hi + er_ui + union).quantize(D(1)),
    )  # fmt: skip


def make_run(company, year, month, state="approved", kind="regular"):
    from backoffice.payroll.models import PayrollRun

    return PayrollRun.objects.create(company=company, year=year, month=month, state=state,
                                     kind=kind)  # fmt: skip


def make_payslip(run, employee, gross, dependants=0, items=(), other=0, paid_days="22"):
    from backoffice.payroll.models import Payslip

    r = result_2026(gross, dependants, other)
    doc = {
        "inputs": {"dependants": dependants, "items": list(items)},
        "result": result_as_dict(r),
        "employee": {"code": employee.code, "name": employee.full_name,
                     "department": employee.department.name if employee.department else "",
                     "position": employee.position.name if employee.position else ""},
        "period": f"{run.year}-{run.month:02d}",
    }  # fmt: skip
    return Payslip.objects.create(
        company=run.company, run=run, employee=employee, department=employee.department,
        standard_days=D(22), paid_days=D(paid_days), data=json.dumps(doc),
    )  # fmt: skip


@dataclass
class World:
    a: Any
    b: Any
    users: dict[str, Any] = field(default_factory=dict)
    emps: dict[str, Any] = field(default_factory=dict)
    march: Any = None  # approved run of A
    april: Any = None  # draft run of A
    bravo_run: Any = None
    slips: dict[str, Any] = field(default_factory=dict)

    def user(self, name: str) -> Any:
        u = self.users[name]
        return act(u, self.b if name == "outsider" else self.a)


def build(company_a: Any, company_b: Any, make_user: Any) -> World:
    from backoffice.core.models import Department, Membership, Position
    from backoffice.hr.models import Employee

    a, b = company_a, company_b
    a.address, a.tax_code = "12 Lê Lợi, Quận 1, TP. Hồ Chí Minh", "0312345678"
    a.save()
    w = World(a, b)
    for name, role in (("payroll", Role.PAYROLL_OFFICER), ("hr_manager", Role.HR_MANAGER),
                       ("hr_officer", Role.HR_OFFICER), ("chief", Role.CHIEF_ACCOUNTANT),
                       ("analyst", Role.DATA_ANALYST), ("accountant", Role.ACCOUNTANT),
                       ("manager", Role.EMPLOYEE), ("staff", Role.EMPLOYEE),
                       ("other", Role.EMPLOYEE)):  # fmt: skip
        w.users[name] = make_user(a, roles=[role], email=f"{name}@a.vn",
                                  full_name=f"Người {name}")  # fmt: skip
    w.users["outsider"] = make_user(b, roles=[Role.PAYROLL_OFFICER], email="luong@b.vn")
    sales = Department.objects.create(company=a, code="KD", name="Phòng Kinh doanh",
                                      manager=w.users["manager"])  # fmt: skip
    it = Department.objects.create(company=a, code="IT", name="Phòng Công nghệ")
    pos = Position.objects.create(company=a, code="NVKD", name="Nhân viên kinh doanh")
    Membership.objects.filter(user__in=[w.users["manager"], w.users["staff"]]).update(
        department=sales
    )

    def emp(company, code, name, user=None, dept=None, **kw):
        return Employee.objects.create(company=company, code=code, full_name=name, user=user,
                                       department=dept, hire_date=dt.date(2024, 1, 2),
                                       **kw)  # fmt: skip

    w.emps["manager"] = emp(a, "NV001", "Hoàng Trưởng Phòng", w.users["manager"], sales,
                            position=pos, email="manager@a.vn",
                            bank_account="0071 000 111 222", bank_name="Vietcombank")  # fmt: skip
    w.emps["staff"] = emp(a, "NV002", "Nguyễn Thị Lan", w.users["staff"], sales, position=pos,
                          manager=w.emps["manager"], email="lan@a.vn",
                          bank_account="0071000123456", bank_name="Vietcombank")  # fmt: skip
    w.emps["other"] = emp(a, "NV003", "Đặng Văn Đức", w.users["other"], it,
                          email="duc@a.vn")  # no bank account  # fmt: skip
    w.emps["bravo"] = emp(b, "NVB01", "Trần Bravo")
    w.march = make_run(a, 2026, 3, "approved")
    w.april = make_run(a, 2026, 4, "computed")
    w.bravo_run = make_run(b, 2026, 3, "approved")
    w.slips["manager"] = make_payslip(w.march, w.emps["manager"], 45_000_000, dependants=2)
    w.slips["staff"] = make_payslip(
        w.march, w.emps["staff"], 30_000_000,
        items=[{"name": "Tạm ứng", "amount": "1000000", "category": "deduction"}], other=1_000_000,
    )  # fmt: skip
    w.slips["other"] = make_payslip(w.march, w.emps["other"], 20_000_000, paid_days="21")
    w.slips["staff_april"] = make_payslip(w.april, w.emps["staff"], 30_000_000)
    w.slips["bravo"] = make_payslip(w.bravo_run, w.emps["bravo"], 99_999_000)
    return w
