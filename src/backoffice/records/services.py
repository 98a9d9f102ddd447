"""Writes of the records app: uploads, versions, metadata, legal hold, retention,
disposal and key rotation. Each user action is one transaction with its audit event.

File bytes are written before the rows; if the action fails, the files written
so far are deleted again, so a refused or failed upload leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.enums import Classification
from backoffice.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from backoffice.core.models import Company, Department
from backoffice.core.selectors import require_perm
from backoffice.records import search, storage
from backoffice.records.models import (
    Document,
    DocumentStatus,
    DocumentVersion,
    WrappingKey,
)
from backoffice.records.text import extract_text, index_text
from backoffice.records.validation import CheckedFile, check_upload

log = logging.getLogger("backoffice.records")

SYNC_EXTRACT_BYTES = 4 * 1024 * 1024  # bigger files are indexed by a background job
MAX_TAGS = 20
ENCRYPTED = (Classification.CONFIDENTIAL, Classification.SECRET)


# --- helpers ------------------------------------------------------------------------

# Storage names written during a ``trial_run`` (deleted when it ends).
_TRIAL: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "records_trial", default=None
)


class _Rollback(Exception):
    pass


@contextlib.contextmanager
def trial_run() -> Iterator[None]:
    """Run services for their errors only (a desk form's check): the database
    changes are rolled back and the files written meanwhile are deleted."""
    written: list[str] = []
    token = _TRIAL.set(written)
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass
    finally:
        _TRIAL.reset(token)
        for name in written:
            storage.delete(name)


@contextlib.contextmanager
def _files_undone() -> Iterator[list[str]]:
    """Collects storage names written during an action; deletes them if it fails."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            storage.delete(name)
        raise


def normalise_tags(tags: Iterable[str] | str) -> str:
    if isinstance(tags, str):
        tags = tags.split(",")
    clean: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).replace(",", " ").split())[:50]
        if tag and tag not in clean:
            clean.append(tag)
    if len(clean) > MAX_TAGS:
        raise ValidationFailed(_("At most %(n)s tags.") % {"n": MAX_TAGS}, code="too_many_tags")
    return "," + ",".join(clean) + "," if clean else ""


def _check_classification(value: str) -> str:
    if value not in Classification.values:
        raise ValidationFailed(_("Unknown classification."), code="bad_classification")
    return value


def _check_department(company: Company, department: Department | None) -> None:
    if department is not None and department.company_id != company.pk:
        raise ValidationFailed(_("The department belongs to another company."))


def current_wrapping_key() -> WrappingKey:
    key = WrappingKey.objects.filter(retired_at__isnull=True).first()
    if key is None:
        key, _created = WrappingKey.objects.get_or_create(key_id=storage.new_key_id(1))
    return key


def _seal(document: Document, version: DocumentVersion, data: bytes, written: list[str]) -> None:
    """Write the bytes of ``version`` (encrypted if the document's class requires it)."""
    name = storage.storage_name_for(str(document.company.public_id), str(version.public_id))
    if version.storage_name:  # re-sealed after a classification change: a fresh file
        name = f"{name}-{uuid.uuid4().hex[:8]}"
    if document.classification in ENCRYPTED:
        key = current_wrapping_key()
        blob, wrapped = storage.encrypt(data, key_id=key.key_id, aad=str(version.public_id))
        version.encrypted, version.key_id, version.wrapped_key = True, key.key_id, wrapped
    else:
        blob = data
        version.encrypted, version.key_id, version.wrapped_key = False, "", ""
    version.stored_sha256 = storage.write(name, blob)
    written.append(name)
    trial = _TRIAL.get()
    if trial is not None:
        trial.append(name)
    version.storage_name = name


def _plain_bytes(version: DocumentVersion) -> bytes:
    blob = storage.read(version.storage_name)
    if not version.encrypted:
        return blob
    return storage.decrypt(
        blob, wrapped=version.wrapped_key, key_id=version.key_id, aad=str(version.public_id)
    )


def _index(document: Document, checked: CheckedFile | None, *, body: str | None = None) -> None:
    if body is None:
        if checked is not None and checked.size <= SYNC_EXTRACT_BYTES:
            body = extract_text(checked.data, checked.kind)
        else:
            body = ""
            if checked is not None:
                transaction.on_commit(lambda: _enqueue_extraction(document))
    document.metadata = {**document.metadata, "text_chars": len(body)}
    document.search_text = index_text(title=document.title, tags=document.tags, body=body)
    Document.objects.filter(pk=document.pk).update(
        search_text=document.search_text, metadata=document.metadata
    )
    search.index_document(document)


def _enqueue_extraction(document: Document) -> None:
    from backoffice.core.jobs import job_enqueue

    job_enqueue(
        actor=None,
        company=document.company,
        kind="records.extract_text",
        params={"document": str(document.public_id)},
    )


