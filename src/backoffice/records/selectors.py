"""Reads of the records app. ``visible_documents`` is THE access rule: the desk,
the API, downloads, search and other apps' attachment lists all start from it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.enums import Classification
from backoffice.core.exceptions import NotFound
from backoffice.core.models import Company, Membership
from backoffice.core.selectors import require_perm, scope_to_company
from backoffice.records import search, storage
from backoffice.records.models import (
    DisposalBatch,
    Document,
    DocumentStatus,
    DocumentVersion,
    RetentionRule,
)
from backoffice.records.registry import exclusive_owner_models, owner_access_entries

AUDITED_READS = (Classification.CONFIDENTIAL, Classification.SECRET)


def user_department_ids(*, user: Any, company: Company) -> QuerySet[Membership]:
    """The departments of the user's active memberships in ``company`` (a subquery)."""
    return Membership.objects.filter(
        user=user, company=company, is_active=True, department__isnull=False
    ).values("department_id")


def visible_documents(*, user: Any, company: Company | None) -> QuerySet[Document]:
    """Documents of ``company`` the user may see (deny by default): by role and
    classification (``records.permissions``), one's own uploads, and the non-secret
    documents attached to records their app lets the user see (``owner_access_q``)."""
    qs = scope_to_company(Document.objects.select_related("department", "uploaded_by"), company)
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    # Permissions answer for the user's active company: asked about another one
    # (a caller's mistake), the answer is nothing.
    active = getattr(user, "active_company", None)
    if getattr(active, "pk", None) != company.pk and not user.is_superuser:
        return qs.none()
    own = Q(uploaded_by=user)
    # Documents attached to records the owning app lets the user see (an expense
    # claim's receipts for its approvers): any classification but secret.
    owned = owner_access_q(user=user, company=company) & ~Q(classification=Classification.SECRET)
    if not user.has_perm("records.view_document"):
        return qs.filter(own | owned)
    rule = Q(classification__in=[Classification.PUBLIC, Classification.INTERNAL])
    if user.has_perm("records.view_all_departments"):
        dept_ok = Q()
    else:
        dept_ok = Q(department__isnull=True) | Q(
            department_id__in=user_department_ids(user=user, company=company)
        )
    if user.has_perm("records.view_confidential"):
        rule |= Q(classification=Classification.CONFIDENTIAL) & dept_ok
    if user.has_perm("records.view_secret"):
        rule |= Q(classification=Classification.SECRET) & dept_ok
    exclusive = exclusive_owner_models()
    if exclusive:
        cts = ContentType.objects.get_for_models(*exclusive).values()
        rule &= ~Q(owner_type__in=list(cts))
    return qs.filter(rule | own | owned)


def owner_access_q(*, user: Any, company: Company) -> Q:
    """Documents whose owner is among the records the registered functions return
    for ``user`` (``registry.register_owner_access``); nothing when none is registered.

    Each function's answer becomes a subquery, so the list stays one query.
    """
    q = Q(pk__in=[])
    for model, func in owner_access_entries():
        allowed = func(user=user, company=company)
        if allowed is None:
            continue
        if isinstance(allowed, Q):
            allowed = model._default_manager.filter(allowed)
        if not isinstance(allowed, QuerySet) or allowed.model._meta.concrete_model is not (
            model._meta.concrete_model
        ):
            raise TypeError(
                f"Owner access for {model._meta.label} must return its QuerySet or a Q."
            )
        if any(f.name == "company" for f in model._meta.get_fields()):
            allowed = allowed.filter(company=company)
        ids = allowed.order_by().annotate(_owner_key=Cast("pk", CharField())).values("_owner_key")
        ct = ContentType.objects.get_for_model(model)
        q |= Q(owner_type=ct, owner_id__in=ids)
    return q


def document_get_for_user(*, user: Any, company: Company | None, public_id: Any) -> Document:
    try:
        return visible_documents(user=user, company=company).get(public_id=public_id)
    except (Document.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Document not found.")) from exc


def documents_for_owner(*, user: Any, company: Company | None, owner: Any) -> QuerySet[Document]:
    ct = ContentType.objects.get_for_model(owner)
    return visible_documents(user=user, company=company).filter(
        owner_type=ct, owner_id=str(owner.pk)
    )


def document_search(*, user: Any, company: Company | None, query: str) -> QuerySet[Document]:
    """Full-text search (with or without diacritics) over what the user may see."""
    return search.filter_matching(visible_documents(user=user, company=company), query or "")


def document_versions(*, document: Document) -> QuerySet[DocumentVersion]:
    return document.versions.select_related("uploaded_by").order_by("-number")


def document_open(
    *, user: Any, company: Company | None, public_id: Any, version: int | None = None
) -> tuple[Document, DocumentVersion, bytes]:
    """The bytes of one version (the current one by default), decrypted.

    Reads of confidential and secret documents are audited (``DOCUMENT_READ``).
    """
    document = document_get_for_user(user=user, company=company, public_id=public_id)
    number = version or document.current_version
    ver = document.versions.filter(number=number).first()
    if ver is None:
        raise NotFound(_("This version does not exist."))
    if ver.purged_at is not None or document.status == DocumentStatus.DISPOSED:
        raise NotFound(_("This document was disposed of; only its record is kept."))
    blob = storage.read(ver.storage_name)
    if ver.encrypted:
        data = storage.decrypt(
            blob, wrapped=ver.wrapped_key, key_id=ver.key_id, aad=str(ver.public_id)
        )
    else:
        data = blob
    if document.classification in AUDITED_READS:
        audit_record(
            event_type="DOCUMENT_READ",
            actor=user,
            company=company,
            target=document,
            after={"version": ver.number, "classification": document.classification},
        )
    return document, ver, data


# --- retention ----------------------------------------------------------------------


def retention_rule_list(*, user: Any, company: Company | None) -> QuerySet[RetentionRule]:
    require_perm(user, "records.view_retentionrule")
    return scope_to_company(RetentionRule.objects.all(), company)


def retention_cutoff(years: int, today: dt.date) -> dt.date:
    """Documents dated on or before this day are past retention: the period runs
    from the end of the year of the document (as for accounting records)."""
    return dt.date(today.year - years - 1, 12, 31)


def _due_q(company: Company, today: dt.date) -> Q:
    q = Q(pk__in=[])
    for rule in RetentionRule.objects.filter(company=company, is_active=True):
        q |= Q(doc_type=rule.doc_type, document_date__lte=retention_cutoff(rule.years, today))
    return q


def retention_due_unscoped(*, company: Company, today: dt.date | None = None) -> QuerySet[Document]:
    """Active documents past their retention period and not on legal hold (for the
    CLI and the job, which act for the whole company)."""
    today = today or timezone.localdate()
    return (
        Document.objects.filter(company=company, status=DocumentStatus.ACTIVE, legal_hold=False)
        .filter(_due_q(company, today))
        .exclude(disposal_batches__status__in=["pending", "approved"])
        .order_by("document_date", "pk")
    )


def retention_due(
    *, user: Any, company: Company | None, today: dt.date | None = None
) -> QuerySet[Document]:
    require_perm(user, "records.view_disposalbatch")
    if company is None:
        return Document.objects.none()
    due = retention_due_unscoped(company=company, today=today)
    return due.filter(pk__in=visible_documents(user=user, company=company).values("pk"))


def disposal_batch_list(*, user: Any, company: Company | None) -> QuerySet[DisposalBatch]:
    require_perm(user, "records.view_disposalbatch")
    qs = DisposalBatch.objects.select_related("proposed_by", "decided_by").annotate(
        n_documents=Count("documents")
    )
    return scope_to_company(qs, company)
