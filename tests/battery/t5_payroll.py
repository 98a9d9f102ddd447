"""T5 seed of the payroll app: an employee with an approved run and payslip,
and a collaborator with an approved work log and a draft payment, so every
payroll operation is fuzzed with real ids of the user's own company (and the
other company's, which must answer 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def seed(company, admin):
    from backoffice.core.enums import Role
    from backoffice.core.models import Membership
    from backoffice.hr.models import Contract, Employee, JobChange, WorkLog
    from backoffice.payroll.models import PayrollRun, Payslip
    from backoffice.payroll.services import runs
    from backoffice.payroll.services.collaborators import collaborator_payment_create

    # The T5 admin holds ADMIN only: payroll officer for the payroll operations.
    Membership.objects.get_or_create(user=admin, company=company, role=Role.PAYROLL_OFFICER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    tag = company.code.lower()
    # A run computed by the runs services, then approved (the approval engine is the
    # runs area's; its own tests cover it): the payslip is a real one.
    gross = 31_000_000 + 1_000 * (sum(map(ord, tag)) % 997)
    emp = Employee.objects.create(company=company, code=f"T5P-{tag}",
                                  full_name=f"Lê Lương {tag}", hire_date=dt.date(2025, 1, 1),
                                  email=f"t5p-{tag}@example.vn",
                                  bank_account=f"9704{tag}0001")  # fmt: skip
    JobChange.objects.create(company=company, employee=emp, kind="hire",
                             effective_date=dt.date(2025, 1, 1), salary=Decimal(gross))  # fmt: skip
    run = runs.run_create(actor=admin, company=company, year=2026, month=3)
    runs.run_compute(actor=admin, run=run)
    PayrollRun.objects.filter(pk=run.pk).update(state="approved")
    slip = Payslip.objects.get(run=run, employee=emp)
    ctv = Employee.objects.create(company=company, code=f"T5CTV-{tag}", kind="collaborator",
                                  full_name=f"Cộng Tác {tag}", hire_date=dt.date(2025, 1, 1))  # fmt: skip
    contract = Contract.objects.create(
        company=company, employee=ctv, number=f"T5-HDDV-{tag}", contract_type="service",
        state="active", start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31),
        rate=Decimal(200_000), rate_unit="hour", signed_on=dt.date(2025, 1, 1),
    )  # fmt: skip
    log = WorkLog.objects.create(company=company, employee=ctv, contract=contract,
                                 date=dt.date(2026, 3, 2), hours=Decimal(8), description="T5",
                                 amount=Decimal(1_600_000), state="approved")  # fmt: skip
    payment = collaborator_payment_create(actor=admin, company=company, employee=ctv,
                                          period_start=dt.date(2026, 3, 1),
                                          period_end=dt.date(2026, 3, 31))  # fmt: skip
    ids = {"payslip_id": slip.public_id, "run_id": run.public_id, "payment_id": payment.public_id}
    secrets = {emp.public_id, ctv.public_id, log.public_id, emp.full_name, ctv.full_name,
               f"9704{tag}0001", str(gross), payment.number + f" {ctv.full_name}"}  # fmt: skip
    return ids, secrets


# Operations random data cannot make succeed; payroll/tests/test_*.py cover them.
NO_2XX_EXPECTED = {
    "GET /api/v1/payroll/my-payslips/{payslip_id}": (
        "the T5 admin has no employee record: their own payslips only (test_payslips_portal)"
    ),
    "GET /api/v1/payroll/my-payslips/{payslip_id}/pdf": "same as above",
    "POST /api/v1/payroll/collaborator-payments": (
        "needs a real collaborator id of the company (test_collab_payments)"
    ),
    "GET /api/v1/payroll/reports/register": "needs a real run id in the query (test_reports_payroll)",
    "POST /api/v1/payroll/collaborator-payments/{payment_id}/post": (
        "only a paid payment is posted, into the company's books (test_collab_payments)"
    ),
    # The seeded run is approved (one regular run per month): the operations of a draft
    # or computed run answer 409 here; payroll/tests/test_runs_*.py cover their success.
    "POST /api/v1/payroll/runs": "the seeded month has its run; test_runs_services",
    "POST /api/v1/payroll/runs/{run_id}/compute": "the seeded run is approved",
    "POST /api/v1/payroll/runs/{run_id}/submit": "the seeded run is approved",
    "POST /api/v1/payroll/runs/{run_id}/cancel": "the seeded run is approved",
    "POST /api/v1/payroll/runs/{run_id}/items": "the seeded run is approved",
    "POST /api/v1/payroll/runs/{run_id}/post": "the seeded run is approved, not paid",
}
