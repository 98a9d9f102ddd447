"""The desk's company scoping, written once (ARCHITECTURE convention 9).

``CompanyScopedAdmin`` restricts lists, details, exports and foreign-key
choices to the active company, asks the role table for every permission
(deny by default) and turns service errors into form messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from import_export.admin import ExportActionMixin
from import_export.resources import modelresource_factory
from unfold.admin import ModelAdmin
from unfold.contrib.import_export.forms import ExportForm

from backoffice.core.exceptions import ApplicationError
from backoffice.core.selectors import scope_to_company

# Columns no export may carry, whatever the model: credentials and key material.
EXPORT_NEVER = frozenset({"password", "token_hash", "encrypted_key"})


class CompanyScopedAdmin(ExportActionMixin, ModelAdmin):
    export_form_class = ExportForm
    company_field = "company"
    list_per_page = 50

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        company = getattr(request, "company", None)
        if self.company_field == "company":
            return scope_to_company(qs, company)
        if company is None:
            return qs.none()
        return qs.filter(**{self.company_field: company})

    def get_list_filter(self, request):
        """Foreign-key filters offer only rows of the company's own list: the
        stock filter lists every company's departments, users ..."""
        return [self._scoped_filter(spec) for spec in super().get_list_filter(request)]

    def _scoped_filter(self, spec):
        if not isinstance(spec, str):
            return spec
        try:
            field = get_fields_from_path(self.model, spec)[-1]
        except (FieldDoesNotExist, NotRelationField):
            return spec
        return (spec, RelatedOnlyFieldListFilter) if field.is_relation else spec

    def get_export_queryset(self, request):
        return self.get_queryset(request)

    def get_export_resource_classes(self, request):
        if self.resource_classes:
            return super().get_export_resource_classes(request)
        exclude = [f.name for f in self.model._meta.fields if f.name in EXPORT_NEVER]
        return [modelresource_factory(self.model, meta_options={"exclude": exclude})]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.remote_field.model
        if hasattr(model, "company_id") or any(f.name == "company" for f in model._meta.fields):
            kwargs["queryset"] = scope_to_company(
                model._default_manager.all(), getattr(request, "company", None)
            )
        elif model is get_user_model():
            # People of the active company only (users have no company column).
            company = getattr(request, "company", None)
            kwargs["queryset"] = (
                model._default_manager.filter(memberships__company=company).distinct()
                if company is not None
                else model._default_manager.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return [*exclude, "company"] if self.company_field == "company" else exclude

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def service_call(self, request, func, **kwargs):
        """Run a service; an ApplicationError becomes a form error, nothing is saved."""
        try:
            return func(**kwargs)
        except ApplicationError as exc:
            raise ValidationError(exc.message, code=exc.code) from exc


def message_error(request, exc: ApplicationError) -> None:
    messages.error(request, exc.message)
