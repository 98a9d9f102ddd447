"""Demo onboarding/offboarding and collaborators (called by ``hr.demo.people``).

* the default checklist templates and the ``collaborator_work`` policy;
* two people hired for the coming weeks (their onboarding tasks for HR, IT,
  accounting and the manager; the first few done);
* one employee offboarding (last day in three weeks; revoke tasks open);
* three remote collaborators: two with an agreement in force (portal login
  ``ctv1@…`` / ``ctv2@…`` with the demo password; work logs approved, waiting and
  draft), one whose agreement ended last month (access closed).

A handful of rows through the services (so every rule and audit event applies);
it does not grow with ``--employees``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from backoffice.core.models import Company, User
from backoffice.hr.enums import EmployeeStatus, PersonKind
from backoffice.hr.models import Employee

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc", "Đức", "Thanh"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Khoa", "Linh", "Nam", "Phương", "Tâm"]


def _name(rng: Any) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _actor(company: Company, local: str) -> User | None:
    from backoffice.core.demo import DEMO_DOMAIN

    user = User.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()
    if user is not None:
        user.active_company = company
    return user


def demo(*, company: Company, employees: list[Employee], rng: Any, fake: Any) -> None:
    from backoffice.hr.services.collaborators import worklog_policy_ensure
    from backoffice.hr.services.onboarding import checklist_defaults_create

    checklist_defaults_create(company=company, actor="demo")
    worklog_policy_ensure(company=company, actor="demo")
    hr = _actor(company, "truongphongns")
    if hr is None:
        return
    today = timezone.localdate()
    _hires(company, hr, employees, rng, fake, today)
    _offboarding(company, hr, employees, rng, today)
    _collaborators(company, hr, rng, fake, today)


def _hires(company: Company, hr: User, employees: list[Employee], rng: Any, fake: Any,
           today: dt.date) -> None:  # fmt: skip
    from backoffice.hr.services.onboarding import case_refresh_for_task
    from backoffice.hr.services.onboarding_people import employee_hire
    from backoffice.workflow.models import Task
    from backoffice.workflow.services import task_complete

    staff = [e for e in employees if e.department_id and e.status == EmployeeStatus.ACTIVE]
    for n, days in enumerate((7, 14), start=1):
        model = rng.choice(staff) if staff else None
        emp = employee_hire(
            actor=hr, company=company, start_date=today + dt.timedelta(days=days),
            portal_account=False, full_name=_name(rng), email=f"nhanvienmoi{n}@example.vn",
            department=model.department if model else None,
            position=model.position if model else None,
            manager=model.manager if model else None,
            contract={"contract_type": "probation", "job_level": "college",
                      "end_date": today + dt.timedelta(days=days + 59),
                      "salary": Decimal(12_750_000), "job_salary": Decimal(15_000_000)},
        )  # fmt: skip
        if n == 1:
            for task in Task.objects.filter(hr_case__case__employee=emp).order_by("due_date")[:3]:
                if task.assignee_id:
                    task.assignee.active_company = company
                    task_complete(actor=task.assignee, task=task)
                    case_refresh_for_task(task)


def _offboarding(company: Company, hr: User, employees: list[Employee], rng: Any,
                 today: dt.date) -> None:  # fmt: skip
    from backoffice.hr.services.onboarding_people import offboarding_start

    leaving = list(
        Employee.objects.filter(
            company=company, status=EmployeeStatus.ACTIVE, kind=PersonKind.EMPLOYEE,
            user__email__startswith="nv",
        ).order_by("id")[:50]
    )  # fmt: skip
    if leaving:
        offboarding_start(actor=hr, company=company, employee=rng.choice(leaving),
                          last_day=today + dt.timedelta(days=21),
                          reason="Nghỉ việc theo nguyện vọng cá nhân")  # fmt: skip


AGREEMENTS = [
    ("ctv1", "Biên dịch tài liệu kỹ thuật Anh - Việt", Decimal(180_000), "hour", -60, 120),
    ("ctv2", "Thiết kế ấn phẩm truyền thông", Decimal(1_500_000), "deliverable", -30, 150),
    ("ctv3", "Nhập liệu hồ sơ khách hàng", Decimal(350_000), "day", -150, -20),
]


def _collaborators(company: Company, hr: User, rng: Any, fake: Any, today: dt.date) -> None:
    from backoffice.core.demo import DEMO_DOMAIN, DEMO_PASSWORD
    from backoffice.hr.services import collaborators as svc
    from backoffice.hr.services.employees import portal_account_create
    from backoffice.workflow.services import approval_decide

    approver = _actor(company, "truongphongns")
    for local, scope, rate, unit, start, end in AGREEMENTS:
        person = svc.collaborator_start(
            actor=hr, company=company, full_name=_name(rng), portal_account=False,
            email=f"{local}@{DEMO_DOMAIN}", phone=f"09{rng.randrange(10**7, 10**8)}",
            agreement={"scope": scope, "rate": rate, "rate_unit": unit,
                       "start_date": today + dt.timedelta(days=start),
                       "end_date": today + dt.timedelta(days=end),
                       "signed_on": today + dt.timedelta(days=start - 3)},
        )  # fmt: skip
        user = portal_account_create(actor=hr, company=company, employee=person,
                                     password=DEMO_PASSWORD)  # fmt: skip
        user.active_company = company
        if end < 0:
            continue
        logs = []
        for back in (20, 12, 5):
            day = today - dt.timedelta(days=back)
            if day < today + dt.timedelta(days=start):
                continue
            logs.append(svc.worklog_create(
                actor=user, company=company, employee=person, date=day,
                description=f"{scope} — đợt {len(logs) + 1}",
                hours=Decimal(rng.randint(4, 16)) if unit == "hour" else 0,
                quantity=Decimal(rng.randint(1, 3)) if unit != "hour" else 0,
            ))  # fmt: skip
        for i, log in enumerate(logs[:2]):
            svc.worklog_submit(actor=user, company=company, worklog=log)
            if i == 0 and approver is not None:
                approval_decide(actor=approver, company=company,
                                request=svc.worklog_approval(log), approve=True,
                                comment="Đã nghiệm thu")  # fmt: skip
    svc.collaborator_access_sync(company=company, on=today)
