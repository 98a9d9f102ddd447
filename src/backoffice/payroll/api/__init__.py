"""Payroll API (``/api/v1/payroll/``): one router per area, scoped like the desk."""

from ninja import Router

from backoffice.payroll.api import calculator, collaborators, payslips, reports, rules, runs

router = Router(tags=["payroll"])
for _module in (calculator, rules, runs, payslips, reports, collaborators):
    router.add_router("/", _module.router)
