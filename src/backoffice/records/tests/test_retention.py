"""Retention: what is due, legal hold, disposal only after approval, audited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from backoffice.core.enums import Classification, Role
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.records import selectors, services
from backoffice.records.models import DisposalStatus, Document, DocumentStatus, RetentionRule
from backoffice.records.tests.conftest import stored_files
from backoffice.records.tests.helpers import attach, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(company_a, make_user):
    services.retention_defaults_install(company=company_a)
    officer = person(make_user, company_a, Role.COMPLIANCE_OFFICER, email="co@x.vn")
    ops = person(make_user, company_a, Role.OPERATIONS_MANAGER, email="ops@x.vn")
    today = dt.date.today()
    old = dt.date(today.year - 11, 6, 30)
    recent = dt.date(today.year - 10, 1, 15)  # the 10 years run to the end of the year + 10
    docs = {
        "old": attach(officer, company_a, "pc.txt", "Phiếu chi cũ", title="Phiếu chi 2015",
                      doc_type="accounting_voucher", document_date=old,
                      classification=Classification.CONFIDENTIAL),
        "recent": attach(officer, company_a, "pc2.txt", "Phiếu chi", title="Phiếu chi gần",
                         doc_type="accounting_voucher", document_date=recent),
        "held": attach(officer, company_a, "pc3.txt", "Phiếu chi tranh chấp", title="Tranh chấp",
                       doc_type="accounting_voucher", document_date=old),
        "untyped": attach(officer, company_a, "x.txt", "Không loại", title="Không loại",
                          document_date=old),
    }  # fmt: skip
    services.document_set_legal_hold(actor=officer, document=docs["held"], hold=True,
                                     reason="Vụ kiện 2026")  # fmt: skip
    return company_a, officer, ops, docs


def due_titles(user, company):
    return [d.title for d in selectors.retention_due(user=user, company=company)]


def test_default_rules_ship_with_the_law_on_accounting(company_a):
    services.retention_defaults_install(company=company_a)
    rule = RetentionRule.objects.get(company=company_a, doc_type="accounting_voucher")
    assert rule.years == 10
    assert "88/2015" in rule.legal_basis
    assert services.retention_defaults_install(company=company_a) == 0  # idempotent


def test_due_list_respects_the_period_and_the_legal_hold(setup):
    company, officer, _ops, docs = setup
    assert due_titles(officer, company) == ["Phiếu chi 2015"]
    services.document_set_legal_hold(actor=officer, document=docs["held"], hold=False)
    assert due_titles(officer, company) == ["Phiếu chi 2015", "Tranh chấp"]
    # A shorter rule makes more documents due; editing rules is audited.
    rule = RetentionRule.objects.get(company=company, doc_type="accounting_voucher")
    services.retention_rule_update(actor=officer, rule=rule, years=1)
    assert "Phiếu chi gần" in due_titles(officer, company)
    assert AuditEvent.objects.filter(event_type="RETENTION_RULE_UPDATED").exists()


def test_retention_due_command(setup):
    from backoffice.cli import main

    company, *_ = setup
    result = CliRunner().invoke(main, ["records", "retention-due", "--company", company.code,
                                       "--format", "json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["title"] for r in rows] == ["Phiếu chi 2015"]
    assert rows[0]["retention_years"] == 10
    csv_out = CliRunner().invoke(main, ["records", "retention-due", "--format", "csv"]).output
    assert csv_out.splitlines()[0].startswith("company,id,title")
    bad = CliRunner().invoke(main, ["records", "retention-due", "--company", "NOPE"])
    assert bad.exit_code != 0


def test_only_due_documents_can_be_proposed(setup):
    company, officer, _ops, docs = setup
    for key in ("recent", "held", "untyped"):
        with pytest.raises(ValidationFailed) as exc:
            services.disposal_propose(actor=officer, company=company, documents=[docs[key]])
        assert exc.value.code == "not_due"


def test_disposal_needs_a_second_person_and_is_audited(
    setup, records_home, django_capture_on_commit_callbacks
):
    company, officer, ops, docs = setup
    batch = services.disposal_propose(actor=officer, company=company, documents=[docs["old"]])
    assert batch.status == DisposalStatus.PENDING
    # Nothing is deleted by the proposal; the document is not proposed twice.
    assert len(stored_files(records_home)) == 4
    assert due_titles(officer, company) == []
    # The proposer cannot approve their own proposal.
    with pytest.raises(PermissionDenied) as exc:
        services.disposal_approve(actor=officer, batch=batch)
    assert exc.value.code == "same_person"
    with django_capture_on_commit_callbacks(execute=True):
        services.disposal_approve(actor=ops, batch=batch)
    batch.refresh_from_db()
    assert batch.status == DisposalStatus.DISPOSED
    assert batch.decided_by == ops
    doc = Document.objects.get(pk=docs["old"].pk)
    # A tombstone: the metadata stays, the bytes and the index text are gone.
    assert doc.status == DocumentStatus.DISPOSED
    assert doc.title == "Phiếu chi 2015"
    assert doc.search_text == ""
    assert doc.versions.get().purged_at is not None
    assert len(stored_files(records_home)) == 3
    assert not selectors.document_search(user=officer, company=company, query="phieu chi cu")
    from backoffice.core.exceptions import NotFound

    with pytest.raises(NotFound):
        selectors.document_open(user=officer, company=company, public_id=doc.public_id)
    events = set(AuditEvent.objects.values_list("event_type", flat=True))
    assert {"DISPOSAL_PROPOSED", "DISPOSAL_APPROVED", "DOCUMENT_DISPOSED",
            "DISPOSAL_EXECUTED"} <= events  # fmt: skip
    with pytest.raises(Conflict):
        services.disposal_approve(actor=ops, batch=batch)


def test_a_rejected_disposal_deletes_nothing(setup, records_home):
    company, officer, ops, docs = setup
    batch = services.disposal_propose(actor=officer, company=company, documents=[docs["old"]])
    services.disposal_reject(actor=ops, batch=batch, reason="Còn cần")
    assert Document.objects.get(pk=docs["old"].pk).status == DocumentStatus.ACTIVE
    assert len(stored_files(records_home)) == 4
    assert due_titles(officer, company) == ["Phiếu chi 2015"]  # may be proposed again


def test_a_legal_hold_set_after_the_proposal_still_protects(setup, records_home):
    company, officer, ops, docs = setup
    batch = services.disposal_propose(actor=officer, company=company, documents=[docs["old"]])
    services.document_set_legal_hold(actor=officer, document=docs["old"], hold=True)
    services.disposal_approve(actor=ops, batch=batch)
    assert Document.objects.get(pk=docs["old"].pk).status == DocumentStatus.ACTIVE


def test_roles_without_the_permission_cannot_propose_or_approve(setup, make_user):
    company, officer, _ops, docs = setup
    accountant = person(make_user, company, Role.ACCOUNTANT)
    with pytest.raises(PermissionDenied):
        services.disposal_propose(actor=accountant, company=company, documents=[docs["old"]])
    batch = services.disposal_propose(actor=officer, company=company, documents=[docs["old"]])
    with pytest.raises(PermissionDenied):
        services.disposal_approve(actor=accountant, batch=batch)


def test_retention_job_counts_what_is_due(setup):
    from backoffice.core.jobs import job_enqueue, job_run

    company, officer, *_ = setup
    job = job_enqueue(actor=officer, company=company, kind="records.retention_due")
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded"
    assert job.result["due"] == 1
