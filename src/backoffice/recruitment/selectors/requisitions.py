"""Reads of job requisitions: people with ``recruitment.view_requisition``
(HR, operations manager) see the company's requisitions; a hiring manager
without it sees the ones they hire for; anybody else nothing."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from backoffice.core.models import Company
from backoffice.core.selectors import _get, scope_to_company
from backoffice.recruitment.models import JobRequisition

VIEW = "recruitment.view_requisition"


def may_see_requisitions(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(VIEW))


def requisition_list(
    *, user: Any, company: Company | None, state: str = ""
) -> QuerySet[JobRequisition]:
    qs = scope_to_company(
        JobRequisition.objects.select_related("department", "position", "hiring_manager"),
        company,
    ).order_by("-created_at", "-id")
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if not user.has_perm(VIEW):
        qs = qs.filter(hiring_manager=user)
    if state:
        qs = qs.filter(state=state)
    return qs


def requisition_get_for_user(
    *, user: Any, company: Company | None, public_id: Any
) -> JobRequisition:
    return _get(requisition_list(user=user, company=company), public_id, _("Job requisition"))
