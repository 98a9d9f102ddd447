"""Interviews with a panel of interviewers (users of the company), a room or
an online link, and the ICS sequence (``sequence`` grows on every reschedule
or cancellation; ``uid`` stays, so calendars update the same event).
Scorecards: one per interviewer per interview."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.models import CompanyScopedModel
from backoffice.recruitment.enums import InterviewMode, InterviewState, Recommendation


class Room(CompanyScopedModel):
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("seats"), default=4)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting room")
        verbose_name_plural = _("meeting rooms")
        ordering = ["company", "name"]

    def __str__(self) -> str:
        return self.name


class Interview(CompanyScopedModel):
    application = models.ForeignKey(
        "recruitment.Application", on_delete=models.CASCADE, related_name="interviews",
        verbose_name=_("application"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(
        _("mode"), max_length=16, choices=InterviewMode.choices, default=InterviewMode.ONSITE
    )
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="interviews",
        verbose_name=_("room"),
    )  # fmt: skip
    online_link = models.URLField(_("online link"), blank=True)
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("interviewers")
    )
    state = models.CharField(
        _("state"), max_length=16, choices=InterviewState.choices,
        default=InterviewState.SCHEDULED,
    )  # fmt: skip
    uid = models.CharField(max_length=80, default="", editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    note = models.TextField(_("note for the panel"), blank=True)
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("organiser"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["company", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="recruitment_interview_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["company", "starts_at"], name="recruitment_interview_time")]

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@backoffice"
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.title


class Scorecard(CompanyScopedModel):
    """``ratings``: ``[{"criterion": "...", "rating": 1..5, "comment": "..."}]``."""

    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="scorecards",
        verbose_name=_("interview"),
    )  # fmt: skip
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("interviewer"),
    )  # fmt: skip
    ratings = models.JSONField(_("ratings"), default=list, blank=True)
    overall = models.PositiveSmallIntegerField(_("overall rating"))
    recommendation = models.CharField(
        _("recommendation"), max_length=16, choices=Recommendation.choices
    )
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        ordering = ["interview", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["interview", "interviewer"], name="recruitment_one_scorecard_each"
            ),
            models.CheckConstraint(
                condition=Q(overall__gte=1) & Q(overall__lte=5),
                name="recruitment_scorecard_overall_1_5",
            ),
        ]
