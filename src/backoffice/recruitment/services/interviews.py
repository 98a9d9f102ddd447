"""Interviews: availability of interviewers from HR data, free-slot proposals
for a panel, scheduling with clash detection, reschedule, cancel, done.

Availability of a person (``availability``):

* working hours of their employee record's work schedule, or the company's
  default schedule (or 08:00–17:00, Monday to Friday, break 12:00–13:00), on
  the working days of the company calendar (public holidays, the company's
  swap days and make-up days; morning-only days);
* minus their approved leave (a half day off takes the morning — up to the end
  of the break — or the afternoon — from the start of the break);
* busy: the scheduled interviews they sit on.

A room is busy with its scheduled interviews. Scheduling refuses (``Conflict``
naming every clash: who or which room, with what, when) when an interviewer
is busy, on leave or outside working hours, or the room is taken; HR (the
``recruitment.manage_interview`` permission) may schedule anyway with
``force=True`` — the clashes are kept in the audit event.

Every change e-mails the calendar invitation (``ics.interview_ics``) to the
interviewers and the candidate after the commit; the ICS UID stays, the
SEQUENCE grows on every reschedule and cancellation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import Membership
from backoffice.recruitment import scheduling
from backoffice.recruitment.enums import ApplicationState, InterviewMode, InterviewState, StageKind
from backoffice.recruitment.ics import CANCEL, REQUEST, ics_filename, interview_ics, interview_place
from backoffice.recruitment.models import EmailTemplate, Interview, Room
from backoffice.recruitment.services import mail
from backoffice.recruitment.services.common import authorise, same_company, user_or_none
from backoffice.recruitment.services.pipeline import _enter_stage
from backoffice.recruitment.services.pipeline import _locked as _locked_application
from backoffice.recruitment.services.stages import stage_of_kind

MANAGE = "recruitment.manage_interview"
MAX_DAYS = 31
MAX_PANEL = 10
MAX_AHEAD = dt.timedelta(days=730)  # scheduling and slots up to two years ahead
Interval = scheduling.Interval


# --- availability ---------------------------------------------------------------------------
@dataclass
class Availability:
    """One person over a period: ``windows`` at work (leave already taken
    out), ``leave`` intervals, ``busy`` scheduled interviews ``(start, end, interview)``."""

    user: Any
    windows: list[Interval] = field(default_factory=list)
    leave: list[Interval] = field(default_factory=list)
    busy: list[tuple[dt.datetime, dt.datetime, Any]] = field(default_factory=list)

    @property
    def free(self) -> list[Interval]:
        return scheduling.subtract(self.windows, [(s, e) for s, e, _i in self.busy])


def _tz() -> Any:
    return timezone.get_default_timezone()


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=_tz())


def _break(schedule: Any, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The break of ``day`` (start, end); an empty one at midday when there is none."""
    start, end = _at(day, schedule.start_time), _at(day, schedule.end_time)
    minutes = int(schedule.break_minutes or 0)
    if schedule.break_start is not None:
        b_start = _at(day, schedule.break_start)
    else:
        b_start = start + (end - start - dt.timedelta(minutes=minutes)) / 2
    return b_start, b_start + dt.timedelta(minutes=minutes)


def _day_windows(schedule: Any, day: dt.date) -> list[Interval]:
    start, end = _at(day, schedule.start_time), _at(day, schedule.end_time)
    if end <= start:
        return []
    b_start, b_end = _break(schedule, day)
    half = (schedule.half_days or "0000000").ljust(7, "0")[day.weekday()] == "1"
    if half:
        return [(start, min(b_start, end))]
    if b_end <= b_start or b_start >= end or b_end <= start:
        return [(start, end)]
    return scheduling.merge([(start, b_start), (b_end, end)])


