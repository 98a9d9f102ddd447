"""Reads of onboarding/offboarding and collaborators' work logs.

* Templates and cases: ``hr.view_onboarding`` (HR roles), the active company only.
* Work logs: ``hr.view_worklog`` sees the company's; a collaborator sees their own;
  anybody else nothing (an empty list, 404 on a detail).
* The amount of a work log is a pay figure: shown to salary roles
  (``core.view_salary``) and the collaborator themself only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.models import Company
from backoffice.core.selectors import _get, require_perm, scope_to_company
from backoffice.hr.models import CaseTask, ChecklistTemplate, OnboardingCase, WorkLog

VIEW = "hr.view_onboarding"


def checklist_template_list(*, user: Any, company: Company | None) -> QuerySet[ChecklistTemplate]:
    require_perm(user, VIEW)
    return scope_to_company(
        ChecklistTemplate.objects.select_related("department", "position").annotate(
            n_items=Count("items")
        ),
        company,
    )


def checklist_template_get_for_user(
    *, user: Any, company: Company | None, public_id: Any
) -> ChecklistTemplate:
    return _get(checklist_template_list(user=user, company=company), public_id, _("Template"))


def with_progress(qs: QuerySet[OnboardingCase]) -> QuerySet[OnboardingCase]:
    return qs.annotate(
        n_tasks=Count("case_tasks", distinct=True),
        n_done=Count("case_tasks", filter=Q(case_tasks__task__state="done"), distinct=True),
        n_open=Count(
            "case_tasks",
            filter=Q(case_tasks__task__state__in=["open", "in_progress"]),
            distinct=True,
        ),
    )


def case_list(*, user: Any, company: Company | None) -> QuerySet[OnboardingCase]:
    require_perm(user, VIEW)
    return with_progress(
        scope_to_company(
            OnboardingCase.objects.select_related(
                "employee", "employee__department", "template", "created_by"
            ),
            company,
        )
    )


def case_get_for_user(*, user: Any, company: Company | None, public_id: Any) -> OnboardingCase:
    return _get(case_list(user=user, company=company), public_id, _("Case"))


def case_tasks(case: OnboardingCase) -> list[CaseTask]:
    return list(
        case.case_tasks.select_related("task", "task__assignee").order_by("task__due_date", "id")
    )


def worklog_list(*, user: Any, company: Company | None) -> QuerySet[WorkLog]:
    qs = scope_to_company(
        WorkLog.objects.select_related("employee", "contract", "employee__department"), company
    )
    if user.has_perm("hr.view_worklog"):
        return qs
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(employee__user_id=user.pk)


def worklog_get_for_user(*, user: Any, company: Company | None, public_id: Any) -> WorkLog:
    return _get(worklog_list(user=user, company=company), public_id, _("Work log"))


def may_see_worklog_amount(*, user: Any, log: WorkLog) -> bool:
    if log.employee.user_id is not None and log.employee.user_id == user.pk:
        return True
    return bool(user.has_perm("core.view_salary"))


def collaborator_rows(
    *, user: Any, company: Company | None, on: dt.date | None = None, limit: int = 500
) -> list[dict[str, Any]]:
    """The collaborators page: each person with the service agreement in force (else the
    latest one) and whether they may use the portal. Two queries, whatever the count."""
    from backoffice.hr.enums import ContractState, ContractType, EmployeeStatus
    from backoffice.hr.models import Contract
    from backoffice.hr.selectors.access import collaborator_list

    on = on or timezone.localdate()
    people = list(collaborator_list(user=user, company=company).order_by("full_name")[:limit])
    agreements: dict[int, list[Contract]] = {}
    for c in (
        Contract.objects.filter(
            company=company, employee__in=people, contract_type=ContractType.SERVICE
        )
        .defer("salary", "job_salary", "rate")
        .order_by("-start_date", "-id")
    ):
        agreements.setdefault(c.employee_id, []).append(c)
    rows = []
    for emp in people:
        mine = agreements.get(emp.pk, [])
        in_force = next(
            (
                c
                for c in mine
                if c.state == ContractState.ACTIVE
                and c.start_date <= on
                and c.end_date is not None
                and c.end_date >= on
            ),
            None,
        )
        rows.append(
            {
                "employee": emp,
                "agreement": in_force or (mine[0] if mine else None),
                "access": in_force is not None and emp.status != EmployeeStatus.LEFT,
            }
        )
    return rows
