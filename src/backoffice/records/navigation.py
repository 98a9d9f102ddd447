"""The desk's "Records" (Hồ sơ) sidebar group."""

from __future__ import annotations

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from backoffice.core.navigation import perm, register_group


def register_navigation() -> None:
    register_group(
        20,
        {
            "title": _("Records"),
            "items": [
                {
                    "title": _("Documents"),
                    "icon": "folder_open",
                    "link": reverse_lazy("admin:records_document_changelist"),
                    "permission": perm("records.view_document"),
                },
                {
                    "title": _("Retention rules"),
                    "icon": "schedule",
                    "link": reverse_lazy("admin:records_retentionrule_changelist"),
                    "permission": perm("records.view_retentionrule"),
                },
                {
                    "title": _("Disposal batches"),
                    "icon": "delete_sweep",
                    "link": reverse_lazy("admin:records_disposalbatch_changelist"),
                    "permission": perm("records.view_disposalbatch"),
                },
            ],
        },
    )