def _leave_intervals(leave: Any, schedule: Any, first: dt.date, last: dt.date) -> list[Interval]:
    """Approved leave as intervals: whole days, or a morning / an afternoon."""
    out: list[Interval] = []
    day = max(leave.start_date, first)
    while day <= min(leave.end_date, last):
        b_start, b_end = _break(schedule, day)
        midnight, next_midnight = _at(day, dt.time(0)), _at(day + dt.timedelta(days=1), dt.time(0))
        single = leave.start_date == leave.end_date
        if day == leave.start_date and leave.start_half:
            out.append((b_start, next_midnight))  # the afternoon off
        elif day == leave.end_date and leave.end_half and not (single and leave.start_half):
            out.append((midnight, b_end))  # the morning off
        else:
            out.append((midnight, next_midnight))
        day += dt.timedelta(days=1)
    return out


def _schedules(company: Any, users: Sequence[Any], first: dt.date) -> dict[int, tuple[Any, Any]]:
    """user pk -> (work schedule, employee or None)."""
    from backoffice.hr.models import Employee, WorkSchedule

    default = WorkSchedule.objects.filter(company=company, is_default=True).order_by("id").first()
    default = default or WorkSchedule(name="default")
    found: dict[int, tuple[Any, Any]] = {}
    employees = (
        Employee.objects.filter(company=company, user__in=[u.pk for u in users])
        .exclude(termination_date__lt=first)
        .select_related("work_schedule")
        .order_by("pk")
    )
    for emp in employees:
        if emp.user_id not in found:
            found[emp.user_id] = (emp.work_schedule or default, emp)
    for user in users:
        found.setdefault(user.pk, (default, None))
    return found


def availability(
    company: Any,
    users: Iterable[Any],
    start: dt.date,
    end: dt.date,
    *,
    exclude: Any = None,
) -> dict[int, Availability]:
    """Availability of ``users`` (by user pk) from ``start`` to ``end`` (dates,
    inclusive); ``exclude``: an interview not to count as busy (the one being
    rescheduled)."""
    from backoffice.hr.enums import LeaveRequestState
    from backoffice.hr.models import LeaveRequest
    from backoffice.hr.services.calendar import WORKING, CompanyCalendar

    users = list(users)
    if isinstance(start, dt.datetime):
        start = timezone.localtime(start).date()
    if isinstance(end, dt.datetime):
        end = timezone.localtime(end).date()
    result = {u.pk: Availability(user=u) for u in users}
    if not users or end < start:
        return result
    schedules = _schedules(company, users, start)
    calendars: dict[Any, Any] = {}
    for user in users:
        schedule, _emp = schedules[user.pk]
        key = schedule.pk or "default"
        if key not in calendars:
            calendars[key] = CompanyCalendar(company, start, end, schedule if schedule.pk else None)
        cal = calendars[key]
        day = start
        while day <= end:
            if cal.day_kind(day) == WORKING:
                result[user.pk].windows.extend(_day_windows(schedule, day))
            day += dt.timedelta(days=1)
    # Approved leave of their employee records.
    by_employee = {emp.pk: uid for uid, (_s, emp) in schedules.items() if emp is not None}
    leaves = LeaveRequest.objects.filter(
        company=company, employee_id__in=list(by_employee), state=LeaveRequestState.APPROVED,
        start_date__lte=end, end_date__gte=start,
    )  # fmt: skip
    for leave in leaves:
        uid = by_employee[leave.employee_id]
        schedule = schedules[uid][0]
        result[uid].leave.extend(_leave_intervals(leave, schedule, start, end))
    for a in result.values():
        a.leave = scheduling.merge(a.leave)
        a.windows = scheduling.subtract(a.windows, a.leave)
    # Scheduled interviews they sit on.
    lo, hi = _at(start, dt.time(0)), _at(end + dt.timedelta(days=1), dt.time(0))
    busy = (
        Interview.objects.filter(company=company, state=InterviewState.SCHEDULED,
                                 interviewers__in=[u.pk for u in users],
                                 starts_at__lt=hi, ends_at__gt=lo)
        .distinct()
        .prefetch_related("interviewers")
    )  # fmt: skip
    if exclude is not None and exclude.pk:
        busy = busy.exclude(pk=exclude.pk)
    for interview in busy:
        for person in interview.interviewers.all():
            if person.pk in result:
                result[person.pk].busy.append(
                    (timezone.localtime(interview.starts_at), timezone.localtime(interview.ends_at),
                     interview))  # fmt: skip
    return result


