"""Payslip reads: the employee's own payslips (portal, API ``/my-payslips``) and
a payslip opened by payroll staff, plus :class:`PayslipView`, the decrypted
payslip as the PDF, the portal and the e-mail show it.

An employee sees only their own payslips, and only of runs that were approved
(approved, paid, posted): a draft, computed or pending run is still being
worked on. Payroll staff (``payroll.view_run``) see every payslip of the
company. Anything else is "not found", never "forbidden", so an id reveals
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from backoffice.core.exceptions import NotFound
from backoffice.core.selectors import require_perm
from backoffice.payroll.calculations.types import MonthResult
from backoffice.payroll.enums import RunState
from backoffice.payroll.models import Payslip

RELEASED = (RunState.APPROVED, RunState.PAID, RunState.POSTED)


def _not_found() -> NotFound:
    return NotFound(_("%(what)s not found.") % {"what": _("Payslip")})


def own_employee(*, user: Any, company: Any) -> Any:
    """The person record of ``user`` in ``company`` (None when there is none)."""
    from backoffice.hr.selectors import employee_for_user

    if company is None or not getattr(user, "is_authenticated", False):
        return None
    return employee_for_user(user=user, company=company)


def my_payslip_list(*, user: Any, company: Any) -> QuerySet[Payslip]:
    """The user's own payslips of approved runs, newest month first."""
    employee = own_employee(user=user, company=company)
    if employee is None:
        return Payslip.objects.none()
    return (
        Payslip.objects.filter(
            company=company, employee=employee, run__company=company, run__state__in=RELEASED
        )
        .select_related("run", "employee", "department")
        .order_by("-run__year", "-run__month", "-run__id")
    )


def my_payslip_get(*, user: Any, company: Any, public_id: Any) -> Payslip:
    payslip = my_payslip_list(user=user, company=company).filter(public_id=public_id).first()
    if payslip is None:
        raise _not_found()
    return payslip


def staff_payslip_get(*, user: Any, company: Any, public_id: Any) -> Payslip:
    """A payslip of the company for payroll staff (``payroll.view_run``)."""
    require_perm(user, "payroll.view_run")
    if company is None:
        raise _not_found()
    payslip = (
        Payslip.objects.filter(company=company, public_id=public_id)
        .select_related("run", "employee", "department", "employee__position")
        .first()
    )
    if payslip is None:
        raise _not_found()
    return payslip


def payslip_for_user(*, user: Any, company: Any, public_id: Any) -> Payslip:
    """Staff see the company's payslips; anyone else only their own released ones."""
    if user.has_perm("payroll.view_run"):
        return staff_payslip_get(user=user, company=company, public_id=public_id)
    return my_payslip_get(user=user, company=company, public_id=public_id)


# --- the decrypted payslip ------------------------------------------------------------------


@dataclass
class Line:
    """A payslip line; ``key`` is the English label (a msgid), translated when shown."""

    key: str
    amount: Decimal
    note: str = ""  # language-neutral (paid days "21/22")
    total: bool = False
    name: str = ""  # an item's own name, shown instead of the key

    @property
    def label(self) -> str:
        return self.name or _(self.key)


# Line keys (translated when shown; the PDF has its own Vietnamese words).
SALARY = gettext_noop("Salary for days worked")
OVERTIME = gettext_noop("Overtime and night work")
ALLOWANCES = gettext_noop("Allowances")
BONUSES = gettext_noop("Bonuses")
GROSS = gettext_noop("Gross income")
SI = gettext_noop("Social insurance")
HI = gettext_noop("Health insurance")
UI = gettext_noop("Unemployment insurance")
DUES = gettext_noop("Trade-union dues")
PIT = gettext_noop("Personal income tax")
OTHER = gettext_noop("Other deductions")
DEDUCTIONS = gettext_noop("Total deductions")
ASSESSABLE = gettext_noop("Income subject to tax")
INSURANCE_BASE = gettext_noop("Insurance base")
FAMILY = gettext_noop("Family deduction")
TAXABLE = gettext_noop("Taxable income")
ER_SI = gettext_noop("Employer social insurance")
ER_HI = gettext_noop("Employer health insurance")
ER_UI = gettext_noop("Employer unemployment insurance")
ER_UNION = gettext_noop("Trade-union fund")
COST = gettext_noop("Total cost to the company")


@dataclass
class PayslipView:
    payslip: Payslip
    period: str  # "MM/YYYY"
    employee: dict[str, str]
    result: MonthResult
    inputs: dict[str, Any]
    dependants: int = 0
    earnings: list[Line] = field(default_factory=list)
    deductions: list[Line] = field(default_factory=list)
    tax: list[Line] = field(default_factory=list)
    employer: list[Line] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.result.net


