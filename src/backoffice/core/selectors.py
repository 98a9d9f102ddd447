"""Reads of the core app, scoped by company and permission (deny by default).

Every other app scopes its reads with :func:`scope_to_company` and checks
permissions with :func:`require_perm`, so the rule is written once.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Model, Q, QuerySet
from django.utils.translation import gettext as _

from backoffice.core.exceptions import NotFound, PermissionDenied
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


def user_roles(*, user: User, company: Company) -> set[str]:
    return set(
        Membership.objects.filter(
            user=user, company=company, is_active=True, company__is_active=True
        ).values_list("role", flat=True)
    )


def user_companies(*, user: User) -> QuerySet[Company]:
    """Companies the user may switch to (active role there)."""
    if user.is_superuser:
        return Company.objects.filter(is_active=True)
    return Company.objects.filter(
        is_active=True, memberships__user=user, memberships__is_active=True
    ).distinct()


def require_perm(user: Any, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."), extra={"perm": perm})


def is_system(actor: Any) -> bool:
    """``None`` (a background job) or a label such as ``"cli"``: the operator of
    the installation, audited under that label, not subject to role checks."""
    return actor is None or isinstance(actor, str)


def authorise(actor: Any, company: Any, perm: str) -> None:
    """Deny by default: a person needs ``perm`` in the company they act in (their
    active company must be this one); system actors pass."""
    if is_system(actor):
        return
    active = getattr(actor, "active_company", None)
    if active is not None and active.pk != company.pk:
        raise PermissionDenied(_("You are working in another company."), extra={"perm": perm})
    require_perm(actor, perm)


_M = TypeVar("_M", bound=Model)


def scope_to_company(qs: QuerySet[_M], company: Company | None) -> QuerySet[_M]:
    """The one place that restricts a queryset to the active company."""
    if company is None:
        return qs.none()
    return qs.filter(company=company)


def _get(qs: QuerySet[_M], public_id: Any, what: str) -> _M:
    """One record by public id; a missing one, or an id that is not a UUID
    (Django raises ValidationError for a malformed string), is "not found"."""
    try:
        return qs.get(public_id=public_id)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound(_("%(what)s not found.") % {"what": what}) from exc


def department_list(*, user: Any, company: Company) -> QuerySet[Department]:
    require_perm(user, "core.view_department")
    return scope_to_company(Department.objects.select_related("parent", "manager"), company)


def department_get_for_user(*, user: Any, company: Company, public_id: Any) -> Department:
    return _get(department_list(user=user, company=company), public_id, _("Department"))


def position_list(*, user: Any, company: Company) -> QuerySet[Position]:
    require_perm(user, "core.view_position")
    return scope_to_company(Position.objects.select_related("department"), company)


def position_get_for_user(*, user: Any, company: Company, public_id: Any) -> Position:
    return _get(position_list(user=user, company=company), public_id, _("Position"))


def company_user_list(*, user: Any, company: Company) -> QuerySet[User]:
    """Users holding at least one role in the company."""
    require_perm(user, "core.view_user")
    return User.objects.filter(memberships__company=company, memberships__is_active=True).distinct()


def membership_list(*, user: Any, company: Company) -> QuerySet[Membership]:
    require_perm(user, "core.view_membership")
    return scope_to_company(Membership.objects.select_related("user", "department"), company)


def audit_event_list(*, user: Any, company: Company) -> QuerySet[AuditEvent]:
    """Events of the active company; platform events (no company) are for admins only."""
    require_perm(user, "core.view_auditevent")
    return AuditEvent.objects.filter(company=company)


def job_list(*, user: Any, company: Company | None) -> QuerySet[Job]:
    """Jobs of ``company`` the user may see (deny by default): the ones they started,
    and, with ``core.view_job``, those of the kinds whose permission they hold
    (``jobs.job_kind``: a journal import's errors are for accountants only). A kind
    without a permission, or no longer registered: its starter and superusers only."""
    from backoffice.core.jobs import job_kinds_visible_to

    qs = scope_to_company(Job.objects.all(), company)
    if company is None or not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser and user.is_active:
        return qs
    own = Q(created_by=user)
    # Permissions answer for the user's active company: asked about another one,
    # only their own jobs.
    if getattr(getattr(user, "active_company", None), "pk", None) != company.pk:
        return qs.filter(own)
    kinds = job_kinds_visible_to(user)
    return qs.filter(own | Q(kind__in=kinds)) if kinds else qs.filter(own)


def job_get_for_user(*, user: Any, company: Company | None, public_id: Any) -> Job:
    return _get(job_list(user=user, company=company), public_id, _("Job"))


def notification_list(*, user: Any, company: Company) -> QuerySet[Notification]:
    return scope_to_company(Notification.objects.filter(user=user), company)


def notification_unread_count(*, user: Any, company: Company | None) -> int:
    if company is None or not user.is_authenticated:
        return 0
    return notification_list(user=user, company=company).filter(read_at__isnull=True).count()


def api_token_list(*, user: Any, company: Company) -> QuerySet[ApiToken]:
    return scope_to_company(ApiToken.objects.filter(user=user), company)


def dashboard_figures(*, user: Any, company: Company) -> dict[str, int]:
    """Live figures for the desk's home page, each only if the user may see it."""
    figures: dict[str, int] = {}
    if user.has_perm("core.view_department"):
        figures["departments"] = Department.objects.filter(company=company).count()
    if user.has_perm("core.view_position"):
        figures["positions"] = Position.objects.filter(company=company).count()
    figures["people"] = (
        Membership.objects.filter(company=company, is_active=True).values("user").distinct().count()
    )
    jobs = job_list(user=user, company=company).aggregate(
        running=Count("id", filter=Q(status__in=["queued", "running"])),
        failed=Count("id", filter=Q(status="failed")),
    )
    figures["jobs_running"] = jobs["running"]
    figures["jobs_failed"] = jobs["failed"]
    figures["unread_notifications"] = notification_unread_count(user=user, company=company)
    if user.has_perm("core.view_auditevent"):
        figures["audit_events"] = AuditEvent.objects.filter(company=company).count()
    return figures


def may_back_up_installation(*, user: Any) -> bool:
    """A backup holds every company's data: only a superuser, or someone who
    holds the administrator role in every active company, may take one."""
    from backoffice.core.enums import Role

    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    companies = Company.objects.filter(is_active=True)
    administered = companies.filter(
        memberships__user=user, memberships__role=Role.ADMIN, memberships__is_active=True
    ).distinct()
    return administered.count() == companies.count()
