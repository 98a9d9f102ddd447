"""The recruitment foundation: default stages for every new company (vi and
en names, exactly one hired and one rejected), e-mail placeholders, the one
access rule for applications."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backoffice.core.enums import Role
from backoffice.recruitment.enums import StageKind
from backoffice.recruitment.models import Application, Candidate, Interview, Stage
from backoffice.recruitment.selectors.access import application_scope, candidate_scope
from backoffice.recruitment.services import mail, stages

pytestmark = pytest.mark.django_db


def test_a_new_company_gets_the_default_pipeline(make_company):
    from backoffice.core import hooks

    company = make_company("moi")
    hooks.company_created(company=company, actor=None)
    rows = list(Stage.objects.filter(company=company).order_by("order"))
    assert [s.kind for s in rows] == ["new", "screening", "interview", "offer", "hired", "rejected"]
    assert rows[0].name_en == "New"
    assert stages.stage_first(company).kind == StageKind.NEW
    assert stages.stage_of_kind(company, StageKind.HIRED).kind == "hired"
    # stages_ensure is idempotent
    assert len(stages.stages_ensure(company=company)) == 6


def test_render_keeps_unknown_placeholders_and_refuses_attribute_access():
    text = "Chào {candidate_name}, vị trí {job_title} {unknown} {candidate_name.__class__} {0}"
    out = mail.render(text, {"candidate_name": "Bình", "job_title": "Kế toán"})
    assert out == "Chào Bình, vị trí Kế toán {unknown} {candidate_name.__class__} {0}"


def _application(rec, name="Trần Thị Hoa"):
    cand = Candidate.objects.create(company=rec.company, full_name=name, email="h@x.vn")
    now = timezone.now()
    return Application.objects.create(
        company=rec.company,
        candidate=cand,
        posting=rec.posting,
        stage=rec.stages["new"],
        applied_at=now,
        stage_entered_at=now,
    )


def test_who_sees_an_application(rec, make_user):
    org = rec.org
    app = _application(rec)
    assert list(application_scope(user=org.hr_officer, company=rec.company)) == [app]
    # the hiring manager of the requisition sees it; another manager does not
    assert list(application_scope(user=org.manager, company=rec.company)) == [app]
    assert list(application_scope(user=org.other_manager, company=rec.company)) == []
    assert list(application_scope(user=org.accountant, company=rec.company)) == []
    assert list(candidate_scope(user=org.it_officer, company=rec.company)) == []
    # an interviewer sees the application of their interview only
    interviewer = make_user(rec.company, roles=[Role.EMPLOYEE], email="pv@a.vn")
    interview = Interview.objects.create(
        company=rec.company, application=app, title="Phỏng vấn 1",
        starts_at=timezone.now(), ends_at=timezone.now() + timezone.timedelta(hours=1),
    )  # fmt: skip
    assert list(application_scope(user=interviewer, company=rec.company)) == []
    interview.interviewers.add(interviewer)
    assert list(application_scope(user=interviewer, company=rec.company)) == [app]
    assert list(candidate_scope(user=interviewer, company=rec.company)) == [app.candidate]
    # another company's HR sees nothing of company A
    assert list(application_scope(user=org.outsider_hr, company=org.other_company)) == []
    assert list(application_scope(user=org.outsider_hr, company=None)) == []