def room_busy(
    room: Any, lo: dt.datetime, hi: dt.datetime, *, exclude: Any = None
) -> list[tuple[dt.datetime, dt.datetime, Any]]:
    qs = Interview.objects.filter(
        company_id=room.company_id, room=room, state=InterviewState.SCHEDULED,
        starts_at__lt=hi, ends_at__gt=lo,
    )  # fmt: skip
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return [(timezone.localtime(i.starts_at), timezone.localtime(i.ends_at), i) for i in qs]


def _period(day_from: dt.date, day_to: dt.date) -> None:
    today = timezone.localdate()
    if day_from < today - dt.timedelta(days=MAX_DAYS) or day_to > today + MAX_AHEAD:
        raise ValidationFailed(
            _("Look for slots from today to two years ahead."), code="bad_period"
        )
    if day_to < day_from:
        raise ValidationFailed(_("The last day is before the first day."), code="bad_period")
    if (day_to - day_from).days >= MAX_DAYS:
        raise ValidationFailed(
            _("Look for slots over %(n)s days at most.") % {"n": MAX_DAYS}, code="period_too_long"
        )


def interview_slots(
    *,
    company: Any,
    interviewers: Sequence[Any],
    day_from: dt.date,
    day_to: dt.date,
    duration: dt.timedelta,
    room: Any = None,
    step: dt.timedelta = scheduling.STEP,
    exclude: Any = None,
    limit: int = 60,
) -> list[Interval]:
    """Free slots of ``duration`` when every interviewer (and the room) is free,
    from now on, between ``day_from`` and ``day_to`` (inclusive)."""
    interviewers = _people(company, interviewers)
    _period(day_from, day_to)
    if duration <= dt.timedelta(0) or duration > dt.timedelta(hours=8):
        raise ValidationFailed(_("An interview lasts up to 8 hours."), code="bad_duration")
    same_company(company, room)
    found = availability(company, interviewers, day_from, day_to, exclude=exclude)
    windows = scheduling.panel_windows(
        {pk: a.windows for pk, a in found.items()},
        {pk: [(s, e) for s, e, _i in a.busy] for pk, a in found.items()},
    )
    now = timezone.now()
    busy: list[Interval] = [(_at(day_from, dt.time(0)), timezone.localtime(now))]
    if room is not None:
        lo, hi = _at(day_from, dt.time(0)), _at(day_to + dt.timedelta(days=1), dt.time(0))
        busy += [(s, e) for s, e, _i in room_busy(room, lo, hi, exclude=exclude)]
    slots = scheduling.free_slots(windows, busy, duration, step, limit=limit)
    return [(timezone.localtime(a), timezone.localtime(b)) for a, b in slots]


# --- clash detection ------------------------------------------------------------------------
def _when(start: dt.datetime, end: dt.datetime) -> str:
    s, e = timezone.localtime(start), timezone.localtime(end)
    if s.date() == e.date():
        return f"{s:%d/%m/%Y %H:%M}–{e:%H:%M}"
    return f"{s:%d/%m/%Y %H:%M}–{e:%d/%m/%Y %H:%M}"


