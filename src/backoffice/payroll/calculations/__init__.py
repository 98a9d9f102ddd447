"""Pure payroll calculation (no ORM, Decimal only): one person's month, gross<->net.

The contract of the payroll app: runs, payslips, reports, the CLI, the API and
the public calculator all compute through these functions.
"""

from backoffice.payroll.calculations.conversions import (
    flat_withholding,
    gross_to_net,
    net_to_gross,
)
from backoffice.payroll.calculations.month import compute_month, pit_brackets, rnd
from backoffice.payroll.calculations.serialise import result_as_dict, result_from_dict
from backoffice.payroll.calculations.types import (
    Bracket,
    BracketTax,
    Item,
    MonthInput,
    MonthResult,
    Overtime,
    RuleSet,
    SalarySegment,
)

__all__ = [
    "Bracket",
    "BracketTax",
    "Item",
    "MonthInput",
    "MonthResult",
    "Overtime",
    "RuleSet",
    "SalarySegment",
    "compute_month",
    "flat_withholding",
    "gross_to_net",
    "net_to_gross",
    "pit_brackets",
    "result_as_dict",
    "result_from_dict",
    "rnd",
]
