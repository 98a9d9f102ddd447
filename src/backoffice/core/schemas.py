"""Request and response bodies of the JSON API.

Output schemas read model instances directly (``resolve_*`` maps the public
UUIDs), so list endpoints can hand a queryset to the paginator and only the
requested page is loaded. Input schemas say in the OpenAPI document exactly
what is accepted: anything they let through is a valid request.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, cast
from uuid import UUID

from django.utils.translation import gettext
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import (
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value: Any) -> Any:
    """YYYY-MM-DD only: not a number of seconds, not "2026-1-5"."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError(gettext("expected an ISO 8601 date string (YYYY-MM-DD)"))
    return value


# A date in the API: an ISO 8601 string (pydantic alone would also take a number
# as seconds since 1970).
IsoDate = Annotated[date, BeforeValidator(_iso_date)]

# Printable text on one line: no control characters (PostgreSQL refuses NUL in
# text; the others have no business in a code or a name).
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"


def not_null(schema: dict[str, Any]) -> None:
    """An optional field (PATCH body, query filter): may be left out, may not be
    null, so the schema has no ``anyOf [..., null]`` a client could send."""
    schema.pop("default", None)


def _public_id(obj: Any) -> UUID:
    return cast(UUID, obj.public_id)


class InputSchema(Schema):
    """A request body: a JSON object with only the declared fields."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _must_be_object(cls, data: Any) -> Any:
        raw = data._obj if isinstance(data, DjangoGetter) else data
        if not isinstance(raw, dict):
            raise ValueError("the request body must be a JSON object")
        return data


class ErrorOut(Schema):
    code: str
    message: str
    extra: dict[Any, Any]


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

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_parent_id(obj: Any) -> UUID | None:
        return obj.parent.public_id if obj.parent_id else None


Code = Annotated[str, Field(min_length=1, max_length=32, pattern=ONE_LINE)]
Name = Annotated[str, Field(min_length=1, max_length=200, pattern=ONE_LINE)]


class DepartmentIn(InputSchema):
    code: Code
    name: Name
    parent_id: UUID | None = None


class DepartmentPatch(InputSchema):
    """Only the fields sent are changed; ``parent_id: null`` moves to the top."""

    # A None default marks "may be left out"; the type still refuses null.
    code: Code = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    name: Name = Field(None, json_schema_extra=not_null)  # type: ignore[assignment]
    parent_id: UUID | None = None


class PositionOut(Schema):
    id: UUID
    code: str
    name: str
    department_id: UUID | None
    level: str

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_department_id(obj: Any) -> UUID | None:
        return obj.department.public_id if obj.department_id else None


class PositionIn(InputSchema):
    code: Code
    name: Name
    department_id: UUID | None = None
    level: str = Field("", max_length=40, pattern=ONE_LINE)


class UserOut(Schema):
    id: UUID
    email: str
    full_name: str
    is_active: bool

    resolve_id = staticmethod(_public_id)


class AuditEventOut(Schema):
    chain: int  # an event is (chain, seq); the list is newest first
    seq: int
    created_at: datetime
    event_type: str
    actor: str
    object_type: str
    object_id: str
    object_repr: str
    outcome: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return cast(str, obj.actor_label)


class JobOut(Schema):
    id: UUID
    kind: str
    status: str
    percent: int
    progress_done: int
    progress_total: int
    message: str
    error: str
    result: dict[Any, Any] | list[Any] | None
    created_at: datetime
    finished_at: datetime | None

    resolve_id = staticmethod(_public_id)


class NotificationOut(Schema):
    id: UUID
    title: str
    body: str
    url: str
    created_at: datetime
    read: bool

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_read(obj: Any) -> bool:
        return obj.read_at is not None


class MarkReadIn(InputSchema):
    """``ids`` null or left out: mark every unread notification read."""

    ids: list[UUID] | None = Field(None, max_length=500)


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

    resolve_id = staticmethod(_public_id)

    @staticmethod
    def resolve_revoked(obj: Any) -> bool:
        return obj.revoked_at is not None


class TokenIn(InputSchema):
    name: str = Field(min_length=1, max_length=100, pattern=ONE_LINE)
    expires_at: AwareDatetime | None = None

    @field_validator("expires_at", mode="before")
    @classmethod
    def _iso_text(cls, value: Any) -> Any:
        """An ISO 8601 string, as documented; not a number of seconds since 1970."""
        if value is not None and not isinstance(value, str | datetime):
            raise ValueError(gettext("expected an ISO 8601 date-time string"))
        return value

    @field_validator("expires_at")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        """Stored in UTC: PostgreSQL refuses offsets beyond 15:59 that ISO 8601 allows."""
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError(gettext("the date is out of range")) from exc


class TokenCreatedOut(TokenOut):
    """The raw token is shown once, here; only its hash is stored."""

    token: str

    @staticmethod
    def resolve_token(obj: Any) -> str:
        return cast(str, obj.raw_token)
