"""Desk screens of the records app. Every list starts from ``visible_documents``;
every write goes through ``services``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import BaseGenericInlineFormSet, GenericTabularInline
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources
from unfold.admin import TabularInline
from unfold.decorators import action, display

from backoffice.core.admin import ServiceFormAdmin
from backoffice.core.admin_base import CompanyScopedAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.records import selectors, services
from backoffice.records.forms import (
    AttachmentForm,
    DocumentAddForm,
    DocumentChangeForm,
    RetentionRuleForm,
)
from backoffice.records.models import (
    DisposalBatch,
    DisposalStatus,
    Document,
    DocumentVersion,
    RetentionRule,
)


def download_link(document, version=None):
    if document.status != "active":
        return "—"
    url = reverse("records:document_download", args=[document.public_id])
    if version is not None:
        url += f"?version={version}"
    return format_html('<a href="{}" class="text-primary-600">{}</a>', url, _("Download"))


class DocumentResource(resources.ModelResource):
    """The export: metadata only (never the index text or key material)."""

    tags = fields.Field(attribute="tags", column_name="tags")
    department = fields.Field(attribute="department__code", column_name="department")

    class Meta:
        model = Document
        fields = [
            "public_id",
            "title",
            "classification",
            "doc_type",
            "department",
            "tags",
            "document_date",
            "current_version",
            "status",
            "legal_hold",
            "created_at",
        ]
        export_order = fields  # fmt: skip

    def dehydrate_tags(self, obj):
        return ", ".join(obj.tag_list)


class TagFilter(admin.SimpleListFilter):
    title = _("tag")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        tags: set[str] = set()
        qs = selectors.visible_documents(user=request.user, company=request.company)
        for value in qs.exclude(tags="").values_list("tags", flat=True).distinct()[:500]:
            tags.update(t for t in value.split(",") if t)
        return [(t, t) for t in sorted(tags)[:100]]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(tags__contains=f",{value},") if value else queryset


class DocTypeFilter(admin.SimpleListFilter):
    title = _("document type")
    parameter_name = "doc_type"

    def lookups(self, request, model_admin):
        qs = selectors.visible_documents(user=request.user, company=request.company)
        types = qs.exclude(doc_type="").values_list("doc_type", flat=True).distinct()
        return [(t, t) for t in sorted(set(types))[:100]]

    def queryset(self, request, queryset):
        return queryset.filter(doc_type=self.value()) if self.value() else queryset


class RetentionDueFilter(admin.SimpleListFilter):
    title = _("retention")
    parameter_name = "retention"

    def lookups(self, request, model_admin):
        if not request.user.has_perm("records.view_disposalbatch"):
            return []
        return [("due", _("Due for disposal"))]

    def queryset(self, request, queryset):
        if self.value() != "due" or not request.user.has_perm("records.view_disposalbatch"):
            return queryset
        due = selectors.retention_due(user=request.user, company=request.company)
        return queryset.filter(pk__in=due.values("pk"))


class DocumentVersionInline(TabularInline):
    model = DocumentVersion
    extra = 0
    can_delete = False
    fields = ["number", "original_name", "size", "encrypted", "uploaded_by", "created_at",
              "file_link"]  # fmt: skip
    readonly_fields = fields
    verbose_name_plural = _("versions history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("records.view_document") or obj is not None

    def get_queryset(self, request):
        # file_link reads the document and the row shows the uploader: one query.
        return super().get_queryset(request).select_related("document", "uploaded_by")

    @display(description=_("file"))
    def file_link(self, obj):
        if obj.purged_at is not None:
            return _("deleted")
        return download_link(obj.document, obj.number)


@admin.register(Document)
class DocumentAdmin(CompanyScopedAdmin):
    resource_classes = [DocumentResource]
    list_display = ["title", "classification", "doc_type", "tag_display", "department",
                    "current_version", "document_date", "legal_hold", "status", "file_link"]  # fmt: skip
    list_filter = ["classification", DocTypeFilter, TagFilter, "department", "legal_hold",
                   "status", RetentionDueFilter]  # fmt: skip
    search_fields = ["title"]
    search_help_text = _(
        "Searches titles, tags and the text of the files, with or without accents."
    )
    inlines = [DocumentVersionInline]
    actions = ["set_legal_hold", "release_legal_hold", "propose_disposal"]

    def get_queryset(self, request):
        return selectors.visible_documents(user=request.user, company=request.company)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        found = selectors.document_search(
            user=request.user, company=request.company, query=search_term
        )
        return queryset.filter(pk__in=found.values("pk")), False

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = DocumentChangeForm if obj is not None else DocumentAddForm
        kwargs["fields"] = None
        form_class = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            return form_class
        admin_self = self

        class TrialForm(form_class):  # type: ignore[misc,valid-type]
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with services.trial_run():
                        admin_self._save_change(request, obj, self)
                except ApplicationError as exc:
                    self.add_error(None, ValidationError(exc.message, code=exc.code))

        return TrialForm

    def get_fields(self, request, obj=None):
        base = ["title", "classification", "doc_type", "department", "tags", "document_date"]
        if obj is None:
            return ["file", *base]
        extra = ["new_version"] if self._may_add_version(request, obj) else []
        return [*base, *extra, "uploaded_by", "current_version", "status", "legal_hold",
                "legal_hold_reason", "owner_display"]  # fmt: skip

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        ro = ["uploaded_by", "current_version", "status", "legal_hold", "legal_hold_reason",
              "owner_display"]  # fmt: skip
        if not self._may_edit_metadata(request, obj):
            ro += ["title", "classification", "doc_type", "department", "tags", "document_date"]
        return ro

    def _may_edit_metadata(self, request, obj):
        return obj.status == "active" and (
            request.user.has_perm("records.change_document")
            or obj.uploaded_by_id == request.user.pk
        )

    def _may_add_version(self, request, obj):
        return obj.status == "active" and (
            request.user.has_perm("records.add_document") or obj.uploaded_by_id == request.user.pk
        )

    def has_add_permission(self, request):
        return request.user.has_perm("records.add_document")

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return request.user.has_perm("records.change_document") or request.user.has_perm(
                "records.add_document"
            )
        return self._may_edit_metadata(request, obj) or self._may_add_version(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # documents leave only through an approved disposal

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("records.view_document")

    def save_model(self, request, obj, form, change):
        if change:
            saved = self._save_change(request, obj, form)
        else:
            data = form.cleaned_data
            saved = services.document_attach(
                actor=request.user,
                company=request.company,
                owner=None,
                uploaded_file=data["file"],
                title=data.get("title") or "",
                classification=data["classification"],
                doc_type=data.get("doc_type") or "",
                department=data.get("department"),
                tags=data.get("tags") or "",
                document_date=data.get("document_date"),
            )
        from backoffice.core.admin import _adopt

        form.instance = _adopt(obj, saved)

    def _save_change(self, request, obj, form):
        original = Document.objects.select_related("company").get(pk=obj.pk)
        data = form.cleaned_data
        changes = {
            k: data[k]
            for k in ("title", "classification", "doc_type", "department", "tags", "document_date")
            if k in data and k in form.changed_data
        }
        doc = original
        if changes:
            doc = services.document_update(actor=request.user, document=original, **changes)
        if data.get("new_version"):
            services.document_add_version(
                actor=request.user, document=doc, uploaded_file=data["new_version"]
            )
            doc.refresh_from_db()
        return doc

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def save_related(self, request, form, formsets, change):
        """Versions are read-only here (the change message still reads these)."""
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @display(description=_("tags"))
    def tag_display(self, obj):
        return ", ".join(obj.tag_list)

    @display(description=_("file"))
    def file_link(self, obj):
        return download_link(obj)

    @display(description=_("attached to"))
    def owner_display(self, obj):
        if not obj.owner_type_id:
            return "—"
        return f"{obj.owner_type.name} #{obj.owner_id}"

    @action(description=_("Put on legal hold"), permissions=["legal_hold"])
    def set_legal_hold(self, request, queryset):
        for doc in queryset:
            services.document_set_legal_hold(actor=request.user, document=doc, hold=True)
        messages.success(request, _("The documents are on legal hold."))

    @action(description=_("Release legal hold"), permissions=["legal_hold"])
    def release_legal_hold(self, request, queryset):
        for doc in queryset:
            services.document_set_legal_hold(actor=request.user, document=doc, hold=False)
        messages.success(request, _("Legal hold released."))

    def has_legal_hold_permission(self, request):
        return request.user.has_perm("records.set_legal_hold")

    @action(description=_("Propose for disposal"), permissions=["propose_disposal"])
    def propose_disposal(self, request, queryset):
        try:
            batch = services.disposal_propose(
                actor=request.user, company=request.company, documents=list(queryset)
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return None
        messages.success(request, _("Disposal proposed: %(t)s. It needs approval.") % {"t": batch})
        return None

    def has_propose_disposal_permission(self, request):
        return request.user.has_perm("records.add_disposalbatch")


@admin.register(RetentionRule)
class RetentionRuleAdmin(ServiceFormAdmin):
    form = RetentionRuleForm
    list_display = ["doc_type", "name", "years", "legal_basis", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["doc_type", "name"]
    fields = ["doc_type", "name", "years", "legal_basis", "is_active"]

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in services.RULE_FIELDS}
        if change:
            original = RetentionRule.objects.get(pk=form.instance.pk)
            return services.retention_rule_update(actor=request.user, rule=original, **data)
        return services.retention_rule_create(actor=request.user, company=request.company, **data)

    def delete_via_service(self, request, obj):
        services.retention_rule_delete(actor=request.user, rule=obj)


class DisposalDocumentInline(TabularInline):
    model = DisposalBatch.documents.through
    extra = 0
    can_delete = False
    verbose_name_plural = _("documents")
    fields = ["document"]
    readonly_fields = ["document"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("records.view_disposalbatch")

    def get_queryset(self, request):
        # Titles of documents the user may not see stay hidden here too.
        visible = selectors.visible_documents(user=request.user, company=request.company)
        return (
            super()
            .get_queryset(request)
            .filter(document__in=visible.values("pk"))
            .select_related("document")
        )


@admin.register(DisposalBatch)
class DisposalBatchAdmin(CompanyScopedAdmin):
    list_display = ["title", "status", "document_count", "proposed_by", "decided_by",
                    "decided_at", "executed_at"]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["title"]
    fields = ["title", "status", "proposed_by", "decided_by", "decided_at", "executed_at",
              "approval_ref", "note"]  # fmt: skip
    readonly_fields = fields
    inlines = [DisposalDocumentInline]
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        if not request.user.has_perm("records.view_disposalbatch"):
            return DisposalBatch.objects.none()
        return selectors.disposal_batch_list(user=request.user, company=request.company)

    def has_add_permission(self, request):
        return False  # proposed from the documents list

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("documents"))
    def document_count(self, obj):
        return obj.n_documents  # annotated by selectors.disposal_batch_list

    @action(description=_("Approve and dispose"), permissions=["decide"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.disposal_approve, _("Disposal carried out."))

    @action(description=_("Reject"), permissions=["decide"])
    def reject(self, request, queryset):
        self._decide(request, queryset, services.disposal_reject, _("Disposal rejected."))

    def _decide(self, request, queryset, func, done):
        for batch in queryset.filter(status=DisposalStatus.PENDING):
            try:
                func(actor=request.user, batch=batch)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return
        messages.success(request, done)

    def has_decide_permission(self, request):
        return request.user.has_perm("records.approve_disposal")


# --- attachments on other apps' pages -------------------------------------------------


class _AttachmentFormSet(BaseGenericInlineFormSet):
    request = None

    def save_new(self, form, commit=True):
        data = form.cleaned_data
        return services.document_attach(
            actor=self.request.user,
            company=self.request.company,
            owner=self.instance,
            uploaded_file=data["upload"],
            title=data.get("title") or "",
            classification=data.get("classification") or "internal",
        )

    def save_existing(self, form, obj, commit=True):
        return obj  # listed rows are read-only here


class AttachmentsInline(GenericTabularInline):
    """Add to any ModelAdmin's ``inlines``: the record's documents the user may see,
    with download links, and a row to upload one more."""

    model = Document
    ct_field = "owner_type"
    ct_fk_field = "owner_id"
    form = AttachmentForm
    formset = _AttachmentFormSet
    extra = 1
    can_delete = False
    fields = ["title", "classification", "current_version", "file_link", "upload"]
    readonly_fields = ["current_version", "file_link"]
    verbose_name = _("attachment")
    verbose_name_plural = _("attachments")

    def get_queryset(self, request):
        return selectors.visible_documents(user=request.user, company=request.company)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request = request
        return formset

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("records.add_document")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True  # the rows come from visible_documents

    @display(description=_("file"))
    def file_link(self, obj):
        return download_link(obj) if obj and obj.pk else ""
