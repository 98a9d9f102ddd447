"""Core API operations: thin adapters over selectors and services."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from backoffice.core import selectors, services
from backoffice.core.notifications import notification_mark_read
from backoffice.core.permissions import permissions_for_roles
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


def _dept_out(d) -> dict:
    return {
        "id": d.public_id,
        "code": d.code,
        "name": d.name,
        "parent_id": d.parent.public_id if d.parent_id else None,
        "created_at": d.created_at,
    }


def _pos_out(p) -> dict:
    return {
        "id": p.public_id,
        "code": p.code,
        "name": p.name,
        "level": p.level,
        "department_id": p.department.public_id if p.department_id else None,
    }


def _company(request: HttpRequest):
    from django.utils.translation import gettext as _

    from backoffice.core.exceptions import PermissionDenied

    if request.company is None:
        raise PermissionDenied(_("You hold no role in any company."), code="no_company")
    return request.company


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I, in which company")
def me(request: HttpRequest):
    company = request.company
    roles = sorted(selectors.user_roles(user=request.user, company=company)) if company else []
    return {
        "id": request.user.public_id,
        "email": request.user.email,
        "full_name": request.user.full_name,
        "company": company,
        "roles": roles,
        "permissions": sorted(permissions_for_roles(roles)),
    }


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS})
@paginate(PageNumberPagination)
def department_list(request: HttpRequest):
    qs = selectors.department_list(user=request.user, company=_company(request))
    return [_dept_out(d) for d in qs]


@router.get("/departments/{dept_id}", response={200: DepartmentOut, **ERRORS})
def department_detail(request: HttpRequest, dept_id: UUID):
    return _dept_out(
        selectors.department_get_for_user(
            user=request.user, company=_company(request), public_id=dept_id
        )
    )


def _parent(request, parent_id):
    if parent_id is None:
        return None
    return selectors.department_get_for_user(
        user=request.user, company=_company(request), public_id=parent_id
    )


@router.post("/departments", response={201: DepartmentOut, **ERRORS})
def department_create(request: HttpRequest, payload: DepartmentIn):
    dept = services.department_create(
        actor=request.user,
        company=_company(request),
        code=payload.code,
        name=payload.name,
        parent=_parent(request, payload.parent_id),
    )
    return 201, _dept_out(dept)


@router.patch("/departments/{dept_id}", response={200: DepartmentOut, **ERRORS})
def department_update(request: HttpRequest, dept_id: UUID, payload: DepartmentPatch):
    dept = selectors.department_get_for_user(
        user=request.user, company=_company(request), public_id=dept_id
    )
    changes = payload.dict(exclude_unset=True)
    if "parent_id" in changes:
        changes["parent"] = _parent(request, changes.pop("parent_id"))
    return _dept_out(services.department_update(actor=request.user, department=dept, **changes))


@router.delete("/departments/{dept_id}", response={204: None, **ERRORS})
def department_delete(request: HttpRequest, dept_id: UUID):
    dept = selectors.department_get_for_user(
        user=request.user, company=_company(request), public_id=dept_id
    )
    services.department_delete(actor=request.user, department=dept)
    return 204, None


@router.get("/positions", response={200: list[PositionOut], **ERRORS})
@paginate(PageNumberPagination)
def position_list(request: HttpRequest):
    return [
        _pos_out(p) for p in selectors.position_list(user=request.user, company=_company(request))
    ]


@router.post("/positions", response={201: PositionOut, **ERRORS})
def position_create(request: HttpRequest, payload: PositionIn):
    pos = services.position_create(
        actor=request.user,
        company=_company(request),
        code=payload.code,
        name=payload.name,
        level=payload.level,
        department=_parent(request, payload.department_id),
    )
    return 201, _pos_out(pos)


@router.get("/users", response={200: list[UserOut], **ERRORS})
@paginate(PageNumberPagination)
def user_list(request: HttpRequest):
    qs = selectors.company_user_list(user=request.user, company=_company(request))
    return [
        {"id": u.public_id, "email": u.email, "full_name": u.full_name, "is_active": u.is_active}
        for u in qs
    ]


@router.get("/audit-events", response={200: list[AuditEventOut], **ERRORS})
@paginate(PageNumberPagination)
def audit_event_list(request: HttpRequest):
    qs = selectors.audit_event_list(user=request.user, company=_company(request))
    return [
        {
            "seq": e.seq,
            "created_at": e.created_at,
            "event_type": e.event_type,
            "actor": e.actor_label,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
            "outcome": e.outcome,
        }
        for e in qs
    ]


def _job_out(j) -> dict:
    return {
        "id": j.public_id,
        "kind": j.kind,
        "status": j.status,
        "percent": j.percent,
        "progress_done": j.progress_done,
        "progress_total": j.progress_total,
        "message": j.message,
        "error": j.error,
        "result": j.result,
        "created_at": j.created_at,
        "finished_at": j.finished_at,
    }


@router.get("/jobs", response={200: list[JobOut], **ERRORS})
@paginate(PageNumberPagination)
def job_list(request: HttpRequest):
    return [_job_out(j) for j in selectors.job_list(user=request.user, company=_company(request))]


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job_detail(request: HttpRequest, job_id: UUID):
    return _job_out(
        selectors.job_get_for_user(user=request.user, company=_company(request), public_id=job_id)
    )


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
@paginate(PageNumberPagination)
def notification_list(request: HttpRequest):
    qs = selectors.notification_list(user=request.user, company=_company(request))
    return [
        {
            "id": n.pk,
            "title": n.title,
            "body": n.body,
            "url": n.url,
            "created_at": n.created_at,
            "read": n.read_at is not None,
        }
        for n in qs
    ]


@router.post("/notifications/read", response={200: MarkReadOut, **ERRORS})
def notification_read(request: HttpRequest, payload: MarkReadIn):
    marked = notification_mark_read(user=request.user, company=_company(request), ids=payload.ids)
    return {"marked": marked}


def _token_out(t) -> dict:
    return {
        "id": t.public_id,
        "name": t.name,
        "prefix": t.prefix,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "last_used_at": t.last_used_at,
        "revoked": t.revoked_at is not None,
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS})
@paginate(PageNumberPagination)
def token_list(request: HttpRequest):
    return [
        _token_out(t)
        for t in selectors.api_token_list(user=request.user, company=_company(request))
    ]


@router.post("/tokens", response={201: TokenCreatedOut, **ERRORS})
def token_create(request: HttpRequest, payload: TokenIn):
    token, raw = services.api_token_create(
        actor=request.user,
        company=_company(request),
        name=payload.name,
        expires_at=payload.expires_at,
    )
    return 201, {**_token_out(token), "token": raw}


@router.post("/tokens/{token_id}/revoke", response={200: TokenOut, **ERRORS})
def token_revoke(request: HttpRequest, token_id: UUID):
    from backoffice.core.selectors import _get

    token = _get(
        selectors.api_token_list(user=request.user, company=_company(request)),
        token_id,
        "API token",
    )
    return _token_out(services.api_token_revoke(actor=request.user, token=token))
