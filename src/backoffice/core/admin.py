"""Desk screens of the platform. Writes go through ``services``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin
from unfold.decorators import action, display

from backoffice.core import services
from backoffice.core.admin_base import CompanyScopedAdmin
from backoffice.core.exceptions import ApplicationError
from backoffice.core.forms import DepartmentForm, MembershipForm, PositionForm, UserCreateForm
from backoffice.core.models import (
    ApiToken,
    AuditEvent,
    Company,
    Department,
    Job,
    Membership,
    Notification,
    Position,
    User,
)

admin.site.unregister(Group)


def _adopt(obj, saved):
    """Django's admin keeps using ``obj`` after ``save_model`` (history entry, message,
    redirect): give it the row the service saved, which is a different instance."""
    for field in type(saved)._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding = False
    obj._state.db = saved._state.db
    return saved


class ServiceFormAdmin(CompanyScopedAdmin):
    """Save through the app's services; errors come back on the form."""

    def save_form_via_service(self, request, form, change):  # pragma: no cover - overridden
        raise NotImplementedError

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        admin_self = self

        # The base is the form class get_form() builds at runtime: not a static type.
        class ServiceForm(form_class):  # type: ignore[misc,valid-type]
            def _post_clean(self):
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with transaction.atomic():
                        # A dry run of the service: its errors land on the form.
                        admin_self.save_form_via_service(request, self, change)
                        transaction.set_rollback(True)
                except ApplicationError as exc:
                    self.add_error(None, ValidationError(exc.message, code=exc.code))

        ServiceForm.__name__ = form_class.__name__
        return ServiceForm

    def save_model(self, request, obj, form, change):
        form.instance = _adopt(obj, self.save_form_via_service(request, form, change))

    def delete_model(self, request, obj):
        try:
            self.delete_via_service(request, obj)
        except ApplicationError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def delete_via_service(self, request, obj):  # pragma: no cover - overridden
        raise NotImplementedError


@admin.register(Department)
class DepartmentAdmin(ServiceFormAdmin):
    form = DepartmentForm
    list_display = ["code", "name", "parent", "manager"]
    search_fields = ["code", "name"]
    list_filter = ["parent"]
    fields = ["code", "name", "parent", "manager"]

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in ("code", "name", "parent", "manager")}
        if change:
            original = Department.objects.get(pk=form.instance.pk)
            return services.department_update(actor=request.user, department=original, **data)
        return services.department_create(actor=request.user, company=request.company, **data)

    def delete_via_service(self, request, obj):
        services.department_delete(actor=request.user, department=obj)


