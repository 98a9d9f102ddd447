"""Per-request context that deep layers need without being handed the request:
the client's IP address for audit events. A ContextVar, so it is private to
the request being served (threads and async tasks alike), never shared state.

Also typed accessors for what our middleware and API authentication attach to
a request at runtime (``request.company``; ``request.user`` once logged in)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from backoffice.core.models import Company, User

_client_ip: ContextVar[str | None] = ContextVar("backoffice_client_ip", default=None)


def client_ip() -> str | None:
    return _client_ip.get()


class _CompanyRequest(Protocol):
    company: Company | None


def request_company(request: HttpRequest) -> Company | None:
    """``request.company``: set by CurrentCompanyMiddleware (desk) or the API's auth."""
    return cast(_CompanyRequest, request).company


def request_user(request: HttpRequest) -> User:
    """``request.user`` of a request that passed authentication (``login_required``,
    API auth): a real :class:`User`, never ``AnonymousUser``."""
    from backoffice.core.models import User

    user = request.user
    assert isinstance(user, User), "an authenticated request was expected"
    return user


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _client_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
