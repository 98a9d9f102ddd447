"""One error model for the whole product (ARCHITECTURE convention 8).

Services raise :class:`ApplicationError` subclasses; the API maps them to
``{"code", "message", "extra"}`` with the class's HTTP status, the desk shows
the message, the CLI prints it and exits non-zero. Codes are stable: clients
and tests depend on them, so never rename one.
"""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    code = "application_error"
    status = 400

    def __init__(self, message: str, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code
        self.extra = extra or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "extra": self.extra}


class ValidationFailed(ApplicationError):
    code = "validation_error"
    status = 422


class NotFound(ApplicationError):
    code = "not_found"
    status = 404


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403


class NotAuthenticated(ApplicationError):
    code = "not_authenticated"
    status = 401


class Conflict(ApplicationError):
    code = "conflict"
    status = 409


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429


class AuditChainBroken(ApplicationError):
    code = "audit_chain_broken"
    status = 500


class BackupInvalid(ApplicationError):
    code = "backup_invalid"
    status = 400


def from_django_validation(exc: Any) -> ValidationFailed:
    """Turn a django ValidationError (from full_clean) into our error, all fields at once."""
    from django.utils.translation import gettext as _

    if hasattr(exc, "message_dict"):
        extra = {"fields": {k: [str(m) for m in v] for k, v in exc.message_dict.items()}}
    else:
        extra = {"fields": {"__all__": [str(m) for m in exc.messages]}}
    first = next(iter(extra["fields"].values()), [""])[0]
    return ValidationFailed(_("Invalid data: %(detail)s") % {"detail": first}, extra=extra)
