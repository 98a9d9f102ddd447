"""Payroll models, one module per area."""

from backoffice.payroll.models.collaborators import CollaboratorPayment
from backoffice.payroll.models.items import PayItem, RunItem
from backoffice.payroll.models.rules import PitBracketRow, RuleValue
from backoffice.payroll.models.runs import PayrollRun, Payslip

__all__ = [
    "CollaboratorPayment",
    "PayItem",
    "PayrollRun",
    "Payslip",
    "PitBracketRow",
    "RuleValue",
    "RunItem",
]
