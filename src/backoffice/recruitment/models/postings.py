"""Job postings (the public face of a requisition), the company's pipeline
stages and its e-mail templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.models import CompanyScopedModel
from backoffice.recruitment.enums import (
    EmploymentType,
    PostingState,
    StageKind,
    TemplateKind,
)

MONEY = {"max_digits": 18, "decimal_places": 0}


class JobPosting(CompanyScopedModel):
    """Public text in Vietnamese and English (English falls back to Vietnamese).

    ``requirements`` is what CV screening matches (``recruitment.screening``)::

        {"skills": ["Python", "Django", "SQL"],       # each: a term, synonyms with "|"
         "min_years": 3,                                # years of experience
         "education": "bachelor",                       # EducationLevel value or ""
         "languages": ["English"],
         "weights": {"skills": 50, "experience": 20, "education": 15, "languages": 15}}

    ``scorecard_criteria``: the criteria interviewers rate (list of strings).
    """

    requisition = models.ForeignKey(
        "recruitment.JobRequisition", on_delete=models.PROTECT, null=True, blank=True,
        related_name="postings", verbose_name=_("requisition"),
    )  # fmt: skip
    slug = models.SlugField(_("address"), max_length=120)
    title = models.CharField(_("title (Vietnamese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    requirements_text = models.TextField(_("requirements (Vietnamese)"), blank=True)
    requirements_text_en = models.TextField(_("requirements (English)"), blank=True)
    benefits = models.TextField(_("benefits (Vietnamese)"), blank=True)
    benefits_en = models.TextField(_("benefits (English)"), blank=True)
    department = models.ForeignKey(
        "core.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("department"),
    )  # fmt: skip
    province = models.CharField(_("province"), max_length=8, blank=True)  # vietnam-provinces code
    location = models.CharField(_("work address"), max_length=300, blank=True)
    employment_type = models.CharField(
        _("employment type"), max_length=16, choices=EmploymentType.choices,
        default=EmploymentType.FULL_TIME,
    )  # fmt: skip
    salary_min = models.DecimalField(_("salary from"), null=True, blank=True, **MONEY)
    salary_max = models.DecimalField(_("salary to"), null=True, blank=True, **MONEY)
    salary_negotiable = models.BooleanField(_("salary negotiable (thỏa thuận)"), default=False)
    openings = models.PositiveSmallIntegerField(_("openings"), default=1)
    deadline = models.DateField(_("apply by"), null=True, blank=True)
    requirements = models.JSONField(_("screening requirements"), default=dict, blank=True)
    scorecard_criteria = models.JSONField(_("interview criteria"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=PostingState.choices, default=PostingState.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["company", "-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["company", "slug"], name="recruitment_posting_slug"),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="recruitment_posting_salary_range",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="recruitment_posting_open")]

    def __str__(self) -> str:
        return self.title


class Stage(CompanyScopedModel):
    """A column of the pipeline, per company, in ``order``. ``reminder_days``:
    a reminder task is created for the HR officer when an application waits
    longer than that in the stage (0: never)."""

    kind = models.CharField(_("kind"), max_length=16, choices=StageKind.choices)
    name = models.CharField(_("name (Vietnamese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    reminder_days = models.PositiveSmallIntegerField(_("remind after (days)"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")
        ordering = ["company", "order", "id"]

    def __str__(self) -> str:
        return self.name


class EmailTemplate(CompanyScopedModel):
    """Subject and body with placeholders ``{candidate_name}``, ``{job_title}``,
    ``{company_name}``, ``{status_link}``, ``{stage}``, ``{reason}``,
    ``{interview_time}``, ``{interview_place}`` (unknown placeholders are left as
    they are). Kind ``stage`` with a ``stage``: sent automatically when an
    application enters that stage (if ``auto_send``)."""

    kind = models.CharField(_("kind"), max_length=16, choices=TemplateKind.choices)
    name = models.CharField(_("name"), max_length=100)
    stage = models.ForeignKey(
        Stage, on_delete=models.CASCADE, null=True, blank=True, related_name="templates",
        verbose_name=_("stage"),
    )  # fmt: skip
    language = models.CharField(_("language"), max_length=2, default="vi")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    auto_send = models.BooleanField(_("send automatically"), default=False)

    class Meta:
        verbose_name = _("e-mail template")
        verbose_name_plural = _("e-mail templates")
        ordering = ["company", "kind", "name"]

    def __str__(self) -> str:
        return self.name
