"""Desk pages of candidates and applications (``/desk/recruitment/``):

* ``candidates/``: the candidates the user sees (search by name, e-mail or phone);
* ``candidates/<id>/``: contact, applications, possible duplicates with a merge
  button (HR);
* ``applications/<id>/``: the CV (download through the records store), the
  screening score with its explanation, the stage history, move / reject /
  e-mail from a template / screen again (HR), and the interview and offer
  panels of those areas.

Visibility is ``selectors.access`` (HR sees all; the hiring manager their
posting's applications; an interviewer theirs); anyone else is refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import ApplicationState, EducationLevel, StageKind
from backoffice.recruitment.models import Stage
from backoffice.recruitment.selectors import applications as sel
from backoffice.recruitment.selectors.access import application_scope, sees_all
from backoffice.recruitment.services import pipeline as svc
from backoffice.recruitment.services.candidates import candidate_merge
from backoffice.recruitment.services.stages import stage_name
from backoffice.recruitment.views.board import denied, stage_from, template_from, templates_for

T = "recruitment/candidates/"


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _may_open(user: Any, company: Any) -> bool:
    """Deny by default: HR, or someone with at least one application in their scope."""
    if company is None:
        return False
    return sees_all(user) or application_scope(user=user, company=company).exists()


def _list(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if not _may_open(request.user, company):
        return denied(request)
    q = request.GET.get("q", "")[:100]
    rows = list(sel.candidate_list(user=request.user, company=company, q=q)[:200])
    boards = sel.board_postings(user=request.user, company=company)
    return render(request, T + "list.html", _ctx(
        request, title=_("Candidates"), rows=rows, q=q, boards=boards,
    ))  # fmt: skip


def _candidate(request: HttpRequest, pk: Any) -> HttpResponse:
    company = request_company(request)
    try:
        cand = sel.candidate_get_for_user(user=request.user, company=company, public_id=pk)
    except NotFound as exc:
        return denied(request, exc.message, 404)
    may_manage = request.user.has_perm(svc.MANAGE)
    if request.method == "POST":
        if not may_manage:
            return denied(request)
        try:
            dup = sel.candidate_get_for_user(user=request.user, company=company,
                                             public_id=_key(request.POST.get("duplicate")))  # fmt: skip
            candidate_merge(actor=request.user, keep=cand, duplicate=dup)
            messages.success(request, _("The candidates were merged."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return HttpResponseRedirect(reverse("recruitment:candidate_detail", args=[cand.public_id]))
    if cand.merged_into_id:
        target = cand.merged_into
        return HttpResponseRedirect(
            reverse("recruitment:candidate_detail", args=[target.public_id])
        )
    apps = sel.candidate_applications(user=request.user, company=company, candidate=cand)
    for app in apps:
        app.stage_label = stage_name(app.stage)  # type: ignore[attr-defined]
    dups = sel.duplicates_of(user=request.user, company=company, candidate=cand)
    return render(request, T + "candidate.html", _ctx(
        request, title=cand.full_name, cand=cand, apps=apps, may_manage=may_manage,
        dups=[(c, [REASONS[r] for r in reasons]) for c, reasons in dups],
    ))  # fmt: skip


REASONS = {
    "email": gettext_lazy("same e-mail"),
    "phone": gettext_lazy("same phone"),
    "cv": gettext_lazy("near-identical CV"),
}


def _key(value: Any) -> Any:
    import uuid

    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise NotFound(_("%(what)s not found.") % {"what": _("Candidate")}) from None


def panels(request: HttpRequest, app: Any) -> list[Any]:
    """The interview and offer panels of the application page, each built by
    its area's selector and rendered by its own template (already safe HTML)."""
    from backoffice.recruitment.selectors import interviews, offers

    out = []
    for area, build in (("interviews", interviews.application_panel),
                        ("offers", offers.application_panel)):  # fmt: skip
        try:
            context = build(request.user, app)
        except ApplicationError:
            continue
        if context is None:
            continue
        extra = context if isinstance(context, dict) else {}
        out.append(render_to_string(f"recruitment/{area}/_application_panel.html",
                                    {**extra, "panel": context, "application": app},
                                    request=request))  # fmt: skip
    return out


