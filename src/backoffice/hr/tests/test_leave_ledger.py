"""The leave ledger: accrual (Art. 113/114), carry-over, expiry, append-only rows
and the property that a balance is the sum of its rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backoffice.core.exceptions import PermissionDenied, ValidationFailed
from backoffice.hr.enums import LeaveEntryKind
from backoffice.hr.models import LeaveEntry, LeaveType
from backoffice.hr.services import leave

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def annual(hr_org):
    leave.leave_types_default_create(company=hr_org.company)
    leave.leave_types_default_create(company=hr_org.other_company)
    return LeaveType.objects.get(company=hr_org.company, code="PN")


def rows(emp, lt, year):
    return list(
        LeaveEntry.objects.filter(employee=emp, leave_type=lt, year=year)
        .order_by("date", "id")
        .values_list("date", "kind", "days")
    )


def test_default_types_per_company(annual, hr_org):
    codes = set(LeaveType.objects.filter(company=hr_org.company).values_list("code", flat=True))
    assert {"PN", "OM", "KL", "TS", "KH", "CKH", "TANG"} <= codes
    assert annual.uses_balance
    assert not annual.allow_negative
    ts = LeaveType.objects.get(company=hr_org.company, code="TS")
    assert ts.calendar_days
    assert ts.max_days_per_request == 180
    assert leave.leave_types_default_create(company=hr_org.company) == []  # idempotent


def test_accrual_full_year_is_idempotent(annual, hr_org):
    n = leave.leave_accrue(actor=hr_org.hr_officer, company=hr_org.company, year=2026,
                           on=D(2026, 1, 5))  # fmt: skip
    assert n >= 2
    assert leave.leave_balance(hr_org.staff_emp, annual, 2026) == 12
    assert leave.leave_accrue(actor=hr_org.hr_officer, company=hr_org.company, year=2026,
                              on=D(2026, 1, 5)) == 0  # fmt: skip
    assert leave.leave_balance(hr_org.staff_emp, annual, 2026) == 12
    # Another company's people get nothing from this run.
    assert not LeaveEntry.objects.filter(company=hr_org.other_company).exists()


def test_accrual_needs_permission(annual, hr_org):
    with pytest.raises(PermissionDenied):
        leave.leave_accrue(actor=hr_org.staff, company=hr_org.company, year=2026)


def test_five_year_seniority_day_on_the_anniversary(annual, hr_org, make_employee):
    emp = make_employee(hr_org.company, full_name="Trần Thâm Niên", hire_date=D(2021, 6, 10))
    c = hr_org.company
    leave.leave_accrue(actor=None, company=c, year=2026, on=D(2026, 6, 9))
    assert leave.leave_balance(emp, annual, 2026) == 12  # the day before: not yet
    leave.leave_accrue(actor=None, company=c, year=2026, on=D(2026, 6, 10))
    assert leave.leave_balance(emp, annual, 2026) == 13  # on the 5th anniversary
    assert rows(emp, annual, 2026)[-1] == (D(2026, 6, 10), LeaveEntryKind.ACCRUAL, Decimal(1))
    leave.leave_accrue(actor=None, company=c, year=2026, on=D(2026, 12, 31))
    assert leave.leave_balance(emp, annual, 2026) == 13  # once
    # The next year the day is part of the 1 January grant.
    leave.leave_accrue(actor=None, company=c, year=2027, on=D(2027, 1, 1))
    assert (D(2027, 1, 1), LeaveEntryKind.ACCRUAL, Decimal(13)) in rows(emp, annual, 2027)


def test_pro_rata_first_year_in_the_ledger(annual, hr_org, make_employee):
    emp = make_employee(hr_org.company, full_name="Lê Mới Vào", hire_date=D(2026, 8, 3))
    heavy = make_employee(hr_org.company, full_name="Phạm Nặng Nhọc", hire_date=D(2026, 8, 3),
                          work_condition="heavy")  # fmt: skip
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 8, 3))
    assert rows(emp, annual, 2026) == [(D(2026, 8, 3), LeaveEntryKind.ACCRUAL, Decimal(5))]
    assert leave.leave_balance(heavy, annual, 2026) == Decimal("6")  # 14 x 5/12 = 5.83 → 6
    # Not yet started on the day of the run: nothing.
    later = make_employee(hr_org.company, full_name="Sắp Vào", hire_date=D(2026, 12, 1))
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 11, 1))
    assert leave.leave_balance(later, annual, 2026) == 0


def test_monthly_accrual(annual, hr_org):
    annual.monthly_accrual = True
    annual.save()
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 3, 15))
    assert leave.leave_balance(hr_org.staff_emp, annual, 2026) == 3
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 12, 31))
    assert leave.leave_balance(hr_org.staff_emp, annual, 2026) == 12


def test_carry_over_cap_and_expiry(annual, hr_org):
    c, emp = hr_org.company, hr_org.staff_emp
    leave.leave_accrue(actor=None, company=c, year=2025, on=D(2025, 12, 31))
    leave.leave_adjust(actor=hr_org.hr_officer, company=c, employee=emp, leave_type=annual,
                       year=2025, days=-4, note="Đã nghỉ trước khi có hệ thống")  # fmt: skip
    assert leave.leave_balance(emp, annual, 2025) == 8
    leave.leave_accrue(actor=None, company=c, year=2026, on=D(2026, 1, 2))
    assert leave.leave_balance(emp, annual, 2025) == 0  # 5 carried, 3 expired
    assert leave.leave_balance(emp, annual, 2026) == 17
    kinds = [r[1] for r in rows(emp, annual, 2025)]
    assert kinds.count(LeaveEntryKind.EXPIRY) == 1
    assert kinds.count(LeaveEntryKind.CARRY_OVER) == 1
    # 2 days taken in February use the carried days first; 3 expire on 01/04/2026.
    leave.entry_add(company=c, employee=emp, leave_type=annual, year=2026, date=D(2026, 2, 10),
                    kind=LeaveEntryKind.TAKEN, days=Decimal(-2))  # fmt: skip
    leave.leave_accrue(actor=None, company=c, year=2026, on=D(2026, 3, 31))
    assert leave.leave_balance(emp, annual, 2026) == 15
    leave.leave_accrue(actor=None, company=c, year=2026, on=D(2026, 4, 1))
    assert leave.leave_balance(emp, annual, 2026) == 12
    assert rows(emp, annual, 2026)[-1] == (D(2026, 4, 1), LeaveEntryKind.EXPIRY, Decimal(-3))
    leave.leave_accrue(actor=None, company=c, year=2026, on=D(2026, 6, 1))
    assert leave.leave_balance(emp, annual, 2026) == 12


def test_adjust_rules(annual, hr_org):
    c, emp = hr_org.company, hr_org.staff_emp
    with pytest.raises(PermissionDenied):
        leave.leave_adjust(actor=hr_org.staff, company=c, employee=emp, leave_type=annual,
                           year=2026, days=5, note="x")  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        leave.leave_adjust(actor=hr_org.hr_officer, company=c, employee=emp, leave_type=annual,
                           year=2026, days=2, note="")  # fmt: skip
    assert exc.value.code == "note_required"
    with pytest.raises(ValidationFailed) as exc:
        leave.leave_adjust(actor=hr_org.hr_officer, company=c, employee=emp, leave_type=annual,
                           year=2026, days=-1, note="sai")  # fmt: skip
    assert exc.value.code == "insufficient_balance"


def test_rows_are_append_only(annual, hr_org):
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 1, 1))
    entry = LeaveEntry.objects.filter(employee=hr_org.staff_emp).first()
    for attempt in (
        lambda: LeaveEntry.objects.filter(pk=entry.pk).update(days=99),
        lambda: LeaveEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE hr_leaveentry SET days = 0 WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.days == 12


OPS = st.lists(
    st.tuples(
        st.sampled_from(["grant", "take", "adjust"]),
        st.decimals(min_value=Decimal("0.5"), max_value=Decimal(15), places=1),
        st.booleans(),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(ops=OPS, allow_negative=st.booleans())
def test_property_balance_is_sum_and_never_negative(annual, hr_org, ops, allow_negative):
    """Whatever happens, the balance is the sum of the rows; a type that does not
    allow it never goes below zero (the refused row is not written)."""
    emp = hr_org.staff_emp

    def add(delta, kind=LeaveEntryKind.ADJUSTMENT):
        leave.entry_add(company=hr_org.company, employee=emp, leave_type=annual, year=2026,
                        date=D(2026, 5, 1), kind=kind, days=delta)  # fmt: skip

    sid = transaction.savepoint()
    try:
        LeaveType.objects.filter(pk=annual.pk).update(allow_negative=allow_negative)
        annual.refresh_from_db()
        for kind, days, sign in ops:
            delta = days if kind == "grant" or (kind == "adjust" and sign) else -days
            entry_kind = {"grant": LeaveEntryKind.ACCRUAL, "take": LeaveEntryKind.TAKEN,
                          "adjust": LeaveEntryKind.ADJUSTMENT}[kind]  # fmt: skip
            before = leave.leave_balance(emp, annual, 2026)
            if not allow_negative and before + delta < 0:
                with pytest.raises(ValidationFailed) as exc, transaction.atomic():
                    add(delta, entry_kind)
                assert exc.value.code == "insufficient_balance"
                assert leave.leave_balance(emp, annual, 2026) == before
            else:
                add(delta, entry_kind)
            total = sum(
                LeaveEntry.objects.filter(employee=emp, leave_type=annual, year=2026).values_list(
                    "days", flat=True
                ),
                Decimal(0),
            )
            assert leave.leave_balance(emp, annual, 2026) == total
            if not allow_negative:
                assert total >= 0
    finally:
        transaction.savepoint_rollback(sid)


def test_liability_days_and_amount(annual, hr_org, django_assert_max_num_queries):
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 1, 1))
    # the amounts come with a constant number of queries (salaries in one query)
    with django_assert_max_num_queries(4):
        leave.leave_liability(hr_org.company, D(2026, 6, 30), with_amount=True)
    rows_ = leave.leave_liability(hr_org.company, D(2026, 6, 30))
    staff = next(r for r in rows_ if r["code"] == hr_org.staff_emp.code)
    assert staff["days"] == 12
    assert staff["amount"] is None
    rows_ = leave.leave_liability(hr_org.company, D(2026, 6, 30), with_amount=True)
    staff = next(r for r in rows_ if r["code"] == hr_org.staff_emp.code)
    assert staff["amount"] == Decimal("6923077")  # 12 x 15.000.000 / 26
    codes = {r["code"] for r in rows_}
    from backoffice.hr.models import Employee

    assert codes == set(
        Employee.objects.filter(company=hr_org.company).values_list("code", flat=True)
    )
    # A user: the amount only for salary roles.
    by_user = leave.leave_liability(hr_org.company, D(2026, 6, 30), user=hr_org.hr_manager)
    assert next(r for r in by_user if r["code"] == hr_org.staff_emp.code)["amount"] == 6923077
    by_user = leave.leave_liability(hr_org.company, D(2026, 6, 30), user=hr_org.hr_officer)
    assert all(r["amount"] is None for r in by_user)
