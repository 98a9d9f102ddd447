"""Duplicate candidates (same e-mail, same phone, near-identical CV; a
different CV is not flagged) and merging (applications move, the duplicate
is emptied and points to the kept one; audited)."""

from __future__ import annotations

import pytest

from backoffice.core.exceptions import PermissionDenied, ValidationFailed
from backoffice.core.models import AuditEvent
from backoffice.records.text import extract_text
from backoffice.recruitment.models import Application, Candidate
from backoffice.recruitment.selectors.applications import duplicates_of
from backoffice.recruitment.services.candidates import candidate_merge
from backoffice.recruitment.tests import cvs
from backoffice.recruitment.tests.cvs import make_application

pytestmark = pytest.mark.django_db


def _dups(rec, user, cand):
    return {c.full_name: sorted(r) for c, r in
            duplicates_of(user=user, company=rec.company, candidate=cand)}  # fmt: skip


def test_duplicates_by_email_phone_and_cv(rec):
    hr = rec.org.hr_officer
    pdf_text = extract_text(cvs.pdf_bytes(cvs.VI_STRONG), "pdf")
    docx_text = extract_text(cvs.docx_bytes(cvs.VI_STRONG), "docx")
    edited = docx_text.replace("0912 345 678", "0933 444 555")
    base = make_application(rec, cv_text=pdf_text).candidate
    make_application(rec, name="Same Email", email="minh.nguyen@gmail.com", phone="0999999999",
                     cv_text=cvs.EN_WEAK)  # fmt: skip
    make_application(rec, name="Same Phone", email="other@x.vn", phone="0912345678",
                     cv_text=cvs.EN_STRONG)  # fmt: skip
    make_application(rec, name="Near CV", email="minh2@x.vn", phone="0933444555", cv_text=edited)
    make_application(rec, name="Different", email="h@x.vn", phone="0987654321",
                     cv_text=extract_text(cvs.docx_bytes(cvs.VI_JUNIOR), "docx"))  # fmt: skip
    found = _dups(rec, hr, base)
    assert found == {"Same Email": ["email"], "Same Phone": ["phone"], "Near CV": ["cv"]}
    assert "Different" not in found


def test_duplicates_respect_visibility(rec, hr_org):
    base = make_application(rec).candidate
    make_application(rec, name="Same Email", phone="0999999999", cv_text="khác")
    assert _dups(rec, rec.org.staff, base) == {}
    other = make_application(rec, name="Company B", company=hr_org.other_company,
                             stage=_b_stage(hr_org), posting=_b_posting(hr_org))  # fmt: skip
    assert "Company B" not in _dups(rec, rec.org.hr_officer, base)
    assert other.company == hr_org.other_company


def _b_stage(hr_org):
    from backoffice.recruitment.services.stages import stage_first

    return stage_first(hr_org.other_company)


def _b_posting(hr_org):
    from backoffice.recruitment.models import JobPosting

    return JobPosting.objects.create(company=hr_org.other_company, slug="b", title="B job",
                                     state="published")  # fmt: skip


def test_merge_moves_applications_and_empties_duplicate(rec):
    hr = rec.org.hr_officer
    keep_app = make_application(rec, phone="")
    dup_app = make_application(rec, name="Nguyen Van Minh", phone="0912345678",
                               email="minh.nguyen@gmail.com")  # fmt: skip
    keep, dup = keep_app.candidate, dup_app.candidate
    with pytest.raises(PermissionDenied):
        candidate_merge(actor=rec.org.manager, keep=keep, duplicate=dup)
    with pytest.raises(ValidationFailed):
        candidate_merge(actor=hr, keep=keep, duplicate=keep)
    candidate_merge(actor=hr, keep=keep, duplicate=dup)
    keep.refresh_from_db()
    dup.refresh_from_db()
    assert set(Application.objects.filter(candidate=keep)) == {keep_app, dup_app}
    assert keep.phone == "0912345678"
    assert keep.phone_index
    assert dup.merged_into == keep
    assert dup.full_name == ""
    assert dup.email == ""
    assert dup.phone == ""
    assert dup.cv_text == ""
    assert dup.email_index == ""
    assert dup.cv_fingerprint == ""
    ev = AuditEvent.objects.get(event_type="CANDIDATE_MERGED")
    assert ev.after["duplicate"] == str(dup.public_id)
    # Merged candidates leave the lists and cannot be merged again.
    from backoffice.core.exceptions import Conflict
    from backoffice.recruitment.selectors.applications import candidate_list

    assert list(candidate_list(user=hr, company=rec.company)) == [keep]
    with pytest.raises(Conflict):
        candidate_merge(actor=hr, keep=keep, duplicate=dup)
    assert Candidate.objects.filter(company=rec.company).count() == 2
