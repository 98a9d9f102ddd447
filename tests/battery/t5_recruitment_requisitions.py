"""T5 seed of the recruitment requisitions and postings area: an approved
requisition of the company and a draft posting (standalone: cancelling the
requisition must not close it), so every requisition and posting operation is fuzzed with real ids of the user's own company (and the
other company's, which must answer 404). The T5 admin holds ADMIN only: HR
officer for the recruitment operations."""

from __future__ import annotations

from decimal import Decimal


def seed(company, admin):
    from django.utils import timezone

    from backoffice.core.enums import Role
    from backoffice.core.models import Department, Membership
    from backoffice.recruitment.models import JobPosting, JobRequisition
    from backoffice.recruitment.services.requisitions import requisition_policy_ensure

    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_OFFICER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    requisition_policy_ensure(company=company)
    tag = company.code.lower()
    dept = Department.objects.create(company=company, code=f"T5R-{tag}",
                                     name=f"Phòng Tuyển {tag}")  # fmt: skip
    req = JobRequisition.objects.create(
        company=company, number=f"YC2026/9{sum(map(ord, tag)) % 1000:03d}",
        title=f"Tuyển dụng T5 {tag}", department=dept, headcount=50,
        salary_min=Decimal(10_000_000), salary_max=Decimal(20_000_000), state="approved",
        approved_at=timezone.now(), created_by=admin,
    )  # fmt: skip
    posting = JobPosting.objects.create(
        company=company, slug=f"t5-tin-tuyen-dung-{tag}",
        title=f"Tin tuyển dụng T5 {tag}", description=f"Mô tả T5 {tag}", department=dept,
        salary_negotiable=True, openings=3,
    )  # fmt: skip
    ids = {"requisition_id": req.public_id, "posting_id": posting.public_id}
    secrets = {req.title, posting.title, posting.slug, req.number + " " + req.title}
    return ids, secrets


# Operations random data cannot make succeed; recruitment/tests/test_requisitions.py and
# test_postings.py cover their success path.
NO_2XX_EXPECTED = {
    "PATCH /api/v1/recruitment/requisitions/{requisition_id}": (
        "the seeded requisition is approved (only a draft or rejected one changes); "
        "test_requisitions::test_api_flow"
    ),
    "POST /api/v1/recruitment/requisitions/{requisition_id}/submit": (
        "the seeded requisition is approved; test_requisitions::test_api_flow"
    ),
    "POST /api/v1/recruitment/postings/{posting_id}/publish": (
        "the fuzzed PATCH before it empties the description or the salary a posting needs "
        "to be published; test_postings::test_api_flow"
    ),
    "POST /api/v1/recruitment/postings": (
        "needs a title, a real province code and a requisition or department of the "
        "company together; test_postings::test_api_flow"
    ),
    "POST /api/v1/recruitment/requisitions": (
        "needs a real department id of the company; test_requisitions::test_api_flow"
    ),
}
