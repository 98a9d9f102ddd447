"""The desk's sidebar, grouped by module. Apps add their group with
:func:`register_group` from ``AppConfig.ready``; items the user may not see
are hidden by their ``permission`` callback."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

_GROUPS: list[tuple[int, dict[str, Any]]] = []


def register_group(order: int, group: dict[str, Any]) -> None:
    _GROUPS.append((order, group))


def perm(codename: str):
    return lambda request: request.user.has_perm(codename)


def _any_company(request) -> bool:
    return getattr(request, "company", None) is not None


def _core_groups() -> list[tuple[int, dict[str, Any]]]:
    return [
        (
            0,
            {
                "title": _("Overview"),
                "items": [
                    {"title": _("Dashboard"), "icon": "dashboard", "link": reverse("admin:index")},
                    {
                        "title": _("Notifications"),
                        "icon": "notifications",
                        "link": reverse("admin:core_notification_changelist"),
                        "permission": _any_company,
                    },
                    {
                        "title": _("Background jobs"),
                        "icon": "pending_actions",
                        "link": reverse("admin:core_job_changelist"),
                        "permission": _any_company,
                    },
                ],
            },
        ),
        (
            90,
            {
                "title": _("Organisation"),
                "items": [
                    {
                        "title": _("Companies"),
                        "icon": "domain",
                        "link": reverse("admin:core_company_changelist"),
                        "permission": perm("core.view_company"),
                    },
                    {
                        "title": _("Departments"),
                        "icon": "account_tree",
                        "link": reverse("admin:core_department_changelist"),
                        "permission": perm("core.view_department"),
                    },
                    {
                        "title": _("Positions"),
                        "icon": "badge",
                        "link": reverse("admin:core_position_changelist"),
                        "permission": perm("core.view_position"),
                    },
                ],
            },
        ),
        (
            99,
            {
                "title": _("Administration"),
                "items": [
                    {
                        "title": _("Users"),
                        "icon": "group",
                        "link": reverse("admin:core_user_changelist"),
                        "permission": perm("core.view_user"),
                    },
                    {
                        "title": _("Role assignments"),
                        "icon": "admin_panel_settings",
                        "link": reverse("admin:core_membership_changelist"),
                        "permission": perm("core.view_membership"),
                    },
                    {
                        "title": _("Audit log"),
                        "icon": "policy",
                        "link": reverse("admin:core_auditevent_changelist"),
                        "permission": perm("core.view_auditevent"),
                    },
                    {
                        "title": _("My API tokens"),
                        "icon": "key",
                        "link": reverse("admin:core_apitoken_changelist"),
                        "permission": _any_company,
                    },
                    {
                        "title": _("Two-factor authentication"),
                        "icon": "phonelink_lock",
                        "link": reverse("core:mfa_setup"),
                    },
                ],
            },
        ),
    ]


def sidebar(request) -> list[dict[str, Any]]:
    groups = sorted(_core_groups() + _GROUPS, key=lambda pair: pair[0])
    return [{**group, "separator": True, "collapsible": False} for _order, group in groups]
