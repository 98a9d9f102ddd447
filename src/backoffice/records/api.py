"""The records API (mounted at /api/v1/records/ by backoffice.api).

Every operation goes through ``selectors.visible_documents`` (list, search,
detail, download) or the services (upload, new version)."""

import datetime as dt
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from backoffice.core.api import ERRORS, Pagination, _company
from backoffice.core.enums import Classification
from backoffice.core.selectors import department_get_for_user
from backoffice.records import selectors, services
from backoffice.records.validation import ALLOWED
from backoffice.records.views import file_response

router = Router(tags=["records"])

_BINARY = {"schema": {"type": "string", "format": "binary"}}
_FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "The file, as an attachment.",
            "content": {
                mime.split(";")[0]: _BINARY
                for mime in sorted(
                    {m for _kind, m in ALLOWED.values()} | {"application/octet-stream"}
                )
            },
        }
    }
}


class VersionOut(Schema):
    number: int
    file_name: str = Field(..., alias="original_name")
    content_type: str
    size: int
    encrypted: bool
    created_at: dt.datetime
    file_deleted: bool

    @staticmethod
    def resolve_file_deleted(obj) -> bool:
        return obj.purged_at is not None


class DocumentOut(Schema):
    id: UUID = Field(..., alias="public_id")
    title: str
    classification: str
    doc_type: str
    tags: list[str]
    department_id: UUID | None
    version: int = Field(..., alias="current_version")
    document_date: dt.date
    status: str
    legal_hold: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_department_id(obj) -> UUID | None:
        return obj.department.public_id if obj.department_id else None


class DocumentDetailOut(DocumentOut):
    versions: list[VersionOut]

    @staticmethod
    def resolve_versions(obj) -> list:
        return list(selectors.document_versions(document=obj))


class DocumentFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Full-text search (accents optional)")
    classification: Classification | None = None
    doc_type: str | None = Field(None, max_length=64)
    tag: str | None = Field(None, max_length=50)


@router.get("/documents", response={200: list[DocumentOut], **ERRORS})
@paginate(Pagination)
def document_list(request: HttpRequest, filters: Query[DocumentFilters]):
    company = _company(request)
    if filters.q:
        qs = selectors.document_search(user=request.user, company=company, query=filters.q)
    else:
        qs = selectors.visible_documents(user=request.user, company=company)
    if filters.classification:
        qs = qs.filter(classification=filters.classification)
    if filters.doc_type:
        qs = qs.filter(doc_type=filters.doc_type)
    if filters.tag:
        qs = qs.filter(tags__contains=f",{filters.tag},")
    return qs.order_by("-updated_at", "-pk")


@router.get("/documents/{doc_id}", response={200: DocumentDetailOut, **ERRORS})
def document_detail(request: HttpRequest, doc_id: UUID):
    return selectors.document_get_for_user(
        user=request.user, company=_company(request), public_id=doc_id
    )


@router.post("/documents", response={201: DocumentDetailOut, **ERRORS})
def document_upload(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str] = "",
    classification: Form[Classification] = Classification.INTERNAL,
    doc_type: Form[str] = "",
    tags: Form[str] = "",
    department_id: Form[UUID | None] = None,
):
    company = _company(request)
    department = None
    if department_id is not None:
        department = department_get_for_user(
            user=request.user, company=company, public_id=department_id
        )
    document = services.document_attach(
        actor=request.user,
        company=company,
        owner=None,
        uploaded_file=file,
        title=title[:200],
        classification=classification,
        doc_type=doc_type[:64],
        department=department,
        tags=tags,
    )
    return Status(201, document)


@router.post("/documents/{doc_id}/versions", response={201: VersionOut, **ERRORS})
def document_new_version(request: HttpRequest, doc_id: UUID, file: File[UploadedFile]):
    document = selectors.document_get_for_user(
        user=request.user, company=_company(request), public_id=doc_id
    )
    version = services.document_add_version(
        actor=request.user, document=document, uploaded_file=file
    )
    return Status(201, version)


@router.get("/documents/{doc_id}/download", response={**ERRORS}, openapi_extra=_FILE_RESPONSE)
def document_download(
    request: HttpRequest, doc_id: UUID, version: int | None = Query(None, ge=1, le=1_000_000)
):
    document, ver, data = selectors.document_open(
        user=request.user, company=_company(request), public_id=doc_id, version=version
    )
    return file_response(document, ver, data)
