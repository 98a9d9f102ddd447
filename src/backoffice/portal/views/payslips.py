"""My payslips (employees) and my payments (collaborators): the person's own
rows only, through ``payroll.selectors``; a payslip of a run not yet approved,
or anyone else's, is a 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from backoffice.portal.access import COLLABORATOR, EMPLOYEE, Me, portal_page
from backoffice.portal.views.common import page


@require_GET
@portal_page(EMPLOYEE)
def payslips(request: HttpRequest, me: Me) -> HttpResponse:
    from backoffice.payroll.selectors.payslips import my_payslip_list

    rows = []
    for slip in my_payslip_list(user=me.user, company=me.company)[:60]:
        rows.append({"slip": slip, "period": f"{slip.run.month:02d}/{slip.run.year}"})
    return page(request, me, "portal/payslips.html", {"rows": rows}, active="payslips")


@require_GET
@portal_page(EMPLOYEE)
def payslip_detail(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    from backoffice.payroll.selectors.payslips import my_payslip_get, payslip_view

    slip = my_payslip_get(user=me.user, company=me.company, public_id=public_id)
    ctx = {"view": payslip_view(slip), "slip": slip}
    return page(request, me, "portal/payslip_detail.html", ctx, active="payslips")


@require_GET
@portal_page(EMPLOYEE)
def payslip_pdf(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    from backoffice.payroll.selectors.payslips import my_payslip_get
    from backoffice.payroll.services.payslips import payslip_pdf as make_pdf

    slip = my_payslip_get(user=me.user, company=me.company, public_id=public_id)
    name, data = make_pdf(user=me.user, company=me.company, payslip=slip)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@portal_page(COLLABORATOR)
def payments(request: HttpRequest, me: Me) -> HttpResponse:
    from backoffice.payroll.selectors.collaborators import my_payment_list

    rows = list(my_payment_list(user=me.user, company=me.company)[:100])
    return page(request, me, "portal/payments.html", {"rows": rows}, active="payments")
