"""Desk forms: the file is checked in ``clean`` so a refusal shows on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from backoffice.core.enums import Classification
from backoffice.core.exceptions import ApplicationError
from backoffice.records.models import Document, RetentionRule
from backoffice.records.validation import check_upload


def _checked(uploaded):
    try:
        check_upload(uploaded)
    except ApplicationError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
    return uploaded


class TagsField(forms.CharField):
    def prepare_value(self, value):
        if isinstance(value, str) and value.startswith(","):
            return ", ".join(t for t in value.split(",") if t)
        return value


class DocumentAddForm(forms.ModelForm):
    file = forms.FileField(label=_("File"))
    tags = TagsField(label=_("Tags"), required=False, help_text=_("Separated by commas."))

    class Meta:
        model = Document
        fields = ["title", "classification", "doc_type", "department", "tags", "document_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["classification"].initial = Classification.INTERNAL

    def clean_file(self):
        return _checked(self.cleaned_data["file"])

    def clean_tags(self):
        return self.cleaned_data.get("tags") or ""


class DocumentChangeForm(forms.ModelForm):
    new_version = forms.FileField(
        label=_("Upload a new version"),
        required=False,
        help_text=_("The previous versions are kept."),
    )
    tags = TagsField(label=_("Tags"), required=False, help_text=_("Separated by commas."))

    class Meta:
        model = Document
        fields = ["title", "classification", "doc_type", "department", "tags", "document_date"]

    def clean_new_version(self):
        uploaded = self.cleaned_data.get("new_version")
        return _checked(uploaded) if uploaded else None

    def clean_tags(self):
        return self.cleaned_data.get("tags") or ""


class AttachmentForm(forms.ModelForm):
    """One new attachment in ``AttachmentsInline``."""

    upload = forms.FileField(label=_("File"), required=False)

    class Meta:
        model = Document
        fields = ["title", "classification"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False

    def clean_upload(self):
        uploaded = self.cleaned_data.get("upload")
        return _checked(uploaded) if uploaded else None

    def has_changed(self):
        return bool(self.files.get(self.add_prefix("upload")))

    def clean(self):
        data = super().clean()
        if self.instance._state.adding and self.has_changed() and not data.get("upload"):
            raise ValidationError(_("Choose a file to attach."))
        return data


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["doc_type", "name", "years", "legal_basis", "is_active"]