def _snapshot(document: Document) -> dict[str, Any]:
    return {
        "title": document.title,
        "classification": document.classification,
        "doc_type": document.doc_type,
        "department": document.department_id,
        "tags": document.tag_list,
        "document_date": str(document.document_date),
        "legal_hold": document.legal_hold,
    }


# --- documents ----------------------------------------------------------------------


def document_attach(
    *,
    actor: Any,
    company: Company,
    owner: Any,
    uploaded_file: Any,
    title: str = "",
    classification: str = Classification.INTERNAL,
    doc_type: str = "",
    department: Department | None = None,
    tags: Iterable[str] | str = (),
    document_date: dt.date | None = None,
    metadata: dict[str, Any] | None = None,
) -> Document:
    """Store an uploaded file as a new Document (version 1), attached to ``owner``.

    Without an owner (desk, API upload) the actor needs ``records.add_document``.
    With an owner, the calling app has already decided the actor may change that
    owner; the owner must belong to ``company``.
    """
    if owner is None:
        require_perm(actor, "records.add_document")
    elif getattr(owner, "company_id", company.pk) != company.pk:
        raise PermissionDenied(_("The record belongs to another company."))
    _check_classification(classification)
    _check_department(company, department)
    checked = check_upload(uploaded_file)
    with _files_undone() as written, transaction.atomic():
        document = Document(
            company=company,
            title=(title or checked.name)[:200],
            classification=classification,
            doc_type=(doc_type or "")[:64],
            department=department,
            tags=normalise_tags(tags),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            current_version=1,
            metadata=dict(metadata or {}),
        )
        if document_date is not None:
            document.document_date = document_date
        if owner is not None:
            document.owner_type = ContentType.objects.get_for_model(owner)
            document.owner_id = str(owner.pk)
        document.full_clean(exclude=["search_text"])
        document.save()
        version = DocumentVersion(
            document=document,
            number=1,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=document.uploaded_by,
        )
        _seal(document, version, checked.data, written)
        version.save()
        _index(document, checked)
        audit_record(
            event_type="DOCUMENT_UPLOADED",
            actor=actor,
            company=company,
            target=document,
            after={**_snapshot(document), "file": checked.name, "size": checked.size,
                   "encrypted": version.encrypted,
                   "owner": f"{document.owner_type_id}:{document.owner_id}" if owner else None},
        )  # fmt: skip
    return document


