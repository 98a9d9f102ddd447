"""Who sees which interview and scorecard.

* HR (``recruitment.view_application``) sees every interview of the company;
* the hiring manager of the posting's requisition sees that posting's
  interviews and every scorecard of them (side by side);
* an interviewer sees the interviews they sit on; they read the other
  interviewers' scorecards of an application only after submitting their own
  (their judgement is not anchored by the others');
* anybody else, and every other company: nothing (404).
Every query starts from ``access.application_scope`` (the one rule).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from backoffice.core.exceptions import NotFound
from backoffice.core.models import Membership, User
from backoffice.core.selectors import _get
from backoffice.recruitment.enums import InterviewState, Recommendation
from backoffice.recruitment.models import Interview, Room, Scorecard
from backoffice.recruitment.selectors.access import application_scope, sees_all
from backoffice.recruitment.services.scorecards import criteria_of

MANAGE = "recruitment.manage_interview"


def may_manage(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(MANAGE))


def interview_scope(*, user: Any, company: Any) -> QuerySet[Interview]:
    apps = application_scope(user=user, company=company)
    qs = Interview.objects.filter(company=company, application__in=apps.values("pk"))
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all(user):
        return qs
    mine = Interview.objects.filter(
        Q(interviewers=user) | Q(application__posting__requisition__hiring_manager=user)
    ).values("pk")
    return qs.filter(pk__in=mine)


def interview_list(
    *,
    user: Any,
    company: Any,
    when: str = "upcoming",
    day_from: dt.date | None = None,
    day_to: dt.date | None = None,
    state: str = "",
) -> QuerySet[Interview]:
    qs = interview_scope(user=user, company=company)
    now = timezone.now()
    if when == "upcoming":
        qs = qs.filter(ends_at__gte=now).order_by("starts_at")
    elif when == "past":
        qs = qs.filter(ends_at__lt=now).order_by("-starts_at")
    else:
        qs = qs.order_by("-starts_at")
    if day_from:
        qs = qs.filter(ends_at__gte=dt.datetime.combine(
            day_from, dt.time(0), tzinfo=timezone.get_default_timezone()))  # fmt: skip
    if day_to:
        qs = qs.filter(starts_at__lt=dt.datetime.combine(
            day_to + dt.timedelta(days=1), dt.time(0),
            tzinfo=timezone.get_default_timezone()))  # fmt: skip
    if state in InterviewState.values:
        qs = qs.filter(state=state)
    return qs.select_related(
        "application__candidate", "application__posting", "room", "organizer"
    ).prefetch_related("interviewers")


def interview_get_for_user(*, user: Any, company: Any, public_id: Any) -> Interview:
    from django.utils.translation import gettext as _

    qs = interview_scope(user=user, company=company).select_related(
        "application__candidate", "application__posting__requisition", "room", "organizer",
        "company",
    )  # fmt: skip
    return _get(qs, public_id, _("Interview"))


def is_panel(user: Any, interview: Interview) -> bool:
    return any(u.pk == user.pk for u in interview.interviewers.all())


def is_hiring_manager(user: Any, application: Any) -> bool:
    req = application.posting.requisition
    return bool(req is not None and req.hiring_manager_id == user.pk)


def rooms(company: Any) -> QuerySet[Room]:
    return Room.objects.filter(company=company, is_active=True).order_by("name")


def room_get(company: Any, public_id: Any) -> Room:
    from django.utils.translation import gettext as _

    return _get(rooms(company), str(public_id), _("Room"))


def panel_choices(company: Any) -> QuerySet[User]:
    """The people who may sit on a panel: active users holding a role in the company."""
    ids = Membership.objects.filter(company=company, is_active=True).values("user_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email")


def users_by_public_id(company: Any, ids: list[Any]) -> list[User]:
    import uuid

    from django.utils.translation import gettext as _

    try:
        wanted = {str(uuid.UUID(str(i))) for i in ids}
    except ValueError:
        raise NotFound(_("%(what)s not found.") % {"what": _("Interviewer")}) from None
    found = list(panel_choices(company).filter(public_id__in=list(wanted)))
    if len(found) != len(wanted):
        raise NotFound(_("%(what)s not found.") % {"what": _("Interviewer")})
    return found


# --- scorecards -------------------------------------------------------------------------------
def _application_visible(user: Any, company: Any, application: Any) -> Any:
    from django.utils.translation import gettext as _

    if (
        application is None
        or not application_scope(user=user, company=company).filter(pk=application.pk).exists()
    ):
        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    return application


def scorecards_visible(*, user: Any, company: Any, application: Any) -> tuple[QuerySet, bool]:
    """(the scorecards of the application the user may read, whether the others'
    are held back because the user has not submitted theirs yet)."""
    _application_visible(user, company, application)
    cards = Scorecard.objects.filter(company=company, interview__application=application)
    cards = cards.select_related("interviewer", "interview").order_by(
        "interview__starts_at", "interviewer__full_name"
    )
    if sees_all(user) or is_hiring_manager(user, application):
        return cards, False
    if not Interview.objects.filter(application=application, interviewers=user).exists():
        from django.utils.translation import gettext as _

        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    if cards.filter(interviewer=user).exists():
        return cards, False
    return cards.filter(interviewer=user), True


def scorecard_table(*, user: Any, company: Any, application: Any) -> dict[str, Any]:
    """Criteria rows x interviewer columns, with overall and recommendation rows."""
    cards, held_back = scorecards_visible(user=user, company=company, application=application)
    cards = list(cards)
    criteria: list[str] = []
    for interview in application.interviews.all().order_by("starts_at")[:1]:
        criteria = criteria_of(interview)
    if not criteria:
        criteria = [str(c) for c in (application.posting.scorecard_criteria or [])]
    for card in cards:
        for row in card.ratings or []:
            if row.get("criterion") not in criteria:
                criteria.append(row.get("criterion"))
    rows = []
    for criterion in criteria:
        cells = []
        for card in cards:
            hit = next((r for r in card.ratings or [] if r.get("criterion") == criterion), None)
            cells.append(hit)
        rated = [c["rating"] for c in cells if c]
        rows.append({"criterion": criterion, "cells": cells,
                     "average": round(sum(rated) / len(rated), 1) if rated else None})  # fmt: skip
    overall = [c.overall for c in cards]
    votes = Counter(c.recommendation for c in cards)
    return {
        "application": application,
        "cards": cards,
        "criteria": criteria,
        "rows": rows,
        "held_back": held_back,
        "average": round(sum(overall) / len(overall), 1) if overall else None,
        "votes": [(label, votes.get(value, 0)) for value, label in Recommendation.choices],
    }


def panel_interviews(*, user: Any, company: Any) -> QuerySet[Interview]:
    """The interviews whose panel ``user`` sits on (within what they may see)."""
    return interview_list(user=user, company=company, when="all").filter(interviewers=user)


def scored_interview_ids(*, user: Any, company: Any) -> set[int]:
    """The interviews ``user`` has submitted a scorecard for."""
    return set(
        Scorecard.objects.filter(company=company, interviewer=user).values_list(
            "interview_id", flat=True
        )
    )


def my_scorecard(user: Any, interview: Interview) -> Scorecard | None:
    return Scorecard.objects.filter(interview=interview, interviewer=user).first()


def application_panel(user: Any, application: Any) -> dict[str, Any]:
    """Context of ``recruitment/interviews/_application_panel.html`` on the
    application page: the interviews the user may see, what they may do."""
    company = application.company
    interviews = list(
        interview_scope(user=user, company=company)
        .filter(application=application)
        .select_related("room")
        .prefetch_related("interviewers", "scorecards")
        .order_by("starts_at")
    )
    rows = []
    for interview in interviews:
        panel = list(interview.interviewers.all())
        rows.append({
            "interview": interview,
            "panel": panel,
            "submitted": len(interview.scorecards.all()),
            "mine_pending": any(u.pk == user.pk for u in panel)
            and not any(c.interviewer_id == user.pk for c in interview.scorecards.all()),
        })  # fmt: skip
    may_table = sees_all(user) or is_hiring_manager(user, application) or bool(interviews)
    return {
        "application": application,
        "interview_rows": rows,
        "may_schedule": may_manage(user) and application.state == "active",
        "may_see_scorecards": may_table,
    }
