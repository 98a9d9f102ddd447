"""The desk sidebar group "Recruitment": every recruitment page in one place,
each item shown only to the roles that may open it. An item whose page is not
installed (its URL name does not resolve) is hidden rather than breaking the
sidebar."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _


def _resolves(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _safe_reverse(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return "#"


_link = lazy(_safe_reverse, str)


def _in_company(request: Any) -> bool:
    return getattr(request, "company", None) is not None


def _any(*perms: str) -> Any:
    def check(request: Any) -> bool:
        return _in_company(request) and any(request.user.has_perm(p) for p in perms)

    return check


def _hiring_manager(request: Any) -> bool:
    """People without recruitment permissions who hire for a requisition (or
    sit on an interview panel) still see the candidates and interviews."""
    if not _in_company(request):
        return False
    from backoffice.recruitment.models import Interview, JobRequisition

    user = request.user
    return (
        JobRequisition.objects.filter(company=request.company, hiring_manager=user).exists()
        or Interview.objects.filter(company=request.company, interviewers=user).exists()
    )


def _either(*checks: Any) -> Any:
    return lambda request: any(check(request) for check in checks)


def _item(title: Any, icon: str, name: str, permission: Any) -> dict[str, Any]:
    return {
        "title": title,
        "icon": icon,
        "link": _link(name),
        "permission": lambda request: _resolves(name) and permission(request),
    }


REQUISITIONS = _any("recruitment.view_requisition", "recruitment.manage_requisition")
POSTINGS = _any("recruitment.manage_posting", "recruitment.view_requisition")
CANDIDATES = _either(_any("recruitment.view_application"), _hiring_manager)
INTERVIEWS = _either(_any("recruitment.manage_interview", "recruitment.view_application"),
                     _hiring_manager)  # fmt: skip


def items() -> list[dict[str, Any]]:
    return [
        _item(_("Job requisitions"), "assignment", "recruitment:requisitions", REQUISITIONS),
        _item(_("Job postings"), "campaign", "recruitment:postings", POSTINGS),
        _item(_("Candidates"), "person_search", "recruitment:candidates", CANDIDATES),
        _item(
            _("Add a candidate"),
            "person_add",
            "recruitment:candidate_add",
            _any("recruitment.manage_application"),
        ),  # fmt: skip
        _item(_("Interviews"), "event", "recruitment:interviews", INTERVIEWS),
        _item(_("Offers"), "contract", "recruitment:offers", _any("recruitment.view_offer")),
        _item(
            _("Recruitment reports"),
            "insights",
            "recruitment:reports",
            _any("recruitment.view_reports"),
        ),  # fmt: skip
        _item(_("Careers page"), "public", "careers:index", _any("recruitment.manage_posting")),
        _item(
            _("Recruitment settings"),
            "tune",
            "recruitment:settings",
            _any("recruitment.manage_settings"),
        ),  # fmt: skip
    ]


def register() -> None:
    from backoffice.core.navigation import register_group

    register_group(57, {"title": _("Recruitment"), "items": items()})
