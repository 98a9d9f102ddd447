"""T5 seed of the recruitment offers and hire area: an application of the
company with a draft offer (within the requisition's range), so the offer
operations are fuzzed with real ids of the user's own company (and the other
company's, which must answer 404). The T5 admin holds ADMIN only: HR officer
for the recruitment operations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def seed(company, admin):
    from django.utils import timezone

    from backoffice.core.enums import Role
    from backoffice.core.models import Department, Membership
    from backoffice.recruitment.models import (
        Application,
        Candidate,
        JobPosting,
        JobRequisition,
        StageChange,
    )
    from backoffice.recruitment.services import offers
    from backoffice.recruitment.services.stages import stage_first

    Membership.objects.get_or_create(user=admin, company=company, role=Role.HR_OFFICER)
    admin.__dict__.pop("_company_perm_cache", None)
    admin.active_company = company
    tag = company.code.lower()
    dept = Department.objects.create(company=company, code=f"T5O-{tag}",
                                     name=f"Phòng Nhận việc {tag}")  # fmt: skip
    req = JobRequisition.objects.create(
        company=company, number=f"YC2026/8{sum(map(ord, tag)) % 1000:03d}",
        title=f"Vị trí T5 offer {tag}", department=dept, headcount=20,
        salary_min=Decimal(10_000_000), salary_max=Decimal(40_000_000), state="approved",
        approved_at=timezone.now(), created_by=admin,
    )  # fmt: skip
    posting = JobPosting.objects.create(
        company=company, requisition=req, slug=f"t5-offer-{tag}", title=f"Tin T5 offer {tag}",
        department=dept, openings=20, state="published", published_at=timezone.now(),
    )  # fmt: skip
    now = timezone.now()
    stage = stage_first(company)
    cand = Candidate.objects.create(company=company, full_name=f"Ứng Viên Offer {tag}",
                                    email=f"t5-offer-{tag}@example.vn")  # fmt: skip
    app = Application.objects.create(company=company, candidate=cand, posting=posting,
                                     stage=stage, applied_at=now, stage_entered_at=now)  # fmt: skip
    StageChange.objects.create(application=app, to_stage=stage, at=now)
    salary = 21_000_000 + 1_000 * (sum(map(ord, tag)) % 997)
    offer = offers.offer_create(actor=admin, application=app, salary=Decimal(salary),
                                start_date=timezone.localdate() + dt.timedelta(days=40))  # fmt: skip
    ids = {"offer_id": offer.public_id, "application_id": app.public_id}
    secrets = {cand.full_name, f"t5-offer-{tag}@example.vn", str(salary), req.title,
               posting.title}  # fmt: skip
    return ids, secrets


# Operations random data cannot make succeed (a state machine: one live offer per
# application, draft → approved → sent → accepted → hired);
# recruitment/tests/test_offers*.py and test_hire.py cover their success path.
NO_2XX_EXPECTED = {
    "POST /api/v1/recruitment/applications/{application_id}/offers": (
        "the seeded application already has its live offer; test_offers_web::test_api_offer_flow"
    ),
    "POST /api/v1/recruitment/applications/{application_id}/hire": (
        "needs an accepted offer; test_hire"
    ),
    "POST /api/v1/recruitment/offers/{offer_id}/send": (
        "only an approved offer is sent; test_offers::test_within_range..."
    ),
    "POST /api/v1/recruitment/offers/{offer_id}/accept": "only a sent offer; test_offers",
    "POST /api/v1/recruitment/offers/{offer_id}/decline": "only a sent offer; test_offers",
    "POST /api/v1/recruitment/offers/{offer_id}/submit": (
        "only a draft offer (the fuzz may have withdrawn it first); test_offers"
    ),
    "POST /api/v1/recruitment/offers/{offer_id}/withdraw": (
        "a live offer (the fuzz may have withdrawn it already); test_offers"
    ),
}
