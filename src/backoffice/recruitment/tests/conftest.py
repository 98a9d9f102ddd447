"""Fixtures of the recruitment tests: the HR organisation of the HR tests
(``hr_org``: company A with HR officer/manager, a sales manager, staff, a
second company) plus, in ``rec``, an approved requisition of the sales
department (hiring manager: the sales manager, salary 12–18 M, 2 people), its
published posting with screening requirements, and the default stages.
Rows are created directly (fixtures, not the flows under test)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from backoffice.hr.tests.conftest import act, hr_org, make_employee  # noqa: F401

__all__ = ["act", "hr_org", "make_employee"]

REQUIREMENTS = {
    "skills": ["Python", "Django", "SQL|PostgreSQL|MySQL", "Git"],
    "min_years": 3,
    "education": "bachelor",
    "languages": ["English|Tiếng Anh"],
}


@dataclass
class RecWorld:
    org: Any
    company: Any
    requisition: Any
    posting: Any
    stages: dict[str, Any]  # kind -> first stage of that kind


@pytest.fixture
def rec(hr_org):
    from backoffice.recruitment.models import JobPosting, JobRequisition
    from backoffice.recruitment.services.stages import stages_ensure

    c = hr_org.company
    stages = {}
    for s in stages_ensure(company=c):
        stages.setdefault(s.kind, s)
    req = JobRequisition.objects.create(
        company=c, number=f"YC{timezone.localdate().year}/0001", title="Lập trình viên Python",
        department=hr_org.sales, position=hr_org.dev, hiring_manager=hr_org.manager,
        headcount=2, salary_min=Decimal("12000000"), salary_max=Decimal("18000000"),
        state="approved", approved_at=timezone.now(), created_by=hr_org.hr_officer,
    )  # fmt: skip
    posting = JobPosting.objects.create(
        company=c, requisition=req, slug="lap-trinh-vien-python",
        title="Lập trình viên Python", title_en="Python developer",
        description="Phát triển hệ thống back office.", description_en="Build back office.",
        department=hr_org.sales, province="79", location="Quận 1, TP. Hồ Chí Minh",
        salary_min=Decimal("12000000"), salary_max=Decimal("18000000"), openings=2,
        deadline=timezone.localdate() + dt.timedelta(days=30), requirements=REQUIREMENTS,
        scorecard_criteria=["Kỹ năng chuyên môn", "Giao tiếp", "Phù hợp văn hoá"],
        state="published", published_at=timezone.now(), created_by=hr_org.hr_officer,
    )  # fmt: skip
    return RecWorld(hr_org, c, req, posting, stages)
