"""Remote collaborators: agreement, portal access that ends with it, work logs
approved for payment through the approval engine, scoping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.core.enums import Role
from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import Membership
from backoffice.hr.enums import WorkLogState
from backoffice.hr.models import Contract, OnboardingCase, WorkLog
from backoffice.hr.selectors import onboarding as sel
from backoffice.hr.services import collaborators as svc
from backoffice.hr.tests.conftest import act
from backoffice.hr.tests.test_onboarding_helpers import use_fallbacks
from backoffice.workflow.services import approval_decide

pytestmark = pytest.mark.django_db

AGREEMENT = {
    "scope": "Dịch tài liệu kỹ thuật",
    "rate": Decimal(250_000),
    "rate_unit": "hour",
    "start_date": dt.date(2026, 11, 2),
    "end_date": dt.date(2026, 12, 31),
}


@pytest.fixture(autouse=True)
def _fallbacks(monkeypatch):
    return use_fallbacks(monkeypatch)


@pytest.fixture
def collab(hr_org, make_user):
    # A second HR manager: the one who submits on someone's behalf cannot approve.
    make_user(hr_org.company, roles=[Role.HR_MANAGER], email="tpns2@a.vn")
    person = svc.collaborator_start(
        actor=hr_org.hr_manager, company=hr_org.company, full_name="Phan Thu Hà",
        email="ha.ctv@gmail.com", code="CTV00001", agreement=AGREEMENT,
    )  # fmt: skip
    return act(person.user, hr_org.company), person


def test_start_signs_the_agreement_opens_portal_access_and_a_case(hr_org, collab):
    user, person = collab
    assert person.kind == "collaborator"
    contract = Contract.objects.get(employee=person)
    assert (contract.contract_type, contract.state, contract.end_date) == (
        "service", "active", dt.date(2026, 12, 31))  # fmt: skip
    assert Membership.objects.get(user=user, company=hr_org.company).role == Role.COLLABORATOR
    case = OnboardingCase.objects.get(employee=person)
    assert case.template.name == "Cộng tác viên mới"
    assert case.case_tasks.count() == 3
    assert svc.collaborator_has_access(person, dt.date(2026, 12, 31)) is True
    assert svc.collaborator_has_access(person, dt.date(2027, 1, 1)) is False
    assert svc.collaborator_has_access(person, dt.date(2026, 11, 1)) is False


def test_agreement_must_be_complete(hr_org):
    with pytest.raises(ValidationFailed) as exc:
        svc.collaborator_start(actor=hr_org.hr_manager, company=hr_org.company, full_name="X",
                               agreement={**AGREEMENT, "end_date": None})  # fmt: skip
    assert exc.value.code == "agreement_incomplete"


def test_access_ends_with_the_agreement(hr_org, collab):
    user, person = collab
    assert svc.collaborator_access_sync(company=hr_org.company, on=dt.date(2026, 12, 31)) == 0
    assert svc.collaborator_access_sync(on=dt.date(2027, 1, 1)) == 1
    m = Membership.objects.get(user=user, company=hr_org.company)
    assert m.is_active is False
    assert svc.collaborator_access_sync(on=dt.date(2027, 1, 1)) == 0  # idempotent
    # A renewed agreement in force reopens the access.
    Contract.objects.filter(employee=person).update(end_date=dt.date(2027, 6, 30))
    assert svc.collaborator_access_sync(on=dt.date(2027, 1, 2)) == 1
    assert Membership.objects.get(user=user, company=hr_org.company).is_active is True
    Contract.objects.filter(employee=person).update(end_date=dt.date(2026, 12, 31))
    assert svc.collaborator_access_sync(on=dt.date(2027, 1, 2)) == 1
    # The portal check refuses too, whatever the membership says.
    with pytest.raises(PermissionDenied) as exc:
        _log_after_end(hr_org, user, person)
    assert exc.value.code == "access_ended"


def _log_after_end(hr_org, user, person):
    from unittest import mock

    with mock.patch("backoffice.hr.services.collaborators.timezone.localdate",
                    return_value=dt.date(2027, 1, 5)):  # fmt: skip
        svc.worklog_create(actor=user, company=hr_org.company, employee=person,
                           date=dt.date(2026, 12, 30), description="Dịch", hours=2)  # fmt: skip


def test_work_log_amount_and_approval_for_payment(hr_org, collab):
    user, person = collab
    log = svc.worklog_create(actor=user, company=hr_org.company, employee=person,
                             date=dt.date(2026, 11, 20), description="Dịch chương 1",
                             hours=Decimal("6.5"))  # fmt: skip
    assert log.amount == Decimal(1_625_000)
    assert log.state == WorkLogState.DRAFT
    svc.worklog_submit(actor=user, company=hr_org.company, worklog=log)
    log.refresh_from_db()
    assert log.state == WorkLogState.SUBMITTED
    req = svc.worklog_approval(log)
    assert (req.request_type, req.amount, req.state) == ("collaborator_work", Decimal(1_625_000),
                                                          "pending")  # fmt: skip
    with pytest.raises(PermissionDenied):
        approval_decide(actor=hr_org.hr_officer, company=hr_org.company, request=req,
                        approve=True)  # fmt: skip
    approval_decide(actor=hr_org.hr_manager, company=hr_org.company, request=req, approve=True)
    log.refresh_from_db()
    assert log.state == WorkLogState.APPROVED


def test_rejected_then_resubmitted_and_withdrawn(hr_org, collab):
    user, person = collab
    log = svc.worklog_create(actor=user, company=hr_org.company, employee=person,
                             date=dt.date(2026, 11, 21), description="Dịch", hours=2)  # fmt: skip
    svc.worklog_submit(actor=user, company=hr_org.company, worklog=log)
    approval_decide(actor=hr_org.hr_manager, company=hr_org.company,
                    request=svc.worklog_approval(log), approve=False, comment="Thiếu")  # fmt: skip
    log.refresh_from_db()
    assert log.state == WorkLogState.REJECTED
    svc.worklog_submit(actor=user, company=hr_org.company, worklog=log)
    log = svc.worklog_withdraw(actor=user, company=hr_org.company, worklog=log)
    assert log.state == WorkLogState.DRAFT


def test_work_log_refusals(hr_org, collab):
    user, person = collab
    c = hr_org.company
    with pytest.raises(ValidationFailed) as exc:
        svc.worklog_create(actor=user, company=c, employee=person, date=dt.date(2026, 10, 30),
                           description="Trước HĐ", hours=1)  # fmt: skip
    assert exc.value.code == "no_agreement"
    with pytest.raises(ValidationFailed) as exc:
        svc.worklog_create(actor=user, company=c, employee=person, date=dt.date(2026, 11, 20),
                           description="Không giờ", quantity=3)  # fmt: skip
    assert exc.value.code == "nothing_to_pay"
    # Another person (not HR) cannot log work for the collaborator.
    with pytest.raises(PermissionDenied):
        svc.worklog_create(actor=hr_org.staff, company=c, employee=person,
                           date=dt.date(2026, 11, 20), description="x", hours=1)  # fmt: skip
    with pytest.raises(NotFound):
        svc.worklog_create(actor=hr_org.outsider_hr, company=hr_org.other_company,
                           employee=person, date=dt.date(2026, 11, 20), description="x",
                           hours=1)  # fmt: skip


def test_work_logs_visible_to_the_collaborator_and_hr_only(hr_org, collab, make_user):
    user, person = collab
    log = svc.worklog_create(actor=hr_org.hr_officer, company=hr_org.company, employee=person,
                             date=dt.date(2026, 11, 20), description="Dịch", hours=1)  # fmt: skip
    other = make_user(hr_org.company, roles=[Role.COLLABORATOR], email="ctv2@a.vn")
    act(other, hr_org.company)
    seen = {
        name: list(sel.worklog_list(user=u, company=hr_org.company))
        for name, u in (("collab", user), ("hr", hr_org.hr_officer), ("payroll", hr_org.payroll),
                        ("other_collab", other), ("staff", hr_org.staff),
                        ("it", hr_org.it_officer), ("manager", hr_org.manager))
    }  # fmt: skip
    assert seen == {"collab": [log], "hr": [log], "payroll": [log], "other_collab": [],
                    "staff": [], "it": [], "manager": []}  # fmt: skip
    assert list(sel.worklog_list(user=hr_org.outsider_hr, company=hr_org.other_company)) == []
    with pytest.raises(NotFound):
        sel.worklog_get_for_user(user=hr_org.outsider_hr, company=hr_org.other_company,
                                 public_id=log.public_id)  # fmt: skip
    assert sel.may_see_worklog_amount(user=user, log=log) is True
    assert sel.may_see_worklog_amount(user=hr_org.payroll, log=log) is True
    assert sel.may_see_worklog_amount(user=hr_org.hr_officer, log=log) is False
    assert WorkLog.objects.count() == 1
