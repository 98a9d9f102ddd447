from __future__ import annotations

import pytest

from backoffice.core.enums import Role
from backoffice.records.demo import DEMO_DOCS, demo_step
from backoffice.records.models import Document, RetentionRule

pytestmark = pytest.mark.django_db


def test_demo_step_adds_documents_of_each_classification(company_a, make_user):
    make_user(company_a, roles=[Role.COMPLIANCE_OFFICER], email="tuanthu@demo.backoffice.vn")
    demo_step(company=company_a)
    docs = Document.objects.filter(company=company_a)
    assert docs.count() == len(DEMO_DOCS)
    assert set(docs.values_list("classification", flat=True)) == {
        "public", "internal", "confidential", "secret"}  # fmt: skip
    assert RetentionRule.objects.filter(company=company_a).count() >= 5
    assert all(v.encrypted for d in docs.filter(classification="secret") for v in d.versions.all())
