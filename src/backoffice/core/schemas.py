from __future__ import annotations

from datetime import datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    code: str
    message: str
    extra: dict


class CompanyOut(Schema):
    code: str
    name: str
    currency: str
    tax_code: str
    fiscal_year_start: str


class MeOut(Schema):
    id: UUID
    email: str
    full_name: str
    company: CompanyOut | None
    roles: list[str]
    permissions: list[str]


class DepartmentOut(Schema):
    id: UUID
    code: str
    name: str
    parent_id: UUID | None
    created_at: datetime


class DepartmentIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    parent_id: UUID | None = None


class DepartmentPatch(Schema):
    code: str | None = Field(None, min_length=1, max_length=32)
    name: str | None = Field(None, min_length=1, max_length=200)
    parent_id: UUID | None = None


class PositionOut(Schema):
    id: UUID
    code: str
    name: str
    department_id: UUID | None
    level: str


class PositionIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    department_id: UUID | None = None
    level: str = Field("", max_length=40)


class UserOut(Schema):
    id: UUID
    email: str
    full_name: str
    is_active: bool


class AuditEventOut(Schema):
    seq: int
    created_at: datetime
    event_type: str
    actor: str
    object_type: str
    object_id: str
    object_repr: str
    outcome: str


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    percent: int
    progress_done: int
    progress_total: int
    message: str
    error: str
    result: dict | list | None
    created_at: datetime
    finished_at: datetime | None


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int


class TokenOut(Schema):
    id: UUID
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    expires_at: datetime | None = None


class TokenCreatedOut(TokenOut):
    token: str
