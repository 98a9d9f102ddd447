"""The approval engine: thresholds, parallel steps, managers, delegation,
segregation of duties, rejection and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent, Notification
from backoffice.workflow import services
from backoffice.workflow.models import ApprovalRequest, DocState, StepState

from .conftest import act

pytestmark = pytest.mark.django_db


def _claim(org, amount, who=None):
    who = who or org.staff
    claim = services.expense_claim_create(
        actor=who, company=org.company, title="Công tác",
        lines=[{"description": "Vé máy bay", "amount": Decimal(amount)}],
    )  # fmt: skip
    return services.expense_claim_submit(actor=who, company=org.company, claim=claim)


def _steps(req):
    return [(s.name, s.state, sorted(u.email for u in s.approvers.all())) for s in req.steps.all()]


def test_small_claim_needs_manager_then_chief_accountant(org):
    claim = _claim(org, 5_000_000)
    req = claim.approval
    assert [s[1] for s in _steps(req)] == [StepState.PENDING, StepState.WAITING]
    assert _steps(req)[0][2] == ["tp@a.vn"]
    assert _steps(req)[1][2] == ["ktt@a.vn"]
    # The chief accountant cannot jump the queue.
    with pytest.raises(PermissionDenied) as exc:
        services.approval_decide(actor=org.chief, company=org.company, request=req, approve=True)
    assert exc.value.code == "not_approver"
    services.approval_decide(actor=org.manager, company=org.company, request=req, approve=True,
                             comment="OK")  # fmt: skip
    req.refresh_from_db()
    assert req.state == "pending"
    services.approval_decide(actor=org.chief, company=org.company, request=req, approve=True)
    req.refresh_from_db()
    claim.refresh_from_db()
    assert req.state == "approved"
    assert claim.state == DocState.APPROVED
    assert Notification.objects.filter(user=org.staff, title__contains="Công tác").exists()


def test_amount_above_threshold_adds_the_director(org):
    small = _claim(org, 20_000_000).approval  # at the threshold: not above
    assert len(_steps(small)) == 2
    big = _claim(org, 20_000_001).approval
    assert [s[2] for s in _steps(big)] == [["tp@a.vn"], ["ktt@a.vn"], ["gd@a.vn"]]


def test_department_condition(org, make_user):
    from backoffice.core.models import Department

    policy = org.company.approvalpolicy_set.get(request_type="expense")
    step = policy.steps.get(order=2)
    step.department = Department.objects.create(company=org.company, code="KT", name="Kế toán")
    step.save()
    req = _claim(org, 1_000_000).approval  # sales is not under KT: step left out
    assert len(_steps(req)) == 1


def test_manager_of_requester_walks_up_when_the_requester_is_the_manager(org):
    req = _claim(org, 1_000_000, who=org.manager).approval
    assert _steps(req)[0][2] == ["gd@a.vn"]


def test_manager_missing_walks_up(org):
    org.sales.manager = None
    org.sales.save()
    req = _claim(org, 1_000_000).approval
    assert _steps(req)[0][2] == ["gd@a.vn"]


def test_no_self_approval_by_role_step_is_skipped(org):
    # The chief accountant's own claim: the chief accountant step has nobody else.
    req = _claim(org, 1_000_000, who=org.chief).approval
    states = _steps(req)
    assert states[0][2] == ["gd@a.vn"]
    assert states[1][1] == StepState.SKIPPED
    with pytest.raises(PermissionDenied) as exc:
        services.approval_decide(actor=org.chief, company=org.company, request=req, approve=True)
    assert exc.value.code == "self_approval"
    assert AuditEvent.objects.filter(event_type="APPROVAL_SUBMITTED", object_id=str(req.public_id)
                                     ).get().after["steps"][1]["state"] == "skipped"  # fmt: skip


def test_no_approver_at_all_is_refused(org):
    from backoffice.workflow.models import ApprovalStep

    policy = org.company.approvalpolicy_set.get(request_type="expense")
    policy.steps.all().delete()
    ApprovalStep.objects.create(policy=policy, order=1, name="KTT", approver_kind="role",
                                role=Role.CHIEF_ACCOUNTANT)  # fmt: skip
    claim = services.expense_claim_create(
        actor=org.chief, company=org.company, title="X", lines=[{"description": "a", "amount": 5}]
    )
    with pytest.raises(ValidationFailed) as exc:
        services.expense_claim_submit(actor=org.chief, company=org.company, claim=claim)
    assert exc.value.code == "no_approver"
    claim.refresh_from_db()
    assert claim.state == DocState.DRAFT
    assert not ApprovalRequest.objects.exists()


def _parallel_policy(org, mode):
    from backoffice.workflow.models import ApprovalStep

    policy = org.company.approvalpolicy_set.get(request_type="expense")
    policy.steps.all().delete()
    step = ApprovalStep.objects.create(policy=policy, order=1, name="Hội đồng",
                                       approver_kind="users", mode=mode)  # fmt: skip
    step.users.set([org.director, org.chief, org.manager])


def test_parallel_all_of_needs_everyone(org):
    _parallel_policy(org, "all")
    req = _claim(org, 1_000_000).approval
    services.approval_decide(actor=org.director, company=org.company, request=req, approve=True)
    with pytest.raises(PermissionDenied):  # one vote each
        services.approval_decide(actor=org.director, company=org.company, request=req,
                                 approve=True)  # fmt: skip
    services.approval_decide(actor=org.chief, company=org.company, request=req, approve=True)
    req.refresh_from_db()
    assert req.state == "pending"
    services.approval_decide(actor=org.manager, company=org.company, request=req, approve=True)
    req.refresh_from_db()
    assert req.state == "approved"


def test_parallel_any_of_needs_one(org):
    _parallel_policy(org, "any")
    req = _claim(org, 1_000_000).approval
    services.approval_decide(actor=org.chief, company=org.company, request=req, approve=True)
    req.refresh_from_db()
    assert req.state == "approved"


def test_rejection_needs_a_comment_and_is_audited(org):
    claim = _claim(org, 3_000_000)
    req = claim.approval
    with pytest.raises(ValidationFailed) as exc:
        services.approval_decide(actor=org.manager, company=org.company, request=req,
                                 approve=False)  # fmt: skip
    assert exc.value.code == "comment_required"
    services.approval_decide(actor=org.manager, company=org.company, request=req, approve=False,
                             comment="Thiếu hóa đơn")  # fmt: skip
    req.refresh_from_db()
    claim.refresh_from_db()
    assert req.state == "rejected"
    assert claim.state == DocState.REJECTED
    assert [s[1] for s in _steps(req)] == [StepState.REJECTED, StepState.CANCELLED]
    ev = AuditEvent.objects.get(event_type="APPROVAL_REJECTED")
    assert ev.after["comment"] == "Thiếu hóa đơn"
    assert ev.actor_id == org.manager.pk
    with pytest.raises(Conflict):
        services.approval_decide(actor=org.chief, company=org.company, request=req, approve=True)


def test_every_decision_is_audited_with_its_comment(org):
    req = _claim(org, 1_000_000).approval
    services.approval_decide(actor=org.manager, company=org.company, request=req, approve=True,
                             comment="Đồng ý")  # fmt: skip
    services.approval_decide(actor=org.chief, company=org.company, request=req, approve=True,
                             comment="Hợp lệ")  # fmt: skip
    events = AuditEvent.objects.filter(event_type="APPROVAL_APPROVED_STEP").order_by("seq")
    assert [(e.actor_id, e.after["comment"]) for e in events] == [
        (org.manager.pk, "Đồng ý"),
        (org.chief.pk, "Hợp lệ"),
    ]
    assert AuditEvent.objects.filter(event_type="APPROVAL_APPROVED").count() == 1


def test_delegate_decides_in_the_delegators_place(org):
    on = services.today()
    services.delegation_create(actor=org.manager, company=org.company, to_user=org.other,
                               start_date=on, end_date=on + timedelta(days=3))  # fmt: skip
    req = _claim(org, 1_000_000).approval
    # The delegate is told too.
    assert Notification.objects.filter(user=org.other, title__contains="Công tác").exists()
    services.approval_decide(actor=org.other, company=org.company, request=req, approve=True,
                             comment="Thay anh Trưởng phòng")  # fmt: skip
    d = req.decisions.get()
    assert d.actor == org.other
    assert d.on_behalf_of == org.manager
    ev = AuditEvent.objects.get(event_type="APPROVAL_APPROVED_STEP")
    assert ev.actor_id == org.other.pk
    assert ev.after["on_behalf_of"] == "tp@a.vn"


def test_expired_delegation_gives_nothing(org):
    on = services.today()
    services.delegation_create(
        actor=org.manager,
        company=org.company,
        to_user=org.other,
        start_date=on - timedelta(days=9),
        end_date=on - timedelta(days=1),
    )
    req = _claim(org, 1_000_000).approval
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=org.other, company=org.company, request=req, approve=True)


def test_requester_cannot_approve_even_as_delegate(org):
    on = services.today()
    services.delegation_create(actor=org.manager, company=org.company, to_user=org.staff,
                               start_date=on, end_date=on)  # fmt: skip
    req = _claim(org, 1_000_000).approval
    with pytest.raises(PermissionDenied) as exc:
        services.approval_decide(actor=org.staff, company=org.company, request=req, approve=True)
    assert exc.value.code == "self_approval"
    assert not req.decisions.exists()


def test_withdraw_returns_the_claim_to_draft(org):
    claim = _claim(org, 1_000_000)
    with pytest.raises(PermissionDenied):
        services.approval_withdraw(actor=org.manager, company=org.company, request=claim.approval)
    services.expense_claim_withdraw(actor=org.staff, company=org.company, claim=claim)
    claim.refresh_from_db()
    claim.approval.refresh_from_db()
    assert claim.state == DocState.DRAFT
    assert claim.approval.state == "withdrawn"
    with pytest.raises(Conflict):
        services.approval_decide(actor=org.manager, company=org.company, request=claim.approval,
                                 approve=True)  # fmt: skip


def test_other_company_cannot_decide(org, company_b, make_user):
    req = _claim(org, 1_000_000).approval
    outsider = act(make_user(company_b, roles=[Role.OPERATIONS_MANAGER]), company_b)
    with pytest.raises(NotFound) as exc:
        services.approval_decide(actor=outsider, company=company_b, request=req, approve=True)
    assert exc.value.code == "not_found"
    # Even naming company A: not an approver there.
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=outsider, company=org.company, request=req, approve=True)


def test_expense_hook_called_on_final_approval(org):
    from backoffice.workflow import hooks

    seen = []

    def post(*, claim, actor):
        seen.append((claim.pk, claim.state, actor.pk))
        services.expense_claim_mark_posted(actor=actor, company=claim.company, claim=claim,
                                           reference="PC0001")  # fmt: skip

    hooks.on_expense_claim_approved(post)
    try:
        claim = _claim(org, 2_000_000)
        services.approval_decide(actor=org.manager, company=org.company, request=claim.approval,
                                 approve=True)  # fmt: skip
        assert seen == []
        services.approval_decide(actor=org.chief, company=org.company, request=claim.approval,
                                 approve=True)  # fmt: skip
    finally:
        hooks._expense_approved.remove(post)
    claim.refresh_from_db()
    assert seen == [(claim.pk, "approved", org.chief.pk)]
    assert claim.state == DocState.POSTED
    assert claim.posted_reference == "PC0001"


def test_registered_type_of_another_app(org):
    """A type registered by another app: its hook runs in the final approval."""
    from backoffice.workflow.models import ApprovalPolicy, ApprovalStep
    from backoffice.workflow.registry import RequestType, register_request_type

    calls = []
    register_request_type(
        RequestType(
            code="test_leave",
            label="Nghỉ phép",
            on_approved=lambda r: calls.append(("ok", r.pk)),
            on_rejected=lambda r: calls.append(("no", r.pk)),
        )
    )
    policy = ApprovalPolicy.objects.create(company=org.company, request_type="test_leave",
                                           name="Nghỉ phép")  # fmt: skip
    ApprovalStep.objects.create(policy=policy, order=1, name="QL", approver_kind="manager")
    req = services.approval_submit(actor=org.staff, company=org.company, request_type="test_leave",
                                   subject=org.sales, title="Nghỉ 2 ngày")  # fmt: skip
    with pytest.raises(Conflict):  # one pending request per record
        services.approval_submit(actor=org.staff, company=org.company, request_type="test_leave",
                                 subject=org.sales)  # fmt: skip
    services.approval_decide(actor=org.manager, company=org.company, request=req, approve=True)
    assert calls == [("ok", req.pk)]


def test_default_policies_for_new_companies(db):
    from backoffice.core.services import company_create
    from backoffice.workflow.models import ApprovalPolicy

    c = company_create(actor=None, code="NEWCO", name="Mới")
    # (other apps add theirs: leave, collaborator work ...)
    assert {"expense", "purchase"} <= set(
        ApprovalPolicy.objects.filter(company=c).values_list("request_type", flat=True)
    )
    exp = ApprovalPolicy.objects.get(company=c, request_type="expense")
    assert [s.min_amount for s in exp.steps.all()] == [None, None, Decimal(20_000_000)]
