"""Support of the onboarding/collaborator tests (no tests here).

The hire calls the employees and contracts services of the other HR areas.
While those modules are not there yet, :func:`use_fallbacks` installs minimal
stand-ins written against their documented signatures — only for the tests.
"""

from __future__ import annotations

import importlib
import itertools
import sys
import types
from typing import Any

_numbers = itertools.count(1)


def _fake_employees() -> types.ModuleType:
    mod = types.ModuleType("backoffice.hr.services.employees")

    def employee_create(*, actor, company, **fields):
        from backoffice.hr.models import Employee

        fields.setdefault("code", f"TMP{next(_numbers):05d}")
        return Employee.objects.create(company=company, **fields)

    def portal_account_create(*, actor, company, employee, password=None):
        from backoffice.core.enums import Role
        from backoffice.core.models import Membership, User

        role = Role.COLLABORATOR if employee.kind == "collaborator" else Role.EMPLOYEE
        email = employee.email or f"{employee.code.lower()}@example.vn"
        user = User.objects.create_user(email, password=password, full_name=employee.full_name)
        Membership.objects.create(
            user=user, company=company, role=role, department=employee.department
        )
        employee.user = user
        employee.save(update_fields=["user"])
        return user

    def job_change_record(**kwargs):
        return None

    mod.employee_create = employee_create  # type: ignore[attr-defined]
    mod.portal_account_create = portal_account_create  # type: ignore[attr-defined]
    mod.job_change_record = job_change_record  # type: ignore[attr-defined]
    return mod


def _fake_contracts() -> types.ModuleType:
    mod = types.ModuleType("backoffice.hr.services.contracts")

    def contract_create(*, actor, company, employee, contract_type, start_date, number=None,
                        **terms: Any):  # fmt: skip
        from backoffice.hr.models import Contract

        keep = {k: v for k, v in terms.items() if k in {
            "end_date", "salary", "job_salary", "job_level", "position", "department", "scope",
            "rate", "rate_unit", "previous"} and v is not None}  # fmt: skip
        return Contract.objects.create(
            company=company, employee=employee, contract_type=contract_type,
            start_date=start_date, number=number or f"HĐ-TEST-{next(_numbers):04d}", **keep,
        )  # fmt: skip

    def contract_sign(*, actor, company, contract, signed_on):
        contract.state, contract.signed_on = "active", signed_on
        contract.save(update_fields=["state", "signed_on"])
        return contract

    def contract_terminate(*, actor, company, contract, terminated_on, reason):
        contract.state, contract.terminated_on = "terminated", terminated_on
        contract.termination_reason = reason
        contract.save(update_fields=["state", "terminated_on", "termination_reason"])
        return contract

    mod.contract_terminate = contract_terminate  # type: ignore[attr-defined]
    mod.contract_create = contract_create  # type: ignore[attr-defined]
    mod.contract_sign = contract_sign  # type: ignore[attr-defined]
    return mod


def use_fallbacks(monkeypatch) -> dict[str, bool]:
    """Install stand-ins for the modules that are missing; says which are real."""
    import backoffice.hr.services as pkg

    real = {}
    for name, make in (("employees", _fake_employees), ("contracts", _fake_contracts)):
        full = f"backoffice.hr.services.{name}"
        try:
            importlib.import_module(full)
            real[name] = True
        except ImportError:
            fake = make()
            monkeypatch.setitem(sys.modules, full, fake)
            monkeypatch.setattr(pkg, name, fake, raising=False)
            real[name] = False
    return real
