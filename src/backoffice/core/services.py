"""Writes of the core app: ``<entity>_<action>(*, actor, ...)``, one transaction each,
``full_clean()`` before save, an audit event in the same transaction."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.enums import Role
from backoffice.core.exceptions import (
    ApplicationError,
    Conflict,
    ValidationFailed,
    from_django_validation,
)
from backoffice.core.models import (
    ApiToken,
    Company,
    Department,
    Membership,
    Position,
    TOTPDevice,
    User,
)
from backoffice.core.selectors import require_perm

_FYS = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


def snapshot(instance: Any, fields: list[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        value = (
            getattr(instance, name + "_id", None)
            if hasattr(instance, name + "_id")
            else getattr(instance, name)
        )
        out[name] = value if isinstance(value, (int, str, bool, type(None))) else str(value)
    return out


_UNIQUE_CODES = frozenset({"unique", "unique_together"})


def _clean_error(exc: ValidationError) -> ApplicationError:
    """``full_clean`` failed: a duplicate is a conflict (409) named after its field,
    anything else is a validation error (422) listing every field."""
    if not hasattr(exc, "error_dict"):
        return from_django_validation(exc)
    fields: dict[str, list[str]] = {}
    only_duplicates = True
    for name, errors in exc.error_dict.items():
        for error in errors:
            targets = [name]
            if error.code in _UNIQUE_CODES:
                check = (error.params or {}).get("unique_check") or ()
                targets = [f for f in check if f != "company"] or targets
            else:
                only_duplicates = False
            for target in targets:
                fields.setdefault(target, []).extend(error.messages)
    if only_duplicates:
        first = next(iter(fields.values()))[0]
        return Conflict(first, extra={"fields": fields})
    return from_django_validation(ValidationError(fields))


def _save(instance: Any, **clean_kwargs: Any) -> None:
    try:
        instance.full_clean(**clean_kwargs)
    except ValidationError as exc:
        raise _clean_error(exc) from exc
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        # A concurrent writer got there between the check and the insert.
        raise Conflict(
            _("The record conflicts with one saved at the same time; try again."),
            code="conflict",
        ) from exc


def _delete_unless_referenced(instance: Any, message: str, code: str) -> None:
    """Delete; a record other records still point to (PROTECT) is a conflict, not a 500."""
    from django.db.models import ProtectedError, RestrictedError

    try:
        with transaction.atomic():
            instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise Conflict(message, code=code) from exc


# --- companies -------------------------------------------------------------------
COMPANY_FIELDS = ["code", "name", "tax_code", "currency", "fiscal_year_start", "chart"]


@transaction.atomic
def company_create(
    *,
    actor: Any,
    code: str,
    name: str,
    currency: str = "VND",
    chart: str = "tt99",
    fiscal_year_start: str = "01-01",
    tax_code: str = "",
    address: str = "",
) -> Company:
    from stdnum.vn import mst

    if not _FYS.match(fiscal_year_start or ""):
        raise ValidationFailed(
            _("Fiscal year start must be MM-DD, e.g. 01-01."), code="invalid_fiscal_year_start"
        )
    if chart not in ("tt99", "tt133", "none"):
        raise ValidationFailed(
            _("Unknown chart of accounts: %(c)s.") % {"c": chart}, code="invalid_chart"
        )
    if tax_code and not mst.is_valid(tax_code):
        raise ValidationFailed(
            _("Invalid Vietnamese tax code: %(t)s.") % {"t": tax_code}, code="invalid_tax_code"
        )
    if Company.objects.filter(code=code).exists():
        raise Conflict(
            _("A company with code %(code)s already exists.") % {"code": code},
            code="company_exists",
        )
    company = Company(
        code=code,
        name=name,
        currency=(currency or "VND").upper(),
        chart=chart,
        fiscal_year_start=fiscal_year_start,
        tax_code=tax_code,
        address=address,
    )
    _save(company)
    audit_record(
        event_type="COMPANY_CREATED",
        actor=actor,
        company=company,
        target=company,
        after=snapshot(company, COMPANY_FIELDS),
    )
    from backoffice.core import hooks

    hooks.company_created(company=company, actor=actor)
    return company


@transaction.atomic
def company_update(*, actor: Any, company: Company, **changes: Any) -> Company:
    require_perm(actor, "core.change_company")
    before = snapshot(company, COMPANY_FIELDS)
    for key, value in changes.items():
        if key not in ("name", "tax_code", "address", "settings"):
            raise ValidationFailed(_("Field %(f)s cannot be changed.") % {"f": key})
        setattr(company, key, value)
    _save(company)
    audit_record(
        event_type="COMPANY_UPDATED",
        actor=actor,
        company=company,
        target=company,
        before=before,
        after=snapshot(company, COMPANY_FIELDS),
    )
    return company


# --- departments and positions -----------------------------------------------------
DEPARTMENT_FIELDS = ["code", "name", "parent", "manager"]
POSITION_FIELDS = ["code", "name", "department", "level"]


def _check_same_company(company: Company, *objs: Any) -> None:
    for obj in objs:
        if obj is not None and obj.company_id != company.pk:
            raise ValidationFailed(
                _("The linked record belongs to another company."), code="cross_company_reference"
            )


def _check_no_cycle(dept: Department, parent: Department | None) -> None:
    seen = set()
    node = parent
    while node is not None:
        if node.pk == dept.pk or node.pk in seen:
            raise ValidationFailed(
                _("A department cannot be placed under itself."), code="department_cycle"
            )
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def department_create(
    *,
    actor: Any,
    company: Company,
    code: str,
    name: str,
    parent: Department | None = None,
    manager: User | None = None,
) -> Department:
    require_perm(actor, "core.add_department")
    _check_same_company(company, parent)
    dept = Department(company=company, code=code, name=name, parent=parent, manager=manager)
    _save(dept)
    audit_record(
        event_type="DEPARTMENT_CREATED",
        actor=actor,
        company=company,
        target=dept,
        after=snapshot(dept, DEPARTMENT_FIELDS),
    )
    return dept


@transaction.atomic
def department_update(*, actor: Any, department: Department, **changes: Any) -> Department:
    require_perm(actor, "core.change_department")
    before = snapshot(department, DEPARTMENT_FIELDS)
    for key in ("code", "name", "parent", "manager"):
        if key in changes:
            setattr(department, key, changes[key])
    _check_same_company(department.company, department.parent)
    _check_no_cycle(department, department.parent)
    _save(department)
    audit_record(
        event_type="DEPARTMENT_UPDATED",
        actor=actor,
        company=department.company,
        target=department,
        before=before,
        after=snapshot(department, DEPARTMENT_FIELDS),
    )
    return department


@transaction.atomic
def department_delete(*, actor: Any, department: Department) -> None:
    require_perm(actor, "core.delete_department")
    if department.children.exists() or department.positions.exists():
        raise Conflict(
            _("The department still has sub-departments or positions."), code="department_in_use"
        )
    audit_record(
        event_type="DEPARTMENT_DELETED",
        actor=actor,
        company=department.company,
        target=department,
        before=snapshot(department, DEPARTMENT_FIELDS),
    )
    _delete_unless_referenced(department, _("The department is still in use."), "department_in_use")


@transaction.atomic
def position_create(
    *,
    actor: Any,
    company: Company,
    code: str,
    name: str,
    department: Department | None = None,
    level: str = "",
) -> Position:
    require_perm(actor, "core.add_position")
    _check_same_company(company, department)
    pos = Position(company=company, code=code, name=name, department=department, level=level)
    _save(pos)
    audit_record(
        event_type="POSITION_CREATED",
        actor=actor,
        company=company,
        target=pos,
        after=snapshot(pos, POSITION_FIELDS),
    )
    return pos


@transaction.atomic
def position_update(*, actor: Any, position: Position, **changes: Any) -> Position:
    require_perm(actor, "core.change_position")
    before = snapshot(position, POSITION_FIELDS)
    for key in ("code", "name", "department", "level"):
        if key in changes:
            setattr(position, key, changes[key])
    _check_same_company(position.company, position.department)
    _save(position)
    audit_record(
        event_type="POSITION_UPDATED",
        actor=actor,
        company=position.company,
        target=position,
        before=before,
        after=snapshot(position, POSITION_FIELDS),
    )
    return position


@transaction.atomic
def position_delete(*, actor: Any, position: Position) -> None:
    require_perm(actor, "core.delete_position")
    audit_record(
        event_type="POSITION_DELETED",
        actor=actor,
        company=position.company,
        target=position,
        before=snapshot(position, POSITION_FIELDS),
    )
    _delete_unless_referenced(position, _("The position is still in use."), "position_in_use")


# --- users and roles -----------------------------------------------------------------
USER_FIELDS = ["email", "full_name", "is_active", "is_staff", "language"]


def user_save_new(*, email: str, full_name: str, is_staff: bool, password: str | None) -> User:
    """Save a new account: the password checked by the validators in settings,
    or unusable (the person sets one from an e-mailed link). The caller checks
    permissions and writes the audit event."""
    user = User(email=email, full_name=full_name, is_staff=is_staff)
    if password:
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), code="weak_password") from exc
        user.set_password(password)
    else:
        user.set_unusable_password()
    _save(user, exclude=["password"])
    return user


@transaction.atomic
def user_create(
    *,
    actor: Any,
    company: Company | None,
    email: str,
    full_name: str,
    password: str | None = None,
    is_staff: bool = True,
    roles: Sequence[str] = (),
) -> User:
    if company is not None and actor is not None:
        require_perm(actor, "core.add_user")
    email = (email or "").strip().lower()
    if User.objects.filter(email=email).exists():
        raise Conflict(_("A user with this e-mail already exists."), code="user_exists")
    user = user_save_new(email=email, full_name=full_name, is_staff=is_staff, password=password)
    audit_record(
        event_type="USER_CREATED",
        actor=actor,
        company=company,
        target=user,
        after=snapshot(user, USER_FIELDS),
    )
    for role in roles:
        assert company is not None, "roles are granted in a company"
        membership_grant(actor=actor, company=company, user=user, role=role)
    return user


@transaction.atomic
def user_update(*, actor: Any, company: Company, user: User, **changes: Any) -> User:
    require_perm(actor, "core.change_user")
    before = snapshot(user, USER_FIELDS)
    for key in ("full_name", "is_active", "is_staff", "language"):
        if key in changes:
            setattr(user, key, changes[key])
    _save(user, exclude=["password"])
    event = "USER_DISABLED" if before["is_active"] and not user.is_active else "USER_UPDATED"
    audit_record(
        event_type=event,
        actor=actor,
        company=company,
        target=user,
        before=before,
        after=snapshot(user, USER_FIELDS),
    )
    if not user.is_active:
        _kill_sessions(user)
    return user


def _kill_sessions(user: User) -> None:
    """Log a disabled user out everywhere (sessions store the user id)."""
    from django.contrib.sessions.models import Session

    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def membership_grant(
    *, actor: Any, company: Company, user: User, role: str, department: Department | None = None
) -> Membership:
    if actor is not None:
        require_perm(actor, "core.add_membership")
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role: %(r)s.") % {"r": role}, code="unknown_role")
    _check_same_company(company, department)
    membership, created = Membership.objects.get_or_create(
        user=user,
        company=company,
        role=role,
        defaults={"department": department, "is_active": True},
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
    audit_record(
        event_type="ROLE_GRANTED",
        actor=actor,
        company=company,
        target=membership,
        after={"user": user.email, "role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    require_perm(actor, "core.delete_membership")
    audit_record(
        event_type="ROLE_REVOKED",
        actor=actor,
        company=membership.company,
        target=membership,
        before={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()


# --- API tokens ---------------------------------------------------------------------
TOKEN_PREFIX = "bo_"  # noqa: S105 - a public marker, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, company: Company, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Create a token for the actor in the company; the raw value is returned once."""
    from backoffice.core.selectors import user_roles

    if not actor.is_superuser and not user_roles(user=actor, company=company):
        raise ValidationFailed(_("You hold no role in this company."), code="no_role")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user=actor,
        company=company,
        name=name or "API",
        prefix=prefix,
        token_hash=hash_token(raw),
        expires_at=expires_at,
    )
    _save(token)
    audit_record(
        event_type="API_TOKEN_CREATED",
        actor=actor,
        company=company,
        target=token,
        after={"name": token.name, "prefix": prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and not actor.has_perm("core.change_user"):
        raise ValidationFailed(_("You can only revoke your own tokens."), code="not_owner")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            event_type="API_TOKEN_REVOKED",
            actor=actor,
            company=token.company,
            target=token,
            after={"prefix": token.prefix},
        )
    return token


# --- two-factor ---------------------------------------------------------------------
@transaction.atomic
def totp_device_start(*, user: User) -> tuple[TOTPDevice, bytes]:
    """Begin enrolment: a new unconfirmed device with a fresh secret."""
    from backoffice.core import mfa

    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    key = mfa.new_secret()
    device = TOTPDevice.objects.create(
        user=user, name="TOTP", confirmed=False, encrypted_key=mfa.seal_secret(key)
    )
    return device, key


@transaction.atomic
def totp_device_confirm(
    *, user: User, device: TOTPDevice, token: str, ip_address: str | None = None
) -> bool:
    if device.user_id != user.pk or device.confirmed:
        return False
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    audit_record(event_type="MFA_ENROLLED", actor=user, target=user, ip_address=ip_address)
    return True


@transaction.atomic
def totp_device_reset(*, actor: User, company: Company, user: User) -> None:
    """An administrator removes a lost authenticator; the user must enrol again."""
    require_perm(actor, "core.change_user")
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(event_type="MFA_RESET", actor=actor, company=company, target=user)
