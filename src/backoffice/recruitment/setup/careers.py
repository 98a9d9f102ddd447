"""Platform registrations of the careers area: the job kind
``recruitment.retention`` (anonymise candidates whose consent expired; also
``backoffice recruitment retention``), startable from the desk by whoever
manages the recruitment settings."""

from __future__ import annotations


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from backoffice.core.jobs import job_kind
    from backoffice.recruitment.services.retention import JOB_KIND, retention_job

    job_kind(
        JOB_KIND,
        permission="recruitment.manage_settings",
        label=_("Recruitment: anonymise candidates whose consent expired"),
    )(retention_job)