def find_clashes(
    *,
    company: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    interviewers: Sequence[Any],
    room: Any = None,
    exclude: Any = None,
) -> list[scheduling.Clash]:
    """Everything that stops the panel or the room at that time."""
    proposed = (starts_at, ends_at)
    found = availability(
        company, interviewers, timezone.localtime(starts_at).date(),
        timezone.localtime(ends_at).date(), exclude=exclude,
    )  # fmt: skip
    busy: list[tuple[str, Any, str, str, dt.datetime, dt.datetime]] = []
    out: list[scheduling.Clash] = []
    for a in found.values():
        who = a.user.full_name or a.user.email
        for s, e, other in a.busy:
            busy.append(("interviewer", a.user.pk, who, other.title, s, e))
        for s, e in a.leave:
            busy.append(("interviewer", a.user.pk, who, _("on leave"), s, e))
        on_leave = any(scheduling.overlaps(proposed, iv) for iv in a.leave)
        if not on_leave and scheduling.outside(proposed, scheduling.merge([*a.windows, *a.leave])):
            out.append(scheduling.Clash("interviewer", a.user.pk, who, _("outside working hours")))
    if room is not None:
        for s, e, other in room_busy(room, starts_at, ends_at, exclude=exclude):
            busy.append(("room", room.pk, room.name, other.title, s, e))
    return [*scheduling.clashes(proposed, busy), *out]


def clash_message(found: Sequence[scheduling.Clash]) -> str:
    parts = []
    for c in found:
        label = c.who if c.kind == "interviewer" else _("room %(name)s") % {"name": c.who}
        if c.start is not None and c.end is not None:
            parts.append(f"{label}: {c.what} ({_when(c.start, c.end)})")
        else:
            parts.append(f"{label}: {c.what}")
    return _("The interview clashes with: %(list)s.") % {"list": "; ".join(parts)}


def _clash_extra(found: Sequence[scheduling.Clash]) -> list[dict[str, Any]]:
    return [
        {"kind": c.kind, "who": c.who, "what": c.what,
         "start": c.start.isoformat() if c.start else None,
         "end": c.end.isoformat() if c.end else None}
        for c in found
    ]  # fmt: skip


# --- validation -----------------------------------------------------------------------------
def _people(company: Any, users: Iterable[Any]) -> list[Any]:
    """The panel: distinct, active users holding a role in ``company``."""
    people = list({u.pk: u for u in users if u is not None}.values())
    if not people:
        raise ValidationFailed(_("Choose at least one interviewer."), code="no_interviewers")
    if len(people) > MAX_PANEL:
        raise ValidationFailed(
            _("A panel has at most %(n)s interviewers.") % {"n": MAX_PANEL}, code="panel_too_big"
        )
    members = set(
        Membership.objects.filter(company=company, is_active=True, user__is_active=True,
                                  user__in=[u.pk for u in people]).values_list("user_id", flat=True)
    )  # fmt: skip
    if any(u.pk not in members for u in people):
        raise ValidationFailed(
            _("Every interviewer must work in this company."), code="interviewer_not_member"
        )
    return people


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValidationFailed(_("Give the time with its time zone."), code="naive_time")
    if ends_at <= starts_at:
        raise ValidationFailed(_("The interview must end after it starts."), code="bad_times")
    if ends_at - starts_at > dt.timedelta(hours=8):
        raise ValidationFailed(_("An interview lasts up to 8 hours."), code="bad_duration")
    if starts_at < timezone.now():
        raise ValidationFailed(_("The interview cannot start in the past."), code="in_the_past")
    if starts_at > timezone.now() + MAX_AHEAD:
        raise ValidationFailed(
            _("An interview is scheduled at most two years ahead."), code="too_far_ahead"
        )


def _check_place(company: Any, mode: str, room: Any, online_link: str) -> None:
    if mode not in InterviewMode.values:
        raise ValidationFailed(_("Unknown interview mode."), code="bad_mode")
    same_company(company, room)
    if room is not None and not room.is_active:
        raise ValidationFailed(_("This room is no longer in use."), code="room_inactive")
    if mode == InterviewMode.ONLINE and not online_link:
        raise ValidationFailed(_("An online interview needs its link."), code="link_required")
    if online_link and not online_link.lower().startswith(("https://", "http://")):
        raise ValidationFailed(_("The link must start with https://."), code="bad_link")


