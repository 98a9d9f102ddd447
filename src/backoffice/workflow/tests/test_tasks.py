"""Tasks: escalation of overdue ones (once, to the manager), recurrence, workload."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from backoffice.core.exceptions import PermissionDenied
from backoffice.core.models import AuditEvent, Notification
from backoffice.workflow import selectors, services
from backoffice.workflow.models import Task, TaskState

pytestmark = pytest.mark.django_db


def test_overdue_task_escalates_once_to_the_manager(org):
    on = services.today()
    task = services.task_create(
        actor=org.manager,
        company=org.company,
        assignee=org.staff,
        title="Đối chiếu công nợ",
        due_date=on - timedelta(days=1),
    )
    assert Notification.objects.filter(user=org.staff, title__contains="Đối chiếu").count() == 1
    assert services.workflow_tick(company=org.company) == {"created": 0, "escalated": 1}
    task.refresh_from_db()
    assert task.escalated_at is not None
    assert task.escalated_to == org.manager
    assert Notification.objects.filter(user=org.manager, title__contains="Đối chiếu").count() == 1
    # Idempotent: a second tick changes nothing.
    assert services.workflow_tick(company=org.company) == {"created": 0, "escalated": 0}
    assert Notification.objects.filter(user=org.manager).count() == 1
    assert AuditEvent.objects.filter(event_type="TASK_ESCALATED").count() == 1


def test_manager_overdue_task_goes_up_the_tree(org):
    on = services.today()
    task = services.task_create(
        actor=org.manager,
        company=org.company,
        title="Báo cáo",
        assignee=org.manager,
        due_date=on - timedelta(days=2),
    )
    services.workflow_tick(company=org.company)
    task.refresh_from_db()
    assert task.escalated_to == org.director


def test_task_not_yet_due_or_done_is_not_escalated(org):
    on = services.today()
    services.task_create(actor=org.staff, company=org.company, assignee=org.staff, title="Mai",
                         due_date=on)  # fmt: skip
    done = services.task_create(actor=org.staff, company=org.company, assignee=org.staff,
                                title="Xong", due_date=on - timedelta(days=1))  # fmt: skip
    services.task_complete(actor=org.staff, task=done)
    assert services.workflow_tick(company=org.company)["escalated"] == 0


def test_monthly_task_completed_creates_next_by_the_20th(org):
    task = services.task_create(actor=org.chief, company=org.company, assignee=org.chief,
                                title="Nộp tờ khai GTGT", due_date=date(2026, 1, 20),
                                recurrence="monthly", checklist=["Đối chiếu", "Nộp"],
                                estimated_hours=Decimal(4))  # fmt: skip
    task.checklist.update(done=True)
    services.task_complete(actor=org.chief, task=task)
    nxt = Task.objects.get(previous=task)
    assert nxt.due_date == date(2026, 2, 20)
    assert nxt.state == TaskState.OPEN
    assert [(i.text, i.done) for i in nxt.checklist.all()] == [("Đối chiếu", False), ("Nộp", False)]
    # Completing is not repeated by the tick.
    assert services.workflow_tick(company=org.company, on=date(2026, 1, 25))["created"] == 0


def test_monthly_clamps_to_the_end_of_short_months(org):
    task = services.task_create(actor=org.chief, company=org.company, title="Cuối tháng",
                                due_date=date(2026, 1, 31), recurrence="monthly")  # fmt: skip
    services.task_complete(actor=org.chief, task=task)
    feb = Task.objects.get(previous=task)
    assert feb.due_date == date(2026, 2, 28)
    services.task_complete(actor=org.chief, task=feb)
    assert Task.objects.get(previous=feb).due_date == date(2026, 3, 31)


def test_period_passing_creates_next_occurrence_once(org):
    task = services.task_create(actor=org.chief, company=org.company, title="Sao lưu tuần",
                                due_date=date(2026, 3, 2), recurrence="weekly")  # fmt: skip
    result = services.workflow_tick(company=org.company, on=date(2026, 3, 3))
    assert result["created"] == 1
    assert Task.objects.get(previous=task).due_date == date(2026, 3, 9)
    assert services.workflow_tick(company=org.company, on=date(2026, 3, 3))["created"] == 0
    # Missed weeks are caught up, one occurrence per period.
    services.workflow_tick(company=org.company, on=date(2026, 3, 24))
    dues = sorted(Task.objects.filter(title="Sao lưu tuần").values_list("due_date", flat=True))
    assert dues == [date(2026, 3, d) for d in (2, 9, 16, 23, 30)]


def test_assigning_to_someone_else_needs_permission(org):
    with pytest.raises(PermissionDenied):
        services.task_create(actor=org.staff, company=org.company, assignee=org.other, title="X")
    services.task_create(actor=org.director, company=org.company, assignee=org.other, title="X")


def test_workload_figures(org):
    on = services.today()
    week_start, week_end = selectors.week_bounds(on)
    mk = lambda who, due, hours: services.task_create(  # noqa: E731
        actor=org.director, company=org.company, assignee=who, title="t", due_date=due,
        estimated_hours=Decimal(hours))  # fmt: skip
    mk(org.staff, on - timedelta(days=1), 2)  # overdue
    mk(org.staff, week_end, "3.5")  # due this week (or overdue if week_end < on: never)
    mk(org.staff, week_end + timedelta(days=1), 1)  # next week
    done = mk(org.staff, on, 8)
    services.task_complete(actor=org.staff, task=done)
    mk(org.chief, on + timedelta(days=30), 5)
    data = selectors.workload(user=org.director, company=org.company, on=on)
    staff = next(r for r in data["people"] if r["user_id"] == org.staff.pk)
    assert (staff["open"], staff["due_this_week"], staff["overdue"], staff["hours"]) == (
        3, 1, 1, Decimal("6.5"))  # fmt: skip
    teams = {t["department"].code: t for t in data["teams"]}
    assert teams["KD"]["open"] == 3
    assert teams["BGD"]["hours"] == Decimal(5)
    # The sales manager sees their team only; a plain employee only themselves.
    mine = selectors.workload(user=org.manager, company=org.company, on=on)
    assert {r["user_id"] for r in mine["people"]} == {org.staff.pk}
    assert selectors.workload(user=org.chief, company=org.company, on=on)["people"] == [
        next(r for r in data["people"] if r["user_id"] == org.chief.pk)
    ]
    assert selectors.workload(user=org.other, company=org.company, on=on)["people"] == []


def test_tick_job_kind(org):
    from backoffice.core.jobs import job_enqueue, job_run

    services.task_create(actor=org.director, company=org.company, assignee=org.staff, title="Trễ",
                         due_date=services.today() - timedelta(days=1))  # fmt: skip
    job = job_enqueue(actor=org.director, company=org.company, kind="workflow.tick")
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded"
    assert job.result == {"created": 0, "escalated": 1}
    with pytest.raises(PermissionDenied):
        job_enqueue(actor=org.staff, company=org.company, kind="workflow.tick")
