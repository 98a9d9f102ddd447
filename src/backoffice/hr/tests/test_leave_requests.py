"""Leave requests through the approval engine: days across Tết, balance and
overlap checks, approval writes TAKEN rows, cancel restores, and who may see or
decide what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.hr.enums import LeaveEntryKind, LeaveRequestState
from backoffice.hr.models import LeaveEntry, LeaveRequest, LeaveType
from backoffice.hr.selectors import leave as sel
from backoffice.hr.services import leave
from backoffice.workflow.models import ApprovalPolicy
from backoffice.workflow.services import approval_decide

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def org(hr_org):
    from backoffice.hr.setup.leave import company_defaults

    company_defaults(company=hr_org.company)
    company_defaults(company=hr_org.other_company)
    leave.leave_accrue(actor=None, company=hr_org.company, year=2026, on=D(2026, 1, 1))
    return hr_org


def lt(org, code="PN"):
    return LeaveType.objects.get(company=org.company, code=code)


TET_START, TET_END = D(2026, 2, 12), D(2026, 2, 25)


def create(org, actor=None, employee=None, code="PN", start=TET_START, end=TET_END, **kw):
    return leave.leave_request_create(
        actor=actor or org.staff, company=org.company, employee=employee or org.staff_emp,
        leave_type=lt(org, code), start_date=start, end_date=end, **kw,
    )  # fmt: skip


def approve(org, req, who=None):
    approval = leave.approval_of(req)
    approval_decide(actor=who or org.manager, company=org.company, request=approval, approve=True)
    req.refresh_from_db()
    return req


def test_default_policy_is_the_line_manager(org):
    policy = ApprovalPolicy.objects.get(company=org.company, request_type="leave")
    assert [s.approver_kind for s in policy.steps.all()] == ["manager"]
    assert ApprovalPolicy.objects.filter(company=org.other_company, request_type="leave").exists()


def test_new_company_gets_leave_defaults(make_company):
    from backoffice.core import hooks

    c = make_company("NEW")
    hooks.company_created(company=c, actor=None)
    assert LeaveType.objects.filter(company=c, code="PN").exists()
    assert ApprovalPolicy.objects.filter(company=c, request_type="leave").exists()


def test_leave_across_tet_counts_working_days_only(org):
    # 12/02 (Thu) – 25/02/2026 (Wed): Tết is 16–20/02; weekends are rest days.
    req = create(org)
    assert req.days == Decimal(5)  # 12, 13, 23, 24, 25
    assert req.state == LeaveRequestState.DRAFT
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    # the line manager is told, with a link to the portal's team page (not the desk)
    from backoffice.core.models import Notification

    assert Notification.objects.get(user=org.manager).url == "/portal/team/"
    req = approve(org, req)
    assert req.state == LeaveRequestState.APPROVED
    assert leave.leave_balance(org.staff_emp, lt(org), 2026) == 7
    taken = LeaveEntry.objects.get(request=req)
    assert (taken.kind, taken.days, taken.date) == (LeaveEntryKind.TAKEN, Decimal(-5),
                                                    D(2026, 2, 12))  # fmt: skip


def test_only_tet_days_hold_no_working_day(org):
    with pytest.raises(ValidationFailed) as exc:
        create(org, start=D(2026, 2, 14), end=D(2026, 2, 22))
    assert exc.value.code == "no_working_days"


def test_half_days_and_company_swap_day(org):
    from backoffice.hr.services.calendar import holiday_override_save

    holiday_override_save(actor=org.hr_officer, company=org.company, date=D(2026, 2, 13),
                          name="Nghỉ bù Tết")  # fmt: skip
    req = create(org, start=D(2026, 2, 12), end=D(2026, 2, 23), start_half=True)
    assert req.days == Decimal("1.5")  # ½ of 12/02 and 23/02; 13/02 is a company day off


def test_maternity_counts_calendar_days(org):
    from backoffice.hr.models import Employee

    Employee.objects.filter(pk=org.staff_emp.pk).update(gender="female")
    req = create(org, code="TS", start=D(2026, 3, 1), end=D(2026, 3, 31))
    assert req.days == 31
    with pytest.raises(ValidationFailed) as exc:
        create(org, code="TS", start=D(2026, 4, 1), end=D(2026, 12, 31))
    assert exc.value.code == "too_many_days"


def test_insufficient_balance_counts_pending_requests(org):
    first = create(org, start=D(2026, 3, 2), end=D(2026, 3, 13))  # 10 days
    leave.leave_request_submit(actor=org.staff, company=org.company, request=first)
    with pytest.raises(ValidationFailed) as exc:
        create(org, start=D(2026, 4, 1), end=D(2026, 4, 3))  # 3 more: 12 - 10 pending = 2
    assert exc.value.code == "insufficient_balance"
    # Unpaid leave does not use a balance.
    assert create(org, code="KL", start=D(2026, 4, 1), end=D(2026, 4, 3)).days == 3


def test_overlap_refused(org):
    req = create(org, start=D(2026, 3, 2), end=D(2026, 3, 4))
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    with pytest.raises(Conflict) as exc:
        create(org, code="KL", start=D(2026, 3, 4), end=D(2026, 3, 6))
    assert exc.value.code == "leave_overlap"


def test_who_may_request_for_whom(org):
    with pytest.raises(PermissionDenied) as exc:
        create(org, actor=org.staff, employee=org.manager_emp)
    assert exc.value.code == "not_own_leave"
    req = create(org, actor=org.hr_officer)  # HR for anyone
    assert req.created_by == org.hr_officer
    with pytest.raises(NotFound):
        leave.leave_request_create(
            actor=org.outsider_hr, company=org.other_company, employee=org.staff_emp,
            leave_type=lt(org), start_date=D(2026, 3, 2), end_date=D(2026, 3, 2),
        )  # fmt: skip


def test_manager_of_another_department_cannot_see_or_approve(org):
    req = create(org)
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    approval = leave.approval_of(req)
    with pytest.raises(PermissionDenied) as exc:
        approval_decide(actor=org.other_manager, company=org.company, request=approval,
                        approve=True)  # fmt: skip
    assert exc.value.code == "not_approver"
    assert not sel.leave_request_list(user=org.other_manager, company=org.company).exists()
    with pytest.raises(NotFound):
        sel.leave_request_get_for_user(user=org.other_manager, company=org.company,
                                       public_id=req.public_id)  # fmt: skip
    # The sales manager (their team) and HR see it; the requester sees their own.
    assert sel.leave_request_list(user=org.manager, company=org.company).get() == req
    assert sel.leave_request_list(user=org.hr_officer, company=org.company).get() == req
    assert sel.leave_request_list(user=org.staff, company=org.company).get() == req
    # Ledger rows: HR and the person only, not the manager.
    approve(org, req)
    assert sel.leave_entry_list(user=org.staff, company=org.company).filter(request=req).exists()
    theirs = sel.leave_entry_list(user=org.other_manager, company=org.company)
    assert not theirs.filter(employee=org.staff_emp).exists()
    assert (
        not sel.leave_entry_list(user=org.manager, company=org.company)
        .filter(employee=org.staff_emp)
        .exists()
    )


def test_other_company_sees_nothing(org):
    req = create(org)
    with pytest.raises(PermissionDenied):
        sel.leave_request_list(user=org.outsider_hr, company=org.company)
    assert not sel.leave_request_list(user=org.outsider_hr, company=org.other_company).exists()
    assert not sel.leave_entry_list(user=org.outsider_hr, company=org.other_company).exists()
    with pytest.raises(NotFound):
        leave.leave_request_submit(actor=org.outsider_hr, company=org.other_company, request=req)


def test_reject_and_withdraw_write_nothing(org):
    req = create(org, start=D(2026, 3, 2), end=D(2026, 3, 3))
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    approval_decide(actor=org.manager, company=org.company, request=leave.approval_of(req),
                    approve=False, comment="Đang mùa cao điểm")  # fmt: skip
    req.refresh_from_db()
    assert req.state == LeaveRequestState.REJECTED
    req2 = create(org, start=D(2026, 3, 2), end=D(2026, 3, 3))
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req2)
    req2 = leave.leave_request_cancel(actor=org.staff, company=org.company, request=req2)
    assert req2.state == LeaveRequestState.WITHDRAWN
    assert not LeaveEntry.objects.filter(kind=LeaveEntryKind.TAKEN).exists()
    assert leave.leave_balance(org.staff_emp, lt(org), 2026) == 12


def test_cancel_approved_future_leave_restores(org):
    # The 2027 run closes 2026: 5 of its 12 days are carried over.
    leave.leave_accrue(actor=None, company=org.company, year=2027, on=D(2027, 1, 1))
    assert leave.leave_balance(org.staff_emp, lt(org), 2026) == 0
    assert leave.leave_balance(org.staff_emp, lt(org), 2027) == 17
    req = create(org, start=D(2027, 3, 1), end=D(2027, 3, 5))
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    approve(org, req)
    assert leave.leave_balance(org.staff_emp, lt(org), 2027) == 12
    req = leave.leave_request_cancel(actor=org.staff, company=org.company, request=req,
                                     reason="Đổi kế hoạch")  # fmt: skip
    assert req.state == LeaveRequestState.CANCELLED
    assert leave.leave_balance(org.staff_emp, lt(org), 2027) == 17
    kinds = list(LeaveEntry.objects.filter(request=req).order_by("id").values_list("kind", "days"))
    assert kinds == [(LeaveEntryKind.TAKEN, Decimal(-5)), (LeaveEntryKind.RESTORED, Decimal(5))]
    with pytest.raises(Conflict):
        leave.leave_request_cancel(actor=org.staff, company=org.company, request=req)


def test_started_leave_cannot_be_cancelled(org):
    req = create(org, start=D(2026, 3, 2), end=D(2026, 3, 3))
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    approve(org, req)
    with pytest.raises(Conflict) as exc:
        leave.leave_request_cancel(actor=org.hr_officer, company=org.company, request=req)
    assert exc.value.code == "leave_started"


def test_approval_refused_when_balance_went_away(org):
    req = create(org, start=D(2026, 3, 2), end=D(2026, 3, 13))  # 10 days
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    leave.leave_adjust(actor=org.hr_officer, company=org.company, employee=org.staff_emp,
                       leave_type=lt(org), year=2026, days=-5, note="Trả phép")  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        approve(org, req)
    assert exc.value.code == "insufficient_balance"


def test_balances_summary(org):
    req = create(org, start=D(2026, 3, 2), end=D(2026, 3, 4))
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    row = next(b for b in leave.leave_balances(org.staff_emp, D(2026, 3, 1)) if b["code"] == "PN")
    assert (row["granted"], row["taken"], row["balance"], row["pending"], row["available"]) == (
        12,
        0,
        12,
        3,
        9,
    )


def test_team_calendar(org):
    req = create(org, start=D(2026, 2, 12), end=D(2026, 2, 13))
    leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
    cal = sel.team_calendar(user=org.manager, company=org.company, start=D(2026, 2, 1),
                            end=D(2026, 2, 28))  # fmt: skip
    assert [r["employee"] for r in cal["rows"]] == [org.staff_emp, org.manager_emp] or [
        r["employee"] for r in cal["rows"]
    ] == [org.manager_emp, org.staff_emp]
    staff = next(r for r in cal["rows"] if r["employee"] == org.staff_emp)
    assert [c["leave"] for c in staff["cells"][11:13]] == ["PN", "PN"]
    assert cal["days"][15]["kind"] == "holiday"
    assert cal["days"][15]["holiday"]
    other = sel.team_calendar(user=org.other_manager, company=org.company, start=D(2026, 2, 1),
                              end=D(2026, 2, 28))  # fmt: skip
    assert org.staff_emp not in [r["employee"] for r in other["rows"]]


def test_hr_files_for_an_employee_and_their_manager_approves(org):
    req = create(org, actor=org.hr_officer, start=D(2026, 3, 2), end=D(2026, 3, 3))
    leave.leave_request_submit(actor=org.hr_officer, company=org.company, request=req)
    approval = leave.approval_of(req)
    assert [u.pk for u in approval.steps.get().approvers.all()] == [org.manager.pk]
    approve(org, req)
    assert leave.leave_balance(org.staff_emp, lt(org), 2026) == 10


def test_payout_on_leaving(org):
    with pytest.raises(PermissionDenied):
        leave.leave_payout(actor=org.staff, company=org.company, employee=org.staff_emp)
    rows = leave.leave_payout(actor=org.hr_officer, company=org.company, employee=org.staff_emp,
                              on=D(2026, 6, 30))  # fmt: skip
    assert [(r.kind, r.days) for r in rows] == [(LeaveEntryKind.PAYOUT, Decimal(-12))]
    assert leave.leave_balance(org.staff_emp, lt(org), 2026) == 0
    assert leave.leave_payout(actor=org.hr_officer, company=org.company,
                              employee=org.staff_emp, on=D(2026, 6, 30)) == []  # fmt: skip


REQUEST_OPS = st.lists(
    st.tuples(
        st.integers(0, 250),  # start: working day index in 2027
        st.integers(1, 6),  # length in working days
        st.sampled_from(["approve", "reject", "withdraw", "approve-cancel", "draft"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(ops=REQUEST_OPS)
def test_property_requests_keep_the_ledger_exact(org, ops):
    """Whatever requests are made, approved, rejected, withdrawn or cancelled: the
    balance is the grant minus the approved requests, the sum of its rows, never
    below zero."""
    from backoffice.hr.services.calendar import working_days

    sid = transaction.savepoint()
    try:
        leave.leave_accrue(actor=None, company=org.company, year=2027, on=D(2027, 1, 1))
        granted = leave.leave_balance(org.staff_emp, lt(org), 2027)
        days = working_days(org.company, D(2027, 1, 4), D(2027, 12, 31))
        for first, n, outcome in ops:
            first %= len(days)
            start, end = days[first], days[min(first + n - 1, len(days) - 1)]
            refused = None
            try:
                with transaction.atomic():
                    req = create(org, start=start, end=end)
            except (ValidationFailed, Conflict) as exc:
                refused = exc.code
            if refused is not None:
                assert refused in ("insufficient_balance", "leave_overlap")
                continue
            if outcome != "draft":
                leave.leave_request_submit(actor=org.staff, company=org.company, request=req)
            if outcome.startswith("approve"):
                approve(org, req)
            elif outcome == "reject":
                approval_decide(
                    actor=org.manager,
                    company=org.company,
                    request=leave.approval_of(req),
                    approve=False,
                    comment="Không",
                )
            elif outcome == "withdraw":
                leave.leave_request_cancel(actor=org.staff, company=org.company, request=req)
            if outcome == "approve-cancel":
                leave.leave_request_cancel(actor=org.staff, company=org.company, request=req)
            approved = sum(
                LeaveRequest.objects.filter(employee=org.staff_emp, state="approved",
                                            start_date__year=2027).values_list("days", flat=True),
                Decimal(0),
            )  # fmt: skip
            balance = leave.leave_balance(org.staff_emp, lt(org), 2027)
            rows = sum(LeaveEntry.objects.filter(employee=org.staff_emp, leave_type=lt(org),
                                                 year=2027).values_list("days", flat=True),
                       Decimal(0))  # fmt: skip
            assert balance == rows == granted - approved
            assert balance >= 0
    finally:
        transaction.savepoint_rollback(sid)


def test_hr_submits_for_an_employee_and_their_line_manager_approves(org):
    from backoffice.core.models import Department, Membership

    # Given an HR officer who works in their own department (with its own manager)
    hr_dept = Department.objects.create(company=org.company, code="NS", name="Phòng Nhân sự",
                                        parent=org.root, manager=org.director)  # fmt: skip
    Membership.objects.filter(user=org.hr_officer).update(department=hr_dept)
    # when they enter and submit a request for the employee
    req = create(org, actor=org.hr_officer, start=D(2026, 3, 2), end=D(2026, 3, 3))
    leave.leave_request_submit(actor=org.hr_officer, company=org.company, request=req)
    # then the employee is the requester and the employee's manager (not HR's) approves
    approval = leave.approval_of(req)
    assert approval.requester == org.staff
    assert list(approval.current_step.approvers.all()) == [org.manager]
    # and HR may still withdraw it for them
    leave.leave_request_cancel(actor=org.hr_officer, company=org.company, request=req)
    req.refresh_from_db()
    assert req.state == LeaveRequestState.WITHDRAWN
