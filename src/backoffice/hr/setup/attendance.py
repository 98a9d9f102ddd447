"""Platform registrations: attendance.

* for every new company: the default work schedules (08:00-17:00 Monday to
  Friday, and the Saturday-morning variant);
* job kind ``hr.attendance_import`` (large time-clock files, with progress);
* the sidebar group "Attendance" (timesheet, records, import, overtime caps,
  schedules).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


def _company_created(*, company: Any, actor: Any) -> None:
    from backoffice.hr.services.attendance import work_schedule_defaults_create

    work_schedule_defaults_create(company=company, actor=actor)


def _timesheet_allowed(request: Any) -> bool:
    from backoffice.hr.views.attendance import may_open_timesheet

    return may_open_timesheet(request.user, getattr(request, "company", None))


def _navigation() -> None:
    from backoffice.core.navigation import perm, register_group

    register_group(
        45,
        {
            "title": _("Attendance"),
            "items": [
                {
                    "title": _("Timesheet"),
                    "icon": "calendar_view_month",
                    "link": reverse_lazy("hr:attendance_timesheet"),
                    "permission": _timesheet_allowed,
                },
                {
                    "title": _("Attendance records"),
                    "icon": "fact_check",
                    "link": reverse_lazy("admin:hr_attendancerecord_changelist"),
                    "permission": perm("hr.view_attendance"),
                },
                {
                    "title": _("Overtime caps"),
                    "icon": "more_time",
                    "link": reverse_lazy("hr:attendance_overtime"),
                    "permission": perm("hr.view_attendance"),
                },
                {
                    "title": _("Work schedules"),
                    "icon": "schedule",
                    "link": reverse_lazy("admin:hr_workschedule_changelist"),
                    "permission": perm("hr.view_attendance"),
                },
            ],
        },
    )


def register() -> None:
    from backoffice.core import hooks
    from backoffice.core.jobs import job_kind
    from backoffice.hr.services import attendance_import

    hooks.on_company_created(_company_created)
    job_kind(
        attendance_import.JOB_KIND,
        permission="hr.manage_attendance",
        label=_("Time-clock import"),
    )(attendance_import.attendance_import_job)
    _navigation()
