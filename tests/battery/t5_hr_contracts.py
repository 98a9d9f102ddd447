"""T5 seed of the HR contracts area: one employee with a draft and an active
contract, so every contract operation is fuzzed with a real id of the user's
own company (and with the other company's, which must answer 404)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


def seed(company, admin):
    from backoffice.core.enums import Role
    from backoffice.core.models import Membership
    from backoffice.hr.models import Employee
    from backoffice.hr.services import contracts as svc

    # The T5 admin holds ADMIN only: HR manager for the contract operations.
    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_MANAGER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    tag = company.code.lower()
    emp = Employee.objects.create(company=company, code=f"T5C-{tag}",
                                  full_name=f"Nguyễn Hợp Đồng {tag}",
                                  hire_date=date(2025, 1, 1))  # fmt: skip
    active = svc.contract_create(
        actor=admin,
        company=company,
        employee=emp,
        contract_type="fixed_term",
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        salary=Decimal(15_000_000),
    )
    svc.contract_sign(actor=admin, company=company, contract=active, signed_on=date(2025, 1, 1))
    draft = svc.contract_create(actor=admin, company=company, employee=emp,
                                contract_type="indefinite", start_date=date(2026, 1, 1),
                                salary=Decimal(18_000_000))  # fmt: skip
    ids = {"contract_id": active.public_id}
    secrets = {emp.public_id, draft.public_id, f"T5C-{tag}"}
    return ids, secrets


# Operations random data cannot make succeed; hr/tests/test_contracts_*.py covers them.
NO_2XX_EXPECTED = {
    "POST /api/v1/hr/contracts": "needs a real employee id of the company",
    "POST /api/v1/hr/contracts/{contract_id}/sign": "only a draft can be signed (the id is active)",
    "POST /api/v1/hr/contracts/{contract_id}/cancel": "only a draft can be cancelled",
    "POST /api/v1/hr/contracts/{contract_id}/renew": (
        "the fuzzed terminate ends the seeded contract first, and one renewal draft per "
        "contract; test_contracts_desk_api covers the success path"
    ),
}
