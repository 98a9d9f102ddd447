"""Platform registrations: onboarding/offboarding and collaborators.

* request type ``collaborator_work`` (work logs approved for payment);
* for every new company: the default checklist templates (``hr/data/checklists.csv``)
  and the default ``collaborator_work`` policy (one step: an HR manager);
* job kind ``hr.collaborator_access`` (close the portal access of collaborators
  whose agreement has ended; run it daily, or ``backoffice hr collaborator-access``);
* the sidebar group "Onboarding" (templates, cases, hire wizard, collaborators,
  work logs).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


def _company_created(*, company: Any, actor: Any) -> None:
    from backoffice.hr.services.collaborators import worklog_policy_ensure
    from backoffice.hr.services.onboarding import checklist_defaults_create

    checklist_defaults_create(company=company, actor=actor)
    worklog_policy_ensure(company=company, actor=actor)


def collaborator_access_job(
    *, progress: Any, company: Any, actor: Any = None, **params: Any
) -> dict[str, int]:
    from backoffice.hr.services.collaborators import collaborator_access_sync

    progress.update(0, 1)
    closed = collaborator_access_sync(company=company)
    progress.update(1, 1)
    return {"closed": closed}


def _task_closed(*, task: Any, actor: Any) -> None:
    """A case is done (and the new hire active) as soon as its last task closes."""
    from backoffice.hr.services.onboarding import case_refresh_for_task

    case_refresh_for_task(task)


def _navigation() -> None:
    from backoffice.core.navigation import perm, register_group

    register_group(
        46,
        {
            "title": _("Onboarding"),
            "items": [
                {
                    "title": _("Hire a person"),
                    "icon": "person_add",
                    "link": reverse_lazy("hr:onboarding_hire"),
                    "permission": perm("hr.manage_onboarding"),
                },
                {
                    "title": _("Onboarding and offboarding"),
                    "icon": "how_to_reg",
                    "link": reverse_lazy("admin:hr_onboardingcase_changelist"),
                    "permission": perm("hr.view_onboarding"),
                },
                {
                    "title": _("Checklist templates"),
                    "icon": "checklist_rtl",
                    "link": reverse_lazy("admin:hr_checklisttemplate_changelist"),
                    "permission": perm("hr.view_onboarding"),
                },
                {
                    "title": _("Collaborators"),
                    "icon": "badge",
                    "link": reverse_lazy("hr:onboarding_collaborators"),
                    "permission": perm("hr.view_employee"),
                },
                {
                    "title": _("Collaborator work logs"),
                    "icon": "schedule",
                    "link": reverse_lazy("admin:hr_worklog_changelist"),
                    "permission": perm("hr.view_worklog"),
                },
            ],
        },
    )


def register() -> None:
    from backoffice.core import hooks
    from backoffice.core.jobs import job_kind
    from backoffice.hr.services import collaborators
    from backoffice.workflow.registry import RequestType, register_request_type

    register_request_type(
        RequestType(
            code=collaborators.REQUEST_TYPE,
            label=_("Collaborator work for payment"),
            on_approved=collaborators.worklog_approved,
            on_rejected=collaborators.worklog_rejected,
            on_withdrawn=collaborators.worklog_withdrawn,
        )
    )
    hooks.on_company_created(_company_created)
    from backoffice.workflow.hooks import on_task_closed

    on_task_closed(_task_closed)
    job_kind(
        "hr.collaborator_access",
        permission="hr.manage_onboarding",
        label=_("Close the portal access of collaborators whose agreement ended"),
    )(collaborator_access_job)
    _navigation()
