"""Staff API of applications (``/api/v1/recruitment/applications``), scoped
like the desk (``selectors.access.application_scope``; another company's or
an unseen application is a 404):

* ``GET /applications`` (search ``q``, ``posting_id``, ``stage_id``, ``state``),
  ``GET /applications/{application_id}`` (with the stage history),
  ``GET /applications/{application_id}/screening`` (score and explanation);
* ``POST /applications/{application_id}/move`` / ``/reject`` / ``/screen``,
  ``POST /applications/bulk-reject`` (``recruitment.manage_application``);
* ``GET /stages``: the company's pipeline stages.
"""

import datetime as dt
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.exceptions import NotFound, PermissionDenied
from backoffice.core.request_context import request_user
from backoffice.core.schemas import ONE_LINE, InputSchema
from backoffice.recruitment.enums import ApplicationState
from backoffice.recruitment.models import EmailTemplate, JobPosting, Stage
from backoffice.recruitment.selectors import applications as sel
from backoffice.recruitment.selectors.access import sees_all
from backoffice.recruitment.services import pipeline as svc

router = Router()

Reason = Annotated[str, Field(min_length=1, max_length=300, pattern=ONE_LINE)]


class PipelineStageOut(Schema):
    id: UUID
    kind: str
    name: str
    name_en: str
    order: int
    reminder_days: int
    is_active: bool

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.public_id


class PipelineStageChangeOut(Schema):
    at: dt.datetime
    from_stage: str | None
    to_stage: str
    note: str

    @staticmethod
    def resolve_from_stage(obj: Any) -> str | None:
        return obj.from_stage.kind if obj.from_stage_id else None

    @staticmethod
    def resolve_to_stage(obj: Any) -> str:
        return obj.to_stage.kind


class ApplicationOut(Schema):
    id: UUID
    candidate_id: UUID
    candidate_name: str
    posting_id: UUID
    posting_title: str
    stage_id: UUID
    stage: str
    stage_kind: str
    state: str
    source: str
    applied_at: dt.datetime
    stage_entered_at: dt.datetime
    decided_at: dt.datetime | None
    score: int | None
    rejection_reason: str

    @staticmethod
    def resolve_id(obj: Any) -> Any:
        return obj.public_id

    @staticmethod
    def resolve_candidate_id(obj: Any) -> Any:
        return obj.candidate.public_id

    @staticmethod
    def resolve_candidate_name(obj: Any) -> str:
        return obj.candidate.full_name

    @staticmethod
    def resolve_posting_id(obj: Any) -> Any:
        return obj.posting.public_id

    @staticmethod
    def resolve_posting_title(obj: Any) -> str:
        return obj.posting.title

    @staticmethod
    def resolve_stage_id(obj: Any) -> Any:
        return obj.stage.public_id

    @staticmethod
    def resolve_stage(obj: Any) -> str:
        return obj.stage.name

    @staticmethod
    def resolve_stage_kind(obj: Any) -> str:
        return obj.stage.kind


class ApplicationDetailOut(ApplicationOut):
    history: list[PipelineStageChangeOut]

    @staticmethod
    def resolve_history(obj: Any) -> list[Any]:
        return sel.stage_history(obj)


class ApplicationScreeningOut(Schema):
    score: int | None
    years: float
    education: str
    items: list[dict[str, Any]]
    missing: list[dict[str, Any]]


class ApplicationFilter(Schema):
    q: Annotated[str, Field(max_length=100)] = ""
    posting_id: UUID | None = None
    stage_id: UUID | None = None
    state: ApplicationState | None = None


class ApplicationMoveIn(InputSchema):
    stage_id: UUID
    note: Annotated[str, Field(max_length=300, pattern=ONE_LINE)] = ""


class ApplicationRejectIn(InputSchema):
    reason: Reason
    template_id: UUID | None = None


class ApplicationBulkRejectIn(InputSchema):
    application_ids: Annotated[list[UUID], Field(min_length=1, max_length=200)]
    reason: Reason
    template_id: UUID | None = None


def _ctx(request: HttpRequest) -> tuple[Any, Any]:
    return request_user(request), _company(request)


def _app(request: HttpRequest, application_id: UUID) -> tuple[Any, Any, Any]:
    user, company = _ctx(request)
    app = sel.application_get_for_user(user=user, company=company, public_id=application_id)
    return user, company, app


