"""Offers: within the range approved at once, above it through the approval
engine (HR manager, then the director); the letter is a Vietnamese PDF
(read back with pypdf: the candidate's name, the amount in figures and words)
stored as a confidential document of the application and e-mailed;
accept / decline (reason) / withdraw; who sees salaries."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.recruitment.enums import OfferState
from backoffice.recruitment.models import Application, Candidate, Offer, StageChange
from backoffice.recruitment.selectors import offers as sel
from backoffice.recruitment.services import offers as svc

pytestmark = pytest.mark.django_db

START = timezone.localdate() + dt.timedelta(days=30)


def make_application(rec, name="Trần Thị Hoa", email="hoa.tran@example.vn", stage="interview",
                     source="careers_page", applied_days_ago=20):  # fmt: skip
    cand = Candidate.objects.create(company=rec.company, full_name=name, email=email,
                                    phone="0912345678")  # fmt: skip
    at = timezone.now() - dt.timedelta(days=applied_days_ago)
    app = Application.objects.create(
        company=rec.company, candidate=cand, posting=rec.posting, stage=rec.stages[stage],
        applied_at=at, stage_entered_at=at, source=source,
    )  # fmt: skip
    StageChange.objects.create(application=app, to_stage=rec.stages[stage], at=at)
    return app


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_within_range_is_approved_directly_and_sent_with_a_vietnamese_letter(rec):
    org = rec.org
    app = make_application(rec)
    offer = svc.offer_create(actor=org.hr_officer, application=app, salary=Decimal("15000000"),
                             start_date=START, benefits="Bảo hiểm sức khoẻ\n13 tháng lương",
                             expires_on=START - dt.timedelta(days=10))  # fmt: skip
    assert offer.state == OfferState.DRAFT
    assert not offer.above_range
    assert offer.number.startswith("TB")
    assert offer.job_title == "Lập trình viên Python"
    assert offer.department == org.sales
    assert offer.position == org.dev
    offer = svc.offer_submit(actor=org.hr_officer, offer=offer)
    assert offer.state == OfferState.APPROVED
    with django_mail_capture() as outbox:
        offer = svc.offer_send(actor=org.hr_officer, offer=offer)
    assert offer.state == OfferState.SENT
    assert offer.letter is not None
    assert offer.letter.classification == "confidential"
    app.refresh_from_db()
    assert app.stage.kind == "offer"
    assert StageChange.objects.filter(application=app, to_stage__kind="offer").exists()
    # the letter, read back from the records store
    from backoffice.records.selectors import document_open

    _doc, _ver, data = document_open(user=org.hr_officer, company=rec.company,
                                     public_id=offer.letter.public_id)  # fmt: skip
    text = pdf_text(data)
    assert "THƯ MỜI NHẬN VIỆC" in text
    assert "Trần Thị Hoa" in text
    assert "15.000.000" in text
    assert "Mười lăm triệu đồng" in text
    assert "Bảo hiểm sức khoẻ" in text
    # the letter shows the salary: the hiring manager (who sees the application and
    # its CV) does not see it; HR does
    from backoffice.records.selectors import visible_documents

    assert (
        not visible_documents(user=org.manager, company=rec.company)
        .filter(pk=offer.letter_id)
        .exists()
    )
    assert (
        visible_documents(user=org.hr_manager, company=rec.company)
        .filter(pk=offer.letter_id)
        .exists()
    )
    # e-mailed to the candidate with the PDF
    assert len(outbox) == 1
    assert outbox[0].to == ["hoa.tran@example.vn"]
    assert outbox[0].attachments[0][2] == "application/pdf"


class django_mail_capture:
    """Run the on-commit e-mail callbacks of the block and give the outbox."""

    def __enter__(self):
        from django.test import TestCase

        self._ctx = TestCase.captureOnCommitCallbacks(execute=True)
        self._ctx.__enter__()
        django_mail.outbox = []
        return django_mail.outbox

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


def _pending(offer):
    return svc.approval_of(offer)


def test_above_range_needs_approval_by_hr_manager_then_director(rec):
    from backoffice.workflow.services import approval_decide

    org = rec.org
    app = make_application(rec)
    offer = svc.offer_create(actor=org.hr_officer, application=app,
                             salary=Decimal("20000000"), start_date=START)  # fmt: skip
    assert offer.above_range
    offer = svc.offer_submit(actor=org.hr_officer, offer=offer)
    assert offer.state == OfferState.PENDING
    req = _pending(offer)
    assert req.request_type == "recruitment_offer"
    assert req.amount == Decimal("20000000")
    with pytest.raises(Conflict):
        svc.offer_send(actor=org.hr_officer, offer=offer)
    approval_decide(actor=org.hr_manager, company=rec.company, request=req, approve=True)
    offer.refresh_from_db()
    assert offer.state == OfferState.PENDING  # the director still decides
    approval_decide(actor=org.director, company=rec.company, request=req, approve=True)
    offer.refresh_from_db()
    assert offer.state == OfferState.APPROVED


def test_a_rejected_approval_puts_the_offer_back_to_draft(rec):
    from backoffice.workflow.services import approval_decide

    org = rec.org
    offer = svc.offer_create(actor=org.hr_officer, application=make_application(rec),
                             salary=Decimal("25000000"), start_date=START)  # fmt: skip
    offer = svc.offer_submit(actor=org.hr_officer, offer=offer)
    approval_decide(actor=org.hr_manager, company=rec.company, request=_pending(offer),
                    approve=False, comment="Quá cao")  # fmt: skip
    offer.refresh_from_db()
    assert offer.state == OfferState.DRAFT
    offer = svc.offer_update(actor=org.hr_officer, offer=offer, salary=Decimal("17000000"))
    assert not offer.above_range
    assert svc.offer_submit(actor=org.hr_officer, offer=offer).state == OfferState.APPROVED


def _sent(rec, **kw):
    org = rec.org
    offer = svc.offer_create(actor=org.hr_officer, application=make_application(rec, **kw),
                             salary=Decimal("14000000"), start_date=START)  # fmt: skip
    svc.offer_submit(actor=org.hr_officer, offer=offer)
    return svc.offer_send(actor=org.hr_officer, offer=offer)


def test_accept_and_decline_are_recorded(rec):
    org = rec.org
    offer = _sent(rec)
    offer = svc.offer_accept(actor=org.hr_officer, offer=offer)
    assert offer.state == OfferState.ACCEPTED
    assert offer.responded_at
    with pytest.raises(Conflict):
        svc.offer_decline(actor=org.hr_officer, offer=offer, reason="x")
    other = _sent(rec, name="Lê Văn Bình", email="binh@example.vn")
    with pytest.raises(ValidationFailed):
        svc.offer_decline(actor=org.hr_officer, offer=other, reason=" ")
    other = svc.offer_decline(actor=org.hr_officer, offer=other, reason="Nhận việc nơi khác")
    assert other.state == OfferState.DECLINED
    assert other.decline_reason == "Nhận việc nơi khác"


def test_withdraw_a_pending_offer_withdraws_its_approval(rec):
    org = rec.org
    offer = svc.offer_create(actor=org.hr_officer, application=make_application(rec),
                             salary=Decimal("30000000"), start_date=START)  # fmt: skip
    offer = svc.offer_submit(actor=org.hr_officer, offer=offer)
    offer = svc.offer_withdraw(actor=org.hr_officer, offer=offer, reason="Đổi kế hoạch")
    assert offer.state == OfferState.WITHDRAWN
    assert _pending(offer).state == "withdrawn"
    # a new offer may be made once the first is withdrawn
    again = svc.offer_create(actor=org.hr_officer, application=offer.application,
                             salary=Decimal("16000000"), start_date=START)  # fmt: skip
    assert again.state == OfferState.DRAFT


def test_one_live_offer_and_bad_input(rec):
    org = rec.org
    app = make_application(rec)
    svc.offer_create(actor=org.hr_officer, application=app, salary=15_000_000, start_date=START)
    with pytest.raises(Conflict):
        svc.offer_create(actor=org.hr_officer, application=app, salary=15_000_000,
                         start_date=START)  # fmt: skip
    app2 = make_application(rec, name="B", email="b@example.vn")
    for bad in ("-5", "abc", "0"):
        with pytest.raises(ValidationFailed):
            svc.offer_create(actor=org.hr_officer, application=app2, salary=bad, start_date=START)
    with pytest.raises(ValidationFailed):
        svc.offer_create(actor=org.hr_officer, application=app2, salary=15_000_000,
                         start_date=START, probation_days=200)  # fmt: skip


def test_who_may_make_offers_and_see_salaries(rec):
    org = rec.org
    app = make_application(rec)
    for user in (org.manager, org.analyst, org.director, org.staff):
        with pytest.raises(PermissionDenied):
            svc.offer_create(actor=user, application=app, salary=15_000_000, start_date=START)
    with pytest.raises(PermissionDenied):  # another company's HR officer
        svc.offer_create(actor=org.outsider_hr, application=app, salary=15_000_000,
                         start_date=START)  # fmt: skip
    offer = svc.offer_create(actor=org.hr_officer, application=app, salary=15_000_000,
                             start_date=START)  # fmt: skip
    assert list(sel.offer_list(user=org.hr_manager, company=rec.company)) == [offer]
    # the hiring manager sees the application, but not offers nor salaries
    assert list(sel.offer_list(user=org.manager, company=rec.company)) == []
    panel = sel.application_panel(org.manager, app)
    assert panel["offers"][0]["state"] == "draft"
    assert panel["offers"][0]["salary"] is None
    assert not panel["may_offer"]
    assert not panel["see_salary"]
    panel = sel.application_panel(org.hr_officer, app)
    assert panel["offers"][0]["salary"] == Decimal("15000000")
    assert list(sel.offer_list(user=org.analyst, company=rec.company)) == []
    assert list(sel.offer_list(user=org.outsider_hr, company=org.other_company)) == []
    assert Offer.objects.count() == 1


def test_new_companies_get_the_offer_policy(db):
    from backoffice.core import services
    from backoffice.workflow.models import ApprovalPolicy

    company = services.company_create(actor="system", code="MOI", name="Công ty Mới")
    policy = ApprovalPolicy.objects.get(company=company, request_type="recruitment_offer")
    assert [s.role for s in policy.steps.order_by("order")] == ["hr_manager", "operations_manager"]
