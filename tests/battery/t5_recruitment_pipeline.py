"""T5 seed of the recruitment pipeline area: a posting with two candidates'
applications (screened), so the application and candidate operations are
fuzzed with real ids of the user's own company (and the other company's,
which must answer 404). The T5 admin holds ADMIN only: HR officer for the
recruitment operations."""

from __future__ import annotations


def seed(company, admin):
    from django.utils import timezone

    from backoffice.core.enums import Role
    from backoffice.core.models import Membership
    from backoffice.recruitment.models import Application, Candidate, JobPosting, StageChange
    from backoffice.recruitment.screening import simhash
    from backoffice.recruitment.services.pipeline import application_screen
    from backoffice.recruitment.services.stages import stage_first

    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_OFFICER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    tag = company.code.lower()
    posting = JobPosting.objects.create(
        company=company, slug=f"t5-pipeline-{tag}", title=f"Tin T5 pipeline {tag}",
        state="published", published_at=timezone.now(),
        requirements={"skills": ["Python", "SQL"], "min_years": 2, "education": "bachelor"},
    )  # fmt: skip
    stage = stage_first(company)
    now = timezone.now()
    apps, names = [], []
    for i in range(2):
        cv = f"Ứng viên {tag} {i}: 3 năm kinh nghiệm Python, SQL. Cử nhân CNTT."
        name = f"Ứng Viên Pipeline {tag} {i}"
        cand = Candidate.objects.create(company=company, full_name=name, cv_text=cv,
                                        email=f"t5-pipe-{tag}-{i}@example.vn",
                                        cv_fingerprint=simhash(cv))  # fmt: skip
        app = Application.objects.create(company=company, candidate=cand, posting=posting,
                                         stage=stage, applied_at=now, stage_entered_at=now)  # fmt: skip
        StageChange.objects.create(application=app, to_stage=stage, at=now)
        application_screen(application=app)
        apps.append(app)
        names.append(name)
    ids = {"application_id": apps[0].public_id, "candidate_id": apps[1].candidate.public_id}
    secrets = {*names, posting.title, f"t5-pipe-{tag}-0@example.vn", f"t5-pipe-{tag}-1@example.vn"}
    return ids, secrets


# Operations random data cannot make succeed; recruitment/tests/test_pipeline*.py and
# test_candidates*.py cover their success path.
NO_2XX_EXPECTED = {
    "POST /api/v1/recruitment/applications/{application_id}/move": (
        "needs a real stage id of the company in the body; test_pipeline_desk_api::test_api_*"
    ),
    "POST /api/v1/recruitment/applications/bulk-reject": (
        "needs real application ids of the company; test_pipeline_desk_api::test_api_*"
    ),
    "POST /api/v1/recruitment/applications/{application_id}/reject": (
        "the path id application_id is shared with the offers seed, whose application "
        "is hired by its fuzzed hire (an ended application cannot be rejected); "
        "test_pipeline_desk_api::test_api_lists_details_and_actions"
    ),
    "POST /api/v1/recruitment/candidates/{candidate_id}/merge": (
        "needs a real duplicate candidate id; test_pipeline_desk_api::test_api_merge"
    ),
}
