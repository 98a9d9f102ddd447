"""Platform registrations: leave (request type "leave", defaults for new
companies, the accrual job, the desk's "Leave" group)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def company_defaults(*, company: Any, actor: Any = None) -> None:
    """Every new company: the default leave types and the "leave" approval policy."""
    from backoffice.hr.services.leave import leave_policy_ensure, leave_types_default_create

    leave_types_default_create(company=company, actor=actor)
    leave_policy_ensure(company=company, actor=actor)


def accrue_job(*, progress: Any, company: Any, actor: Any = None, **params: Any) -> dict:
    """Job kind ``hr.leave_accrue`` (permission checked when it was queued)."""
    from backoffice.hr.services.leave import leave_accrue, today

    year = int(params.get("year") or today().year)
    progress.update(0, 1)
    rows = leave_accrue(actor=None, company=company, year=year)
    progress.update(1, 1)
    return {"year": year, "rows": rows}


def _sees_leave(request: Any) -> bool:
    return getattr(request, "company", None) is not None and request.user.has_perm("hr.view_leave")


def _member(request: Any) -> bool:
    from backoffice.hr.selectors.access import is_company_member

    return is_company_member(user=request.user, company=getattr(request, "company", None))


def _navigation() -> None:
    from django.urls import reverse_lazy

    from backoffice.core.navigation import perm, register_group

    register_group(
        43,
        {
            "title": _("Leave"),
            "items": [
                {
                    "title": _("Leave calendar"),
                    "icon": "calendar_month",
                    "link": reverse_lazy("hr:leave_calendar"),
                    "permission": _member,
                },
                {
                    "title": _("Leave requests"),
                    "icon": "beach_access",
                    "link": reverse_lazy("admin:hr_leaverequest_changelist"),
                    "permission": _member,
                },
                {
                    "title": _("Leave balances"),
                    "icon": "account_balance_wallet",
                    "link": reverse_lazy("hr:leave_balances"),
                    "permission": _sees_leave,
                },
                {
                    "title": _("Leave ledger"),
                    "icon": "receipt_long",
                    "link": reverse_lazy("admin:hr_leaveentry_changelist"),
                    "permission": _member,
                },
                {
                    "title": _("Leave types"),
                    "icon": "category",
                    "link": reverse_lazy("admin:hr_leavetype_changelist"),
                    "permission": perm("hr.view_leave"),
                },
                {
                    "title": _("Holidays"),
                    "icon": "event",
                    "link": reverse_lazy("admin:hr_holidayoverride_changelist"),
                    "permission": perm("hr.view_leave"),
                },
            ],
        },
    )


def _approver_url(req: Any) -> str:
    """Line managers decide leave in the portal's team page (many have no desk)."""
    from django.urls import reverse

    return reverse("portal:team")


def register() -> None:
    from backoffice.core import hooks
    from backoffice.core.jobs import job_kind
    from backoffice.hr.services import leave
    from backoffice.workflow.registry import RequestType, register_request_type

    register_request_type(
        RequestType(
            code=leave.REQUEST_TYPE,
            label=leave.REQUEST_LABEL,
            on_approved=leave.on_approved,
            on_rejected=leave.on_rejected,
            on_withdrawn=leave.on_withdrawn,
            approver_url=_approver_url,
        )
    )
    hooks.on_company_created(company_defaults)
    job_kind("hr.leave_accrue", permission="hr.manage_leave", label=_("Annual leave accrual"))(
        accrue_job
    )
    _navigation()
