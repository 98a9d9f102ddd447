"""T5 seed of the recruitment interviews area: a candidate's application to a
posting of the company and a scheduled interview (a month ahead) with the T5
admin on the panel, so every interview and scorecard operation is fuzzed with
real ids of the user's own company (and the other company's, which must
answer 404). The T5 admin holds ADMIN only: HR officer for the recruitment
operations."""

from __future__ import annotations

import datetime as dt


def seed(company, admin):
    from django.utils import timezone

    from backoffice.core.enums import Role
    from backoffice.core.models import Membership
    from backoffice.recruitment.models import Application, Candidate, Interview, JobPosting
    from backoffice.recruitment.services.stages import stage_first

    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_OFFICER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    tag = company.code.lower()
    now = timezone.now()
    posting = JobPosting.objects.create(
        company=company, slug=f"t5-phong-van-{tag}", title=f"Vị trí phỏng vấn T5 {tag}",
        scorecard_criteria=["Chuyên môn", "Giao tiếp"], state="published", published_at=now,
    )  # fmt: skip
    candidate = Candidate.objects.create(
        company=company, full_name=f"Ứng Viên Phỏng Vấn {tag}", email=f"t5-pv-{tag}@example.vn",
        phone="0900000000", consent_at=now,
    )  # fmt: skip
    app = Application.objects.create(
        company=company, candidate=candidate, posting=posting, stage=stage_first(company),
        applied_at=now, stage_entered_at=now,
    )  # fmt: skip
    start = (now + dt.timedelta(days=30)).replace(hour=2, minute=0, second=0, microsecond=0)
    interview = Interview.objects.create(
        company=company, application=app, title=f"Phỏng vấn T5 {tag}", starts_at=start,
        ends_at=start + dt.timedelta(hours=1), organizer=admin,
    )  # fmt: skip
    interview.interviewers.set([admin])
    ids = {"interview_id": interview.public_id, "application_id": app.public_id}
    secrets = {candidate.full_name, interview.title, interview.uid, posting.title}
    return ids, secrets


# Operations random data cannot make succeed; recruitment/tests/test_interviews_api.py
# covers their success path.
NO_2XX_EXPECTED = {
    "POST /api/v1/recruitment/interviews": (
        "needs a real application and interviewer ids of the company; "
        "test_interviews_api::test_schedule_slots_reschedule_cancel"
    ),
    "POST /api/v1/recruitment/interviews/slots": (
        "needs real interviewer ids of the company; test_interviews_api"
    ),
    "POST /api/v1/recruitment/interviews/{interview_id}/reschedule": (
        "random times are in the past, too long or clash; test_interviews_api"
    ),
    "POST /api/v1/recruitment/interviews/{interview_id}/done": (
        "the seeded interview has not started yet; test_interviews::test_done_by_panel_member"
    ),
    "POST /api/v1/recruitment/interviews/{interview_id}/scorecards": (
        "the ratings must name the posting's criteria; test_interviews_api::test_scorecards_api"
    ),
    "POST /api/v1/recruitment/interviews/{interview_id}/cancel": (
        "answers 2xx once for the seeded interview, then 409 (already cancelled); "
        "test_interviews_api"
    ),
}