def payslip_document(payslip: Payslip) -> dict[str, Any]:
    """The payslip's decrypted JSON: ``payroll.selectors.runs.payslip_data``."""
    from backoffice.payroll.selectors.runs import payslip_data

    return dict(payslip_data(payslip))


def decoded(payslip: Payslip) -> tuple[dict[str, Any], MonthResult]:
    """(the whole document, its result as a :class:`MonthResult`)."""
    from backoffice.payroll.calculations import result_from_dict

    doc = payslip_document(payslip)
    return doc, result_from_dict(doc["result"])


def _items(inputs: dict[str, Any], category: str) -> list[tuple[str, Decimal]]:
    out = []
    for item in inputs.get("items") or []:
        if isinstance(item, dict) and item.get("category", "allowance") == category:
            out.append((str(item.get("name", "")), Decimal(str(item.get("amount", 0)))))
    return out


def _detail_or_total(items: list[tuple[str, Decimal]], total: Decimal, key: str) -> list[Line]:
    """The items one by one when they add up to the computed total (they were not
    pro-rated); else the one computed total."""
    if items and sum((a for _n, a in items), Decimal(0)) == total:
        return [Line(key, amount, name=name) for name, amount in items]
    return [Line(key, total)] if total else []


def payslip_view(payslip: Payslip) -> PayslipView:
    doc, r = decoded(payslip)
    inputs = dict(doc.get("inputs") or {})
    emp = {k: str(v) for k, v in dict(doc.get("employee") or {}).items()}
    emp.setdefault("code", payslip.employee.code)
    emp.setdefault("name", payslip.employee.full_name)
    emp.setdefault("department", payslip.department.name if payslip.department else "")
    emp.setdefault("position", "")
    run = payslip.run
    view = PayslipView(payslip, f"{run.month:02d}/{run.year}", emp, r, inputs,
                       dependants=int(inputs.get("dependants") or 0))  # fmt: skip
    days = f"{_days(payslip.paid_days)}/{_days(payslip.standard_days)}"
    view.earnings = [Line(SALARY, r.base_pay, days)]
    if r.overtime_pay:
        view.earnings.append(Line(OVERTIME, r.overtime_pay))
    allowances = r.allowances_taxable + r.allowances_exempt
    view.earnings += _detail_or_total(_items(inputs, "allowance"), allowances, ALLOWANCES)
    view.earnings += _detail_or_total(_items(inputs, "bonus"), r.bonuses, BONUSES)
    view.earnings.append(Line(GROSS, r.gross, total=True))
    view.deductions = [Line(SI, r.si), Line(HI, r.hi), Line(UI, r.ui)]
    if r.union_dues:
        view.deductions.append(Line(DUES, r.union_dues))
    view.deductions.append(Line(PIT, r.pit))
    view.deductions += _detail_or_total(_items(inputs, "deduction"), r.other_deductions, OTHER)
    total = r.insurance_total + r.union_dues + r.pit + r.other_deductions
    view.deductions.append(Line(DEDUCTIONS, total, total=True))
    view.tax = [
        Line(ASSESSABLE, r.assessable_income),
        Line(INSURANCE_BASE, r.insurance_base),
        Line(FAMILY, r.family_deduction),
        Line(TAXABLE, r.taxable_income),
    ]
    view.employer = [
        Line(ER_SI, r.er_si),
        Line(ER_HI, r.er_hi),
        Line(ER_UI, r.er_ui),
        Line(ER_UNION, r.er_union_fund),
        Line(COST, r.total_cost, total=True),
    ]
    return view


def _days(value: Decimal) -> str:
    d = Decimal(value).normalize()
    text = f"{d:f}" if d != d.to_integral() else str(int(d))
    return text.replace(".", ",")


def payslip_json(view: PayslipView) -> dict[str, Any]:
    """The payslip for the API: lines as decimal strings."""

    def lines(items: list[Line]) -> list[dict[str, Any]]:
        return [{"label": ln.label, "amount": str(ln.amount), "note": ln.note,
                 "total": ln.total} for ln in items]  # fmt: skip

    return {
        "id": view.payslip.public_id,
        "period": view.period,
        "run_state": view.payslip.run.state,
        "employee_code": view.employee.get("code", ""),
        "employee_name": view.employee.get("name", ""),
        "department": view.employee.get("department", ""),
        "standard_days": str(view.payslip.standard_days),
        "paid_days": str(view.payslip.paid_days),
        "gross": str(view.result.gross),
        "net": str(view.result.net),
        "earnings": lines(view.earnings),
        "deductions": lines(view.deductions),
        "tax": lines(view.tax),
    }
