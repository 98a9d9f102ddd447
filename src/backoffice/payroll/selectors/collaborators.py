"""Collaborator payment reads: the desk list (``payroll.manage_collaborator_payments``),
the collaborator's own payments (portal) and the withholding report (per
collaborator per month, quarter or year, by payment date; also for
``payroll.view_reports``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import PermissionDenied
from backoffice.core.selectors import _get, require_perm, scope_to_company
from backoffice.payroll.enums import PaymentState
from backoffice.payroll.models import CollaboratorPayment
from backoffice.payroll.selectors.periods import Period

PERM = "payroll.manage_collaborator_payments"


def payment_list(*, user: Any, company: Any) -> QuerySet[CollaboratorPayment]:
    require_perm(user, PERM)
    return scope_to_company(CollaboratorPayment.objects.select_related("employee"), company)


def payment_get_for_user(*, user: Any, company: Any, public_id: Any) -> CollaboratorPayment:
    return _get(payment_list(user=user, company=company), public_id, _("Collaborator payment"))


def my_payment_list(*, user: Any, company: Any) -> QuerySet[CollaboratorPayment]:
    """The collaborator's own payments once paid (a draft may still change)."""
    from backoffice.payroll.selectors.payslips import own_employee

    employee = own_employee(user=user, company=company)
    if employee is None:
        return CollaboratorPayment.objects.none()
    return CollaboratorPayment.objects.filter(
        company=company, employee=employee, state__in=[PaymentState.PAID, PaymentState.POSTED]
    ).order_by("-paid_on", "-id")


def withholding_report(*, user: Any, company: Any, period: Period) -> dict[str, Any]:
    """Per collaborator: payments, amount paid, PIT withheld, net; and the totals.
    Paid and posted payments whose payment date falls in ``period``."""
    if not (user.has_perm(PERM) or user.has_perm("payroll.view_reports")):
        raise PermissionDenied(_("You do not have permission to do this."), extra={"perm": PERM})
    rows: dict[int, dict[str, Any]] = {}
    sums: dict[str, Decimal] = defaultdict(Decimal)
    payments = (
        CollaboratorPayment.objects.filter(
            company=company,
            state__in=[PaymentState.PAID, PaymentState.POSTED],
            paid_on__gte=period.start,
            paid_on__lte=period.end,
        )  # fmt: skip
        .select_related("employee")
        .order_by("employee__code", "paid_on")
    )
    for p in payments:
        row = rows.setdefault(p.employee_id, {
            "code": p.employee.code, "name": p.employee.full_name, "payments": 0,
            "amount": Decimal(0), "withheld": Decimal(0), "net": Decimal(0),
        })  # fmt: skip
        amount, withheld = Decimal(p.amount), Decimal(p.withheld)
        row["payments"] += 1
        row["amount"] += amount
        row["withheld"] += withheld
        row["net"] += amount - withheld
        for key, value in (("amount", amount), ("withheld", withheld), ("net", amount - withheld)):
            sums[key] += value
    return {
        "period": period,
        "rows": list(rows.values()),
        "totals": {
            "payments": sum(r["payments"] for r in rows.values()),
            "amount": sums["amount"],
            "withheld": sums["withheld"],
            "net": sums["net"],
        },  # fmt: skip
    }
