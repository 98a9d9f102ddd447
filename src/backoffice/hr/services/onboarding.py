"""Onboarding and offboarding: checklist templates, cases and their tasks.

A case (``OnboardingCase``) is opened from the best-matching active template of
its kind: department + position, then department, then company-wide (collaborators
use the templates marked ``for_collaborators``). Each template item becomes one
``workflow.Task`` (``workflow.services.task_create``) assigned to the first active
holder (by id) of the item's role, or to the person's line manager for area
"manager", and is linked back through ``CaseTask``.

Due dates: ``reference date + due_offset_days`` counted in WORKING days of the
company calendar (``hr.services.calendar.day_kind`` when present; Monday to
Friday otherwise), so a due date always falls on a working day and the final
settlement item can say "14 working days" (Labour Code Art. 48).

A case is done when every one of its tasks is closed (done or cancelled) and at
least one is done: :func:`case_refresh` checks it (called on reads of a case,
by ``employee_close`` and by :func:`case_refresh_for_task`, which the workflow
app may call after a task is completed or cancelled). A finished onboarding case
moves the person from "onboarding" to "active".

The hire (``employee_hire``), offboarding and close live in
:mod:`backoffice.hr.services.onboarding_people`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import NotFound, ValidationFailed
from backoffice.core.models import Company, Department, User
from backoffice.core.selectors import require_perm
from backoffice.hr.enums import (
    CaseState,
    ChecklistKind,
    EmployeeStatus,
    PersonKind,
    TaskArea,
)
from backoffice.hr.models import (
    CaseTask,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Employee,
    OnboardingCase,
)
from backoffice.hr.services.onboarding_templates import (  # noqa: F401  (re-exported)
    MANAGE,
    checklist_defaults_create,
    checklist_template_audit_change,
    checklist_template_delete,
    default_checklists,
    template_snapshot,
)

# --- dates -------------------------------------------------------------------------------------
EARLIEST, LATEST = dt.date(1950, 1, 1), dt.date(2099, 12, 31)


def check_date(day: Any, what: str) -> dt.date:
    """A date a person could work on (also keeps due-date arithmetic in range)."""
    if not isinstance(day, dt.date) or not (EARLIEST <= day <= LATEST):
        raise ValidationFailed(
            _("%(what)s must be a date between 1950 and 2099.") % {"what": what},
            code="date_out_of_range",
        )
    return day


# --- working days --------------------------------------------------------------------------


def add_working_days(company: Company, start: dt.date, days: int) -> dt.date:
    """``start`` moved by ``days`` working days (0: ``start`` itself, or the next
    working day when ``start`` is not one)."""
    from backoffice.hr.services.calendar import CompanyCalendar

    step = 1 if days >= 0 else -1
    span = dt.timedelta(days=abs(days) * 7 + 62)
    # The company's calendar for the whole window, loaded once (not per day).
    calendar = CompanyCalendar(company, start - span, start + span)

    def _is_working_day(_company: Company, day: dt.date) -> bool:
        return calendar.day_kind(day) == "working"

    day = start
    if days == 0:
        for _i in range(31):
            if _is_working_day(company, day):
                return day
            day += dt.timedelta(days=1)
        return start
    left = abs(days)
    for _i in range(abs(days) * 7 + 62):
        day += dt.timedelta(days=step)
        if _is_working_day(company, day):
            left -= 1
            if left == 0:
                return day
    return start + dt.timedelta(days=days)


# --- cases ---------------------------------------------------------------------------------
def best_template(*, company: Company, kind: str, employee: Employee) -> ChecklistTemplate | None:
    """Department + position > department > company-wide; collaborators' own templates."""
    qs = ChecklistTemplate.objects.filter(
        company=company,
        kind=kind,
        is_active=True,
        for_collaborators=employee.kind == PersonKind.COLLABORATOR,
    )
    candidates = []
    for t in qs.order_by("id"):
        if t.department_id and t.department_id != employee.department_id:
            continue
        if t.position_id and t.position_id != employee.position_id:
            continue
        candidates.append(t)
    if not candidates:
        return None
    return max(
        candidates, key=lambda t: (t.department_id is not None, t.position_id is not None, -t.pk)
    )


def first_role_holder(company: Company, role: str) -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            memberships__company=company,
            memberships__role=role,
            memberships__is_active=True,
        )
        .order_by("id")
        .first()
    )


def line_manager_user(employee: Employee) -> User | None:
    """The person's manager's account, else the manager of their department (up the tree)."""
    own = employee.user_id
    boss = employee.manager
    if boss is not None and boss.user_id and boss.user_id != own:
        return boss.user
    dept: Department | None = employee.department
    seen: set[int] = set()
    while dept is not None and dept.pk not in seen:
        seen.add(dept.pk)
        boss_user = dept.manager if dept.manager_id and dept.manager_id != own else None
        if boss_user is not None and boss_user.is_active:
            return boss_user
        dept = dept.parent
    return None


def _assignee(company: Company, employee: Employee, item: ChecklistTemplateItem) -> User | None:
    if item.area == TaskArea.MANAGER and not item.assignee_role:
        return line_manager_user(employee)
    if item.assignee_role:
        return first_role_holder(company, item.assignee_role)
    return None


