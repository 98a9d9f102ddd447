"""T4 table of the HR contracts area: contracts and contract templates.

Salaries never appear on these screens for roles without ``core.view_salary``
(proven in ``hr/tests/test_contracts_desk_api.py``); exports never carry them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from t4_base import Row, Screen

DESK = {
    # Existing contracts change only through the panel (sign/renew/terminate),
    # never through the form: no change or delete permission on the model screen.
    "hr.contract": Screen("hr.view_contract", "hr.add_contract", None, None),
    "hr.contracttemplate": Screen(
        "hr.view_contract", "hr.change_contract", "hr.change_contract", "hr.change_contract"
    ),
}
EXTRA_URLS: dict[str, str] = {}
# /desk/hr/contracts/expiring/ (hr.view_contract, a redirect to the filtered list) and
# /desk/hr/contracts/<id>/document/<fmt>/ (hr.view_contract + salary access, company-scoped):
# proven in hr/tests/test_contracts_desk_api.py.
APP_URLS = {"hr": {"contract_expiring", "contract_document"}}


def build_rows(a, b, alpha, bravo):
    from backoffice.hr.models import Contract, ContractTemplate, Employee

    rows = {}

    def contract(company, tag):
        emp = Employee.objects.create(company=company, code=f"T4C-{tag}",
                                      full_name=f"{tag}-CONTRACT-PERSON",
                                      hire_date=date(2026, 1, 1))  # fmt: skip
        c = Contract.objects.create(company=company, employee=emp, number=f"{tag}-CONTRACT",
                                    contract_type="indefinite", start_date=date(2026, 1, 1),
                                    salary=Decimal(12_345_000))  # fmt: skip
        return Row(c, f"{tag}-CONTRACT", f"{tag}-CONTRACT")

    def template(company, tag):
        t = ContractTemplate.objects.create(
            company=company,
            contract_type="fixed_term",
            name=f"{tag}-CONTRACT-TEMPLATE",
            body="{{ number }}",
        )
        return Row(t, f"{tag}-CONTRACT-TEMPLATE", f"{tag}-CONTRACT-TEMPLATE")  # fmt: skip

    rows["hr.contract"] = {"own": contract(a, "ALPHA"), "other": contract(b, "BRAVO")}
    rows["hr.contracttemplate"] = {"own": template(a, "ALPHA"), "other": template(b, "BRAVO")}
    return rows