def _template(company: Any, template_id: UUID | None) -> EmailTemplate | None:
    if template_id is None:
        return None
    found = EmailTemplate.objects.filter(company=company, public_id=template_id).first()
    if found is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("E-mail template")})
    return found


def _require_manage(user: Any) -> None:
    if not user.has_perm(svc.MANAGE):
        raise PermissionDenied(_("You do not have permission to do this."))


@router.get("/stages", response={200: list[PipelineStageOut], **ERRORS})
def stage_list(request: HttpRequest) -> Any:
    user, company = _ctx(request)
    if not (sees_all(user) or user.has_perm("recruitment.manage_settings")):
        raise PermissionDenied(_("You do not have permission to do this."))
    return list(Stage.objects.filter(company=company).order_by("order", "id"))


@router.get("/applications", response={200: list[ApplicationOut], **ERRORS})
@paginate(Pagination)
def application_list(request: HttpRequest, filters: Query[ApplicationFilter]) -> Any:
    user, company = _ctx(request)
    posting = stage = None
    if filters.posting_id:
        posting = JobPosting.objects.filter(company=company, public_id=filters.posting_id).first()
        if posting is None:
            return []
    if filters.stage_id:
        stage = Stage.objects.filter(company=company, public_id=filters.stage_id).first()
        if stage is None:
            return []
    return sel.application_list(user=user, company=company, q=filters.q, posting=posting,
                                stage=stage, state=filters.state or "")  # fmt: skip


class ApplicationBulkRejectOut(Schema):
    rejected: int


@router.post("/applications/bulk-reject", response={200: ApplicationBulkRejectOut, **ERRORS})
def applications_bulk_reject(request: HttpRequest, payload: ApplicationBulkRejectIn) -> Any:
    user, company = _ctx(request)
    _require_manage(user)
    ids = set(payload.application_ids)
    apps = list(sel.application_list(user=user, company=company).filter(public_id__in=ids))
    if len(apps) != len(ids):
        raise NotFound(_("%(what)s not found.") % {"what": _("Application")})
    n = svc.applications_reject(actor=user, applications=apps, reason=payload.reason,
                                template=_template(company, payload.template_id))  # fmt: skip
    return {"rejected": n}


@router.get("/applications/{application_id}", response={200: ApplicationDetailOut, **ERRORS})
def application_detail(request: HttpRequest, application_id: UUID) -> Any:
    return _app(request, application_id)[2]


@router.get(
    "/applications/{application_id}/screening", response={200: ApplicationScreeningOut, **ERRORS}
)
def application_screening(request: HttpRequest, application_id: UUID) -> Any:
    app = _app(request, application_id)[2]
    detail = app.score_detail or {}
    return {"score": app.score, "years": float(detail.get("years") or 0),
            "education": detail.get("education") or "", "items": detail.get("items") or [],
            "missing": detail.get("missing") or []}  # fmt: skip


@router.post(
    "/applications/{application_id}/screen", response={200: ApplicationScreeningOut, **ERRORS}
)
def application_screen(request: HttpRequest, application_id: UUID) -> Any:
    user, _c, app = _app(request, application_id)
    _require_manage(user)
    svc.application_screen(application=app)
    return application_screening(request, application_id)


@router.post("/applications/{application_id}/move", response={200: ApplicationOut, **ERRORS})
def application_move(request: HttpRequest, application_id: UUID, payload: ApplicationMoveIn) -> Any:
    user, company, app = _app(request, application_id)
    _require_manage(user)
    stage = Stage.objects.filter(company=company, public_id=payload.stage_id).first()
    if stage is None:
        raise NotFound(_("%(what)s not found.") % {"what": _("Stage")})
    return svc.application_move(actor=user, application=app, stage=stage, note=payload.note)


@router.post("/applications/{application_id}/reject", response={200: ApplicationOut, **ERRORS})
def application_reject(
    request: HttpRequest, application_id: UUID, payload: ApplicationRejectIn
) -> Any:
    user, company, app = _app(request, application_id)
    _require_manage(user)
    return svc.application_reject(actor=user, application=app, reason=payload.reason,
                                  template=_template(company, payload.template_id))  # fmt: skip
