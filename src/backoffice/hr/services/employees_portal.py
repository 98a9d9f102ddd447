"""Portal accounts for people (re-exported by ``hr.services.employees``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import Conflict, ValidationFailed
from backoffice.core.models import Company, Membership, User
from backoffice.core.selectors import require_perm
from backoffice.core.services import user_save_new
from backoffice.hr.enums import PersonKind
from backoffice.hr.models import Employee


def _check_company(company: Company, employee: Employee) -> None:
    from backoffice.hr.services.employees import _check_company as check

    check(company, employee)


@transaction.atomic
def portal_account_create(
    *, actor: Any, company: Company, employee: Employee, password: str | None = None
) -> User:
    """A portal login for the person: role employee (or collaborator) in the company,
    with their department. Without a password an e-mail invites them to set one."""
    require_perm(actor, "hr.add_employee")
    _check_company(company, employee)
    if employee.user_id is not None:
        raise Conflict(_("This person already has a portal account."), code="account_exists")
    email = (employee.email or "").strip().lower()
    if not email:
        raise ValidationFailed(
            _("Record the person's e-mail address first."), code="email_required"
        )
    user = User.objects.filter(email=email).first()
    if user is not None and Employee.objects.filter(company=company, user=user).exists():
        raise Conflict(_("This e-mail belongs to another person's account."), code="user_taken")
    if user is None:
        user = user_save_new(
            email=email, full_name=employee.full_name, is_staff=False, password=password
        )
    role = "collaborator" if employee.kind == PersonKind.COLLABORATOR else "employee"
    membership, created = Membership.objects.get_or_create(
        user=user, company=company, role=role,
        defaults={"department": employee.department, "is_active": True},
    )  # fmt: skip
    if not created and not membership.is_active:
        Membership.objects.filter(pk=membership.pk).update(is_active=True)
    Employee.objects.filter(pk=employee.pk).update(user=user)
    employee.user = user
    audit_record(
        event_type="PORTAL_ACCOUNT_CREATED", actor=actor, company=company, target=employee,
        after={"user": user.email, "role": role},
    )  # fmt: skip
    if not password and not user.has_usable_password():
        transaction.on_commit(lambda: _invite(user, company))
    return user


def _invite(user: User, company: Company) -> None:
    """The set-password e-mail: a one-time link (Django's password-reset token)."""
    from django.conf import settings
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from backoffice.core.tasks import send_mail_task

    site = settings.BACKOFFICE["SITE_URL"]
    link = site + reverse(
        "portal:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    body = _(
        "Hello %(name)s,\n\n%(company)s has opened a self-service account for you.\n"
        "Set your password here: %(link)s\n"
        "Then sign in at %(portal)s with %(email)s."
    ) % {"name": user.full_name, "company": company.name, "link": link,
         "portal": site + reverse("portal:home"), "email": user.email}  # fmt: skip
    send_mail_task.enqueue(
        subject=_("Your self-service account"), body=body, recipients=[user.email]
    )
