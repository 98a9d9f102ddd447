"""The JSON API under /api/v1/: one NinjaAPI, one Router per app, one error model.

Authentication: a personal access token (``Authorization: Bearer bo_…``),
bound to one company and to the user's roles there; or the desk session plus
its CSRF token. Either way ``request.company`` is set and
``request.user.active_company`` drives permission checks (deny by default).
Errors are ``{"code", "message", "extra"}``; list endpoints are paginated.
"""

from __future__ import annotations

import hmac
import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie

from backoffice.core.exceptions import ApplicationError, PermissionDenied

log = logging.getLogger("backoffice.api")


# How stale ``ApiToken.last_used_at`` may get: without this every API read
# would also be a write (and on SQLite, one more writer waiting in line).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """Personal access token; the token's company becomes the request's company."""

    def authenticate(self, request: HttpRequest, token: str):
        from backoffice.core.models import ApiToken
        from backoffice.core.services import TOKEN_PREFIX, hash_token

        if not token.startswith(TOKEN_PREFIX) or token.count("_") < 2:
            return None
        prefix = token[len(TOKEN_PREFIX) :].split("_", 1)[0]
        row = ApiToken.objects.select_related("user", "company").filter(prefix=prefix).first()
        if row is None or not row.is_usable or not row.user.is_active:
            return None
        if not hmac.compare_digest(row.token_hash, hash_token(token)):
            return None
        if not row.company.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        user = row.user
        user.active_company = row.company
        request.user = user
        request.company = row.company
        request.api_token = row
        return user


class SessionCompanyAuth(APIKeyCookie):
    """The desk session (CSRF checked on unsafe methods) and its active company.

    The session must satisfy the same two-factor rule as the desk: a user with
    an authenticator must have verified it, and a user whose roles require one
    (salaries, ledger) cannot use the API without it.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest):
        if not request.COOKIES.get(self.param_name):
            return None  # no session: "not authenticated", not a CSRF failure
        try:
            return super()._get_key(request)
        except HttpError as exc:
            raise PermissionDenied(
                _("The CSRF token is missing or wrong."), code="csrf_failed"
            ) from exc

    def authenticate(self, request: HttpRequest, key: str | None):
        from backoffice.core.middleware import has_confirmed_device, mfa_required, resolve_company

        user = request.user
        if not user.is_authenticated:
            return None
        request.company = resolve_company(request)
        user.active_company = request.company
        if not user.is_verified() and (has_confirmed_device(user) or mfa_required(user)):
            request.company = None
            user.active_company = None
            return None
        return user


class SingleValueParser(Parser):
    """Query strings and forms: a parameter given twice is refused, not guessed.

    Django's ``QueryDict`` would silently keep the last of ``?q=a&q=b``; the
    OpenAPI document says ``q`` is one string, so the repeated values go to the
    validator as a list and it answers 422 (only list parameters take several).
    """

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        for key in result:
            if key not in list_fields and len(values := data.getlist(key)) > 1:
                result[key] = values
        return result


api = NinjaAPI(
    parser=SingleValueParser(),
    title="Back Office API",
    version="1",
    description=__doc__,
    urls_namespace="api",
    auth=[TokenAuth(), SessionCompanyAuth()],
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(request, code: str, message: str, status: int, extra=None):
    return api.create_response(
        request, {"code": code, "message": message, "extra": extra or {}}, status=status
    )


@api.exception_handler(ApplicationError)
def _application_error(request, exc: ApplicationError):
    return _error(request, exc.code, exc.message, exc.status, exc.extra)


@api.exception_handler(NinjaValidationError)
def _validation_error(request, exc: NinjaValidationError):
    errors = [
        {"loc": [str(p) for p in e.get("loc", [])], "msg": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return _error(
        request, "validation_error", _("The request is not valid."), 422, {"errors": errors}
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request, exc):
    response = _error(request, "not_authenticated", _("Authentication required."), 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(DjangoPermissionDenied)
def _denied(request, exc):
    return _error(request, "permission_denied", _("You do not have permission to do this."), 403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, "not_found", _("Not found."), 404)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    codes = {
        400: "bad_request",
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        405: "method_not_allowed",
        429: "rate_limited",
    }
    return _error(request, codes.get(exc.status_code, "http_error"), str(exc), exc.status_code)


@api.exception_handler(Exception)
def _server_error(request, exc: Exception):
    log.exception("API error on %s", request.path)
    return _error(request, "server_error", _("An unexpected error occurred."), 500)


# Each app's Router, mounted in this order: core at the root, the others
# under their own prefix (/api/v1/<app>/...).
APP_ROUTERS = ("core", "records", "workflow", "accounting", "hr", "payroll", "recruitment")


def _register_routers() -> None:
    from importlib import import_module

    for app in APP_ROUTERS:
        router = import_module(f"backoffice.{app}.api").router
        api.add_router("/" if app == "core" else f"/{app}/", router)


_register_routers()


def api_not_found(request: HttpRequest):
    """Unknown paths under /api/ answer in the API's error shape, not an HTML page."""
    from django.http import JsonResponse

    return JsonResponse(
        {"code": "not_found", "message": _("Not found."), "extra": {}},
        status=404,
        content_type="application/json; charset=utf-8",
    )