@admin.register(Position)
class PositionAdmin(ServiceFormAdmin):
    form = PositionForm
    list_display = ["code", "name", "department", "level"]
    search_fields = ["code", "name"]
    list_filter = ["department"]
    fields = ["code", "name", "department", "level"]

    def save_form_via_service(self, request, form, change):
        data = {k: form.cleaned_data.get(k) for k in ("code", "name", "department", "level")}
        if change:
            original = Position.objects.get(pk=form.instance.pk)
            return services.position_update(actor=request.user, position=original, **data)
        return services.position_create(actor=request.user, company=request.company, **data)

    def delete_via_service(self, request, obj):
        services.position_delete(actor=request.user, position=obj)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "department", "is_active"]
    readonly_fields = ["role", "department", "is_active"]
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(company=request.company)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(CompanyScopedAdmin):
    company_field = "memberships__company"
    add_form = UserCreateForm
    list_display = ["email", "full_name", "roles", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active"]
    fields = ["email", "full_name", "language", "is_staff", "is_active", "last_login"]
    readonly_fields = ["email", "last_login"]
    inlines = [MembershipInline]
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        # The roles column shows the roles held in the active company only.
        mine = Prefetch("memberships", queryset=Membership.objects.filter(company=request.company))
        return super().get_queryset(request).distinct().prefetch_related(mine)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "full_name", "password", "roles"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    @display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(sorted(m.get_role_display() for m in obj.memberships.all()))

    def save_model(self, request, obj, form, change):
        try:
            if change:
                data = {
                    k: form.cleaned_data[k]
                    for k in ("full_name", "language", "is_staff", "is_active")
                }
                saved = services.user_update(
                    actor=request.user,
                    company=request.company,
                    user=User.objects.get(pk=obj.pk),
                    **data,
                )
            else:
                saved = services.user_create(
                    actor=request.user,
                    company=request.company,
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                    roles=form.cleaned_data["roles"],
                )
        except ApplicationError as exc:
            raise ValidationError(exc.message) from exc
        form.instance = _adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        """Role rows are read-only here; they are granted on the role assignment page."""
        for formset in formsets:  # nothing saved; the change message still reads these
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def has_delete_permission(self, request, obj=None):
        return False  # disable a user instead: their audit trail stays

    @action(description=_("Reset two-factor authentication"))
    def reset_two_factor(self, request, queryset):
        for user in queryset:
            services.totp_device_reset(actor=request.user, company=request.company, user=user)
        messages.success(request, _("Two-factor reset; the users must enrol again."))


@admin.register(Membership)
class MembershipAdmin(CompanyScopedAdmin):
    form = MembershipForm
    list_display = ["user", "role", "department", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "role", "department"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user":
            # The company's people and people with no role anywhere yet: never the
            # users of another company (SPEC §1: nothing of A is visible from B).
            formfield.queryset = (
                User.objects.filter(is_active=True)
                .filter(Q(memberships__company=request.company) | Q(memberships__isnull=True))
                .distinct()
            )
        return formfield

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        form.instance = _adopt(
            obj,
            services.membership_grant(
                actor=request.user,
                company=request.company,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
                department=form.cleaned_data.get("department"),
            ),
        )

    def delete_model(self, request, obj):
        services.membership_revoke(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEvent)
class AuditEventAdmin(CompanyScopedAdmin):
    list_display = [
        "seq",
        "chain",
        "created_at",
        "event_type",
        "actor_label",
        "object_repr",
        "outcome",
        "ip_address",
    ]
    list_filter = ["event_type", "outcome"]
    search_fields = ["event_type", "actor_label", "object_repr", "object_id"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(CompanyScopedAdmin):
    list_display = ["kind", "status", "progress_bar", "message", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "kind",
        "status",
        "progress_bar",
        "message",
        "error",
        "result",
        "params",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    fields = readonly_fields
    change_form_template = "core/job_change_form.html"
    change_list_template = "core/job_change_list.html"
    actions_list = ["start_backup"]

    @action(
        description=_("Start a backup"),
        icon="backup",
        url_path="start-backup",
        permissions=["run_backup"],
    )
    def start_backup(self, request):
        """A state change: confirmed with a POST form, never done on GET."""
        from django.shortcuts import render

        from backoffice.core.jobs import job_enqueue

        if request.method != "POST":
            return render(
                request,
                "core/confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Start a backup"),
                    "question": _(
                        "Back up the database and documents now? "
                        "The archive is written to the server's backups folder."
                    ),
                },
            )
        try:
            job = job_enqueue(actor=request.user, company=request.company, kind="core.backup")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect("../")
        messages.success(request, _("Backup started."))
        return HttpResponseRedirect(f"../{job.pk}/change/")

    def get_queryset(self, request):
        from backoffice.core.selectors import job_list

        if request.company is None:
            return Job.objects.none()
        return job_list(user=request.user, company=request.company)

    def has_view_permission(self, request, obj=None):
        return request.company is not None

    def has_run_backup_permission(self, request, obj=None):
        # A method, not "core.run_backup": unfold's system check looks dotted names
        # up in auth_permission, which breaks `migrate` on a fresh database.
        from backoffice.core.selectors import may_back_up_installation

        return request.user.has_perm("core.run_backup") and may_back_up_installation(
            user=request.user
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("progress"))
    def progress_bar(self, obj):
        return format_html(
            '<div class="bo-progress" data-job="{}"><div class="bo-progress-bar" '
            'style="width:{}%"></div></div><span class="bo-progress-label">{}%</span>',
            obj.public_id,
            obj.percent,
            obj.percent,
        )


@admin.register(Notification)
class NotificationAdmin(CompanyScopedAdmin):
    list_display = ["title", "created_at", "is_read"]
    readonly_fields = ["title", "body", "url", "created_at", "read_at"]
    fields = readonly_fields
    actions = ["mark_read"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_view_permission(self, request, obj=None):
        return request.company is not None

    def has_module_permission(self, request):
        return request.company is not None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("read"), boolean=True)
    def is_read(self, obj):
        return obj.read_at is not None

    @action(description=_("Mark as read"))
    def mark_read(self, request, queryset):
        from backoffice.core.notifications import notification_mark_read

        notification_mark_read(
            user=request.user,
            company=request.company,
            public_ids=list(queryset.values_list("public_id", flat=True)),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from backoffice.core.notifications import notification_mark_read

        if request.company is not None and str(object_id).isdigit():
            notification_mark_read(
                user=request.user,
                company=request.company,
                public_ids=list(
                    Notification.objects.filter(pk=int(object_id)).values_list(
                        "public_id", flat=True
                    )
                ),
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ApiToken)
class ApiTokenAdmin(CompanyScopedAdmin):
    list_display = ["name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at"]
    fields = ["name", "expires_at"]
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_view_permission(self, request, obj=None):
        return request.company is not None

    def has_module_permission(self, request):
        return request.company is not None

    def has_add_permission(self, request):
        return request.company is not None

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        token, raw = services.api_token_create(
            actor=request.user,
            company=request.company,
            name=form.cleaned_data["name"],
            expires_at=form.cleaned_data.get("expires_at"),
        )
        form.instance = _adopt(obj, token)
        request._bo_raw_token = raw  # per request: the admin object is shared by all users

    def response_add(self, request, obj, post_url_continue=None):
        messages.warning(
            request,
            _("Copy your token now, it will not be shown again: %(t)s")
            % {"t": getattr(request, "_bo_raw_token", "")},
        )
        return HttpResponseRedirect("../")

    @action(description=_("Revoke"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.api_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Tokens revoked."))


@admin.register(Company)
class CompanyAdmin(ModelAdmin):
    """A user sees only the companies they work in and edits only the active one."""

    list_display = ["code", "name", "tax_code", "currency", "is_active"]
    fields = ["code", "name", "tax_code", "address", "currency", "fiscal_year_start", "chart"]
    readonly_fields = ["code", "currency", "fiscal_year_start", "chart"]

    def get_queryset(self, request):
        from backoffice.core.selectors import user_companies

        return user_companies(user=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("core.view_company")

    def has_module_permission(self, request):
        return request.user.has_perm("core.view_company")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.pk != getattr(request.company, "pk", None):
            return False
        return request.user.has_perm("core.change_company")

    def has_add_permission(self, request):
        return False  # companies are created with `backoffice company create`

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {k: form.cleaned_data[k] for k in ("name", "tax_code", "address")}
        form.instance = _adopt(
            obj,
            services.company_update(
                actor=request.user, company=Company.objects.get(pk=obj.pk), **data
            ),
        )
