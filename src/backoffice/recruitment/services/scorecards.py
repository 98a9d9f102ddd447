"""Scorecards: each member of an interview's panel rates the candidate once.

* the criteria are the posting's ``scorecard_criteria`` (or one general
  criterion when the posting has none); every criterion gets a rating 1–5,
  with an optional comment;
* an overall rating 1–5 and a recommendation (strong hire … strong no hire);
* only a member of the panel submits, only their own scorecard, for an
  interview that is not cancelled; a submitted scorecard is final (so nobody
  adjusts theirs after reading the others' — an interviewer reads the other
  scorecards of the application only once they submitted their own, see
  ``selectors.interviews.scorecard_table``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.recruitment.enums import InterviewState, Recommendation
from backoffice.recruitment.models import Interview, Scorecard

GENERAL = gettext_lazy("General assessment")


def criteria_of(interview: Interview) -> list[str]:
    found = [str(c).strip() for c in (interview.application.posting.scorecard_criteria or [])]
    found = [c for c in dict.fromkeys(found) if c]
    return found or [str(GENERAL)]


def _rating(value: Any) -> int:
    """1..5, from an int or a string of digits (a form field)."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        raise ValueError
    if not 1 <= number <= 5:
        raise ValueError
    return number


def _normalise(criteria: list[str], ratings: Any) -> list[dict[str, Any]]:
    """``ratings``: ``{criterion: rating}`` or ``[{"criterion", "rating", "comment"}]``."""
    given: dict[str, tuple[Any, str]] = {}
    if isinstance(ratings, Mapping):
        for key, value in ratings.items():
            given[str(key).strip()] = (value, "")
    elif isinstance(ratings, list | tuple):
        for row in ratings:
            if not isinstance(row, Mapping):
                raise ValidationFailed(_("Rate each criterion from 1 to 5."), code="bad_ratings")
            given[str(row.get("criterion", "")).strip()] = (
                row.get("rating"), str(row.get("comment") or "").strip()[:1000])  # fmt: skip
    else:
        raise ValidationFailed(_("Rate each criterion from 1 to 5."), code="bad_ratings")
    unknown = [k for k in given if k not in criteria]
    if unknown:
        raise ValidationFailed(
            _("Unknown criterion: %(name)s.") % {"name": unknown[0]}, code="unknown_criterion",
            extra={"criteria": criteria},
        )  # fmt: skip
    out = []
    for criterion in criteria:
        if criterion not in given:
            raise ValidationFailed(
                _("Rate the criterion %(name)s.") % {"name": criterion}, code="criterion_missing",
                extra={"criteria": criteria},
            )  # fmt: skip
        value, comment = given[criterion]
        try:
            rating = _rating(value)
        except (TypeError, ValueError):
            raise ValidationFailed(
                _("Rate the criterion %(name)s from 1 to 5.") % {"name": criterion},
                code="bad_rating",
            ) from None
        out.append({"criterion": criterion, "rating": rating, "comment": comment})
    return out


@transaction.atomic
def scorecard_submit(
    *,
    actor: Any,
    interview: Interview,
    ratings: Any,
    overall: Any,
    recommendation: str,
    comment: str = "",
) -> Scorecard:
    company = interview.company
    if actor is None or isinstance(actor, str) or not getattr(actor, "pk", None):
        raise PermissionDenied(_("Only an interviewer submits a scorecard."), code="not_panel")
    active = getattr(actor, "active_company", None)
    if active is not None and active.pk != company.pk:
        raise PermissionDenied(_("You are working in another company."), code="permission_denied")
    if not interview.interviewers.filter(pk=actor.pk).exists():
        raise PermissionDenied(
            _("Only a member of the interview panel submits a scorecard."), code="not_panel"
        )
    if interview.state == InterviewState.CANCELLED:
        raise Conflict(_("This interview was cancelled."), code="interview_cancelled")
    rows = _normalise(criteria_of(interview), ratings)
    try:
        overall_value = _rating(overall)
    except (TypeError, ValueError):
        raise ValidationFailed(
            _("Give an overall rating from 1 to 5."), code="bad_overall"
        ) from None
    if recommendation not in Recommendation.values:
        raise ValidationFailed(_("Choose a recommendation."), code="bad_recommendation")
    if Scorecard.objects.filter(interview=interview, interviewer=actor).exists():
        raise Conflict(_("You already submitted your scorecard."), code="scorecard_exists")
    try:
        with transaction.atomic():
            card = Scorecard.objects.create(
                company=company, interview=interview, interviewer=actor, ratings=rows,
                overall=overall_value, recommendation=recommendation,
                comment=(comment or "").strip()[:5000], submitted_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(
            _("You already submitted your scorecard."), code="scorecard_exists"
        ) from None
    audit_record(
        event_type="SCORECARD_SUBMITTED", actor=actor, company=company, target=card,
        after={"interview": str(interview.public_id), "overall": overall_value,
               "recommendation": recommendation,
               "ratings": {r["criterion"]: r["rating"] for r in rows}},
    )  # fmt: skip
    return card
