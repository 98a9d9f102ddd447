"""T4 table of the payroll app.

Desk model screens: recurring pay items (``payroll.manage_items``: payroll
officer, HR manager). Everything else of payroll is a page of the ``payroll``
namespace (runs, payslips, reports, bank file, collaborator payments, rules,
settings) or of the portal (my payslips, my payments); who may open each, with
no amount leaking to the others, is proven in
``src/backoffice/payroll/tests/test_access_*.py`` (payroll officer, HR
manager, HR officer, chief accountant, data analyst, accountant, line
manager, employee, another company), ``test_payslips_portal.py`` and the
runs area's tests.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from t4_base import Row, Screen

ITEMS = "payroll.manage_items"
DESK = {"payroll.payitem": Screen(ITEMS, ITEMS, ITEMS, ITEMS)}
EXTRA_URLS: dict[str, str] = {}
APP_URLS = {
    "payroll": {
        # payslips, bank file, reports, collaborator payments (H3)
        "payslip_pdf", "payslip_email", "run_email_payslips", "run_bank_file",
        "reports", "report_aggregates",
        "collaborator_payments", "collaborator_payment", "collaborator_withholding",
        # runs, rules, settings
        "runs", "run_detail", "run_export", "run_payslip", "rules", "settings",
    },
    "payroll_public": {"calculator"},
    "portal": {"payslips", "payslip_detail", "payslip_pdf", "payments"},
}  # fmt: skip


def build_rows(a, b, alpha, bravo):
    from backoffice.hr.models import Employee
    from backoffice.payroll.models import PayItem

    def item(company, tag):
        emp = Employee.objects.create(company=company, code=f"T4P-{tag}",
                                      full_name=f"{tag}-PAYITEM-PERSON",
                                      hire_date=date(2025, 1, 1))  # fmt: skip
        obj = PayItem.objects.create(company=company, employee=emp, name=f"{tag}-PAYITEM",
                                     amount=Decimal(730_000), valid_from=date(2026, 1, 1))  # fmt: skip
        return Row(obj, f"{tag}-PAYITEM", f"{tag}-PAYITEM")

    return {"payroll.payitem": {"own": item(a, "ALPHA"), "other": item(b, "BRAVO")}}