def _require_same_company(company: Company, employee: Employee) -> None:
    if employee.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Employee")})


@transaction.atomic
def onboarding_start(
    *,
    actor: Any,
    company: Company,
    employee: Employee,
    kind: str = ChecklistKind.ONBOARDING,
    reference_date: dt.date | None = None,
) -> OnboardingCase:
    """Open a case from the best template and create one task per item."""
    from backoffice.workflow.services import task_create

    require_perm(actor, MANAGE)
    _require_same_company(company, employee)
    if kind not in ChecklistKind.values:
        raise ValidationFailed(_("Unknown checklist kind."), code="invalid_kind")
    if OnboardingCase.objects.filter(employee=employee, kind=kind, state=CaseState.OPEN).exists():
        raise ValidationFailed(
            _("This person already has an open case of this kind."), code="case_open"
        )
    ref = check_date(reference_date or employee.hire_date, _("The start / last day"))
    if not ChecklistTemplate.objects.filter(company=company).exists():
        checklist_defaults_create(company=company, actor=actor)
    template = best_template(company=company, kind=kind, employee=employee)
    case = OnboardingCase.objects.create(
        company=company,
        employee=employee,
        kind=kind,
        template=template,
        reference_date=ref,
        created_by=actor,
    )
    items = list(template.items.all().order_by("order", "id")) if template else []
    for item in items:
        task = task_create(
            actor=actor,
            company=company,
            title=f"{item.title} — {employee.full_name}"[:300],
            description=item.description,
            assignee=_assignee(company, employee, item),
            due_date=add_working_days(company, ref, item.due_offset_days),
            link=case,
        )
        CaseTask.objects.create(
            case=case, task=task, area=item.area, blocks_close=item.blocks_close
        )
    audit_record(
        event_type="ONBOARDING_CASE_OPENED",
        actor=actor,
        company=company,
        target=case,
        after={
            "employee": employee.code,
            "kind": kind,
            "template": template.name if template else None,
            "reference_date": ref.isoformat(),
            "tasks": len(items),
        },
    )
    return case


def case_progress(case: OnboardingCase) -> dict[str, int]:
    from backoffice.workflow.models import TaskState

    states = list(case.case_tasks.values_list("task__state", flat=True))
    done = sum(s == TaskState.DONE for s in states)
    cancelled = sum(s == TaskState.CANCELLED for s in states)
    return {"total": len(states), "done": done, "open": len(states) - done - cancelled}


@transaction.atomic
def case_refresh(*, case: OnboardingCase) -> bool:
    """Mark an open case done once all its tasks are closed; True when it changed.
    A finished onboarding case makes an onboarding person active."""
    if case.state != CaseState.OPEN:
        return False
    progress = case_progress(case)
    if progress["open"] or not progress["done"]:
        return False
    OnboardingCase.objects.filter(pk=case.pk).update(state=CaseState.DONE)
    case.state = CaseState.DONE
    audit_record(
        event_type="ONBOARDING_CASE_DONE",
        actor="system",
        company=case.company,
        target=case,
        after={"state": CaseState.DONE, **progress},
    )
    if case.kind == ChecklistKind.ONBOARDING:
        updated = Employee.objects.filter(
            pk=case.employee_id, status=EmployeeStatus.ONBOARDING
        ).update(status=EmployeeStatus.ACTIVE)
        if updated:
            audit_record(
                event_type="EMPLOYEE_ACTIVATED",
                actor="system",
                company=case.company,
                target=case.employee,
                before={"status": EmployeeStatus.ONBOARDING},
                after={"status": EmployeeStatus.ACTIVE},
            )
    return True


def case_refresh_for_task(task: Any) -> bool:
    """Hook for the workflow app: after ``task`` is completed or cancelled."""
    link = CaseTask.objects.filter(task_id=task.pk).select_related("case").first()
    return case_refresh(case=link.case) if link else False


@transaction.atomic
def case_cancel(*, actor: Any, company: Company, case: OnboardingCase) -> OnboardingCase:
    """Cancel an open case and its open tasks (e.g. the hire did not start)."""
    from backoffice.workflow.models import OPEN_TASK_STATES, Task, TaskState

    require_perm(actor, MANAGE)
    if case.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": _("Case")})
    if case.state != CaseState.OPEN:
        raise ValidationFailed(_("Only an open case can be cancelled."), code="case_not_open")
    Task.objects.filter(hr_case__case=case, state__in=OPEN_TASK_STATES).update(
        state=TaskState.CANCELLED
    )
    OnboardingCase.objects.filter(pk=case.pk).update(state=CaseState.CANCELLED)
    case.state = CaseState.CANCELLED
    audit_record(
        event_type="ONBOARDING_CASE_CANCELLED",
        actor=actor,
        company=company,
        target=case,
        after={"state": CaseState.CANCELLED},
    )
    return case


_PEOPLE = {"employee_hire", "offboarding_start", "employee_close", "open_blocking_tasks"}


def __getattr__(name: str) -> Any:
    """``onboarding.employee_hire`` etc. (defined in ``onboarding_people``)."""
    if name in _PEOPLE:
        from backoffice.hr.services import onboarding_people

        return getattr(onboarding_people, name)
    raise AttributeError(name)
