"""Team page for line managers: leave requests waiting for my decision
(approve / reject through ``workflow.services.approval_decide``) and the
team's leave calendar. Opened only by people who lead someone
(``hr.selectors.team_employee_ids``) or have a leave approval waiting."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.exceptions import ApplicationError
from backoffice.portal import selectors as sel
from backoffice.portal.access import EMPLOYEE, Me, is_htmx, portal_page, refuse
from backoffice.portal.forms import DecisionForm
from backoffice.portal.views.common import back, month_nav, page, parse_month


@portal_page(EMPLOYEE)
def team(request: HttpRequest, me: Me) -> HttpResponse:
    pending = sel.team_pending_leave(me)
    if not sel.may_open_team(me, pending):
        return refuse(request, _("This page is for line managers."))
    year, month = parse_month(request, me.today)
    ctx = {
        "pending": pending,
        "calendar": sel.team_calendar(me, year, month),
        "month": month_nav(year, month),
    }
    return page(request, me, "portal/team.html", ctx, active="team")


@require_POST
@portal_page(EMPLOYEE)
def team_decide(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    from backoffice.workflow.services import approval_decide

    row = sel.team_pending_approval(me, public_id)
    form = DecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose approve or reject.")
    else:
        approve = form.cleaned_data["decision"] == "approve"
        try:
            approval_decide(
                actor=me.user,
                company=me.company,
                request=row["approval"],
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except ApplicationError as exc:
            error = exc.message
    if is_htmx(request):
        row["approval"].refresh_from_db()
        row["leave"].refresh_from_db()
        return render(request, "portal/partials/decision.html", {"row": row, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Decision recorded."))
    return back(request, "team")
