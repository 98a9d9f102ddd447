"""The download view: through the access selector, as an attachment, never inline."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.records.selectors import document_open


def file_response(document, version, data: bytes) -> HttpResponse:
    """Bytes as a download: attachment, nosniff, a sandboxing CSP, not cached."""
    response = HttpResponse(data, content_type=version.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=version.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Content-Length"] = str(len(data))
    return response


def _version_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("version")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) < 1 or int(raw) > 1_000_000:
        raise Http404
    return int(raw)


@require_GET
def document_download(request: HttpRequest, public_id) -> HttpResponse:
    from backoffice.core.middleware import has_confirmed_device, mfa_required

    user = request.user
    if not user.is_authenticated or not user.is_staff:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    # The desk's two-factor rule, also when this view is mounted outside /desk/.
    if not user.is_verified() and (has_confirmed_device(user) or mfa_required(user)):
        return redirect(f"{reverse('core:mfa_verify')}?next={request.path}")
    try:
        document, version, data = document_open(
            user=user,
            company=getattr(request, "company", None),
            public_id=public_id,
            version=_version_param(request),
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ApplicationError as exc:
        return HttpResponse(
            exc.message, status=exc.status, content_type="text/plain; charset=utf-8"
        )
    return file_response(document, version, data)
