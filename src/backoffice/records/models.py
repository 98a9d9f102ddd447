"""Records: every file of the product is a Document with numbered versions.

Invariants:
- a Document belongs to one company; its versions are never edited, only added;
- confidential and secret versions are stored encrypted (``encrypted`` is True,
  ``wrapped_key`` holds the data key sealed by the records wrapping key ``key_id``);
- a disposed document keeps its row and its versions' metadata (a tombstone);
  only the bytes on disk are gone (``purged_at`` set).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.core.enums import Classification
from backoffice.core.models import BaseModel, CompanyScopedModel, Department


def _today() -> dt.date:
    return timezone.localdate()


class DocumentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISPOSED = "disposed", _("Disposed")


class Document(CompanyScopedModel):
    title = models.CharField(_("title"), max_length=200)
    classification = models.CharField(
        _("classification"),
        max_length=16,
        choices=Classification.choices,
        default=Classification.INTERNAL,
        db_index=True,
    )
    doc_type = models.CharField(_("document type"), max_length=64, blank=True, db_index=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    # Stored as ",tag1,tag2," so that one tag is found with a plain LIKE on every database.
    tags = models.CharField(_("tags"), max_length=500, blank=True)
    document_date = models.DateField(_("document date"), default=_today)
    owner_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner type"),
    )
    owner_id = models.CharField(_("owner id"), max_length=64, blank=True, db_index=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    current_version = models.PositiveIntegerField(_("version"), default=0)
    metadata = models.JSONField(_("metadata"), default=dict, blank=True)
    legal_hold = models.BooleanField(
        _("legal hold"),
        default=False,
        help_text=_("A document on legal hold is never proposed for disposal."),
    )
    legal_hold_reason = models.CharField(_("legal hold reason"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.ACTIVE
    )
    disposed_at = models.DateTimeField(_("disposed at"), null=True, blank=True)
    # Folded (no diacritics, lower case) title, tags and extracted text: the search index source.
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["company", "owner_type", "owner_id"], name="records_doc_owner"),
            models.Index(fields=["company", "doc_type", "document_date"], name="records_doc_type"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def is_encrypted_class(self) -> bool:
        return self.classification in (Classification.CONFIDENTIAL, Classification.SECRET)


class DocumentVersion(BaseModel):
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    storage_name = models.CharField(max_length=200, editable=False)
    stored_sha256 = models.CharField(max_length=64, editable=False)
    encrypted = models.BooleanField(_("encrypted"), default=False)
    key_id = models.CharField(max_length=64, blank=True, editable=False)
    wrapped_key = models.TextField(blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    purged_at = models.DateTimeField(_("file deleted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="records_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} (v{self.number})"


class WrappingKey(models.Model):
    """One generation of the records key-encryption key (derived from the master key).

    The newest row without ``retired_at`` wraps new data keys; ``rotate-keys``
    adds a generation and re-wraps every data key under it.
    """

    key_id = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("records wrapping key")
        verbose_name_plural = _("records wrapping keys")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key_id


class RetentionRule(CompanyScopedModel):
    doc_type = models.CharField(_("document type"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    years = models.PositiveSmallIntegerField(_("retention (years)"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["company", "doc_type"]
        constraints = [
            models.UniqueConstraint(fields=["company", "doc_type"], name="records_retention_unique")
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} — {self.name}"


class DisposalStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    DISPOSED = "disposed", _("Disposed")
    REJECTED = "rejected", _("Rejected")


class DisposalBatch(CompanyScopedModel):
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=DisposalStatus.choices, default=DisposalStatus.PENDING
    )
    documents = models.ManyToManyField(
        Document, related_name="disposal_batches", verbose_name=_("documents")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    executed_at = models.DateTimeField(_("disposed at"), null=True, blank=True)
    approval_ref = models.CharField(_("approval request"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("disposal batch")
        verbose_name_plural = _("disposal batches")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title
