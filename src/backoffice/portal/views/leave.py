"""Leave: balances, a request (created and submitted for approval at once),
one's requests with cancel, one request's detail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.exceptions import ApplicationError
from backoffice.portal import selectors as sel
from backoffice.portal.access import EMPLOYEE, Me, portal_page
from backoffice.portal.forms import LeaveRequestForm
from backoffice.portal.views.common import back, page

CANCELLABLE = ("draft", "pending", "approved")


def _approval_of(leave: Any) -> Any:
    """HR's ``approval_of`` with the steps and decisions the page shows loaded."""
    from django.db.models import prefetch_related_objects

    from backoffice.hr.services.leave_requests import approval_of

    approval = approval_of(leave)
    if approval is not None:
        prefetch_related_objects([approval], "steps__approvers", "decisions__actor")
    return approval


def _submit(me: Me, data: dict[str, Any]) -> Any:
    """Create the request and send it for approval, all or nothing."""
    from django.db import transaction

    from backoffice.hr.services.leave import leave_request_create, leave_request_submit

    with transaction.atomic():
        req = leave_request_create(actor=me.user, company=me.company, employee=me.employee, **data)
        leave_request_submit(actor=me.user, company=me.company, request=req)
    return req


@portal_page(EMPLOYEE)
def leave(request: HttpRequest, me: Me) -> HttpResponse:
    form = LeaveRequestForm(request.POST or None, leave_types=sel.leave_types(me))
    if request.method == "POST" and form.is_valid():
        try:
            _submit(me, form.cleaned_data)
        except ApplicationError as exc:
            fields = exc.extra.get("fields", {})
            for field, errors in fields.items():
                form.add_error(field if field in form.fields else None, errors)
            if not fields:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your request was sent for approval."))
            return back(request, "leave")
    ctx = {
        "balances": sel.my_balances(me),
        "form": form,
        "requests": list(sel.my_leave_requests(me).order_by("-start_date", "-id")[:50]),
        "cancellable": CANCELLABLE,
    }
    status = 422 if request.method == "POST" else 200
    return page(request, me, "portal/leave.html", ctx, active="leave", status=status)


@portal_page(EMPLOYEE)
def leave_detail(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    req = sel.my_leave_request(me, public_id)
    ctx = {"req": req, "approval": _approval_of(req), "cancellable": CANCELLABLE}
    return page(request, me, "portal/leave_detail.html", ctx, active="leave")


@require_POST
@portal_page(EMPLOYEE)
def leave_cancel(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    req = sel.my_leave_request(me, public_id)
    try:
        from backoffice.hr.services.leave import leave_request_cancel

        leave_request_cancel(actor=me.user, company=me.company, request=req)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your request is cancelled."))
    return back(request, "leave")
