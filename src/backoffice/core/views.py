"""Desk pages that are not model lists: two-factor, company switch, job progress."""

from __future__ import annotations

import re
from typing import Any, Protocol, cast

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from backoffice.core import mfa, services
from backoffice.core.exceptions import ApplicationError
from backoffice.core.middleware import SESSION_KEY, has_confirmed_device
from backoffice.core.models import TOTPDevice, User
from backoffice.core.request_context import request_company, request_user
from backoffice.core.selectors import job_get_for_user, user_companies


def _safe_next(request: HttpRequest, default: str = "/desk/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


class _OTPUser(Protocol):
    def is_verified(self) -> bool: ...


def _is_verified(user: User) -> bool:
    """django-otp's OTPMiddleware adds ``is_verified()`` to the request's user."""
    return cast(_OTPUser, user).is_verified()


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), **extra}


@login_required(login_url="admin:login")
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator: show the QR code, confirm with a first code."""
    user = request_user(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if request.method == "POST" and device is not None:
        if services.totp_device_confirm(
            user=user,
            device=device,
            token=request.POST.get("token", ""),
            ip_address=request.META.get("REMOTE_ADDR"),
        ):
            otp_login(request, device)
            request.session.cycle_key()  # new session id once the second factor passes
            messages.success(request, _("Two-factor authentication is on."))
            return redirect(_safe_next(request))
        messages.error(request, _("The code is not valid. Try the current one."))
    if device is None or request.method == "GET":
        if has_confirmed_device(user) and not _is_verified(user):
            return redirect("core:mfa_verify")
        device, key = services.totp_device_start(user=user)
    else:
        key = mfa.unseal_secret(device.encrypted_key)
    uri = mfa.provisioning_uri(key, user.email)
    secret = uri.split("secret=")[1].split("&")[0]
    return render(
        request,
        "core/mfa_setup.html",
        _ctx(
            request,
            title=_("Set up two-factor authentication"),
            qr_svg=mfa.qr_svg(uri),
            secret=secret,
            next=_safe_next(request),
        ),
    )


@login_required(login_url="admin:login")
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """Second step of login for users with an authenticator."""
    user = request.user
    if request.method == "POST":
        token = request.POST.get("token", "")
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                request.session.cycle_key()  # new session id once the second factor passes
                return redirect(_safe_next(request))
        from backoffice.core.audit import audit_record

        audit_record(
            event_type="MFA_FAILED",
            actor=user,
            target=user,
            ip_address=request.META.get("REMOTE_ADDR"),
            outcome="failure",
        )
        messages.error(request, _("The code is not valid."))
    return render(
        request,
        "core/mfa_verify.html",
        _ctx(request, title=_("Two-factor authentication"), next=_safe_next(request)),
    )


@require_POST
@login_required(login_url="admin:login")
def switch_company(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("company", "")
    company = user_companies(user=request_user(request)).filter(code=wanted).first()
    if company is None:
        messages.error(request, _("You have no role in that company."))
    else:
        request.session[SESSION_KEY] = company.pk
        messages.success(request, _("Now working in %(name)s.") % {"name": company.name})
    # A record of the old company is not shown in the new one: go back to its list.
    target = _OBJECT_PAGE.sub(r"\1", _safe_next(request))
    return redirect(target)


_OBJECT_PAGE = re.compile(r"^(/desk/[\w-]+/[\w-]+/)[^/]+/(change|delete|history)/.*$")


@login_required(login_url="admin:login")
def job_progress(request: HttpRequest, public_id: str) -> HttpResponse:
    """Polled by the progress bar on the job page."""
    try:
        job = job_get_for_user(
            user=request.user, company=request_company(request), public_id=public_id
        )
    except ApplicationError as exc:
        return JsonResponse(exc.as_dict(), status=exc.status)
    return JsonResponse(
        {
            "status": job.status,
            "percent": job.percent,
            "done": job.progress_done,
            "total": job.progress_total,
            "message": job.message,
            "error": job.error,
        }
    )
