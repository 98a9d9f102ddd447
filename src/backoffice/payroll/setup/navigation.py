"""The desk sidebar group "Payroll": every payroll page in one place, each
item shown only to the roles that may open it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


def _in_company(request: Any) -> bool:
    return getattr(request, "company", None) is not None


def _sees_runs(request: Any) -> bool:
    user = request.user
    return _in_company(request) and (
        user.has_perm("payroll.view_run") or user.has_perm("payroll.view_aggregates")
    )


def _item(title: Any, icon: str, link: str, permission: Any) -> dict[str, Any]:
    return {"title": title, "icon": icon, "link": reverse_lazy(link), "permission": permission}


def register() -> None:
    from backoffice.core.navigation import perm, register_group

    register_group(
        55,
        {
            "title": _("Payroll"),
            "items": [
                _item(_("Payroll runs"), "payments", "payroll:runs", _sees_runs),
                _item(
                    _("Pay items"),
                    "playlist_add",
                    "admin:payroll_payitem_changelist",
                    perm("payroll.manage_items"),
                ),  # fmt: skip
                _item(
                    _("Collaborator payments"),
                    "handshake",
                    "payroll:collaborator_payments",
                    perm("payroll.manage_collaborator_payments"),
                ),  # fmt: skip
                _item(
                    _("Payroll reports"),
                    "summarize",
                    "payroll:reports",
                    perm("payroll.view_reports"),
                ),  # fmt: skip
                _item(
                    _("Payroll totals"),
                    "bar_chart",
                    "payroll:report_aggregates",
                    perm("payroll.view_aggregates"),
                ),  # fmt: skip
                _item(_("Rules and rates"), "gavel", "payroll:rules", _in_company),
                _item(
                    _("Gross to net calculator"),
                    "calculate",
                    "payroll_public:calculator",
                    _in_company,
                ),  # fmt: skip
                _item(
                    _("Payroll settings"),
                    "tune",
                    "payroll:settings",
                    perm("payroll.manage_settings"),
                ),  # fmt: skip
            ],
        },
    )
