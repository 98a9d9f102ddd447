"""My tasks (workflow tasks assigned to me): open first, mark one done."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.exceptions import ApplicationError
from backoffice.portal import selectors as sel
from backoffice.portal.access import Me, is_htmx, portal_page
from backoffice.portal.views.common import back, page


@portal_page()
def tasks(request: HttpRequest, me: Me) -> HttpResponse:
    ctx = {"open_tasks": list(sel.my_open_tasks(me)), "done_tasks": list(sel.my_done_tasks(me))}
    return page(request, me, "portal/tasks.html", ctx, active="tasks")


@require_POST
@portal_page()
def task_complete(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    from backoffice.workflow.services import task_complete as complete

    task = sel.my_task(me, public_id)
    error = ""
    try:
        task = complete(actor=me.user, task=task)
    except ApplicationError as exc:
        error = exc.message
    if is_htmx(request):
        return render(request, "portal/partials/task.html", {"task": task, "error": error})
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Task done."))
    return back(request, "tasks")
