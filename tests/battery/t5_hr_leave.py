"""T5 seed of the HR leave area: default leave types and policy, the
administrator's own employee record (so balances and their own requests
answer), a draft request of theirs (submit/cancel) and a granted balance, so
every leave operation is fuzzed with a real id of the user's own company (and
with the other company's, which must answer 404)."""

from __future__ import annotations

from datetime import date


def seed(company, admin):
    from backoffice.core.enums import Role
    from backoffice.core.models import Department, Membership, User
    from backoffice.hr.models import Employee, LeaveType
    from backoffice.hr.services import leave as svc
    from backoffice.hr.setup.leave import company_defaults

    # The T5 admin holds ADMIN only: HR manager for adjustments and the accrual.
    if not Membership.objects.filter(user=admin, company=company, role=Role.HR_MANAGER).exists():
        Membership.objects.create(user=admin, company=company, role=Role.HR_MANAGER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    tag = company.code.lower()
    company_defaults(company=company)
    boss = User.objects.create_user(f"leave-boss.{tag}@example.vn", full_name=f"Trưởng {tag}")
    Membership.objects.create(user=boss, company=company, role=Role.EMPLOYEE)
    dept = Department.objects.create(company=company, code="T5L", name="Phòng nghỉ phép",
                                     manager=boss)  # fmt: skip
    # Another area's seed may have given the administrator a record already.
    me = Employee.objects.filter(company=company, user=admin).first() or Employee.objects.create(
        company=company, code=f"T5L-{tag}", user=admin, department=dept,
        full_name=f"Nguyễn Nghỉ Phép {tag}", hire_date=date(2020, 1, 1),
    )  # fmt: skip
    svc.leave_accrue(actor=admin, company=company, year=2026, on=date(2026, 1, 1))
    pn = LeaveType.objects.get(company=company, code="PN")
    draft = svc.leave_request_create(actor=admin, company=company, employee=me, leave_type=pn,
                                     start_date=date(2026, 12, 14),
                                     end_date=date(2026, 12, 15))  # fmt: skip
    ids = {"leave_request_id": draft.public_id}
    secrets = {me.public_id, pn.public_id, dept.public_id, boss.public_id, f"T5L-{tag}"}
    return ids, secrets


# Operations random data cannot make succeed; hr/tests/test_leave_*.py covers them.
NO_2XX_EXPECTED = {
    "POST /api/v1/hr/leave/requests": "needs a real leave type id of the company",
    "POST /api/v1/hr/leave/adjustments": "needs a real employee and leave type id",
    "POST /api/v1/hr/leave/requests/{leave_request_id}/submit": "only a draft, once",
}
