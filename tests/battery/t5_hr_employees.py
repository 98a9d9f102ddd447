"""T5 seed of the HR employees area: the administrator also holds the HR manager role
(HR operations and salaries); one person with identifiers and a dependant per company.
The identifiers in clear are secrets: the other company must never see them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def seed(company, admin):
    from backoffice.core.enums import Role
    from backoffice.core.models import Membership
    from backoffice.hr.services import employees, employees_family

    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_MANAGER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    n = str(sum(map(ord, company.code)) % 9 + 1)  # distinct identifiers per company
    emp = employees.employee_create(
        actor=admin, company=company, full_name=f"Nhân Viên {company.code}",
        hire_date=date(1900, 1, 1), national_id=f"00109000000{n}",
        bank_account=f"99887766{n}", social_insurance_no=f"790000000{n}",
        salary=Decimal("12345000") + int(n),
    )  # fmt: skip
    dep = employees_family.dependant_create(
        actor=admin, company=company, employee=emp, full_name=f"Con {company.code}",
        relationship="con", registered_from=date(2021, 1, 1),  # hired 1900: any change date is valid
    )  # fmt: skip
    ids = {"employee_id": emp.public_id, "dependant_id": dep.public_id}
    secrets = {emp.national_id, emp.bank_account, emp.social_insurance_no, emp.full_name,
               dep.full_name}  # fmt: skip
    return ids, secrets


# Random bodies name unknown departments/positions (404) or miss the field their kind needs
# (a salary change needs the salary, a transfer a department); test_employees_api.py covers
# the success path.
NO_2XX_EXPECTED = {
    "POST /api/v1/hr/employees/{employee_id}/job-changes": "needs a kind-specific body",
}
