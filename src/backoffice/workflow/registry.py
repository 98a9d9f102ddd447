"""Request types that other apps register with the approval engine.

The engine never imports other apps: an app describes its request type here
(from its ``AppConfig.ready``) and the engine calls back ``on_approved`` /
``on_rejected`` inside the transaction of the deciding action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from backoffice.core.exceptions import ValidationFailed

if TYPE_CHECKING:
    from backoffice.workflow.models import ApprovalRequest


@dataclass(frozen=True)
class RequestType:
    code: str  # "expense", "purchase", "document_disposal", "leave", ...
    label: Any  # lazy-translated
    on_approved: Callable[[ApprovalRequest], None] | None = None  # in the final approval's txn
    on_rejected: Callable[[ApprovalRequest], None] | None = None
    on_withdrawn: Callable[[ApprovalRequest], None] | None = None  # in the withdrawal's txn
    submit_permission: str | None = None  # None: any member of the company
    # Link in the approvers' notification (default: the desk's approval screen).
    approver_url: Callable[[ApprovalRequest], str] | None = None


_TYPES: dict[str, RequestType] = {}


def register_request_type(rt: RequestType) -> None:
    """Register (or replace, e.g. on reload) a request type by its code."""
    _TYPES[rt.code] = rt


def get_request_type(code: str) -> RequestType:
    try:
        return _TYPES[code]
    except KeyError:
        raise ValidationFailed(
            _("Unknown request type: %(c)s.") % {"c": code}, code="unknown_request_type"
        ) from None


def request_types() -> list[RequestType]:
    return sorted(_TYPES.values(), key=lambda rt: rt.code)


def request_type_choices() -> list[tuple[str, str]]:
    return [(rt.code, str(rt.label)) for rt in request_types()]
