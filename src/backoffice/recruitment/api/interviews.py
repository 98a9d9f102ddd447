"""Recruitment API, interviews (staff), scoped like the desk:

* ``GET /interviews`` (HR: every interview; an interviewer or hiring manager:
  theirs), ``GET /interviews/{interview_id}``;
* ``POST /interviews`` (``recruitment.manage_interview``): schedule — 409
  ``interview_clash`` listing the clashes unless ``force``;
* ``POST /interviews/{interview_id}/reschedule``, ``/cancel`` (HR), ``/done``
  (HR or the panel);
* ``GET /interviews/{interview_id}/ics``: the calendar invitation;
* ``POST /interviews/slots`` (HR): free slots of a panel;
* ``GET|POST /interviews/{interview_id}/scorecards``: the scorecards the caller
  may read / submit mine (panel members only);
* ``GET /applications/{application_id}/scorecards``: side by side (hiring
  manager, HR; an interviewer after submitting theirs).

Another company's (or another person's) interview is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AfterValidator, AwareDatetime, BeforeValidator

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound, PermissionDenied
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema, IsoDate
from backoffice.recruitment.enums import InterviewMode, Recommendation
from backoffice.recruitment.ics import CANCEL, REQUEST, ics_filename, interview_ics
from backoffice.recruitment.models import Application
from backoffice.recruitment.selectors import interviews as sel
from backoffice.recruitment.services import interviews as svc
from backoffice.recruitment.services.scorecards import scorecard_submit

router = Router()

_BINARY = {"schema": {"type": "string", "format": "binary"}}


def _text_only(value: Any) -> Any:
    if not isinstance(value, str | dt.datetime):
        raise ValueError(_("expected an ISO 8601 date-time string"))
    return value


def _utc(value: dt.datetime) -> dt.datetime:
    try:
        return value.astimezone(dt.UTC)
    except OverflowError as exc:
        raise ValueError(_("the date is out of range")) from exc


When = Annotated[AwareDatetime, BeforeValidator(_text_only), AfterValidator(_utc)]
Text = Annotated[str, Field(max_length=200, pattern=ONE_LINE)]
Link = Annotated[str, Field(max_length=500, pattern=ONE_LINE)]


class InterviewPersonOut(Schema):
    id: UUID
    full_name: str
    email: str

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id


class InterviewOut(Schema):
    id: UUID
    application_id: UUID
    candidate: str
    posting: str
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    mode: str
    room: str
    online_link: str
    state: str
    sequence: int
    uid: str
    interviewers: list[InterviewPersonOut]

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_application_id(obj: Any) -> UUID:
        return obj.application.public_id

    @staticmethod
    def resolve_candidate(obj: Any) -> str:
        return obj.application.candidate.full_name

    @staticmethod
    def resolve_posting(obj: Any) -> str:
        return obj.application.posting.title

    @staticmethod
    def resolve_room(obj: Any) -> str:
        return obj.room.name if obj.room_id else ""

    @staticmethod
    def resolve_interviewers(obj: Any) -> list[Any]:
        return list(obj.interviewers.all())


class InterviewIn(InputSchema):
    application_id: UUID
    starts_at: When
    ends_at: When
    interviewer_ids: list[UUID] = Field(min_length=1, max_length=svc.MAX_PANEL)
    mode: InterviewMode = InterviewMode.ONSITE
    room_id: UUID | None = None
    online_link: Link = ""
    title: Text = ""
    note: Annotated[str, Field(max_length=2000)] = ""
    force: bool = False


class RescheduleIn(InputSchema):
    starts_at: When
    ends_at: When
    interviewer_ids: list[UUID] | None = Field(None, max_length=svc.MAX_PANEL)
    mode: InterviewMode | None = None
    room_id: UUID | None = None
    keep_room: bool = True
    online_link: Link | None = None
    force: bool = False


class InterviewCancelIn(InputSchema):
    reason: Annotated[str, Field(max_length=300, pattern=ONE_LINE)] = ""


class SlotsIn(InputSchema):
    interviewer_ids: list[UUID] = Field(min_length=1, max_length=svc.MAX_PANEL)
    day_from: IsoDate
    day_to: IsoDate
    duration_minutes: int = Field(60, ge=15, le=480)
    step_minutes: int = Field(15, ge=5, le=120)
    room_id: UUID | None = None


class SlotOut(Schema):
    starts_at: dt.datetime
    ends_at: dt.datetime


class RatingIn(InputSchema):
    criterion: Annotated[str, Field(min_length=1, max_length=200)]
    rating: int = Field(ge=1, le=5)
    comment: Annotated[str, Field(max_length=1000)] = ""


class ScorecardIn(InputSchema):
    ratings: list[RatingIn] = Field(min_length=1, max_length=30)
    overall: int = Field(ge=1, le=5)
    recommendation: Recommendation
    comment: Annotated[str, Field(max_length=5000)] = ""


class RatingOut(Schema):
    criterion: str
    rating: int
    comment: str = ""


class ScorecardOut(Schema):
    id: UUID
    interview_id: UUID
    interviewer: InterviewPersonOut
    ratings: list[RatingOut]
    overall: int
    recommendation: str
    comment: str
    submitted_at: dt.datetime

    @staticmethod
    def resolve_id(obj: Any) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_interview_id(obj: Any) -> UUID:
        return obj.interview.public_id


class ScorecardsOut(Schema):
    criteria: list[str]
    held_back: bool
    average: float | None
    scorecards: list[ScorecardOut]


def _interview(request: HttpRequest, interview_id: UUID) -> tuple[Any, Any, Any]:
    user, company = request_user(request), _company(request)
    return user, company, sel.interview_get_for_user(user=user, company=company,
                                                     public_id=interview_id)  # fmt: skip


def _manager(request: HttpRequest) -> tuple[Any, Any]:
    user, company = request_user(request), _company(request)
    if not sel.may_manage(user):
        raise PermissionDenied(_("You do not have permission to do this."),
                               extra={"perm": svc.MANAGE})  # fmt: skip
    return user, company


def _room(company: Any, room_id: UUID | None) -> Any:
    return sel.room_get(company, room_id) if room_id else None


@router.get("/interviews", response={200: list[InterviewOut], **ERRORS},
            summary="Interviews I may see (HR: all; interviewers: theirs)")  # fmt: skip
@paginate(Pagination)
def interview_list(request: HttpRequest, when: str = "all") -> Any:
    company = _company(request)
    if when not in ("upcoming", "past", "all"):
        when = "all"
    return sel.interview_list(user=request_user(request), company=company, when=when)


@router.post("/interviews", response={201: InterviewOut, **ERRORS},
             summary="Schedule an interview (409 on a clash unless force)")  # fmt: skip
def interview_create(request: HttpRequest, payload: InterviewIn) -> Any:
    user, company = _manager(request)
    app = Application.objects.filter(company=company, public_id=payload.application_id).first()
    if app is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    people = sel.users_by_public_id(company, payload.interviewer_ids)
    interview = svc.interview_schedule(
        actor=user, application=app, starts_at=payload.starts_at, ends_at=payload.ends_at,
        interviewers=people, mode=payload.mode, room=_room(company, payload.room_id),
        online_link=payload.online_link, title=payload.title, note=payload.note,
        force=payload.force,
    )  # fmt: skip
    return Status(201, interview)


@router.post("/interviews/slots", response={200: list[SlotOut], **ERRORS},
             summary="Free slots when the whole panel (and the room) is free")  # fmt: skip
def interview_slots(request: HttpRequest, payload: SlotsIn) -> Any:
    _user, company = _manager(request)
    people = sel.users_by_public_id(company, payload.interviewer_ids)
    slots = svc.interview_slots(
        company=company, interviewers=people, day_from=payload.day_from, day_to=payload.day_to,
        duration=dt.timedelta(minutes=payload.duration_minutes),
        step=dt.timedelta(minutes=payload.step_minutes), room=_room(company, payload.room_id),
    )  # fmt: skip
    return [{"starts_at": a, "ends_at": b} for a, b in slots]


@router.get("/interviews/{interview_id}", response={200: InterviewOut, **ERRORS})
def interview_detail(request: HttpRequest, interview_id: UUID) -> Any:
    return _interview(request, interview_id)[2]


@router.post("/interviews/{interview_id}/reschedule", response={200: InterviewOut, **ERRORS},
             summary="New time (same UID, SEQUENCE + 1); 409 on a clash unless force")  # fmt: skip
def interview_reschedule(request: HttpRequest, interview_id: UUID, payload: RescheduleIn) -> Any:
    user, company, interview = _interview(request, interview_id)
    _manager(request)
    people = (sel.users_by_public_id(company, payload.interviewer_ids)
              if payload.interviewer_ids else None)  # fmt: skip
    room: Any = svc._KEEP
    if payload.room_id or not payload.keep_room:
        room = _room(company, payload.room_id)
    return svc.interview_reschedule(
        actor=user, interview=interview, starts_at=payload.starts_at, ends_at=payload.ends_at,
        interviewers=people, mode=payload.mode, room=room, online_link=payload.online_link,
        force=payload.force,
    )  # fmt: skip


@router.post("/interviews/{interview_id}/cancel", response={200: InterviewOut, **ERRORS},
             summary="Cancel (METHOD:CANCEL to everybody)")  # fmt: skip
def interview_cancel(request: HttpRequest, interview_id: UUID, payload: InterviewCancelIn) -> Any:
    user, _company_, interview = _interview(request, interview_id)
    _manager(request)
    return svc.interview_cancel(actor=user, interview=interview, reason=payload.reason)


@router.post("/interviews/{interview_id}/done", response={200: InterviewOut, **ERRORS},
             summary="Mark as held (HR or the panel)")  # fmt: skip
def interview_done(request: HttpRequest, interview_id: UUID) -> Any:
    user, _company_, interview = _interview(request, interview_id)
    return svc.interview_done(actor=user, interview=interview)


@router.get("/interviews/{interview_id}/ics", response={**ERRORS},
            openapi_extra={"responses": {200: {"description": "The calendar invitation",
                                               "content": {"text/calendar": _BINARY}}}})  # fmt: skip
def interview_ics_download(request: HttpRequest, interview_id: UUID) -> Any:
    _user, _company_, interview = _interview(request, interview_id)
    method = CANCEL if interview.state == "cancelled" else REQUEST
    response = HttpResponse(interview_ics(interview, method), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(interview)}"'
    response["Cache-Control"] = "no-store"
    return response


def _table(user: Any, company: Any, application: Any) -> dict[str, Any]:
    table = sel.scorecard_table(user=user, company=company, application=application)
    return {"criteria": table["criteria"], "held_back": table["held_back"],
            "average": table["average"], "scorecards": table["cards"]}  # fmt: skip


@router.get("/interviews/{interview_id}/scorecards", response={200: ScorecardsOut, **ERRORS},
            summary="The scorecards of the interview I may read")  # fmt: skip
def interview_scorecards(request: HttpRequest, interview_id: UUID) -> Any:
    user, company, interview = _interview(request, interview_id)
    table = _table(user, company, interview.application)
    table["scorecards"] = [c for c in table["scorecards"] if c.interview_id == interview.pk]
    return table


@router.post("/interviews/{interview_id}/scorecards", response={201: ScorecardOut, **ERRORS},
             summary="Submit my scorecard (panel members only, once)")  # fmt: skip
def interview_scorecard_submit(request: HttpRequest, interview_id: UUID,
                               payload: ScorecardIn) -> Any:  # fmt: skip
    user, _company_, interview = _interview(request, interview_id)
    card = scorecard_submit(
        actor=user, interview=interview,
        ratings=[r.model_dump() for r in payload.ratings], overall=payload.overall,
        recommendation=payload.recommendation, comment=payload.comment,
    )  # fmt: skip
    return Status(201, card)


@router.get("/applications/{application_id}/scorecards", response={200: ScorecardsOut, **ERRORS},
            summary="An application's scorecards side by side")  # fmt: skip
def application_scorecards(request: HttpRequest, application_id: UUID) -> Any:
    user, company = request_user(request), _company(request)
    app = Application.objects.filter(company=company, public_id=application_id).first()
    return _table(user, company, app)
