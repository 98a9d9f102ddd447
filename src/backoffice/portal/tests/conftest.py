"""Portal fixtures: the HR organisation of ``hr/tests/conftest.py`` and a
client logged in to the portal (no desk, no second factor)."""

from __future__ import annotations

import pytest

from backoffice.hr.tests import conftest as hr_fixtures

hr_org = hr_fixtures.hr_org
make_employee = hr_fixtures.make_employee
act = hr_fixtures.act


@pytest.fixture
def staff_client(client, hr_org, portal_login):
    return portal_login(client, hr_org.staff, hr_org.company)


@pytest.fixture
def collaborator(hr_org, make_user, make_employee):
    """A remote collaborator with a signed agreement in force (portal user, no desk)."""
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from backoffice.core.enums import Role
    from backoffice.hr.models import Contract

    c = hr_org.company
    user = make_user(c, roles=[Role.COLLABORATOR], email="ctv@a.vn", is_staff=False,
                     full_name="Trần Cộng Tác")  # fmt: skip
    emp = make_employee(c, user=user, full_name="Trần Cộng Tác", kind="collaborator",
                        hire_date=dt.date(2026, 1, 5))  # fmt: skip
    today = timezone.localdate()
    contract = Contract.objects.create(
        company=c, employee=emp, number="HĐDV-TEST-0001", contract_type="service",
        state="active", start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=60), scope="Dịch tài liệu kỹ thuật",
        rate=Decimal("250000"), rate_unit="hour", signed_on=today - dt.timedelta(days=30),
    )  # fmt: skip
    act(user, c)
    return {"user": user, "employee": emp, "contract": contract}
