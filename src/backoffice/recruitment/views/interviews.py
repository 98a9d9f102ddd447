"""Desk pages of interviews (namespace ``recruitment``, under
/desk/recruitment/interviews/): the agenda (HR: every interview; an
interviewer or hiring manager: theirs), the scheduling form of an application
with "propose free slots" for the chosen panel, period and duration and the
clash message (HR may schedule anyway), an interview's page (reschedule,
cancel, mark done, ICS download), the interviewer's scorecard form and the
side-by-side scorecards of an application.

Everything is read through ``selectors.interviews`` (another company's or
another person's interview is a 404) and written through the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, Conflict, NotFound
from backoffice.core.request_context import request_company
from backoffice.recruitment.enums import InterviewMode, InterviewState, Recommendation
from backoffice.recruitment.ics import CANCEL, REQUEST, ics_filename, interview_ics
from backoffice.recruitment.models import Application
from backoffice.recruitment.selectors import interviews as sel
from backoffice.recruitment.selectors.access import application_scope
from backoffice.recruitment.services import interviews as svc
from backoffice.recruitment.services.scorecards import criteria_of, scorecard_submit

T = "recruitment/interviews/"
DURATIONS = (30, 45, 60, 90, 120)


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


def _denied(request: HttpRequest, message: str = "", status: int = 403) -> HttpResponse:
    message = message or _("You do not have permission to open this page.")
    return render(request, T + "message.html",
                  _ctx(request, title=_("Access denied"), message=message), status=status)  # fmt: skip


def _not_found(request: HttpRequest, what: str) -> HttpResponse:
    return _denied(request, _("%(what)s not found.") % {"what": what}, 404)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise ApplicationError(_("Enter a valid date."), code="bad_date") from None


def _time(text: str) -> dt.time:
    try:
        return dt.time.fromisoformat((text or "").strip())
    except ValueError:
        raise ApplicationError(_("Enter a valid time."), code="bad_time") from None


def _minutes(text: str) -> int:
    try:
        value = int(text or 60)
    except ValueError:
        value = 0
    if not 15 <= value <= 480:
        raise ApplicationError(_("An interview lasts 15 minutes to 8 hours."), code="bad_duration")
    return value


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


# --- agenda -----------------------------------------------------------------------------------
def _list(request: HttpRequest) -> HttpResponse:
    company = request_company(request)
    if company is None:
        return _denied(request)
    when = request.GET.get("when") or "upcoming"
    if when not in ("upcoming", "past", "all"):
        when = "upcoming"
    rows = list(sel.interview_list(user=request.user, company=company, when=when)[:300])
    days: list[tuple[dt.date, list[Any]]] = []
    for interview in rows:
        day = timezone.localtime(interview.starts_at).date()
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(interview)
    return render(request, T + "list.html", _ctx(
        request, title=_("Interviews"), days=days, when=when, count=len(rows),
        may_manage=sel.may_manage(request.user),
    ))  # fmt: skip


# --- scheduling form --------------------------------------------------------------------------
def _application(request: HttpRequest, company: Any, public_id: Any) -> Application:
    app = (
        application_scope(user=request.user, company=company)
        .select_related("candidate", "posting")
        .filter(public_id=public_id)
        .first()
    )
    if app is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    return app


def _form_values(request: HttpRequest, company: Any) -> dict[str, Any]:
    post = request.POST
    chosen = [v for v in post.getlist("interviewers") if v]
    room_id = post.get("room") or ""
    date, start = post.get("date") or "", post.get("start") or ""
    slot = post.get("slot") or ""
    if "T" in slot:  # a proposed slot was picked
        date, start = slot.split("T", 1)
    return {
        "interviewers": chosen,
        "day_from": post.get("day_from") or "",
        "day_to": post.get("day_to") or "",
        "date": date,
        "start": start,
        "duration": post.get("duration") or "60",
        "mode": post.get("mode") or InterviewMode.ONSITE,
        "room": room_id,
        "online_link": (post.get("online_link") or "").strip(),
        "title": (post.get("title") or "").strip(),
        "note": (post.get("note") or "").strip(),
        "force": bool(post.get("force")),
    }


def _panel(company: Any, values: dict[str, Any]) -> list[Any]:
    if not values["interviewers"]:
        raise ApplicationError(_("Choose at least one interviewer."), code="no_interviewers")
    return sel.users_by_public_id(company, values["interviewers"])


def _room(company: Any, values: dict[str, Any]) -> Any:
    if not values["room"] or values["mode"] != InterviewMode.ONSITE:
        return None
    return sel.room_get(company, values["room"])


def _new(request: HttpRequest, application: Any) -> HttpResponse:
    company = request_company(request)
    if company is None or not sel.may_manage(request.user):
        return _denied(request)
    try:
        app = _application(request, company, application)
    except NotFound:
        return _not_found(request, _("Application"))
    today = timezone.localdate()
    values: dict[str, Any] = {
        "interviewers": [], "day_from": (today + dt.timedelta(days=1)).isoformat(),
        "day_to": (today + dt.timedelta(days=7)).isoformat(), "date": "", "start": "",
        "duration": "60", "mode": InterviewMode.ONSITE, "room": "", "online_link": "",
        "title": "", "note": "", "force": False,
    }  # fmt: skip
    req = app.posting.requisition
    if req is not None and req.hiring_manager_id:
        values["interviewers"] = [str(req.hiring_manager.public_id)]
    slots: list[Any] | None = None
    clash = ""
    if request.method == "POST":
        values = _form_values(request, company)
        op = request.POST.get("op")
        try:
            people = _panel(company, values)
            room = _room(company, values)
            minutes = _minutes(values["duration"])
            if op == "propose":
                slots = svc.interview_slots(
                    company=company, interviewers=people, day_from=_date(values["day_from"]),
                    day_to=_date(values["day_to"]), duration=dt.timedelta(minutes=minutes),
                    room=room,
                )  # fmt: skip
            elif op == "schedule":
                start = _local(_date(values["date"]), _time(values["start"]))
                interview = svc.interview_schedule(
                    actor=request.user, application=app, starts_at=start,
                    ends_at=start + dt.timedelta(minutes=minutes), interviewers=people,
                    mode=values["mode"], room=room, online_link=values["online_link"],
                    title=values["title"], note=values["note"], force=values["force"],
                )  # fmt: skip
                messages.success(
                    request, _("The interview was scheduled; the invitations are sent.")
                )
                return HttpResponseRedirect(
                    reverse("recruitment:interview_detail", args=[interview.public_id])
                )
            else:
                messages.error(request, _("Unknown action."))
        except Conflict as exc:
            clash = exc.message
        except ApplicationError as exc:
            messages.error(request, exc.message)
        except OverflowError:
            messages.error(request, _("Enter a valid date."))
    return render(request, T + "form.html", _ctx(
        request, title=_("Schedule an interview: %(name)s") % {"name": app.candidate.full_name},
        application=app, values=values, slots=slots, clash=clash,
        people=sel.panel_choices(company), rooms=sel.rooms(company),
        modes=InterviewMode.choices, durations=DURATIONS,
    ))  # fmt: skip


# --- an interview -----------------------------------------------------------------------------
def _interview(request: HttpRequest, pk: Any) -> Any:
    company = request_company(request)
    if company is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Interview")})
    return company, sel.interview_get_for_user(user=request.user, company=company, public_id=pk)


def _detail(request: HttpRequest, pk: Any) -> HttpResponse:
    try:
        company, interview = _interview(request, pk)
    except NotFound:
        return _not_found(request, _("Interview"))
    may_manage = sel.may_manage(request.user)
    on_panel = sel.is_panel(request.user, interview)
    if request.method == "POST":
        return _act(request, company, interview, may_manage=may_manage)
    local = timezone.localtime(interview.starts_at)
    minutes = int((interview.ends_at - interview.starts_at).total_seconds() // 60)
    return render(request, T + "detail.html", _ctx(
        request, title=interview.title, interview=interview,
        panel=list(interview.interviewers.all()), may_manage=may_manage, on_panel=on_panel,
        mine=sel.my_scorecard(request.user, interview) if on_panel else None,
        scheduled=interview.state == InterviewState.SCHEDULED,
        started=interview.starts_at <= timezone.now(),
        date=local.date().isoformat(), start=local.strftime("%H:%M"), duration=minutes,
        people=sel.panel_choices(company) if may_manage else [],
        rooms=sel.rooms(company) if may_manage else [], modes=InterviewMode.choices,
        chosen={str(u.public_id) for u in interview.interviewers.all()},
    ))  # fmt: skip


def _act(request: HttpRequest, company: Any, interview: Any, *, may_manage: bool) -> HttpResponse:
    op, post = request.POST.get("op"), request.POST
    here = reverse("recruitment:interview_detail", args=[interview.public_id])
    try:
        if op == "reschedule" and may_manage:
            values = _form_values(request, company)
            people = _panel(company, values)
            start = _local(_date(values["date"]), _time(values["start"]))
            svc.interview_reschedule(
                actor=request.user, interview=interview, starts_at=start,
                ends_at=start + dt.timedelta(minutes=_minutes(values["duration"])),
                interviewers=people, mode=values["mode"], room=_room(company, values),
                online_link=values["online_link"], force=values["force"],
            )  # fmt: skip
            messages.success(
                request, _("The interview was rescheduled; updated invitations are sent.")
            )
        elif op == "cancel" and may_manage:
            svc.interview_cancel(actor=request.user, interview=interview,
                                 reason=(post.get("reason") or "")[:300])  # fmt: skip
            messages.success(request, _("The interview was cancelled; everybody was told."))
        elif op == "done":
            svc.interview_done(actor=request.user, interview=interview)
            messages.success(request, _("The interview was marked as held."))
        else:
            messages.error(request, _("Unknown action."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except OverflowError:
        messages.error(request, _("Enter a valid date."))
    return HttpResponseRedirect(here)


def _ics(request: HttpRequest, pk: Any) -> HttpResponse:
    try:
        _company, interview = _interview(request, pk)
    except NotFound:
        return _not_found(request, _("Interview"))
    method = CANCEL if interview.state == InterviewState.CANCELLED else REQUEST
    response = HttpResponse(
        interview_ics(interview, method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(interview)}"'
    response["Cache-Control"] = "no-store"
    return response


# --- scorecards -------------------------------------------------------------------------------
def _scorecard(request: HttpRequest, pk: Any) -> HttpResponse:
    try:
        _company, interview = _interview(request, pk)
    except NotFound:
        return _not_found(request, _("Interview"))
    if not sel.is_panel(request.user, interview):
        return _denied(request, _("Only a member of the interview panel submits a scorecard."))
    criteria = criteria_of(interview)
    mine = sel.my_scorecard(request.user, interview)
    if request.method == "POST" and mine is None:
        post = request.POST
        ratings = [
            {"criterion": c, "rating": post.get(f"rating_{i}") or "",
             "comment": post.get(f"comment_{i}") or ""}
            for i, c in enumerate(criteria)
        ]  # fmt: skip
        try:
            scorecard_submit(actor=request.user, interview=interview, ratings=ratings,
                             overall=post.get("overall") or "",
                             recommendation=post.get("recommendation") or "",
                             comment=post.get("comment") or "")  # fmt: skip
            messages.success(request, _("Your scorecard was submitted."))
            return HttpResponseRedirect(
                reverse("recruitment:scorecards", args=[interview.application.public_id])
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return render(request, T + "scorecard.html", _ctx(
        request, title=_("Scorecard: %(t)s") % {"t": interview.title}, interview=interview,
        criteria=list(enumerate(criteria)), mine=mine, scale=range(1, 6),
        recommendations=Recommendation.choices, posted=request.POST if request.method == "POST" else {},
    ))  # fmt: skip


def _scorecards(request: HttpRequest, application: Any) -> HttpResponse:
    company = request_company(request)
    if company is None:
        return _denied(request)
    app = (
        Application.objects.filter(company=company, public_id=application)
        .select_related("candidate", "posting__requisition")
        .first()
    )
    try:
        table = sel.scorecard_table(user=request.user, company=company, application=app)
    except NotFound:
        return _not_found(request, _("Application"))
    return render(request, T + "scorecards.html", _ctx(
        request, title=_("Scorecards: %(name)s") % {"name": app.candidate.full_name}, **table,
    ))  # fmt: skip


urlpatterns: list[URLPattern] = [
    path("interviews/", admin.site.admin_view(_list), name="interviews"),
    path("interviews/new/<uuid:application>/", admin.site.admin_view(_new), name="interview_new"),
    path("interviews/<uuid:pk>/", admin.site.admin_view(_detail), name="interview_detail"),
    path("interviews/<uuid:pk>/invite.ics", admin.site.admin_view(_ics), name="interview_ics"),
    path(
        "interviews/<uuid:pk>/scorecard/",
        admin.site.admin_view(_scorecard),
        name="interview_scorecard",
    ),  # fmt: skip
    path(
        "applications/<uuid:application>/scorecards/",
        admin.site.admin_view(_scorecards),
        name="scorecards",
    ),  # fmt: skip
]