def document_add_version(*, actor: Any, document: Document, uploaded_file: Any) -> DocumentVersion:
    from backoffice.records.selectors import visible_documents

    if not visible_documents(user=actor, company=document.company).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    if not (actor.has_perm("records.add_document") or document.uploaded_by_id == actor.pk):
        raise PermissionDenied(_("You may not change this document."))
    checked = check_upload(uploaded_file)
    with _files_undone() as written, transaction.atomic():
        locked = Document.objects.select_for_update().select_related("company").get(pk=document.pk)
        if locked.status != DocumentStatus.ACTIVE:
            raise Conflict(_("A disposed document cannot get a new version."))
        number = locked.current_version + 1
        version = DocumentVersion(
            document=locked,
            number=number,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _seal(locked, version, checked.data, written)
        version.save()
        locked.current_version = number
        locked.save(update_fields=["current_version", "updated_at"])
        _index(locked, checked)
        audit_record(
            event_type="DOCUMENT_VERSION_ADDED",
            actor=actor,
            company=locked.company,
            target=locked,
            after={"version": number, "file": checked.name, "size": checked.size},
        )
    document.current_version = number
    return version


EDITABLE = ("title", "classification", "doc_type", "department", "tags", "document_date")


def document_update(*, actor: Any, document: Document, **changes: Any) -> Document:
    """Edit metadata. A change of classification across the plain/encrypted line
    re-seals every stored version (new files; the old ones go after commit)."""
    from backoffice.records.selectors import visible_documents

    if not (actor.has_perm("records.change_document") or document.uploaded_by_id == actor.pk):
        raise PermissionDenied(_("You may not change this document."))
    if not visible_documents(user=actor, company=document.company).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not change this document."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(_("These fields cannot be changed: %(f)s") % {"f": sorted(unknown)})
    with _files_undone() as written, transaction.atomic():
        doc = Document.objects.select_for_update().select_related("company").get(pk=document.pk)
        before = _snapshot(doc)
        old_class = doc.classification
        if "tags" in changes:
            changes["tags"] = normalise_tags(changes["tags"])
        if "classification" in changes:
            _check_classification(changes["classification"])
        if "department" in changes:
            _check_department(doc.company, changes["department"])
        for field, value in changes.items():
            setattr(doc, field, value)
        doc.full_clean(exclude=["search_text"])
        doc.save()
        if (old_class in ENCRYPTED) != (doc.classification in ENCRYPTED):
            _reseal_all(doc, written)
        body = " ".join(_index_body(doc))
        _index(doc, None, body=body)
        audit_record(
            event_type="DOCUMENT_UPDATED",
            actor=actor,
            company=doc.company,
            target=doc,
            before=before,
            after=_snapshot(doc),
        )
    return doc


def _index_body(doc: Document) -> list[str]:
    """The text part of the index, recovered from the stored index (title and tags
    are re-added by ``index_text``)."""
    from backoffice.records.text import fold

    old = doc.search_text
    prefix = fold(" ".join([doc.title, doc.tags.replace(",", " ")]))
    return [old[len(prefix) :]] if old.startswith(prefix) else [old]


def _reseal_all(doc: Document, written: list[str]) -> None:
    old_names: list[str] = []
    for version in doc.versions.filter(purged_at__isnull=True):
        data = _plain_bytes(version)
        old_names.append(version.storage_name)
        _seal(doc, version, data, written)
        version.save()
    transaction.on_commit(lambda: [storage.delete(n) for n in old_names])


def document_set_legal_hold(
    *, actor: Any, document: Document, hold: bool, reason: str = ""
) -> Document:
    require_perm(actor, "records.set_legal_hold")
    with transaction.atomic():
        doc = Document.objects.select_for_update().get(pk=document.pk)
        doc.legal_hold, doc.legal_hold_reason = hold, reason[:300] if hold else ""
        doc.save(update_fields=["legal_hold", "legal_hold_reason", "updated_at"])
        audit_record(
            event_type="DOCUMENT_LEGAL_HOLD_SET" if hold else "DOCUMENT_LEGAL_HOLD_RELEASED",
            actor=actor,
            company=doc.company,
            target=doc,
            after={"legal_hold": hold, "reason": doc.legal_hold_reason},
        )
    return doc


def document_reindex(*, document: Document) -> int:
    """Extract the text of the current version again (the background job)."""
    version = document.versions.filter(number=document.current_version).first()
    if version is None or version.purged_at is not None:
        return 0
    from backoffice.records.validation import ALLOWED

    ext = version.original_name.rsplit(".", 1)[-1].lower()
    kind = ALLOWED.get(ext, ("", ""))[0]
    body = extract_text(_plain_bytes(version), kind)
    with transaction.atomic():
        _index(document, None, body=body)
    return len(body)


# --- keys ---------------------------------------------------------------------------


def keys_rotate(*, actor: Any = "cli") -> dict[str, Any]:
    """Start a new wrapping-key generation and re-wrap every data key under it.
    Files are not rewritten; a version whose key cannot be unwrapped stops the run
    (nothing is changed)."""
    with transaction.atomic():
        old = current_wrapping_key()
        generation = WrappingKey.objects.count() + 1
        while WrappingKey.objects.filter(key_id=storage.new_key_id(generation)).exists():
            generation += 1
        new = WrappingKey.objects.create(key_id=storage.new_key_id(generation))
        rewrapped = 0
        versions = DocumentVersion.objects.filter(encrypted=True, purged_at__isnull=True)
        for version in versions.select_for_update().iterator():
            aad = str(version.public_id)
            data_key = storage.unwrap_key(version.wrapped_key, key_id=version.key_id, aad=aad)
            version.wrapped_key = storage.wrap_key(data_key, key_id=new.key_id, aad=aad)
            version.key_id = new.key_id
            version.save(update_fields=["wrapped_key", "key_id", "updated_at"])
            rewrapped += 1
        WrappingKey.objects.filter(retired_at__isnull=True).exclude(pk=new.pk).update(
            retired_at=timezone.now()
        )
        audit_record(
            event_type="RECORDS_KEYS_ROTATED",
            actor=actor,
            object_type="records.wrappingkey",
            object_id=new.key_id,
            after={"from": old.key_id, "to": new.key_id, "rewrapped": rewrapped},
        )
    return {"from": old.key_id, "to": new.key_id, "rewrapped": rewrapped}


# Retention and disposal live in their own module; callers use ``services.*``.
from backoffice.records.retention import (  # noqa: E402
    RULE_FIELDS,
    default_rules,
    disposal_approve,
    disposal_execute,
    disposal_propose,
    disposal_reject,
    on_disposal_approved,
    on_disposal_rejected,
    retention_defaults_install,
    retention_rule_create,
    retention_rule_delete,
    retention_rule_update,
)

__all__ = [
    "RULE_FIELDS", "current_wrapping_key", "default_rules", "disposal_approve",
    "disposal_execute", "disposal_propose", "disposal_reject", "document_add_version",
    "document_attach", "document_reindex", "document_set_legal_hold", "document_update",
    "keys_rotate", "normalise_tags", "on_disposal_approved", "on_disposal_rejected",
    "retention_defaults_install", "retention_rule_create", "retention_rule_delete",
    "retention_rule_update", "trial_run",
]  # fmt: skip
