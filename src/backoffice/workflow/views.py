"""Desk pages of the workflow app: "My work" and the workload view (rendered in
the desk's shell with unfold's templates), and the subject summary shown on an
approval request."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backoffice.core.money import format_vnd
from backoffice.workflow import selectors


def _context(admin_site, request, title: str) -> dict[str, Any]:
    return {**admin_site.each_context(request), "title": title}


def my_work_view(admin_site):
    def view(request):
        company = getattr(request, "company", None)
        if company is None or not selectors._member(request.user, company):
            raise PermissionDenied
        data = selectors.my_work(user=request.user, company=company)
        ctx = _context(admin_site, request, _("My work"))
        ctx.update(data)
        ctx["may_see_workload"] = selectors.may_see_workload(user=request.user, company=company)
        return render(request, "workflow/my_work.html", ctx)

    return view


def workload_view(admin_site):
    def view(request):
        company = getattr(request, "company", None)
        if not selectors.may_see_workload(user=request.user, company=company):
            raise PermissionDenied
        ctx = _context(admin_site, request, _("Workload"))
        ctx.update(selectors.workload(user=request.user, company=company))
        return render(request, "workflow/workload.html", ctx)

    return view


def money(value: Any, company: Any = None) -> str:
    return "—" if value is None else format_vnd(value, getattr(company, "currency", "VND"))


def subject_rows(subject: Any) -> tuple[list[str], list[list[str]]]:
    """Header and rows describing an expense claim's lines or a purchase request's items."""
    from backoffice.workflow.models import ExpenseClaim, PurchaseRequest

    if isinstance(subject, ExpenseClaim):
        head = [_("Date"), _("Description"), _("Amount before VAT"), _("VAT"), _("Total")]
        rows = [
            [ln.date.strftime("%d/%m/%Y"), ln.description, money(ln.amount, subject.company),
             money(ln.vat_amount, subject.company), money(ln.line_total, subject.company)]
            for ln in subject.lines.all()
        ]  # fmt: skip
        return head, rows
    if isinstance(subject, PurchaseRequest):
        head = [
            pgettext("purchase request", "Item"),
            _("Quantity"),
            _("Unit"),
            _("Estimated unit price"),
            _("Total"),
        ]
        rows = [
            [i.description, f"{i.quantity:f}".rstrip("0").rstrip("."), i.unit,
             money(i.estimated_price, subject.company), money(i.line_total, subject.company)]
            for i in subject.items.all()
        ]  # fmt: skip
        return head, rows
    return [], []
