"""``application_submit``, the one path of every application: what it stores
(candidate with encrypted CV text, application in the first stage, the CV as
a confidential records document, the status token's hash), what it refuses
(with nothing stored), duplicates by e-mail, staff permission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail as djmail
from django.utils import timezone, translation

from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.records.models import Document
from backoffice.recruitment.models import Application, Candidate, EmailTemplate, StageChange
from backoffice.recruitment.services import applications as svc
from backoffice.recruitment.tests.conftest import act
from backoffice.recruitment.tests.test_careers_cvs import cv_docx, upload

pytestmark = pytest.mark.django_db


def submit(rec, **kw):
    args = {"actor": None, "company": rec.company, "posting": rec.posting,
            "full_name": "Nguyễn Thị Hồng Nhung", "email": "Nhung.Nguyen@Example.vn",
            "phone": "+84 912 345 678", "cv_file": upload("pdf")}  # fmt: skip
    args.update(kw)
    return svc.application_submit(**args)


def nothing_stored():
    return (
        Candidate.objects.count() == 0
        and Application.objects.count() == 0
        and Document.objects.filter(doc_type="cv").count() == 0
    )


def test_apply_stores_candidate_application_cv_and_token(rec, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app, token = submit(rec, cover_letter="Tôi rất quan tâm.", province="79")
    cand = app.candidate
    assert cand.full_name == "Nguyễn Thị Hồng Nhung"
    assert cand.email == "nhung.nguyen@example.vn"
    assert cand.email_index == svc.email_index("NHUNG.nguyen@example.vn ")
    assert cand.phone_index == svc.phone_index("0912 345 678")
    assert "Cử nhân Công nghệ thông tin" in cand.cv_text
    assert cand.consent_until == svc.add_months(timezone.localdate(), 12)
    assert cand.consent_version == svc.CONSENT_VERSION
    assert cand.province == "79"
    assert app.stage == rec.stages["new"]
    assert app.state == "active"
    assert app.source == "careers_page"
    assert app.cover_letter == "Tôi rất quan tâm."
    assert StageChange.objects.filter(application=app, from_stage=None).count() == 1
    # the token is not stored, its hash is; it finds the application
    assert token not in app.status_token_hash
    assert len(token) >= 40
    assert svc.application_by_token(token) == app
    assert svc.application_by_token(token + "x") is None
    # the CV: a confidential records document attached to the application
    doc = Document.objects.get(owner_type=ContentType.objects.get_for_model(Application),
                               owner_id=str(app.pk))  # fmt: skip
    assert doc.classification == "confidential"
    assert doc.doc_type == "cv"
    assert doc.company == rec.company
    # encrypted at rest: the raw column holds no plain text
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT cv_text, email FROM recruitment_candidate WHERE id = %s", [cand.pk])
        raw_cv, raw_email = cur.fetchone()
    assert "Nhung" not in raw_cv
    assert "example.vn" not in raw_email
    # the confirmation e-mail with the private link
    [message] = djmail.outbox
    assert message.to == ["nhung.nguyen@example.vn"]
    assert f"/careers/status/{token}/" in message.body


def test_docx_cv_and_the_screening_fingerprint(rec):
    app, _token = submit(rec, cv_file=upload("docx"))
    assert "Nguyễn Thị Hồng Nhung" in app.candidate.cv_text
    try:
        from backoffice.recruitment.screening import simhash
    except ImportError:  # pragma: no cover - screening area not installed
        return
    assert app.candidate.cv_fingerprint == simhash(app.candidate.cv_text)


def test_company_confirmation_template_is_used(rec, django_capture_on_commit_callbacks):
    EmailTemplate.objects.filter(company=rec.company, kind="confirmation").delete()
    EmailTemplate.objects.create(
        company=rec.company, kind="confirmation", name="Xác nhận", language="vi",
        subject="Đã nhận hồ sơ {job_title}", body="Chào {candidate_name}, link: {status_link}",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True), translation.override("vi"):
        _app, token = submit(rec)
    [message] = djmail.outbox
    assert message.subject == "Đã nhận hồ sơ Lập trình viên Python"
    assert message.body.startswith("Chào Nguyễn Thị Hồng Nhung, link: http")
    assert token in message.body


def test_stage_emails_carry_the_same_private_link(rec, client, django_capture_on_commit_callbacks):
    from urllib.parse import urlsplit

    from backoffice.recruitment.services import pipeline

    EmailTemplate.objects.create(
        company=rec.company, kind="stage", name="Vòng sơ tuyển", language="vi",
        stage=rec.stages["screening"], auto_send=True,
        subject="{job_title}", body="Hồ sơ của bạn ở vòng {stage}: {status_link}",
    )  # fmt: skip
    app, token = submit(rec)
    assert app.status_token == token  # kept encrypted beside its hash
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.application_move(
            actor=rec.org.hr_officer, application=app, stage=rec.stages["screening"]
        )
    body = djmail.outbox[-1].body
    link = body.rsplit(": ", 1)[1].strip()
    assert link.endswith(f"/careers/status/{token}/")
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Nguyễn Thị Hồng Nhung" in page.content.decode()


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"consent": False}, "consent_required"),
        ({"full_name": "  "}, "name_required"),
        ({"email": "not-an-email"}, "email_invalid"),
        ({"email": ""}, "email_required"),
        ({"phone": "12"}, "phone_invalid"),
        ({"cv_file": None}, "cv_required"),
        ({"cover_letter": "x" * 5001}, "cover_letter_too_long"),
    ],
)
def test_refusals_store_nothing(rec, kwargs, code):
    with pytest.raises(ValidationFailed) as exc:
        submit(rec, **kwargs)
    assert exc.value.code == code
    assert nothing_stored()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cv.exe", b"MZ\x90\x00" + b"\x00" * 100),
        ("cv.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # a program named .pdf
        ("cv.pdf", b"just some text pretending to be a PDF"),
        ("cv.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("cv.txt", "Nguyễn Thị Hồng Nhung".encode()),
        ("cv.docx", None),  # a PDF named .docx
    ],
)
def test_bad_cv_file_is_refused_with_nothing_stored(rec, name, data):
    from backoffice.recruitment.tests.test_careers_cvs import cv_pdf

    bad = upload("pdf", name=name, data=data if data is not None else cv_pdf())
    with pytest.raises(ValidationFailed) as exc:
        submit(rec, cv_file=bad)
    assert exc.value.code in ("cv_type", "cv_refused")
    assert exc.value.extra["field"] == "cv"
    assert nothing_stored()


def test_too_big_cv_is_refused(rec):
    rec.company.settings = {"recruitment": {"cv_max_mb": 1}}
    rec.company.save()
    big = cv_docx(["Nguyễn Văn A " + "x" * 100] * 10) + b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationFailed) as exc:
        submit(rec, cv_file=upload("docx", data=big))
    assert exc.value.code == "cv_too_large"
    assert nothing_stored()


def test_closed_or_expired_posting_cannot_be_applied_to(rec):
    posting = rec.posting
    posting.deadline = timezone.localdate() - dt.timedelta(days=1)
    posting.save()
    with pytest.raises(Conflict) as exc:
        submit(rec)
    assert exc.value.code == "posting_closed"
    posting.deadline = timezone.localdate()  # the deadline day is still open
    posting.state = "closed"
    posting.save()
    with pytest.raises(Conflict):
        submit(rec)
    posting.state = "draft"
    posting.save()
    with pytest.raises(Conflict):
        submit(rec)
    assert nothing_stored()


def test_another_company_posting_is_refused(rec):
    with pytest.raises(ValidationFailed) as exc:
        submit(rec, company=rec.org.other_company)
    assert exc.value.code == "cross_company_reference"
    assert nothing_stored()


def test_same_email_same_candidate_and_no_double_application(rec, make_company):
    from backoffice.recruitment.models import JobPosting

    app1, _t = submit(rec)
    with pytest.raises(Conflict) as exc:
        submit(rec, email="nhung.nguyen@example.vn")
    assert exc.value.code == "already_applied"
    other = JobPosting.objects.create(
        company=rec.company, slug="ke-toan", title="Kế toán", state="published",
        published_at=timezone.now(),
    )  # fmt: skip
    app2, _t2 = submit(rec, posting=other, email="NHUNG.NGUYEN@example.vn", full_name="Nhung N.",
                       cv_file=upload("docx"))  # fmt: skip
    assert app2.candidate_id == app1.candidate_id
    cand = Candidate.objects.get()
    assert cand.full_name == "Nhung N."
    assert Application.objects.count() == 2
    # after a withdrawal the same person may apply again
    svc.application_withdraw(actor=None, application=app1)
    app3, _t3 = submit(rec)
    assert app3.candidate_id == cand.pk


def test_staff_add_needs_permission_and_keeps_the_source(rec):
    org = rec.org
    with pytest.raises(PermissionDenied):
        submit(rec, actor=act(org.manager, rec.company), source="referral")
    with pytest.raises(PermissionDenied):
        submit(rec, actor=act(org.outsider_hr, org.other_company), source="referral")
    app, _token = submit(rec, actor=act(org.hr_officer, rec.company), source="headhunter",
                         source_detail="Talent Co.")  # fmt: skip
    assert app.source == "headhunter"
    assert app.source_detail == "Talent Co."
    assert app.created_by == org.hr_officer


def test_public_cannot_choose_a_source(rec):
    app, _token = submit(rec, source="referral")
    assert app.source == "careers_page"


def test_candidate_status_words(rec):
    app, token = submit(rec)
    assert svc.candidate_status(app)["key"] == "new"
    app.stage = rec.stages["interview"]
    assert svc.candidate_status(app)["key"] == "interview"
    app.state = "rejected"
    app.stage = rec.stages["rejected"]
    assert svc.candidate_status(app)["key"] == "closed"
    svc.application_withdraw(actor=None, application=Application.objects.get(pk=app.pk))
    assert svc.candidate_status(Application.objects.get(pk=app.pk))["key"] == "withdrawn"
    with pytest.raises(Conflict):
        svc.application_withdraw(actor=None, application=app)


def test_throttle_refuses_over_the_limit():
    from backoffice.core.exceptions import RateLimited

    for _ in range(svc.RATE_LIMIT):
        svc.application_throttle(client="k1")
    with pytest.raises(RateLimited):
        svc.application_throttle(client="k1")
    svc.application_throttle(client="k2")  # another client is not affected
