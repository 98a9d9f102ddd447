"""Posting through an approval: a draft waits as "pending" until the chief
accountant approves it (then it is posted and numbered) or rejects it (back
to draft); nobody can change, delete or post it while it waits."""

from __future__ import annotations

import pytest

from backoffice.accounting import services
from backoffice.accounting.approvals import REQUEST_TYPE, entry_submit
from backoffice.accounting.models import EntryState
from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.workflow import services as wf
from backoffice.workflow.models import ApprovalPolicy, ApprovalStep, ApproverKind

from .ledger_helpers import DAY, books, lines, person, state

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_company, make_user):
    company = books(make_company, "APR")
    accountant = person(make_user, company, Role.ACCOUNTANT)
    chief = person(make_user, company, Role.CHIEF_ACCOUNTANT)
    policy = ApprovalPolicy.objects.create(
        company=company, request_type=REQUEST_TYPE, name="Chief accountant approves"
    )
    ApprovalStep.objects.create(
        policy=policy, order=1, name="KTT", approver_kind=ApproverKind.ROLE,
        role=Role.CHIEF_ACCOUNTANT,
    )  # fmt: skip
    draft = services.entry_create(
        actor=accountant, company=company, date=DAY, description="Chi tạm ứng",
        lines=lines(("141", 5_000_000, 0), ("1111", 0, 5_000_000)),
    )  # fmt: skip
    return company, accountant, chief, draft


def _request(entry):
    from backoffice.workflow.models import ApprovalRequest

    return ApprovalRequest.objects.get(
        subject_id=entry.pk, request_type=REQUEST_TYPE, state="pending"
    )


def test_approved_entry_is_posted(setup):
    company, accountant, chief, draft = setup
    entry = entry_submit(actor=accountant, entry=draft)
    assert entry.state == EntryState.PENDING
    wf.approval_decide(actor=chief, company=company, request=_request(entry), approve=True)
    entry.refresh_from_db()
    assert entry.state == EntryState.POSTED
    assert entry.number == "PKT2026/00001"  # numbered at posting, not at submission


def test_pending_entry_cannot_be_changed_posted_or_deleted(setup):
    _company, accountant, _chief, draft = setup
    entry = entry_submit(actor=accountant, entry=draft)
    before = state()
    with pytest.raises(Conflict):
        services.entry_post(actor=accountant, entry=entry)
    with pytest.raises(Conflict):
        services.entry_update(actor=accountant, entry=entry, description="Sửa")
    with pytest.raises(Conflict):
        services.entry_delete(actor=accountant, entry=entry)
    assert state() == before


def test_rejected_or_withdrawn_entry_returns_to_draft(setup):
    company, accountant, chief, draft = setup
    entry = entry_submit(actor=accountant, entry=draft)
    wf.approval_decide(actor=chief, company=company, request=_request(entry), approve=False,
                       comment="Thiếu chứng từ")  # fmt: skip
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT
    entry = entry_submit(actor=accountant, entry=entry)
    wf.approval_withdraw(actor=accountant, company=company, request=_request(entry))
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT
    services.entry_update(actor=accountant, entry=entry, description="Đã bổ sung")


def test_without_a_policy_submitting_is_refused(setup):
    company, accountant, _chief, draft = setup
    ApprovalPolicy.objects.filter(company=company).delete()
    with pytest.raises(ValidationFailed) as exc:
        entry_submit(actor=accountant, entry=draft)
    assert exc.value.code == "no_policy"
    draft.refresh_from_db()
    assert draft.state == EntryState.DRAFT


def test_api_and_desk_send_drafts_for_approval(setup, api_token, desk_login):
    from django.test import Client

    company, accountant, _chief, draft = setup
    token = api_token(accountant, company)
    client = Client()
    r = client.post(
        f"/api/v1/accounting/entries/{draft.public_id}/submit",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "pending"
    again = client.post(
        f"/api/v1/accounting/entries/{draft.public_id}/submit",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "not_draft"

    other = services.entry_create(
        actor=accountant, company=company, date=DAY, description="Phí ngân hàng",
        lines=lines(("642", 22_000, 0), ("1121", 0, 22_000)),
    )  # fmt: skip
    desk = desk_login(Client(), accountant, company)
    desk.post(
        "/desk/accounting/entry/",
        {"action": "submit_entries", "_selected_action": [other.pk]},
    )
    other.refresh_from_db()
    assert other.state == EntryState.PENDING


def test_an_approval_posts_into_a_closed_period_only_for_an_approver_who_may(setup, make_user):
    """The workflow posts as a system actor; a closed period still needs the
    last approver to hold post_closed_period (a manager approving must not let
    an accountant post after the close)."""
    from backoffice.accounting.models import PeriodState

    from .ledger_helpers import period

    company, accountant, chief, draft = setup
    manager = person(make_user, company, Role.HR_MANAGER)
    step = ApprovalStep.objects.get(policy__company=company)
    step.approver_kind = ApproverKind.USERS  # any one of the two
    step.save()
    step.users.set([manager, chief])
    services.period_set_state(actor=chief, period=period(company), state=PeriodState.CLOSED)
    entry = entry_submit(actor=accountant, entry=draft)
    before = state()
    with pytest.raises(PermissionDenied) as err:
        wf.approval_decide(actor=manager, company=company, request=_request(entry), approve=True)
    assert err.value.code == "period_closed"
    entry.refresh_from_db()
    assert entry.state == EntryState.PENDING  # the decision was not kept either
    assert state() == before
    wf.approval_decide(actor=chief, company=company, request=_request(entry), approve=True)
    entry.refresh_from_db()
    assert entry.state == EntryState.POSTED
