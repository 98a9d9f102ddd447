"""My interviews: the interviews whose panel I sit on, and my scorecard.

An employee who interviews candidates does not need the desk: the list shows
their upcoming and recent interviews, the detail the candidate, the time and
place and the scorecard form (the posting's criteria 1–5, overall,
recommendation). Once their own scorecard is in, the panel's scorecards are
shown side by side (the recruitment rule: nobody reads the others' before
submitting theirs). Everything comes from the recruitment selectors and the
scorecard service; the portal only renders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backoffice.portal.access import Me, portal_page
from backoffice.portal.views.common import back, page, run
from backoffice.recruitment.enums import Recommendation
from backoffice.recruitment.selectors import interviews as sel
from backoffice.recruitment.services.scorecards import criteria_of, scorecard_submit

RECENT_DAYS = 30


def _mine(me: Me) -> Any:
    return sel.panel_interviews(user=me.user, company=me.company)


@portal_page()
def interviews(request: HttpRequest, me: Me) -> HttpResponse:
    now = timezone.now()
    mine = _mine(me).exclude(state="cancelled")
    done = sel.scored_interview_ids(user=me.user, company=me.company)
    upcoming = list(mine.filter(ends_at__gte=now).order_by("starts_at"))
    recent = list(
        mine.filter(ends_at__lt=now, ends_at__gte=now - dt.timedelta(days=RECENT_DAYS)).order_by(
            "-starts_at"
        )
    )
    ctx = {"upcoming": upcoming, "recent": recent, "done": done}
    return page(request, me, "portal/interviews.html", ctx, active="home")


@require_http_methods(["GET", "POST"])
@portal_page()
def interview_detail(request: HttpRequest, me: Me, public_id: str) -> HttpResponse:
    interview = _mine(me).filter(public_id=public_id).first()
    if interview is None:  # not on the panel (or not in this company): not there
        raise Http404(_("Interview not found."))
    criteria = criteria_of(interview)
    mine = sel.my_scorecard(me.user, interview)
    form: dict[str, Any] = {}
    if request.method == "POST" and mine is None:
        form = request.POST
        ratings = [
            {"criterion": c, "rating": form.get(f"rating_{i}", ""),
             "comment": form.get(f"comment_{i}", "")}
            for i, c in enumerate(criteria)
        ]  # fmt: skip
        ok, _result = run(
            request,
            lambda: scorecard_submit(
                actor=me.user,
                interview=interview,
                ratings=ratings,
                overall=form.get("overall", ""),
                recommendation=form.get("recommendation", ""),
                comment=form.get("comment", ""),
            ),  # fmt: skip
            success=_("Scorecard submitted. Thank you!"),
        )
        if ok:
            return back(request, "interview", public_id=public_id)
    table = None
    if mine is not None:
        table = sel.scorecard_table(
            user=me.user, company=me.company, application=interview.application
        )
    ctx = {
        "interview": interview,
        "criteria": [
            (i, c, form.get(f"rating_{i}", ""), form.get(f"comment_{i}", ""))
            for i, c in enumerate(criteria)
        ],  # fmt: skip
        "form": form,
        "mine": mine,
        "table": table,
        "ratings": range(1, 6),
        "recommendations": Recommendation.choices,
    }
    status = 422 if form and mine is None else 200
    return page(request, me, "portal/interview_detail.html", ctx, active="home", status=status)
