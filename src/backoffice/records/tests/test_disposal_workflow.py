"""Disposal through the approvals engine (when the company has a policy for it)."""

from __future__ import annotations

import datetime as dt

import pytest

from backoffice.core.enums import Role
from backoffice.core.exceptions import Conflict
from backoffice.core.models import AuditEvent
from backoffice.records import services
from backoffice.records.models import DisposalStatus, Document, DocumentStatus
from backoffice.records.tests.conftest import stored_files
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db

wf_services = pytest.importorskip("backoffice.workflow.services")
if not hasattr(wf_services, "approval_decide"):  # pragma: no cover - engine not there yet
    pytest.skip("the workflow engine is not available", allow_module_level=True)


@pytest.fixture
def setup(company_a, make_user):
    from backoffice.workflow.models import ApprovalPolicy, ApprovalStep

    services.retention_defaults_install(company=company_a)
    policy = ApprovalPolicy.objects.create(
        company=company_a, request_type="document_disposal", name="Hủy tài liệu"
    )
    ApprovalStep.objects.create(policy=policy, order=1, name="Giám đốc",
                                approver_kind="role", role=Role.OPERATIONS_MANAGER)  # fmt: skip
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER, email="co@x.vn")
    ops = person(make_user, company_a, Role.OPERATIONS_MANAGER, email="ops@x.vn")
    old = dt.date(dt.date.today().year - 12, 3, 1)
    doc = attach(officer, company_a, "pc.txt", "phiếu chi", doc_type="accounting_voucher",
                 document_date=old)  # fmt: skip
    return company_a, officer, ops, doc


def _request(batch):
    from backoffice.workflow.models import ApprovalRequest

    return ApprovalRequest.objects.get(subject_id=batch.pk, request_type="document_disposal")


def test_disposal_happens_when_the_workflow_approves(
    setup, records_home, django_capture_on_commit_callbacks
):
    company, officer, ops, doc = setup
    batch = services.disposal_propose(actor=officer, company=company, documents=[doc])
    assert batch.approval_ref
    # The records-internal approval is not used when the engine decides.
    with pytest.raises(Conflict):
        services.disposal_approve(actor=ops, batch=batch)
    assert len(stored_files(records_home)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        wf_services.approval_decide(actor=ops, company=company, request=_request(batch),
                                    approve=True)  # fmt: skip
    batch.refresh_from_db()
    assert batch.status == DisposalStatus.DISPOSED
    assert batch.decided_by == ops
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.DISPOSED
    assert stored_files(records_home) == []
    assert AuditEvent.objects.filter(event_type="DOCUMENT_DISPOSED").count() == 1


def test_a_workflow_rejection_keeps_the_document(setup, records_home):
    company, officer, ops, doc = setup
    batch = services.disposal_propose(actor=officer, company=company, documents=[doc])
    wf_services.approval_decide(actor=ops, company=company, request=_request(batch),
                                approve=False, comment="Còn tranh chấp")  # fmt: skip
    batch.refresh_from_db()
    assert batch.status == DisposalStatus.REJECTED
    assert Document.objects.get(pk=doc.pk).status == DocumentStatus.ACTIVE
    assert len(stored_files(records_home)) == 1
