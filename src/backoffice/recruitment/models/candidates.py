"""Candidates (a person, possibly applying several times) and applications (a
candidate for one posting, moving through the stages).

Personal data is the candidate's: e-mail, phone, cover letter and the CV text
are encrypted (``EncryptedTextField``); ``email_index`` / ``phone_index`` are
keyed digests for duplicate detection; ``cv_fingerprint`` is a 64-bit SimHash
of the CV text (hex) for near-identical CVs. The CV file itself is a records
Document (confidential) attached to the application. Consent (Decree
13/2023): given at ``consent_at`` until ``consent_until``; after that the
retention job anonymises the candidate unless consent was renewed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from backoffice.core.fields import EncryptedTextField
from backoffice.core.models import CompanyScopedModel
from backoffice.recruitment.enums import ApplicationState, Source


class Candidate(CompanyScopedModel):
    full_name = models.CharField(_("full name"), max_length=200)
    email = EncryptedTextField(_("e-mail"), purpose="recruitment.contact")
    email_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"), purpose="recruitment.contact")
    phone_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    province = models.CharField(_("province"), max_length=8, blank=True)
    cv_text = EncryptedTextField(_("CV text"), purpose="recruitment.cv")
    cv_fingerprint = models.CharField(max_length=16, blank=True, db_index=True, editable=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_until = models.DateField(_("consent valid until"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    deletion_requested_at = models.DateTimeField(_("deletion requested at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged",
        verbose_name=_("merged into"),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["company", "-created_at"]
        indexes = [models.Index(fields=["consent_until"], name="recruitment_consent_until")]

    def __str__(self) -> str:
        return self.full_name


class Application(CompanyScopedModel):
    """``status_token_hash``: SHA-256 of the private link's token, what the
    status page looks the application up by; ``status_token``: the token
    itself, encrypted, so that later e-mails (stage templates' ``{status_link}``)
    can carry the same link. Both are cleared when the data is erased."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("candidate"),
    )  # fmt: skip
    posting = models.ForeignKey(
        "recruitment.JobPosting", on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("job posting"),
    )  # fmt: skip
    stage = models.ForeignKey(
        "recruitment.Stage", on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("stage"),
    )  # fmt: skip
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices,
        default=ApplicationState.ACTIVE,
    )  # fmt: skip
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.CAREERS_PAGE
    )
    source_detail = models.CharField(_("referred by / board"), max_length=200, blank=True)
    cover_letter = EncryptedTextField(_("cover letter"), purpose="recruitment.cv")
    applied_at = models.DateTimeField(_("applied at"))
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    decided_at = models.DateTimeField(_("hired or rejected at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=300, blank=True)
    score = models.PositiveSmallIntegerField(_("screening score"), null=True, blank=True)
    score_detail = models.JSONField(_("screening explanation"), default=dict, blank=True)
    status_token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    status_token = EncryptedTextField(
        blank=True, default="", editable=False, purpose="recruitment.contact"
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    employee = models.ForeignKey(
        "hr.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("employee"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["company", "-applied_at"]
        indexes = [
            models.Index(fields=["posting", "stage"], name="recruitment_app_board"),
            models.Index(fields=["state", "stage_entered_at"], name="recruitment_app_waiting"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.posting}"


class StageChange(models.Model):
    """One move of an application (the first row: entering the first stage).
    Funnel, time in stage and time-to-hire are computed from these rows."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        "recruitment.Stage", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey("recruitment.Stage", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_stage_id} -> {self.to_stage_id}"
