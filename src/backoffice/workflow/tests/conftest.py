"""Fixtures of the workflow tests: a company with a department tree and people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from backoffice.core.enums import Role


@dataclass
class Org:
    company: Any
    root: Any
    sales: Any
    director: Any  # operations manager, manages the root
    chief: Any  # chief accountant
    manager: Any  # manages sales
    staff: Any  # employee in sales
    other: Any  # employee in sales


def act(user, company):
    """The user as a request would carry them: working in ``company``."""
    user.active_company = company
    user.__dict__.pop("_company_perm_cache", None)
    return user


@pytest.fixture
def org(company_a, make_user):
    from backoffice.core.models import Department, Membership
    from backoffice.workflow.services import default_policies_create

    c = company_a
    default_policies_create(company=c)
    director = make_user(c, roles=[Role.OPERATIONS_MANAGER], email="gd@a.vn", full_name="Giám Đốc")
    chief = make_user(
        c, roles=[Role.CHIEF_ACCOUNTANT], email="ktt@a.vn", full_name="Kế Toán Trưởng"
    )
    manager = make_user(c, roles=[Role.EMPLOYEE], email="tp@a.vn", full_name="Trưởng Phòng")
    staff = make_user(c, roles=[Role.EMPLOYEE], email="nv@a.vn", full_name="Nhân Viên")
    other = make_user(c, roles=[Role.EMPLOYEE], email="nv2@a.vn", full_name="Nhân Viên Hai")
    root = Department.objects.create(company=c, code="BGD", name="Ban Giám đốc", manager=director)
    sales = Department.objects.create(
        company=c, code="KD", name="Kinh doanh", parent=root, manager=manager
    )
    Membership.objects.filter(user__in=[manager, staff, other]).update(department=sales)
    Membership.objects.filter(user__in=[director, chief]).update(department=root)
    for u in (director, chief, manager, staff, other):
        act(u, c)
    return Org(c, root, sales, director, chief, manager, staff, other)
