"""Retention rules and disposal (writes). Re-exported by ``records.services``.

Disposal needs an approval: through the workflow app when the company has an
approval policy for ``document_disposal``, else a second person (two-person
rule). Approval deletes the bytes and keeps the rows as tombstones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import Company
from backoffice.core.selectors import require_perm
from backoffice.records import search, storage
from backoffice.records.models import (
    DisposalBatch,
    DisposalStatus,
    Document,
    DocumentStatus,
    RetentionRule,
)

# --- retention rules ----------------------------------------------------------------

RULE_FIELDS = ("doc_type", "name", "years", "legal_basis", "is_active")


def default_rules() -> list[dict[str, Any]]:
    path = Path(__file__).parent / "data" / "retention_rules.json"
    return json.loads(path.read_text(encoding="utf-8"))


def retention_defaults_install(*, company: Company, actor: Any = None) -> int:
    """Add the shipped default rules a company does not have yet (idempotent)."""
    created = 0
    with transaction.atomic():
        for row in default_rules():
            _rule, was_created = RetentionRule.objects.get_or_create(
                company=company,
                doc_type=row["doc_type"],
                defaults={k: row[k] for k in ("name", "years", "legal_basis")},
            )
            created += was_created
        if created:
            audit_record(
                event_type="RETENTION_DEFAULTS_INSTALLED",
                actor=actor,
                company=company,
                object_type="records.retentionrule",
                after={"created": created},
            )
    return created


def retention_rule_create(*, actor: Any, company: Company, **data: Any) -> RetentionRule:
    require_perm(actor, "records.add_retentionrule")
    with transaction.atomic():
        rule = RetentionRule(company=company, **{k: data[k] for k in RULE_FIELDS if k in data})
        _full_clean(rule)
        rule.save()
        audit_record(event_type="RETENTION_RULE_CREATED", actor=actor, company=company,
                     target=rule, after={k: getattr(rule, k) for k in RULE_FIELDS})  # fmt: skip
    return rule


def retention_rule_update(*, actor: Any, rule: RetentionRule, **changes: Any) -> RetentionRule:
    require_perm(actor, "records.change_retentionrule")
    with transaction.atomic():
        rule = RetentionRule.objects.select_for_update().get(pk=rule.pk)
        before = {k: getattr(rule, k) for k in RULE_FIELDS}
        for k in RULE_FIELDS:
            if k in changes:
                setattr(rule, k, changes[k])
        _full_clean(rule)
        rule.save()
        audit_record(event_type="RETENTION_RULE_UPDATED", actor=actor, company=rule.company,
                     target=rule, before=before,
                     after={k: getattr(rule, k) for k in RULE_FIELDS})  # fmt: skip
    return rule


def retention_rule_delete(*, actor: Any, rule: RetentionRule) -> None:
    require_perm(actor, "records.delete_retentionrule")
    with transaction.atomic():
        audit_record(event_type="RETENTION_RULE_DELETED", actor=actor, company=rule.company,
                     target=rule, before={k: getattr(rule, k) for k in RULE_FIELDS})  # fmt: skip
        rule.delete()


def _full_clean(obj: Any) -> None:
    from django.core.exceptions import ValidationError

    from backoffice.core.exceptions import from_django_validation

    try:
        obj.full_clean()
    except ValidationError as exc:
        raise from_django_validation(exc) from exc


# --- disposal -----------------------------------------------------------------------


def _workflow_available() -> bool:
    try:
        from backoffice.workflow import services as wf_services  # noqa: F401
        from backoffice.workflow.registry import register_request_type  # noqa: F401
    except ImportError:
        return False
    return hasattr(wf_services, "approval_submit")


def _submit_to_workflow(*, actor: Any, company: Company, batch: DisposalBatch) -> Any:
    """Submit the batch to the approvals engine; None when there is no engine or
    the company has no approval policy for disposals (then the two-person rule
    of ``disposal_approve`` applies)."""
    if not _workflow_available():
        return None
    from backoffice.workflow.services import approval_submit

    try:
        with transaction.atomic():
            return approval_submit(
                actor=actor,
                company=company,
                request_type="document_disposal",
                subject=batch,
                amount=None,
                department=None,
                title=batch.title,
            )
    except ValidationFailed as exc:
        if exc.code == "no_policy":
            return None
        raise


def disposal_propose(
    *, actor: Any, company: Company, documents: Iterable[Document], title: str = ""
) -> DisposalBatch:
    """Propose documents past retention for disposal; nothing is deleted until the
    batch is approved (by the workflow, or by a second person)."""
    from backoffice.records.selectors import retention_due

    require_perm(actor, "records.add_disposalbatch")
    wanted = {d.pk for d in documents}
    if not wanted:
        raise ValidationFailed(_("Select at least one document."), code="nothing_selected")
    due = set(
        retention_due(user=actor, company=company)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    refused = wanted - due
    if refused:
        raise ValidationFailed(
            _("Only documents past their retention period and not on legal hold can be "
              "disposed of (%(n)s refused).") % {"n": len(refused)},
            code="not_due", extra={"refused": len(refused)},
        )  # fmt: skip
    with transaction.atomic():
        batch = DisposalBatch.objects.create(
            company=company,
            title=title or _("Disposal of %(n)s documents") % {"n": len(due)},
            proposed_by=actor,
        )
        batch.documents.set(due)
        audit_record(event_type="DISPOSAL_PROPOSED", actor=actor, company=company, target=batch,
                     after={"documents": sorted(due)})  # fmt: skip
        request = _submit_to_workflow(actor=actor, company=company, batch=batch)
        if request is not None:
            batch.approval_ref = str(getattr(request, "public_id", "") or request.pk)
            batch.save(update_fields=["approval_ref", "updated_at"])
    return batch


def _decide(batch: DisposalBatch, status: str, actor: Any) -> DisposalBatch:
    locked = DisposalBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != DisposalStatus.PENDING:
        raise Conflict(_("This disposal batch was already decided."), code="already_decided")
    locked.status = status
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return locked


def disposal_approve(*, actor: Any, batch: DisposalBatch) -> DisposalBatch:
    """The two-person rule (used when no workflow approval is attached): someone
    other than the proposer, holding ``records.approve_disposal``, approves."""
    require_perm(actor, "records.approve_disposal")
    if batch.approval_ref:
        raise Conflict(_("This disposal is decided in the approvals inbox."), code="use_workflow")
    if batch.proposed_by_id == actor.pk:
        raise PermissionDenied(
            _("The person who proposed a disposal cannot approve it."), code="same_person"
        )
    with transaction.atomic():
        locked = _decide(batch, DisposalStatus.APPROVED, actor)
        audit_record(event_type="DISPOSAL_APPROVED", actor=actor, company=locked.company,
                     target=locked)  # fmt: skip
        return disposal_execute(batch=locked, actor=actor)


def disposal_reject(*, actor: Any, batch: DisposalBatch, reason: str = "") -> DisposalBatch:
    require_perm(actor, "records.approve_disposal")
    if batch.approval_ref:
        raise Conflict(_("This disposal is decided in the approvals inbox."), code="use_workflow")
    with transaction.atomic():
        locked = _decide(batch, DisposalStatus.REJECTED, actor)
        audit_record(event_type="DISPOSAL_REJECTED", actor=actor, company=locked.company,
                     target=locked, after={"reason": reason})  # fmt: skip
    return locked


def _purge(doc: Any, now: Any) -> list[str]:
    """Forget a document's bytes (the row stays as a tombstone); returns the
    storage names to delete once the transaction commits."""
    names = [v.storage_name for v in doc.versions.filter(purged_at__isnull=True)]
    doc.versions.update(purged_at=now, wrapped_key="")
    doc.status, doc.disposed_at, doc.search_text = DocumentStatus.DISPOSED, now, ""
    doc.save(update_fields=["status", "disposed_at", "search_text", "updated_at"])
    search.index_document(doc)
    return names


def document_erase(*, actor: Any, document: Any, reason: str) -> Any:
    """Erase one document's content now, without a disposal batch: for a legal
    duty to delete personal data (Decree 13/2023: consent withdrawn or
    expired). The calling app decides that the duty applies; a document on
    legal hold is refused. The row stays as a tombstone; audited."""
    with transaction.atomic():
        doc = type(document).objects.select_for_update().get(pk=document.pk)
        if doc.status != DocumentStatus.ACTIVE:
            return doc
        if doc.legal_hold:
            raise Conflict(_("This document is on legal hold."), code="legal_hold")
        names = _purge(doc, timezone.now())
        audit_record(event_type="DOCUMENT_ERASED", actor=actor, company=doc.company,
                     target=doc, after={"reason": reason[:300]})  # fmt: skip
        transaction.on_commit(lambda: [storage.delete(n) for n in names])
    return doc


def disposal_execute(*, batch: DisposalBatch, actor: Any = None) -> DisposalBatch:
    """Delete the bytes of an approved batch; rows stay as tombstones. A document
    put on legal hold since the proposal is skipped."""
    with transaction.atomic():
        batch = DisposalBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != DisposalStatus.APPROVED:
            raise Conflict(_("Only an approved disposal can be carried out."), code="not_approved")
        now = timezone.now()
        disposed, skipped, names = [], [], []
        for doc in batch.documents.select_for_update().order_by("pk"):
            if doc.legal_hold or doc.status != DocumentStatus.ACTIVE:
                skipped.append(doc.pk)
                continue
            names += _purge(doc, now)
            audit_record(event_type="DOCUMENT_DISPOSED", actor=actor, company=batch.company,
                         target=doc, after={"batch": str(batch.public_id)})  # fmt: skip
            disposed.append(doc.pk)
        batch.status, batch.executed_at = DisposalStatus.DISPOSED, now
        batch.save(update_fields=["status", "executed_at", "updated_at"])
        audit_record(event_type="DISPOSAL_EXECUTED", actor=actor, company=batch.company,
                     target=batch, after={"disposed": disposed, "skipped": skipped})  # fmt: skip
        transaction.on_commit(lambda: [storage.delete(n) for n in names])
    return batch


def _decider(request: Any) -> Any:
    decisions = getattr(request, "decisions", None)
    last = decisions.order_by("-id").first() if decisions is not None else None
    return getattr(last, "actor", None)


def on_disposal_approved(request: Any) -> None:
    """Workflow callback (in the deciding transaction): the batch was approved."""
    batch = request.subject
    actor = _decider(request)
    with transaction.atomic():
        locked = _decide(batch, DisposalStatus.APPROVED, actor)
        audit_record(event_type="DISPOSAL_APPROVED", actor=actor, company=locked.company,
                     target=locked, after={"approval": locked.approval_ref})  # fmt: skip
        disposal_execute(batch=locked, actor=actor)


def on_disposal_rejected(request: Any) -> None:
    batch = request.subject
    actor = _decider(request)
    with transaction.atomic():
        locked = _decide(batch, DisposalStatus.REJECTED, actor)
        audit_record(event_type="DISPOSAL_REJECTED", actor=actor, company=locked.company,
                     target=locked, after={"approval": locked.approval_ref})  # fmt: skip
