"""Per-request context that deep layers need without being handed the request:
the client's IP address for audit events. A ContextVar, so it is private to
the request being served (threads and async tasks alike), never shared state."""

from __future__ import annotations

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("backoffice_client_ip", default=None)


def client_ip() -> str | None:
    return _client_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)
