"""Candidate data retention (Decree 13/2023): consent expiry anonymises (a
renewed consent does not), the deletion request from the status link, the
CLI and the job kind."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from backoffice.records.models import Document
from backoffice.recruitment.models import Application, Candidate, Interview, Scorecard
from backoffice.recruitment.services import applications as svc
from backoffice.recruitment.services import retention
from backoffice.recruitment.tests.test_careers_cvs import upload

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def apply(rec, email="hoa@example.vn", name="Trần Thị Hoa"):
    return svc.application_submit(
        actor=None, company=rec.company, posting=rec.posting, full_name=name, email=email,
        phone="0987654321", cv_file=upload("pdf"), cover_letter="Thư xin việc của Hoa",
        province="79",
    )  # fmt: skip


def cv_document(app):
    return Document.objects.get(owner_type=ContentType.objects.get_for_model(Application),
                                owner_id=str(app.pk))  # fmt: skip


def expire(candidate, days=1):
    Candidate.objects.filter(pk=candidate.pk).update(
        consent_until=timezone.localdate() - dt.timedelta(days=days)
    )


def with_scorecard(rec, app):
    now = timezone.now()
    interview = Interview.objects.create(
        company=rec.company, application=app, title=f"Phỏng vấn {app.candidate.full_name}",
        starts_at=now, ends_at=now + dt.timedelta(hours=1), note="Hỏi về dự án cũ",
    )  # fmt: skip
    return Scorecard.objects.create(
        company=rec.company, interview=interview, interviewer=rec.org.manager, overall=4,
        recommendation="yes", comment="Ứng viên tốt, nói tiếng Anh lưu loát",
        ratings=[{"criterion": "Giao tiếp", "rating": 4, "comment": "rõ ràng"}],
        submitted_at=now,
    )  # fmt: skip


def assert_anonymised(app):
    cand = Candidate.objects.get(pk=app.candidate_id)
    assert cand.anonymised_at is not None
    assert "Hoa" not in cand.full_name
    assert (cand.email, cand.phone, cand.cv_text, cand.province) == ("", "", "", "")
    assert (cand.email_index, cand.phone_index, cand.cv_fingerprint) == ("", "", "")
    app = Application.objects.get(pk=app.pk)
    assert app.cover_letter == ""
    assert app.score_detail == {}
    assert app.status_token_hash == ""
    assert app.status_token == ""
    doc = cv_document(app)
    assert doc.status == "disposed"
    assert doc.search_text == ""
    assert not doc.versions.filter(purged_at__isnull=True).exists()
    return cand, app


def test_expired_consent_is_anonymised_and_renewed_is_kept(rec):
    old, old_token = apply(rec)
    renewed, renewed_token = apply(rec, email="lan@example.vn", name="Nguyễn Thị Lan")
    card = with_scorecard(rec, old)
    expire(old.candidate)
    expire(renewed.candidate)
    retention.consent_renew(actor=None, application=renewed)  # from the status link
    dry = retention.retention_run(dry_run=True)
    assert dry["expired"] == 1
    assert dry["anonymised"] == 0
    assert Candidate.objects.get(pk=old.candidate_id).anonymised_at is None
    result = retention.retention_run()
    assert result["anonymised"] == 1
    assert result["documents_erased"] == 1
    _cand, app = assert_anonymised(old)
    # kept for the reports: the application, its stage and score
    assert app.posting == rec.posting
    assert app.stage is not None
    assert app.state == "withdrawn"
    card.refresh_from_db()
    assert card.comment == ""
    assert card.ratings[0]["comment"] == ""
    assert card.overall == 4
    interview = card.interview
    interview.refresh_from_db()
    assert interview.note == ""
    assert "Hoa" not in interview.title
    assert svc.application_by_token(old_token) is None
    # renewed: untouched
    kept = Candidate.objects.get(pk=renewed.candidate_id)
    assert kept.anonymised_at is None
    assert kept.email == "lan@example.vn"
    assert kept.consent_until > timezone.localdate()
    assert svc.application_by_token(renewed_token) == renewed
    assert cv_document(renewed).status == "active"
    # idempotent
    assert retention.retention_run()["expired"] == 0


def test_the_deadline_day_itself_is_still_covered(rec):
    app, _token = apply(rec)
    Candidate.objects.filter(pk=app.candidate_id).update(consent_until=timezone.localdate())
    assert retention.retention_run()["expired"] == 0


def test_hired_candidates_are_left_to_hr(rec):
    app, _token = apply(rec)
    Application.objects.filter(pk=app.pk).update(state="hired")
    expire(app.candidate)
    assert retention.retention_run()["expired"] == 0


def test_deletion_request_from_the_status_link(rec):
    app, token = apply(rec)
    client = Client()
    link = reverse("careers:status", args=[token])
    # without ticking the confirmation nothing happens
    response = client.post(link, {"action": "delete"}, **EN)
    assert response.status_code == 400
    assert Candidate.objects.get(pk=app.candidate_id).anonymised_at is None
    response = client.post(link, {"action": "delete", "confirm": "1"}, **EN)
    assert response.status_code == 200
    assert "was deleted" in response.content.decode()
    cand, _app = assert_anonymised(app)
    assert cand.deletion_requested_at is not None
    assert client.get(link).status_code == 404  # the link is dead


def test_deletion_request_of_a_hired_candidate_is_flagged_for_hr(rec):
    from backoffice.workflow.models import Task

    app, token = apply(rec)
    Application.objects.filter(pk=app.pk).update(state="hired")
    result = retention.deletion_request(application=app)
    assert result == {"done": False}
    cand = Candidate.objects.get(pk=app.candidate_id)
    assert cand.deletion_requested_at is not None
    assert cand.anonymised_at is None
    task = Task.objects.get(company=rec.company)
    assert task.assignee in (rec.org.hr_officer, rec.org.hr_manager)


def test_renew_consent_from_the_status_link(rec):
    app, token = apply(rec)
    expire(app.candidate, days=0)
    response = Client().post(reverse("careers:status", args=[token]), {"action": "renew"}, **EN)
    assert response.status_code == 200
    assert "renewed" in response.content.decode()
    cand = Candidate.objects.get(pk=app.candidate_id)
    assert cand.consent_until == svc.add_months(timezone.localdate(), 12)


def test_company_consent_period_setting(rec):
    rec.company.settings = {"recruitment": {"consent_months": 24}}
    rec.company.save()
    app, _token = apply(rec)
    assert app.candidate.consent_until == svc.add_months(timezone.localdate(), 24)


def test_cli_retention(rec):
    from backoffice.cli import main

    app, _token = apply(rec)
    expire(app.candidate)
    runner = CliRunner()
    dry = runner.invoke(main, ["recruitment", "retention", "--dry-run", "--format", "json"])
    assert dry.exit_code == 0, dry.output
    assert '"expired": 1' in dry.output
    assert '"anonymised": 0' in dry.output
    done = runner.invoke(main, ["recruitment", "retention", "--company", rec.company.code,
                                "--format", "json"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert '"anonymised": 1' in done.output
    assert_anonymised(app)
    bad = runner.invoke(main, ["recruitment", "retention", "--company", "NOPE"])
    assert bad.exit_code == 2


def test_job_kind(rec):
    from backoffice.core.jobs import job_enqueue, job_run, registered_kinds

    assert retention.JOB_KIND in registered_kinds()
    app, _token = apply(rec)
    expire(app.candidate)
    job = job_enqueue(actor=None, company=rec.company, kind=retention.JOB_KIND)
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded", job.error
    assert job.result["anonymised"] == 1
    assert_anonymised(app)
