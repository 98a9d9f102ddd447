from backoffice.recruitment.models.candidates import Application, Candidate, StageChange
from backoffice.recruitment.models.interviews import Interview, Room, Scorecard
from backoffice.recruitment.models.offers import Offer
from backoffice.recruitment.models.postings import EmailTemplate, JobPosting, Stage
from backoffice.recruitment.models.requisitions import JobRequisition

__all__ = [
    "Application",
    "Candidate",
    "EmailTemplate",
    "Interview",
    "JobPosting",
    "JobRequisition",
    "Offer",
    "Room",
    "Scorecard",
    "Stage",
    "StageChange",
]
