"""The kanban board of a posting (``/desk/recruitment/board/<posting>/``):
one column per active stage, cards with the candidate, the screening score
and the days in the stage. HR (``recruitment.manage_application``) drags a
card to another column (``static/recruitment/board.js``: native HTML5 drag
and drop, POST with the CSRF token; dropping on "rejected" asks for the
reason), or — without JavaScript — uses the small move form of each card;
ticks cards and rejects them together with a reason and an e-mail template.
The hiring manager of the posting sees the board read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import StageKind
from backoffice.recruitment.models import EmailTemplate, Stage
from backoffice.recruitment.selectors import applications as sel
from backoffice.recruitment.services import pipeline as svc
from backoffice.recruitment.services.stages import stage_name

T = "recruitment/board/"


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def denied(request: HttpRequest, message: str = "", status: int = 403) -> HttpResponse:
    message = message or _("You do not have permission to open this page.")
    title = _("Not found") if status == 404 else _("Access denied")
    return render(request, T + "message.html", _ctx(request, title=title, message=message),
                  status=status)  # fmt: skip


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def templates_for(company: Any) -> list[EmailTemplate]:
    return list(EmailTemplate.objects.filter(company=company).order_by("kind", "name"))


def _parse(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def template_from(company: Any, value: str) -> EmailTemplate | None:
    if not value:
        return None
    key = _parse(value)
    found = EmailTemplate.objects.filter(company=company, public_id=key).first() if key else None
    if found is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("E-mail template")})
    return found


def stage_from(company: Any, value: str) -> Stage:
    key = _parse(value)
    found = Stage.objects.filter(company=company, public_id=key).first() if key else None
    if found is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Stage")})
    return found


def _board(request: HttpRequest, posting: Any) -> HttpResponse:
    company = request_company(request)
    try:
        post = sel.posting_for_board(user=request.user, company=company, public_id=posting)
    except NotFound as exc:
        if _wants_json(request):
            return JsonResponse({"error": exc.message}, status=404)
        return denied(request, exc.message, 404)
    may_manage = request.user.has_perm(svc.MANAGE)
    if request.method == "POST":
        if not may_manage:
            if _wants_json(request):
                return JsonResponse({"error": _("You do not have permission to do this.")},
                                    status=403)  # fmt: skip
            return denied(request)
        return _act(request, company, post)
    columns = sel.board_data(user=request.user, company=company, posting=post)
    for col in columns:
        col.name = stage_name(col.stage)  # type: ignore[attr-defined]
    open_stages = [c.stage for c in columns if not c.closed]
    return render(request, T + "board.html", _ctx(
        request, title=_("Pipeline: %(t)s") % {"t": post.title}, posting=post, columns=columns,
        may_manage=may_manage, open_stages=[(s, stage_name(s)) for s in open_stages],
        templates=templates_for(company) if may_manage else [], REJECTED=StageKind.REJECTED,
    ))  # fmt: skip


def _act(request: HttpRequest, company: Any, posting: Any) -> HttpResponse:
    op, data, user = request.POST.get("op"), request.POST, request.user
    status, message = 200, ""
    try:
        if op in ("move", "reject"):
            app = sel.application_get_for_user(user=user, company=company,
                                               public_id=_uuid(data.get("application")))  # fmt: skip
            if app.posting_id != posting.pk:
                raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
            if op == "move":
                stage = stage_from(company, data.get("stage", ""))
                svc.application_move(actor=user, application=app, stage=stage,
                                     note=data.get("note", "")[:300])  # fmt: skip
                message = _("%(name)s moved to %(stage)s.") % {
                    "name": app.candidate.full_name,
                    "stage": stage_name(stage),
                }
            else:
                svc.application_reject(
                    actor=user, application=app, reason=data.get("reason", ""),
                    template=template_from(company, data.get("template", "")),
                )  # fmt: skip
                message = _("%(name)s was rejected.") % {"name": app.candidate.full_name}
        elif op == "bulk_reject":
            ids = [_uuid(x) for x in data.getlist("applications")]
            apps = list(sel.application_list(user=user, company=company, posting=posting)
                        .filter(public_id__in=ids))  # fmt: skip
            if len(apps) != len(set(ids)):
                raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
            n = svc.applications_reject(
                actor=user, applications=apps, reason=data.get("reason", ""),
                template=template_from(company, data.get("template", "")),
            )  # fmt: skip
            message = _("%(n)s applications were rejected.") % {"n": n}
        else:
            raise NotFound(_("Unknown action."))
    except ApplicationError as exc:
        status, message = _status(exc), exc.message
    if _wants_json(request):
        return JsonResponse({"ok": status == 200, "message": message} if status == 200 else
                            {"error": message}, status=status)  # fmt: skip
    (messages.success if status == 200 else messages.error)(request, message)
    return HttpResponseRedirect(reverse("recruitment:board", args=[posting.public_id]))


def _uuid(value: Any) -> str:
    key = _parse(value)
    if key is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    return str(key)


def _status(exc: ApplicationError) -> int:
    from backoffice.core.exceptions import Conflict, PermissionDenied

    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, Conflict):
        return 409
    return 400


urlpatterns: list[URLPattern] = [
    path("board/<uuid:posting>/", admin.site.admin_view(_board), name="board"),
]