def _refuse_clashes(
    *, actor: Any, company: Any, starts_at: dt.datetime, ends_at: dt.datetime,
    interviewers: Sequence[Any], room: Any, exclude: Any, force: bool,
) -> list[dict[str, Any]]:  # fmt: skip
    found = find_clashes(
        company=company, starts_at=starts_at, ends_at=ends_at, interviewers=interviewers,
        room=room, exclude=exclude,
    )  # fmt: skip
    if found and not force:
        raise Conflict(clash_message(found), code="interview_clash",
                       extra={"clashes": _clash_extra(found)})  # fmt: skip
    return _clash_extra(found)


def _snapshot(interview: Interview) -> dict[str, Any]:
    return {
        "title": interview.title, "starts_at": interview.starts_at.isoformat(),
        "ends_at": interview.ends_at.isoformat(), "mode": interview.mode,
        "room": interview.room.name if interview.room_id else "",
        "online_link": bool(interview.online_link), "state": interview.state,
        "sequence": interview.sequence,
        "interviewers": sorted(str(u.public_id) for u in interview.interviewers.all()),
    }  # fmt: skip


# --- e-mail ---------------------------------------------------------------------------------
def _candidate_text(interview: Interview, method: str) -> tuple[str, str, str]:
    """(subject, body, template code) for the candidate: the company's interview
    template (Vietnamese first) when it has one, else the default text."""
    application = interview.application
    context = {
        "candidate_name": application.candidate.full_name,
        "job_title": application.posting.title,
        "company_name": interview.company.name,
        "interview_time": _when(interview.starts_at, interview.ends_at),
        "interview_place": interview_place(interview),
        "stage": "",
    }
    with translation.override("vi"):
        if method == REQUEST:
            tpl = (
                EmailTemplate.objects.filter(company=interview.company, kind="interview")
                .order_by("-language", "name")  # "vi" before "en"
                .first()
            )
            if tpl is not None:
                subject = mail.render(tpl.subject, context)
                if interview.sequence:
                    subject = _("Updated: %(s)s") % {"s": subject}
                return subject, mail.render(tpl.body, context), tpl.name
            subject = (_("Interview rescheduled: %(job)s") if interview.sequence
                       else _("Interview invitation: %(job)s")) % {"job": context["job_title"]}  # fmt: skip
            body = _(
                "Dear {candidate_name},\n\n{company_name} invites you to an interview for the "
                "position {job_title}.\nTime: {interview_time}\nPlace: {interview_place}\n\n"
                "The calendar invitation is attached.\n"
            )
        else:
            subject = _("Interview cancelled: %(job)s") % {"job": context["job_title"]}
            body = _(
                "Dear {candidate_name},\n\nThe interview for the position {job_title} planned "
                "at {interview_time} is cancelled. We will contact you again.\n\n{company_name}\n"
            )
        return subject, mail.render(body, context), ""


def _panel_text(interview: Interview, method: str, language: str) -> tuple[str, str]:
    application = interview.application
    with translation.override(language or "vi"):
        context = {
            "candidate": application.candidate.full_name,
            "job": application.posting.title,
            "when": _when(interview.starts_at, interview.ends_at),
            "place": interview_place(interview),
        }
        if method == CANCEL:
            subject = _("Cancelled: interview with %(candidate)s") % context
            body = _("The interview with %(candidate)s (%(job)s) at %(when)s is cancelled.") % (
                context
            )
        else:
            subject = (_("Updated: interview with %(candidate)s") if interview.sequence
                       else _("Interview with %(candidate)s")) % context  # fmt: skip
            body = (
                _(
                    "You are on the panel interviewing %(candidate)s for %(job)s.\n"
                    "Time: %(when)s\nPlace: %(place)s"
                )
                % context
            )
            if interview.note:
                body += "\n\n" + interview.note
            body += "\n\n" + _("Your scorecard: %(link)s") % {"link": scorecard_url(interview)}
    return subject, body


