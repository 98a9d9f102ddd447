"""Core API operations: thin adapters over selectors and services."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from backoffice.core import selectors, services
from backoffice.core.models import Company
from backoffice.core.notifications import notification_mark_read
from backoffice.core.permissions import permissions_for_roles
from backoffice.core.request_context import request_company, request_user
from backoffice.core.schemas import (
    AuditEventOut,
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    ErrorOut,
    JobOut,
    MarkReadIn,
    MarkReadOut,
    MeOut,
    NotificationOut,
    PositionIn,
    PositionOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserOut,
)

router = Router(tags=["core"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}

MAX_PAGE_SIZE = 100


class Pagination(PageNumberPagination):
    """``?page=&page_size=`` -> ``{"items": [...], "count": N}``; only that page is loaded."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int = Field(MAX_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)

    def __init__(self, **kwargs):
        super().__init__(page_size=MAX_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs)


def _company(request: HttpRequest) -> Company:
    from django.utils.translation import gettext as _

    from backoffice.core.exceptions import PermissionDenied

    company = request_company(request)
    if company is None:
        raise PermissionDenied(_("You hold no role in any company."), code="no_company")
    return company


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I, in which company")
def me(request: HttpRequest):
    user = request_user(request)
    company = request_company(request)
    roles = sorted(selectors.user_roles(user=user, company=company)) if company else []
    return {
        "id": user.public_id,
        "email": user.email,
        "full_name": user.full_name,
        "company": company,
        "roles": roles,
        "permissions": sorted(permissions_for_roles(roles)),
    }


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS})
@paginate(Pagination)
def department_list(request: HttpRequest):
    return selectors.department_list(user=request.user, company=_company(request))


@router.get("/departments/{dept_id}", response={200: DepartmentOut, **ERRORS})
def department_detail(request: HttpRequest, dept_id: UUID):
    return selectors.department_get_for_user(
        user=request.user, company=_company(request), public_id=dept_id
    )


def _department(request, public_id):
    """A department of the request's company referenced by a body field, or None."""
    if public_id is None:
        return None
    return selectors.department_get_for_user(
        user=request.user, company=_company(request), public_id=public_id
    )


@router.post("/departments", response={201: DepartmentOut, **ERRORS})
def department_create(request: HttpRequest, payload: DepartmentIn):
    dept = services.department_create(
        actor=request.user,
        company=_company(request),
        code=payload.code,
        name=payload.name,
        parent=_department(request, payload.parent_id),
    )
    return Status(201, dept)


@router.patch("/departments/{dept_id}", response={200: DepartmentOut, **ERRORS})
def department_update(request: HttpRequest, dept_id: UUID, payload: DepartmentPatch):
    dept = selectors.department_get_for_user(
        user=request.user, company=_company(request), public_id=dept_id
    )
    changes = payload.dict(exclude_unset=True)
    if "parent_id" in changes:
        changes["parent"] = _department(request, changes.pop("parent_id"))
    return services.department_update(actor=request.user, department=dept, **changes)


@router.delete("/departments/{dept_id}", response={204: None, **ERRORS})
def department_delete(request: HttpRequest, dept_id: UUID):
    dept = selectors.department_get_for_user(
        user=request.user, company=_company(request), public_id=dept_id
    )
    services.department_delete(actor=request.user, department=dept)
    return Status(204, None)


@router.get("/positions", response={200: list[PositionOut], **ERRORS})
@paginate(Pagination)
def position_list(request: HttpRequest):
    return selectors.position_list(user=request.user, company=_company(request))


@router.post("/positions", response={201: PositionOut, **ERRORS})
def position_create(request: HttpRequest, payload: PositionIn):
    pos = services.position_create(
        actor=request.user,
        company=_company(request),
        code=payload.code,
        name=payload.name,
        level=payload.level,
        department=_department(request, payload.department_id),
    )
    return Status(201, pos)


@router.get("/users", response={200: list[UserOut], **ERRORS})
@paginate(Pagination)
def user_list(request: HttpRequest):
    return selectors.company_user_list(user=request.user, company=_company(request)).order_by(
        "email"
    )


@router.get("/audit-events", response={200: list[AuditEventOut], **ERRORS})
@paginate(Pagination)
def audit_event_list(request: HttpRequest):
    return selectors.audit_event_list(user=request.user, company=_company(request)).order_by("-id")


@router.get("/jobs", response={200: list[JobOut], **ERRORS})
@paginate(Pagination)
def job_list(request: HttpRequest):
    return selectors.job_list(user=request.user, company=_company(request))


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job_detail(request: HttpRequest, job_id: UUID):
    return selectors.job_get_for_user(
        user=request.user, company=_company(request), public_id=job_id
    )


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paginate(Pagination)
def notification_list(request: HttpRequest):
    return selectors.notification_list(user=request.user, company=_company(request))


@router.post("/notifications/read", response={200: MarkReadOut, **ERRORS})
def notification_read(request: HttpRequest, payload: MarkReadIn):
    marked = notification_mark_read(
        user=request_user(request), company=_company(request), public_ids=payload.ids
    )
    return {"marked": marked}


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
@paginate(Pagination)
def token_list(request: HttpRequest):
    return selectors.api_token_list(user=request.user, company=_company(request))


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS})
def token_create(request: HttpRequest, payload: TokenIn):
    token, raw = services.api_token_create(
        actor=request_user(request),
        company=_company(request),
        name=payload.name,
        expires_at=payload.expires_at,
    )
    token.raw_token = raw
    return Status(201, token)


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: UUID):
    from django.utils.translation import gettext as _

    from backoffice.core.selectors import _get

    token = _get(
        selectors.api_token_list(user=request.user, company=_company(request)),
        token_id,
        _("API token"),
    )
    return services.api_token_revoke(actor=request_user(request), token=token)
