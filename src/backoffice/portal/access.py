"""Who may open which portal page.

Every portal view is wrapped by :func:`portal_page`: the user must be logged
in (else the portal's login page, then back), have a person record in the
active company (``hr.selectors.employee_for_user``) whose status is not
``left``, and — for a collaborator — an agreement in force
(``hr.services.collaborators.collaborator_has_access``). Employee-only pages
(leave, attendance, team) refuse collaborators and collaborator pages refuse
employees. Roles that must use two-factor on the desk must pass it here too.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exceptions import ApplicationError, NotFound
from backoffice.core.exceptions import PermissionDenied as CorePermissionDenied
from backoffice.core.request_context import request_company

EMPLOYEE = "employee"
COLLABORATOR = "collaborator"


@dataclass
class Me:
    """The logged-in person as the portal sees them."""

    user: Any
    company: Any
    employee: Any

    @property
    def is_collaborator(self) -> bool:
        from backoffice.hr.enums import PersonKind

        return bool(self.employee.kind == PersonKind.COLLABORATOR)

    @property
    def today(self) -> dt.date:
        return timezone.localdate()


def collaborator_has_access(employee: Any, on: dt.date) -> bool:
    """The collaborators area's rule: a signed service agreement in force on ``on``."""
    from backoffice.hr.services.collaborators import collaborator_has_access as rule

    return bool(rule(employee, on))


def refuse(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "portal/refused.html", {"message": message, "nav": None}, status=status)


def _mfa_redirect(request: HttpRequest) -> HttpResponse | None:
    """The desk's two-factor rule: a confirmed device must be verified, and roles
    that see salaries or post to the ledger must enrol one."""
    from backoffice.core.middleware import has_confirmed_device, mfa_required

    user = request.user
    if user.is_verified():  # type: ignore[union-attr]
        return None
    if has_confirmed_device(user):
        return redirect(f"{reverse('core:mfa_verify')}?next={request.path}")
    if mfa_required(user):
        return redirect(f"{reverse('core:mfa_setup')}?next={request.path}")
    return None


def resolve_me(request: HttpRequest) -> Me | HttpResponse:
    from backoffice.hr.enums import EmployeeStatus
    from backoffice.hr.selectors import employee_for_user

    user = request.user
    company = request_company(request)
    employee = employee_for_user(user=user, company=company)
    if employee is None:
        return refuse(
            request,
            _("You have no employee or collaborator record in this company. "
              "Ask the HR department to link your account."),
        )  # fmt: skip
    if employee.status == EmployeeStatus.LEFT:
        return refuse(request, _("Your record is closed; the portal is no longer available."))
    me = Me(user=user, company=company, employee=employee)
    if me.is_collaborator and not collaborator_has_access(employee, me.today):
        return refuse(
            request,
            _("Your agreement has ended, so your portal access has expired. "
              "Contact the HR department if this is a mistake."),
        )  # fmt: skip
    return me


def portal_page(kind: str | None = None) -> Callable[..., Any]:
    """Decorator: log in, resolve ``me``, check the person kind; the view gets ``me``."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("portal:login"))
            blocked = _mfa_redirect(request)
            if blocked is not None:
                return blocked
            me = resolve_me(request)
            if isinstance(me, HttpResponse):
                return me
            if kind == EMPLOYEE and me.is_collaborator:
                return refuse(request, _("This page is for employees."), status=404)
            if kind == COLLABORATOR and not me.is_collaborator:
                return refuse(request, _("This page is for remote collaborators."), status=404)
            try:
                return view(request, me, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc
            except CorePermissionDenied as exc:
                return refuse(request, exc.message)
            except ApplicationError as exc:  # a service's refusal the view did not expect
                return refuse(request, exc.message, status=exc.status)

        return inner

    return wrap


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"
