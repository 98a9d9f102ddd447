"""Reads of the accounting app that other apps ask for."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from backoffice.accounting.models import Entry
from backoffice.core.models import Company


def entries_with_documents(*, user: Any, company: Company) -> QuerySet[Entry]:
    """Owner access for the records store (``records.registry``, exclusive): the
    files attached to a voucher (receipts, invoices: amounts, partners) open for
    those who may see the voucher itself (``accounting.view_entry`` in
    ``company``), whatever ``records`` permissions other roles hold. Deny by default."""
    qs = Entry.objects.filter(company=company)
    if user.has_perm("accounting.view_entry"):
        return qs
    return qs.none()
