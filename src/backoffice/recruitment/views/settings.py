"""The recruitment settings page (``recruitment.manage_settings``;
namespace ``recruitment``, /desk/recruitment/settings/): pipeline stages
(rename in both languages, reminder days, move up/down, add, deactivate /
activate), e-mail templates (edit, add, delete; placeholders listed) and
meeting rooms. Every form posts an ``op``; writes go through
``recruitment.services.settings``."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import StageKind, TemplateKind
from backoffice.recruitment.models import EmailTemplate, Room, Stage
from backoffice.recruitment.services import settings as svc
from backoffice.recruitment.services.stages import END_KINDS
from backoffice.recruitment.views.requisitions import ctx, denied

T = "recruitment/settings/"


def _one(model: Any, company: Any, public_id: str, what: str) -> Any:
    try:
        return model.objects.get(company=company, public_id=public_id)
    except (model.DoesNotExist, ValueError, TypeError, Exception) as exc:
        raise NotFound(_("%(what)s not found.") % {"what": what}) from exc


def _act(request: HttpRequest, company: Any) -> str:
    post, user, op = request.POST, request.user, request.POST.get("op", "")
    if op in ("stage_save", "stage_up", "stage_down", "stage_deactivate", "stage_activate"):
        stage = _one(Stage, company, post.get("stage", ""), _("Stage"))
        if op == "stage_save":
            svc.stage_update(actor=user, stage=stage, name=post.get("name", ""),
                             name_en=post.get("name_en", ""),
                             reminder_days=post.get("reminder_days") or 0)  # fmt: skip
            return _("The stage was saved.")
        if op in ("stage_up", "stage_down"):
            svc.stage_move(actor=user, stage=stage, up=op == "stage_up")
            return _("The stages were reordered.")
        svc.stage_set_active(actor=user, stage=stage, active=op == "stage_activate")
        return _("The stage was saved.")
    if op == "stage_add":
        svc.stage_add(actor=user, company=company, kind=post.get("kind", ""),
                      name=post.get("name", ""), name_en=post.get("name_en", ""),
                      reminder_days=post.get("reminder_days") or 0)  # fmt: skip
        return _("The stage was added.")
    if op == "template_save":
        template = (
            _one(EmailTemplate, company, post["template"], _("E-mail template"))
            if post.get("template") else None
        )  # fmt: skip
        stage = _one(Stage, company, post["stage"], _("Stage")) if post.get("stage") else None
        svc.template_save(
            actor=user, company=company, template=template, kind=post.get("kind", ""),
            name=post.get("name", ""), subject=post.get("subject", ""),
            body=post.get("body", ""), language=post.get("language", "vi"), stage=stage,
            auto_send=bool(post.get("auto_send")),
        )  # fmt: skip
        return _("The e-mail template was saved.")
    if op == "template_delete":
        template = _one(EmailTemplate, company, post.get("template", ""), _("E-mail template"))
        svc.template_delete(actor=user, template=template)
        return _("The e-mail template was deleted.")
    if op == "room_save":
        room = _one(Room, company, post["room"], _("Meeting room")) if post.get("room") else None
        svc.room_save(
            actor=user, company=company, room=room, name=post.get("name", ""),
            location=post.get("location", ""), capacity=post.get("capacity") or 0,
            is_active=bool(post.get("is_active")) if room is not None else True,
        )  # fmt: skip
        return _("The meeting room was saved.")
    raise ApplicationError(_("Unknown action."), code="unknown_action")


def _page(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None or not request.user.has_perm(svc.MANAGE):
        return denied(request)
    if request.method == "POST":
        try:
            messages.success(request, _act(request, company))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        anchor = {"s": "#stages", "t": "#templates", "r": "#rooms"}.get(
            request.POST.get("op", "s")[:1], ""
        )
        return HttpResponseRedirect(request.path + anchor)
    stages = svc.stage_list(company)
    active = [s for s in stages if s.is_active]
    return render(request, T + "page.html", ctx(
        request, title=_("Recruitment settings"), stages=stages, active_stages=active,
        end_kinds=list(END_KINDS), open_kinds=[c for c in StageKind.choices
                                               if c[0] not in END_KINDS],
        templates=svc.template_list(company), template_kinds=TemplateKind.choices,
        placeholders=["{" + p + "}" for p in svc.PLACEHOLDERS], rooms=svc.room_list(company),
        languages=[("vi", _("Vietnamese")), ("en", _("English"))],
    ))  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("settings/", admin.site.admin_view(_page), name="settings"),
]
