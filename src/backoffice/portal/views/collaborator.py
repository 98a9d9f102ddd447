"""Collaborator pages: the agreement (scope, rate, dates) and work logs
(timesheet lines / deliverables) written and submitted for approval."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.exceptions import ApplicationError
from backoffice.portal import selectors as sel
from backoffice.portal.access import COLLABORATOR, Me, portal_page
from backoffice.portal.forms import WorkLogForm
from backoffice.portal.views.common import back, page


@portal_page(COLLABORATOR)
def agreement(request: HttpRequest, me: Me) -> HttpResponse:
    agreements = list(sel.my_agreements(me))
    ctx = {"current": agreements[0] if agreements else None, "older": agreements[1:]}
    return page(request, me, "portal/agreement.html", ctx, active="agreement")


@portal_page(COLLABORATOR)
def worklogs(request: HttpRequest, me: Me) -> HttpResponse:
    form = WorkLogForm(request.POST or None, initial={"date": me.today})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["hours"] = data.get("hours") or 0
        data["quantity"] = data.get("quantity") or 0
        try:
            from backoffice.hr.services.collaborators import worklog_create

            worklog_create(actor=me.user, company=me.company, employee=me.employee, **data)
        except ApplicationError as exc:
            fields = exc.extra.get("fields", {})
            for field, errors in fields.items():
                form.add_error(field if field in form.fields else None, errors)
            if not fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Work log saved. Submit it when it is complete."))
            return back(request, "worklogs")
    ctx = {"form": form, "logs": list(sel.my_worklogs(me)[:100])}
    status = 422 if request.method == "POST" else 200
    return page(request, me, "portal/worklogs.html", ctx, active="worklogs", status=status)


@require_POST
@portal_page(COLLABORATOR)
def worklog_submit(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    log = sel.my_worklog(me, public_id)
    try:
        from backoffice.hr.services.collaborators import worklog_submit as submit

        submit(actor=me.user, company=me.company, worklog=log)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Work log sent for approval."))
    return back(request, "worklogs")
