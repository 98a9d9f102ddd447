"""Recruitment permissions and default grants (registered from ``RecruitmentConfig.ready``).

HR officers and managers run hiring. A hiring manager (the requisition's
``hiring_manager``) and every interviewer see the applications of their own
postings / interviews without any of these permissions (object access,
checked in ``recruitment.selectors.access``). Offer salaries need
``recruitment.view_offer``. Candidates have no account: they reach their own
application through a private link (a token).
"""

from __future__ import annotations

from backoffice.core.enums import Role

RECRUITMENT_PERMISSIONS: dict[str, str] = {
    "recruitment.view_requisition": "see job requisitions",
    "recruitment.manage_requisition": "draft and submit job requisitions",
    "recruitment.manage_posting": "publish, edit and close job postings",
    "recruitment.view_application": "see every candidate and application",
    "recruitment.manage_application": "move candidates through stages, reject, merge, e-mail",
    "recruitment.manage_interview": "schedule, reschedule and cancel interviews",
    "recruitment.view_offer": "see offers and their salaries",
    "recruitment.manage_offer": "draft, send and record answers to offers; hire",
    "recruitment.manage_settings": "stages, e-mail templates, rooms, retention settings",
    "recruitment.view_reports": "funnel, time-to-hire and source reports (aggregates)",
}

_ALL = set(RECRUITMENT_PERMISSIONS)

RECRUITMENT_GRANTS: dict[str, set[str]] = {
    Role.HR_OFFICER: _ALL,
    Role.HR_MANAGER: _ALL,
    Role.OPERATIONS_MANAGER: {
        "recruitment.view_requisition", "recruitment.manage_requisition",
        "recruitment.view_reports",
    },
    Role.DATA_ANALYST: {"recruitment.view_reports"},
}  # fmt: skip
