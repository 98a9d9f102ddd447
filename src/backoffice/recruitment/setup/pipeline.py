"""Platform registrations of the pipeline area: default stages for every new
company; the CVs and letters attached to applications are seen only by the
people who see the application (exclusive owner access); the job kind
``recruitment.reminders`` (reminder tasks for applications waiting too long
in a stage; also ``backoffice recruitment remind``)."""

from __future__ import annotations

from typing import Any


def _applications_for(*, user: Any, company: Any) -> Any:
    from backoffice.recruitment.selectors.access import application_scope

    return application_scope(user=user, company=company)


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from backoffice.core import hooks
    from backoffice.core.jobs import job_kind
    from backoffice.records.registry import register_owner_access
    from backoffice.recruitment.services.pipeline import reminders_job
    from backoffice.recruitment.services.stages import company_defaults

    hooks.on_company_created(company_defaults)
    register_owner_access("recruitment.Application", _applications_for, exclusive=True)
    job_kind(
        "recruitment.reminders",
        permission="recruitment.manage_application",
        label=_("Recruitment: reminders for waiting candidates"),
    )(reminders_job)