def scorecard_url(interview: Interview) -> str:
    """Where a panel member fills in their scorecard: the self-service portal
    (an interviewer needs no desk access)."""
    return settings.BACKOFFICE["SITE_URL"] + reverse("portal:interview", args=[interview.public_id])


def _send(actor: Any, interview: Interview, method: str) -> None:
    name = ics_filename(interview)
    panel_ics = interview_ics(interview, method)
    by_language: dict[str, list[str]] = {}
    for user in interview.interviewers.all():
        by_language.setdefault((user.language or "vi")[:2], []).append(user.email)
    for language, emails in sorted(by_language.items()):
        subject, body = _panel_text(interview, method, language)
        mail.send(actor=actor, company=interview.company, target=interview, to=sorted(emails),
                  subject=subject, body=body, template="interview_panel",
                  attachments=[(name, panel_ics, "text/calendar")])  # fmt: skip
    candidate = interview.application.candidate
    if candidate.email and not candidate.anonymised_at:
        subject, body, template = _candidate_text(interview, method)
        mail.send(actor=actor, company=interview.company, target=interview.application,
                  to=[candidate.email], subject=subject, body=body,
                  template=template or "interview_candidate",
                  attachments=[(name, interview_ics(interview, method, for_candidate=True),
                                "text/calendar")])  # fmt: skip


# --- services -------------------------------------------------------------------------------
@transaction.atomic
def interview_schedule(
    *,
    actor: Any,
    application: Any,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    interviewers: Sequence[Any],
    mode: str = InterviewMode.ONSITE,
    room: Room | None = None,
    online_link: str = "",
    title: str = "",
    note: str = "",
    force: bool = False,
    notify: bool = True,
) -> Interview:
    company = application.company
    authorise(actor, company, MANAGE)
    if application.state != ApplicationState.ACTIVE:
        raise ValidationFailed(
            _("Only an application in progress can be interviewed."), code="application_closed"
        )
    people = _people(company, interviewers)
    _check_times(starts_at, ends_at)
    online_link = (online_link or "").strip()
    _check_place(company, mode, room, online_link)
    clashes = _refuse_clashes(
        actor=actor, company=company, starts_at=starts_at, ends_at=ends_at, interviewers=people,
        room=room, exclude=None, force=force,
    )  # fmt: skip
    title = (title or "").strip()[:200] or _("Interview: %(name)s — %(job)s") % {
        "name": application.candidate.full_name, "job": application.posting.title}  # fmt: skip
    interview = Interview.objects.create(
        company=company, application=application, title=title, starts_at=starts_at,
        ends_at=ends_at, mode=mode, room=room, online_link=online_link, note=(note or "").strip(),
        organizer=user_or_none(actor),
    )  # fmt: skip
    interview.interviewers.set(people)
    if application.stage.kind in (StageKind.NEW, StageKind.SCREENING):
        # Scheduled means "in interview": the board and the reports follow
        # without HR moving the card (the invitation is the candidate's e-mail).
        app = _locked_application(application)
        _enter_stage(app, stage_of_kind(company, StageKind.INTERVIEW), actor,
                     _("Interview scheduled"))  # fmt: skip
        application.__dict__.update(app.__dict__)
    audit_record(event_type="INTERVIEW_SCHEDULED", actor=actor, company=company,
                 target=interview, after={**_snapshot(interview), "forced": bool(clashes),
                                          "clashes": clashes})  # fmt: skip
    if notify:
        _send(actor, interview, REQUEST)
    return interview


def _locked(interview: Interview) -> Interview:
    fresh = Interview.objects.select_for_update().get(pk=interview.pk)
    if fresh.state != InterviewState.SCHEDULED:
        raise Conflict(
            _("This interview is %(state)s; it cannot be changed.")
            % {"state": fresh.get_state_display()},
            code="interview_not_scheduled",
        )
    return fresh


