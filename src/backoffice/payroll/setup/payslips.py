"""Platform registrations of the payslips area: the job that e-mails every
payslip of a run (the sidebar is ``setup/navigation.py``; the portal pages
are in ``portal/urls.py``: ``payslips``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from backoffice.core.jobs import job_kind
    from backoffice.payroll.services import payslips

    job_kind(
        payslips.EMAIL_JOB,
        permission="payroll.manage_run",
        label=_("E-mail the payslips of a payroll run"),
    )(payslips.email_payslips_job)
