"""Platform registrations: employees (sidebar, import job, demo data)."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


def register() -> None:
    from backoffice.core.demo import register_demo_step
    from backoffice.core.jobs import job_kind
    from backoffice.core.navigation import perm, register_group
    from backoffice.hr.demo import demo_step
    from backoffice.hr.views.employees import IMPORT_JOB, import_job

    register_group(
        30,
        {
            "title": _("People"),
            "items": [
                {
                    "title": _("Employees"),
                    "icon": "badge",
                    "link": reverse_lazy("admin:hr_employee_changelist"),
                    "permission": perm("hr.view_employee"),
                },
                {
                    "title": _("Org chart"),
                    "icon": "account_tree",
                    "link": reverse_lazy("hr:org_chart"),
                    "permission": perm("hr.view_employee"),
                },
                {
                    "title": _("HR reports"),
                    "icon": "monitoring",
                    "link": reverse_lazy("hr:reports"),
                    "permission": perm("hr.view_reports"),
                },
            ],
        },
    )
    job_kind(IMPORT_JOB, permission="hr.add_employee", label=_("Employee import"))(import_job)
    register_demo_step(demo_step)
