"""Dependants (PIT family deduction), emergency contacts and education.

HR (``hr.change_employee``) manages all three; the person may manage their own
emergency contacts (portal). Every change is audited; a dependant's ID number
is encrypted and never written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from backoffice.core.audit import audit_record
from backoffice.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from backoffice.core.models import Company
from backoffice.core.services import _save, snapshot
from backoffice.hr.models import Dependant, Education, EmergencyContact, Employee
from backoffice.hr.services.employees_validation import clean_national_id, clean_tax_code

DEPENDANT_FIELDS = [
    "full_name", "relationship", "date_of_birth", "national_id", "registered_from",
    "registered_to",
]  # fmt: skip
CONTACT_FIELDS = ["full_name", "relationship", "phone"]
EDUCATION_FIELDS = ["institution", "degree", "field_of_study", "graduation_year"]


def _own(company: Company, obj: Any) -> None:
    if company is None or obj.company_id != company.pk:
        raise NotFound(_("%(what)s not found.") % {"what": obj._meta.verbose_name})


def _only(values: dict[str, Any], allowed: list[str]) -> dict[str, Any]:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}, code="unknown_field"
        )
    return dict(values)


def _clean_dependant_id(value: str) -> str:
    """A dependant is identified by a CCCD (12 digits) or a personal tax code."""
    text = "".join(str(value or "").split())
    if not text:
        return ""
    if len(text) == 12:
        return clean_national_id(text)
    return clean_tax_code(text, "national_id")


def _may_edit(actor: Any, employee: Employee, *, self_allowed: bool) -> None:
    own = employee.user_id is not None and employee.user_id == getattr(actor, "pk", None)
    if self_allowed and own:
        return
    if not actor.has_perm("hr.change_employee"):
        raise PermissionDenied(
            _("You do not have permission to do this."), code="permission_denied"
        )


def _audit(event: str, actor: Any, company: Company, obj: Any, fields: list[str], **kw: Any):
    safe = [f for f in fields if f != "national_id"]
    audit_record(
        event_type=event, actor=actor, company=company, target=obj.employee,
        object_type=obj._meta.label_lower, object_id=str(obj.public_id),
        after={"employee": obj.employee.code, **snapshot(obj, safe), **kw},
    )  # fmt: skip


# --- generic create / update / delete ------------------------------------------------------
def _create(model, fields, event, *, actor, company, employee, self_allowed=False, **values):
    _own(company, employee)
    _may_edit(actor, employee, self_allowed=self_allowed)
    values = _only(values, fields)
    if "national_id" in values:
        values["national_id"] = _clean_dependant_id(values["national_id"])
    obj = model(company=company, employee=employee, **values)
    _check(obj)
    _save(obj)
    _audit(event, actor, company, obj, fields)
    return obj


def _update(model, fields, event, *, actor, company, obj, self_allowed=False, **changes):
    _own(company, obj)
    _may_edit(actor, obj.employee, self_allowed=self_allowed)
    changes = _only(changes, fields)
    if "national_id" in changes:
        changes["national_id"] = _clean_dependant_id(changes["national_id"])
    obj = model.objects.select_for_update().get(pk=obj.pk)
    for key, value in changes.items():
        setattr(obj, key, value)
    _check(obj)
    _save(obj)
    _audit(event, actor, company, obj, fields)
    return obj


def _delete(event, *, actor, company, obj, self_allowed=False):
    _own(company, obj)
    _may_edit(actor, obj.employee, self_allowed=self_allowed)
    _audit(event, actor, company, obj, [])
    obj.delete()


def _check(obj: Any) -> None:
    if isinstance(obj, Dependant) and obj.registered_to and obj.registered_to < obj.registered_from:
        raise ValidationFailed(
            _("The deduction ends before it starts."),
            code="bad_period",
            extra={"fields": {"registered_to": [_("Before the start.")]}},
        )


@transaction.atomic
def dependant_create(*, actor: Any, company: Company, employee: Employee, **values: Any):
    return _create(Dependant, DEPENDANT_FIELDS, "DEPENDANT_ADDED", actor=actor,
                   company=company, employee=employee, **values)  # fmt: skip


@transaction.atomic
def dependant_update(*, actor: Any, company: Company, dependant: Dependant, **changes: Any):
    return _update(Dependant, DEPENDANT_FIELDS, "DEPENDANT_UPDATED", actor=actor,
                   company=company, obj=dependant, **changes)  # fmt: skip


@transaction.atomic
def dependant_delete(*, actor: Any, company: Company, dependant: Dependant) -> None:
    _delete("DEPENDANT_REMOVED", actor=actor, company=company, obj=dependant)


@transaction.atomic
def emergency_contact_create(*, actor: Any, company: Company, employee: Employee, **values: Any):
    return _create(EmergencyContact, CONTACT_FIELDS, "EMERGENCY_CONTACT_ADDED", actor=actor,
                   company=company, employee=employee, self_allowed=True, **values)  # fmt: skip


@transaction.atomic
def emergency_contact_update(
    *, actor: Any, company: Company, contact: EmergencyContact, **changes: Any
):
    return _update(EmergencyContact, CONTACT_FIELDS, "EMERGENCY_CONTACT_UPDATED", actor=actor,
                   company=company, obj=contact, self_allowed=True, **changes)  # fmt: skip


@transaction.atomic
def emergency_contact_delete(*, actor: Any, company: Company, contact: EmergencyContact) -> None:
    _delete("EMERGENCY_CONTACT_REMOVED", actor=actor, company=company, obj=contact,
            self_allowed=True)  # fmt: skip


@transaction.atomic
def education_create(*, actor: Any, company: Company, employee: Employee, **values: Any):
    return _create(Education, EDUCATION_FIELDS, "EDUCATION_ADDED", actor=actor,
                   company=company, employee=employee, **values)  # fmt: skip


@transaction.atomic
def education_update(*, actor: Any, company: Company, education: Education, **changes: Any):
    return _update(Education, EDUCATION_FIELDS, "EDUCATION_UPDATED", actor=actor,
                   company=company, obj=education, **changes)  # fmt: skip


@transaction.atomic
def education_delete(*, actor: Any, company: Company, education: Education) -> None:
    _delete("EDUCATION_REMOVED", actor=actor, company=company, obj=education)
