"""The ``backoffice demo`` step of recruitment: three published postings, ~25
applications across the stages with their CVs, interviews with scorecards,
one offer sent, one hire with its onboarding; deterministic for the seed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_demo_step_makes_a_small_hiring_story():
    from backoffice.core.demo import DEMO_CODE, demo_create
    from backoffice.core.models import Company
    from backoffice.records.models import Document
    from backoffice.recruitment.models import (
        Application,
        Interview,
        JobPosting,
        JobRequisition,
        Offer,
        Scorecard,
    )

    demo_create(employees=5, seed=3)
    company = Company.objects.get(code=DEMO_CODE)
    assert JobRequisition.objects.filter(company=company, state="approved").count() == 3
    assert JobPosting.objects.filter(company=company, state="published").count() == 3
    apps = Application.objects.filter(company=company)
    assert apps.count() == 25
    kinds = set(apps.values_list("stage__kind", flat=True))
    assert {"new", "screening", "interview", "offer", "hired", "rejected"} <= kinds
    assert Document.objects.filter(company=company, doc_type="cv").count() == 25
    assert Interview.objects.filter(company=company).exists()
    assert Scorecard.objects.filter(company=company).exists()
    assert Offer.objects.filter(company=company, state="sent").count() == 1
    hired = apps.get(state="hired")
    assert hired.employee is not None
    assert hired.employee.cases.exists()
    assert JobRequisition.objects.get(company=company, postings=hired.posting).hired_count == 1