def _application(request: HttpRequest, pk: Any) -> HttpResponse:
    company = request_company(request)
    try:
        app = sel.application_get_for_user(user=request.user, company=company, public_id=pk)
    except NotFound as exc:
        return denied(request, exc.message, 404)
    may_manage = request.user.has_perm(svc.MANAGE)
    if request.method == "POST":
        if not may_manage:
            return denied(request)
        return _act(request, company, app)
    from backoffice.records.selectors import documents_for_owner

    docs = list(documents_for_owner(user=request.user, company=company, owner=app))
    history = sel.stage_history(app)
    for change in history:
        change.from_label = stage_name(change.from_stage) if change.from_stage else ""  # type: ignore[attr-defined]
        change.to_label = stage_name(change.to_stage)  # type: ignore[attr-defined]
    detail = app.score_detail or {}
    stages = Stage.objects.filter(company=company, is_active=True).exclude(
        kind__in=[StageKind.HIRED, StageKind.REJECTED]
    )
    dups = sel.duplicates_of(user=request.user, company=company, candidate=app.candidate)
    return render(request, T + "application.html", _ctx(
        request, title=_("%(name)s — %(job)s") % {"name": app.candidate.full_name,
                                                  "job": app.posting.title},
        app=app, cand=app.candidate, docs=docs, history=history, detail=detail,
        items=explain(detail.get("items") or []), stage_label=stage_name(app.stage),
        education_found=dict(EducationLevel.choices).get(detail.get("education", ""), ""),
        levels=dict(EducationLevel.choices),
        may_manage=may_manage, is_open=app.state == ApplicationState.ACTIVE,
        stages=[(s, stage_name(s)) for s in stages], templates=templates_for(company),
        dups=len(dups), panels=panels(request, app),
    ))  # fmt: skip


KINDS = {
    "skill": gettext_lazy("Skill"), "experience": gettext_lazy("Experience"),
    "education": gettext_lazy("Education"), "language": gettext_lazy("Language"),
}  # fmt: skip


def explain(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored explanation in the page's language."""
    levels = dict(EducationLevel.choices)
    out = []
    for item in items:
        kind, req = item.get("kind", ""), str(item.get("requirement", ""))
        found = item.get("found", "")
        if kind == "experience":
            label = _("At least %(n)s years of experience") % {"n": req}
            found = _("%(y)s years found") % {"y": found}
        elif kind == "education":
            label = str(levels.get(req, req))
            found = str(levels.get(found, found)) if found else _("no degree found")
        else:
            label = " / ".join(x.strip() for x in req.split("|"))
            found = item.get("matched", "")
        out.append({**item, "label": label, "kind_label": KINDS.get(kind, kind),
                    "found_label": found})  # fmt: skip
    return out


def _act(request: HttpRequest, company: Any, app: Any) -> HttpResponse:
    op, data, user = request.POST.get("op"), request.POST, request.user
    try:
        if op == "move":
            stage = stage_from(company, data.get("stage", ""))
            svc.application_move(actor=user, application=app, stage=stage,
                                 note=data.get("note", "")[:300])  # fmt: skip
            messages.success(
                request,
                _("%(name)s moved to %(stage)s.")
                % {"name": app.candidate.full_name, "stage": stage_name(stage)},
            )
        elif op == "reject":
            svc.application_reject(actor=user, application=app, reason=data.get("reason", ""),
                                   template=template_from(company, data.get("template", "")))  # fmt: skip
            messages.success(
                request, _("%(name)s was rejected.") % {"name": app.candidate.full_name}
            )
        elif op == "email":
            template = template_from(company, data.get("template", ""))
            if template is None:
                raise NotFound(_("%(what)s not found.") % {"what": _("E-mail template")})
            svc.application_email(actor=user, application=app, template=template)
            messages.success(request, _("The e-mail was sent."))
        elif op == "screen":
            svc.application_screen(application=app)
            messages.success(request, _("The CV was screened again."))
        else:
            messages.error(request, _("Unknown action."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("recruitment:application_detail", args=[app.public_id]))


urlpatterns: list[URLPattern] = [
    path("candidates/", admin.site.admin_view(_list), name="candidates"),
    path("candidates/<uuid:pk>/", admin.site.admin_view(_candidate), name="candidate_detail"),
    path(
        "applications/<uuid:pk>/", admin.site.admin_view(_application), name="application_detail"
    ),  # fmt: skip
]
