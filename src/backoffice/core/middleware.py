"""Request plumbing: the active company, the two-factor rule, no-store on pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from backoffice.core.selectors import user_companies

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backoffice.core.models import User

SESSION_KEY = "backoffice_company_id"


def resolve_company(request):
    """The company the user works in: the session's choice if still allowed, else the first."""
    user = request.user
    if not user.is_authenticated:
        return None
    allowed = user_companies(user=user)
    wanted = request.session.get(SESSION_KEY)
    company = allowed.filter(pk=wanted).first() if wanted else None
    if company is None:
        company = allowed.order_by("code").first()
        if company is not None:
            request.session[SESSION_KEY] = company.pk
    return company


class CurrentCompanyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.company = None
        if request.user.is_authenticated and not request.path.startswith("/api/"):
            request.company = resolve_company(request)
            request.user.active_company = request.company
        return self.get_response(request)


def mfa_required(user: User | AnonymousUser) -> bool:
    """True when the user's roles in the active company see salaries or post to the ledger."""
    markers = cast("Iterable[str]", settings.BACKOFFICE["MFA_REQUIRED_PERMISSIONS"])
    return user.is_superuser or any(user.has_perm(p) for p in markers)


def has_confirmed_device(user: User | AnonymousUser) -> bool:
    from backoffice.core.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TwoFactorMiddleware:
    """Desk pages need a verified second factor when the user has one, and
    roles that see salaries or post to the ledger cannot work without one."""

    EXEMPT_PREFIXES = ("/account/2fa/", "/static/", "/i18n/", "/api/", "/desk/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        if (
            user.is_authenticated
            and path.startswith("/desk/")
            and not path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()
        ):
            if has_confirmed_device(user):
                return redirect(f"{reverse('core:mfa_verify')}?next={path}")
            if mfa_required(user):
                return redirect(reverse("core:mfa_setup"))
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages with company data must not be kept by browsers or proxies."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith("/static/") and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response


class ControlCharacterMiddleware:
    """A NUL byte in the query string is refused with 400 before any view runs:
    PostgreSQL cannot hold one in a text value, so a filter that passed it on
    would fail with a server error (found by the API fuzz battery)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            from django.http import HttpResponseBadRequest, JsonResponse
            from django.utils.translation import gettext as _

            message = _("The request contains a character that is not allowed.")
            if request.path.startswith("/api/"):
                body = {"code": "invalid_input", "message": message, "extra": {}}
                return JsonResponse(
                    body, status=400, content_type="application/json; charset=utf-8"
                )
            return HttpResponseBadRequest(message)
        return self.get_response(request)
