"""Home: what needs the person's attention today."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from backoffice.portal import selectors as sel
from backoffice.portal.access import Me, portal_page
from backoffice.portal.views.common import page
from backoffice.recruitment.selectors.interviews import panel_interviews


@portal_page()
def home(request: HttpRequest, me: Me) -> HttpResponse:
    tasks = list(sel.my_open_tasks(me)[:5])
    ctx: dict[str, Any] = {"tasks": tasks, "tasks_count": sel.my_open_tasks(me).count()}
    ctx["interviews_count"] = (
        panel_interviews(user=me.user, company=me.company)
        .filter(ends_at__gte=timezone.now())
        .exclude(state="cancelled")
        .count()
    )
    if me.is_collaborator:
        ctx["agreement"] = sel.my_agreements(me).first()
        ctx["draft_logs"] = sel.my_worklogs(me).filter(state="draft").count()
        ctx["submitted_logs"] = sel.my_worklogs(me).filter(state="submitted").count()
    else:
        ctx["balances"] = sel.my_balances(me)[:3]
        ctx["pending_leave"] = list(sel.my_leave_requests(me).filter(state="pending"))
        ctx["today_record"] = sel.my_attendance_today(me)
        pending = sel.team_pending_leave(me)
        ctx["approvals_count"] = len(pending)
        ctx["is_manager"] = sel.may_open_team(me, pending)
    return page(request, me, "portal/home.html", ctx, active="home")
