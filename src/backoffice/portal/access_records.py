"""Owner access for the records app: a person sees the (non-secret) documents
attached to their own person record — the papers HR files for them. Registered
from ``PortalConfig.ready`` with ``records.registry.register_owner_access``;
``records.selectors.visible_documents`` stays the one rule (desk, API and portal
downloads alike). Contracts register their own rule (``hr.setup.contracts``:
the person themself and salary roles)."""

from __future__ import annotations

from typing import Any


def own_person_records(*, user: Any, company: Any) -> Any:
    from backoffice.hr.models import Employee

    return Employee.objects.filter(company=company, user_id=user.pk)
