"""Who sees which application (the one rule; every list, detail, export and
API of candidates goes through ``application_scope``).

* ``recruitment.view_application`` (HR officer, HR manager): every application
  of the company;
* the hiring manager of the posting's requisition: that posting's applications;
* an interviewer: the applications of interviews they sit on;
* anybody else: none (deny by default).
Candidates are visible through their applications.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from backoffice.core.models import Company
from backoffice.core.selectors import scope_to_company
from backoffice.recruitment.models import Application, Candidate

VIEW_ALL = "recruitment.view_application"


def sees_all(user: Any) -> bool:
    return bool(user.has_perm(VIEW_ALL))


def application_scope(*, user: Any, company: Company | None) -> QuerySet[Application]:
    qs = scope_to_company(Application.objects.all(), company)
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all(user):
        return qs
    mine = Application.objects.filter(
        Q(posting__requisition__hiring_manager=user) | Q(interviews__interviewers=user)
    ).values("pk")
    return qs.filter(pk__in=mine)


def candidate_scope(*, user: Any, company: Company | None) -> QuerySet[Candidate]:
    qs = scope_to_company(Candidate.objects.all(), company)
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if sees_all(user):
        return qs
    ids = application_scope(user=user, company=company).values("candidate_id")
    return qs.filter(pk__in=ids)
