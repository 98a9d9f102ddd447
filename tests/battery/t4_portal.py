"""T4 table of the self-service portal: no desk screens. Its pages are listed
so the URL-table check knows them; who may open which page (login, own
record, person kind, line manager, agreement in force, other company) is
proven in ``src/backoffice/portal/tests``."""

from __future__ import annotations

DESK: dict = {}
EXTRA_URLS: dict[str, str] = {}
APP_URLS = {
    "portal": {
        "home",
        "login",
        "logout",
        "password_reset",
        "password_set",
        "profile",
        "profile_edit",
        "profile_reveal",
        "contact_add",
        "contact_delete",
        "leave",
        "leave_detail",
        "leave_cancel",
        "attendance",
        "attendance_check",
        "tasks",
        "task_complete",
        "interviews",  # panel members only: recruitment/tests/test_interviews_portal.py
        "interview",
        "documents",
        "document_download",
        "team",
        "team_decide",
        "agreement",
        "worklogs",
        "worklog_submit",
    }
}
