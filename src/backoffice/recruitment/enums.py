from django.db import models
from django.utils.translation import gettext_lazy as _


class RequisitionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FILLED = "filled", _("Filled")
    CANCELLED = "cancelled", _("Cancelled")


class RequisitionReason(models.TextChoices):
    NEW_POSITION = "new_position", _("New position")
    REPLACEMENT = "replacement", _("Replacement")
    EXPANSION = "expansion", _("Team expansion")
    TEMPORARY = "temporary", _("Temporary need")


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    CONTRACT = "contract", _("Fixed-term contract")
    INTERNSHIP = "internship", _("Internship")


class PostingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class EducationLevel(models.TextChoices):
    """Ordered: a requirement is met by the level or any higher one."""

    NONE = "", _("Not required")
    HIGH_SCHOOL = "high_school", _("High school")
    VOCATIONAL = "vocational", _("Vocational / college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORATE = "doctorate", _("Doctorate")


class StageKind(models.TextChoices):
    """What a stage means to the system; a company may add several stages of one
    kind (two interview rounds) and rename them. ``hired`` and ``rejected`` end
    an application."""

    NEW = "new", _("New")
    SCREENING = "screening", _("Screening")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")


class Source(models.TextChoices):
    CAREERS_PAGE = "careers_page", _("Careers page")
    REFERRAL = "referral", _("Referral")
    JOB_BOARD = "job_board", _("Job board")
    HEADHUNTER = "headhunter", _("Headhunter")
    OTHER = "other", _("Other")


class ApplicationState(models.TextChoices):
    ACTIVE = "active", _("In progress")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class InterviewMode(models.TextChoices):
    ONSITE = "onsite", _("On site")
    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")


class InterviewState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", _("Strong hire")
    YES = "yes", _("Hire")
    NO = "no", _("No hire")
    STRONG_NO = "strong_no", _("Strong no hire")


class OfferState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TemplateKind(models.TextChoices):
    """What an e-mail template is for. ``stage``: sent when an application
    enters the template's stage."""

    CONFIRMATION = "confirmation", _("Application received")
    STAGE = "stage", _("Stage entered")
    REJECTION = "rejection", _("Rejection")
    INTERVIEW = "interview", _("Interview invitation")
    OFFER = "offer", _("Offer")
    OTHER = "other", _("Other")
