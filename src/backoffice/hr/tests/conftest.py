"""Fixtures of the HR tests: a company with departments, HR/payroll/IT staff,
a line manager and employees with person records; a second company."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from backoffice.core.enums import Role

_codes = itertools.count(1)


def act(user, company):
    """The user as a request would carry them: working in ``company``."""
    user.active_company = company
    user.__dict__.pop("_company_perm_cache", None)
    return user


@dataclass
class HrOrg:
    company: Any
    root: Any  # Ban Giám đốc, managed by director
    sales: Any  # Kinh doanh, managed by manager
    it: Any  # CNTT
    dev: Any  # Position in sales
    director: Any
    hr_officer: Any
    hr_manager: Any
    payroll: Any
    it_officer: Any
    accountant: Any
    analyst: Any
    manager: Any  # user managing sales (employee role)
    manager_emp: Any
    staff: Any  # user, employee in sales
    staff_emp: Any
    other_manager: Any  # manages IT; must not see sales salaries
    other_company: Any
    outsider_hr: Any  # HR officer of the other company


@pytest.fixture
def make_employee(db):
    from backoffice.hr.models import Employee

    def make(company, *, user=None, full_name="Nguyễn Văn An", **kw):
        kw.setdefault("hire_date", dt.date(2024, 1, 2))
        kw.setdefault("code", f"NV{next(_codes):05d}")
        if kw.get("national_id"):
            from backoffice.core.fields import blind_index

            kw.setdefault(
                "national_id_index", blind_index(kw["national_id"], purpose="hr.national_id")
            )
        return Employee.objects.create(company=company, user=user, full_name=full_name, **kw)

    return make


@pytest.fixture
def hr_org(company_a, company_b, make_user, make_employee):
    from backoffice.core.models import Department, Membership, Position
    from backoffice.hr.models import JobChange
    from backoffice.workflow.services import default_policies_create

    c = company_a
    default_policies_create(company=c)
    director = make_user(c, roles=[Role.OPERATIONS_MANAGER], email="gd@a.vn", full_name="Giám Đốc")
    hr_officer = make_user(c, roles=[Role.HR_OFFICER], email="ns@a.vn", full_name="Lê Thị Nhân Sự")
    hr_manager = make_user(c, roles=[Role.HR_MANAGER], email="tpns@a.vn", full_name="Trần Văn Hùng")
    payroll = make_user(c, roles=[Role.PAYROLL_OFFICER], email="luong@a.vn", full_name="Phạm Lương")
    it_officer = make_user(c, roles=[Role.IT_OFFICER], email="it@a.vn", full_name="Đỗ Công Nghệ")
    accountant = make_user(c, roles=[Role.ACCOUNTANT], email="kt@a.vn", full_name="Kế Toán")
    analyst = make_user(c, roles=[Role.DATA_ANALYST], email="pt@a.vn", full_name="Phân Tích")
    manager = make_user(c, roles=[Role.EMPLOYEE], email="tp@a.vn", full_name="Hoàng Trưởng Phòng")
    staff = make_user(c, roles=[Role.EMPLOYEE], email="nv@a.vn", full_name="Nguyễn Thị Lan")
    other_manager = make_user(c, roles=[Role.EMPLOYEE], email="tpit@a.vn", full_name="Võ Quản Lý")
    root = Department.objects.create(company=c, code="BGD", name="Ban Giám đốc", manager=director)
    sales = Department.objects.create(
        company=c, code="KD", name="Phòng Kinh doanh", parent=root, manager=manager
    )
    it = Department.objects.create(
        company=c, code="IT", name="Phòng CNTT", parent=root, manager=other_manager
    )
    dev = Position.objects.create(
        company=c, code="NVKD", name="Nhân viên kinh doanh", department=sales, level="college"
    )
    Membership.objects.filter(user__in=[manager, staff]).update(department=sales)
    Membership.objects.filter(user=other_manager).update(department=it)
    Membership.objects.filter(user=director).update(department=root)
    manager_emp = make_employee(
        c, user=manager, full_name="Hoàng Trưởng Phòng", department=sales, position=dev,
        hire_date=dt.date(2018, 3, 1), email="tp@a.vn",
    )  # fmt: skip
    staff_emp = make_employee(
        c, user=staff, full_name="Nguyễn Thị Lan", department=sales, position=dev,
        manager=manager_emp, hire_date=dt.date(2023, 6, 1), email="nv@a.vn",
        national_id="079203001234", tax_code="8765432109", bank_account="0071000123456",
        social_insurance_no="7912345678",
    )  # fmt: skip
    JobChange.objects.create(
        company=c, employee=staff_emp, kind="hire", effective_date=dt.date(2023, 6, 1),
        department=sales, position=dev, salary=Decimal("15000000"),
    )  # fmt: skip
    make_employee(c, user=other_manager, full_name="Võ Quản Lý", department=it)
    outsider_hr = make_user(company_b, roles=[Role.HR_OFFICER], email="ns@b.vn")
    for u in (director, hr_officer, hr_manager, payroll, it_officer, accountant, analyst,
              manager, staff, other_manager):  # fmt: skip
        act(u, c)
    act(outsider_hr, company_b)
    return HrOrg(
        c, root, sales, it, dev, director, hr_officer, hr_manager, payroll, it_officer,
        accountant, analyst, manager, manager_emp, staff, staff_emp, other_manager,
        company_b, outsider_hr,
    )  # fmt: skip