_KEEP: Any = object()


@transaction.atomic
def interview_reschedule(
    *,
    actor: Any,
    interview: Interview,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    interviewers: Sequence[Any] | None = None,
    mode: str | None = None,
    room: Any = _KEEP,
    online_link: str | None = None,
    force: bool = False,
    notify: bool = True,
) -> Interview:
    """New time (and optionally panel, mode, place): same UID, SEQUENCE + 1;
    the removed interviewers receive the cancellation."""
    company = interview.company
    authorise(actor, company, MANAGE)
    interview = _locked(interview)
    before = _snapshot(interview)
    old_panel = list(interview.interviewers.all())
    people = _people(company, interviewers if interviewers is not None else old_panel)
    _check_times(starts_at, ends_at)
    mode = mode or interview.mode
    room = interview.room if room is _KEEP else room
    online_link = interview.online_link if online_link is None else (online_link or "").strip()
    _check_place(company, mode, room, online_link)
    clashes = _refuse_clashes(
        actor=actor, company=company, starts_at=starts_at, ends_at=ends_at, interviewers=people,
        room=room, exclude=interview, force=force,
    )  # fmt: skip
    interview.starts_at, interview.ends_at = starts_at, ends_at
    interview.mode, interview.room, interview.online_link = mode, room, online_link
    interview.sequence += 1
    interview.save()
    removed = [u for u in old_panel if u.pk not in {p.pk for p in people}]
    interview.interviewers.set(people)
    audit_record(event_type="INTERVIEW_RESCHEDULED", actor=actor, company=company,
                 target=interview, before=before,
                 after={**_snapshot(interview), "forced": bool(clashes), "clashes": clashes})  # fmt: skip
    if notify:
        _send(actor, interview, REQUEST)
        if removed:
            name = ics_filename(interview)
            cancel = interview_ics(interview, CANCEL)
            for user in removed:
                subject, body = _panel_text(interview, CANCEL, user.language)
                mail.send(actor=actor, company=company, target=interview, to=[user.email],
                          subject=subject, body=body, template="interview_panel",
                          attachments=[(name, cancel, "text/calendar")])  # fmt: skip
    return interview


@transaction.atomic
def interview_cancel(
    *, actor: Any, interview: Interview, reason: str = "", notify: bool = True
) -> Interview:
    """Cancelled (SEQUENCE + 1, METHOD:CANCEL to everybody)."""
    company = interview.company
    authorise(actor, company, MANAGE)
    interview = _locked(interview)
    before = _snapshot(interview)
    interview.state = InterviewState.CANCELLED
    interview.sequence += 1
    interview.save(update_fields=["state", "sequence", "updated_at"])
    audit_record(event_type="INTERVIEW_CANCELLED", actor=actor, company=company,
                 target=interview, before=before,
                 after={**_snapshot(interview), "reason": (reason or "")[:300]})  # fmt: skip
    if notify:
        _send(actor, interview, CANCEL)
    return interview


@transaction.atomic
def interview_done(*, actor: Any, interview: Interview) -> Interview:
    """Marked as held (HR or a member of the panel), once it has started."""
    company = interview.company
    is_panel = (not isinstance(actor, str) and actor is not None
                and interview.interviewers.filter(pk=actor.pk).exists())  # fmt: skip
    if not is_panel:
        authorise(actor, company, MANAGE)
    elif getattr(actor, "active_company", None) not in (None, company):
        raise PermissionDenied(_("You are working in another company."), code="permission_denied")
    interview = _locked(interview)
    if interview.starts_at > timezone.now():
        raise ValidationFailed(
            _("The interview has not started yet."), code="interview_not_started"
        )
    interview.state = InterviewState.DONE
    interview.save(update_fields=["state", "updated_at"])
    audit_record(event_type="INTERVIEW_DONE", actor=actor, company=company, target=interview,
                 after={"state": interview.state})  # fmt: skip
    return interview
